from django.apps import AppConfig


class AgendaConfig(AppConfig):
    """Appointments with clients (the caseworker's calendar) and the caseworker's start page."""

    name = "regie.agenda"
    label = "agenda"
    verbose_name = "Agenda"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from regie.casework.interchange.importer import imported
        from regie.casework.models import Event

        from . import services

        post_save.connect(services.on_event_saved, sender=Event, dispatch_uid="regie.agenda.project")
        imported.connect(services.rebuild_after_import, dispatch_uid="regie.agenda.rebuild_after_import")
