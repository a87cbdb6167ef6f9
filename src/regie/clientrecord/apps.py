from django.apps import AppConfig


class ClientRecordConfig(AppConfig):
    name = "regie.clientrecord"
    label = "clientrecord"
    verbose_name = "Cliëntgegevens"
