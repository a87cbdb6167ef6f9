from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """The analytic tables of the event log (no models): listens for imports to prepare their disk copy."""

    name = "regie.analytics"
    label = "analytics"

    def ready(self) -> None:
        from regie.casework.interchange.importer import imported

        from .tasks import prepare_after_import

        imported.connect(prepare_after_import, dispatch_uid="regie.analytics.prepare_after_import")
