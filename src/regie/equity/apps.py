from django.apps import AppConfig


class EquityConfig(AppConfig):
    name = "regie.equity"
    label = "equity"
    verbose_name = "Gelijke behandeling"
