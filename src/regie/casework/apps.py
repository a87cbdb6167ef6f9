from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "regie.casework"
    label = "casework"
    verbose_name = "Cliënten en dossiers"

    def ready(self) -> None:
        # checks registers the policy checks; steps writes the step labels into the registry (regie.platform.labels)
        from . import checks, steps  # noqa: F401
