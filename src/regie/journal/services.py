"""Writing journal notes (``notitie`` events, through the decision gate) and the note index for search."""

from __future__ import annotations

import unicodedata

from django.db import transaction
from django.utils import timezone

from regie.casework.decisions import record_step
from regie.casework.models import Case, Event

from .models import NoteIndex


def normalise(text: str) -> str:
    """Lower case without accents ("Café Élan" -> "cafe elan"): the search key on every database."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def add_note(
    case: Case,
    user,
    *,
    text: str,
    channel: str = "",
    appointment_id: str = "",
    event_id: str = "",
    confidential: bool = False,
    confidentiality: str = "",
    effective_date=None,
    expected_version: int | None = None,
    source: str = "web",
) -> Event:
    """Record a note; a ``channel`` makes it a contact moment. Errors from the gate propagate (nothing written)."""
    payload: dict = {"text": text, "confidential": confidential}
    for key, value in (
        ("channel", channel),
        ("appointment_id", appointment_id),
        ("event_id", event_id),
        ("confidentiality", confidentiality),
    ):
        if value:
            payload[key] = value
    _outcome, event = record_step(
        case,
        user,
        event_type="notitie",
        effective_date=effective_date or timezone.localdate(),
        payload=payload,
        expected_version=expected_version,
        source=source,
    )
    return event


def _index(event: Event) -> None:
    p = event.payload or {}
    NoteIndex.objects.update_or_create(
        event=event,
        defaults={
            "municipality_id": event.municipality_id,
            "case_id": event.case_id,
            "author_id": event.actor_id,
            "effective_date": event.effective_date,
            "confidential": bool(p.get("confidential")),
            "search_text": normalise(p.get("text", "")),
        },
    )


def on_event_saved(sender, instance: Event, created: bool, **kwargs) -> None:
    if created and instance.type == "notitie":
        _index(instance)


def rebuild_notes(municipality_id: int) -> int:
    with transaction.atomic():
        NoteIndex.objects.filter(municipality_id=municipality_id).delete()
        for e in Event.objects.filter(municipality_id=municipality_id, type="notitie").order_by("id"):
            _index(e)
    return NoteIndex.objects.filter(municipality_id=municipality_id).count()


def rebuild_after_import(sender, municipality, **kwargs) -> None:
    rebuild_notes(municipality.id)
