from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "regie.casework"
    label = "casework"
    verbose_name = "Cliënten en dossiers"
