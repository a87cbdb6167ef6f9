"""Reads of the journal, within the user's municipalities; the text shown goes through casework.confidential."""

from __future__ import annotations

from django.db.models import QuerySet

from regie.accounts.tenancy import municipality_ids
from regie.casework.models import Event
from regie.platform import labels

from .models import NoteIndex
from .services import normalise

SEARCH_LIMIT = 200  # results per search (assumption: more is a query to refine)


def notes_of_case(user, case, q: str = "") -> QuerySet[Event]:
    """The case's notes, newest first; with ``q`` only those whose text contains every word (accent-insensitive)."""
    idx = NoteIndex.objects.filter(municipality_id__in=municipality_ids(user), case=case)
    for word in normalise(q).split():
        idx = idx.filter(search_text__contains=word)
    return (
        Event.objects.filter(pk__in=idx.values("event_id"))
        .select_related("actor", "case__client", "case__state")
        .order_by("-effective_date", "-id")
    )


def my_notes(user, q: str) -> QuerySet[Event]:
    """The user's own notes (as author) matching ``q``, newest first."""
    idx = NoteIndex.objects.filter(municipality_id__in=municipality_ids(user), author=user)
    for word in normalise(q).split():
        idx = idx.filter(search_text__contains=word)
    return (
        Event.objects.filter(pk__in=idx.values("event_id"))
        .select_related("actor", "case__client", "case__state")
        .order_by("-effective_date", "-id")[:SEARCH_LIMIT]
    )


def appointments_of_case(case) -> list[tuple[str, str]]:
    """(appointment id, label) of the case's planned appointments, to link a note to (from the log)."""
    out = []
    for e in Event.objects.filter(case=case, type="afspraak").order_by("-effective_date", "-id")[:20]:
        p = e.payload or {}
        when = f"{labels.value_label(p.get('date'), 'date')} {p.get('start_time', '')}".strip()
        out.append((p.get("appointment_id", ""), f"{when} · {labels.option_label('kind', p.get('kind'), 'afspraak')}"))
    return out
