from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "regie.audit"
    label = "audit"
    verbose_name = "Auditlog"

    def ready(self):
        from . import signals  # noqa: F401
