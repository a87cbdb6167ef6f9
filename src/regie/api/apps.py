from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "regie.api"
    label = "api"
    verbose_name = "REST API"
