from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications (and e-mail for who opted in): approvals, provider reports, tasks, expiring terms."""

    name = "regie.notifications"
    label = "notifications"
    verbose_name = "Meldingen"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from regie.casework.decisions import pending_reviewed
        from regie.casework.models import Event

        from . import services

        post_save.connect(services.on_event_saved, sender=Event, dispatch_uid="regie.notifications.report")
        pending_reviewed.connect(services.on_pending_reviewed, dispatch_uid="regie.notifications.review")
