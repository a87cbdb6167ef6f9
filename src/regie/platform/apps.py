from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The site shell: base templates, static files, locale, navigation, middleware."""

    name = "regie.platform"
    label = "platform"
