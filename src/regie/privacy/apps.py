from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "regie.privacy"
    label = "privacy"
    verbose_name = "Privacy (AVG-rechten)"
