from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "regie.employers"
    label = "employers"
    verbose_name = "Werkgeversdienstverlening"
