"""The note index: a cache of the ``notitie`` events for search (accent- and case-insensitive, the same on SQLite
and PostgreSQL: the text is normalised in Python, :func:`regie.journal.services.normalise`, and matched with a plain
``LIKE``). The event log is the source; :func:`regie.journal.services.rebuild_notes` rebuilds the index from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NoteIndex(models.Model):
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="+")
    event = models.OneToOneField("casework.Event", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    effective_date = models.DateField()
    confidential = models.BooleanField(default=False)
    search_text = models.TextField(help_text="The note's text, lower case, without accents")

    class Meta:
        indexes = [models.Index(fields=["author", "effective_date"]), models.Index(fields=["case", "effective_date"])]
