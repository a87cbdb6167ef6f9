"""Reads of the client record. :func:`record_for` is the one way to the record: every screen, letter, the API and
the CLI call it (the caller has checked access and audits the read, as the case page does)."""

from __future__ import annotations

from regie.casework.models import Case, Client, Event
from regie.core.clientrecord import ClientRecord, fold_record
from regie.core.events import RECORD_TYPES


def record_events(client: Client):
    """The client's record events on all their cases, oldest first."""
    return (
        Event.objects.filter(case__client=client, type__in=RECORD_TYPES)
        .select_related("actor")
        .order_by("effective_date", "id")
    )


def record_for(client: Client) -> ClientRecord:
    """The client record (:class:`regie.core.clientrecord.ClientRecord`): the client row's initial data with every
    record event since applied. ``.address_lines``, ``.salutation``, ``.preferred_channel``, ``.email``,
    ``.phone``, ``.language``, ``.contact_persons``, ``.addressee``, ``.window_lines``, ``.letter_copies``."""
    base = {
        "given_name": client.given_name,
        "family_name": client.family_name,
        "sex": client.sex,
        "language": client.language,
        "education": client.education,
        "contact": client.contact,
    }
    events = [
        {
            "type": e.type,
            "effective_date": e.effective_date,
            "payload": e.payload,
            "actor": e.actor.username if e.actor else e.actor_role,
            "recorded_at": e.recorded_at,
        }
        for e in record_events(client)
    ]
    return fold_record(base, events)


def recording_case(client: Client) -> Case | None:
    """The case a record change is recorded on: the client's most recently opened case (the record belongs to
    the client; the event needs a case to sit in the log and the timeline). None when the client has no case.
    pages4: the case page has loaded the client's cases in this order already (``client.loaded_cases``)."""
    loaded = getattr(client, "loaded_cases", None)
    if loaded is not None:
        return loaded[0] if loaded else None
    return (
        Case.objects.filter(client=client).select_related("state", "municipality").order_by("-opened_on", "-id").first()
    )
