from django.apps import AppConfig


class LabwebConfig(AppConfig):
    name = "regie.labweb"
    label = "labweb"
    verbose_name = "Beleidslab"
    default_auto_field = "django.db.models.BigAutoField"
