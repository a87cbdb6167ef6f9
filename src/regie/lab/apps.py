from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "regie.lab"
    label = "labweb"  # the app label names the database tables (labweb_labrun) and migrations: kept from before
    verbose_name = "Beleidslab"
    default_auto_field = "django.db.models.BigAutoField"
