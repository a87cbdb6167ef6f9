from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "regie.documents"
    label = "documents"
    verbose_name = "Documenten"
