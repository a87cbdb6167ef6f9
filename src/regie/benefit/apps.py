from django.apps import AppConfig


class BenefitConfig(AppConfig):
    name = "regie.benefit"
    label = "benefit"
    verbose_name = "Uitkering"
    default_auto_field = "django.db.models.BigAutoField"
