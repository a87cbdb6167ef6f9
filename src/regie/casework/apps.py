from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "regie.casework"
    label = "casework"
    verbose_name = "Cliënten en dossiers"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the policy checks)
