from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "regie.legal"
    label = "legal"
    verbose_name = "Bezwaar en beroep"
