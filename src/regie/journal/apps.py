from django.apps import AppConfig


class JournalConfig(AppConfig):
    """The case journal: notes and contact moments (``notitie`` events), confidential notes, search."""

    name = "regie.journal"
    label = "journal"
    verbose_name = "Journaal"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from regie.casework.interchange.importer import imported
        from regie.casework.models import Event

        from . import services

        post_save.connect(services.on_event_saved, sender=Event, dispatch_uid="regie.journal.index")
        imported.connect(services.rebuild_after_import, dispatch_uid="regie.journal.rebuild_after_import")
