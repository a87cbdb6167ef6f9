from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "regie.casework"
    label = "casework"
    verbose_name = "Cliënten en dossiers"

    def ready(self) -> None:
        # checks registers the policy checks; steps writes the step labels into the registry (regie.platform.labels)
        # pages: the per-case memo of derivations forgets everything after a flush or migration (ids are reused)
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_migrate

        from . import checks, derived, steps  # noqa: F401

        post_migrate.connect(derived.clear, dispatch_uid="casework.derived.clear")
        request_started.connect(derived.request_started, dispatch_uid="casework.derived.request_started")
        request_finished.connect(derived.request_finished, dispatch_uid="casework.derived.request_finished")
