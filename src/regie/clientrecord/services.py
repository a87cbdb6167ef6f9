"""Writes of the client record: every change is an event recorded through the decision gate
(:func:`regie.casework.decisions.record_step`; record events are not decisions and pass through it), so it lands in
the case's timeline with who and when. Nothing here updates the client row's data in place; only the search-key
cache (``Client.postcode_key``) follows the record."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.casework.decisions import record_step
from regie.casework.models import Case, Client, Event
from regie.casework.search import refresh_postcode
from regie.core.events import RECORD_TYPES, EventError

from .selectors import recording_case


class NoCase(Exception):
    """The client has no case to record the change on (an imported client without a dossier)."""

    def __init__(self):
        super().__init__(_("Deze cliënt heeft nog geen dossier; open eerst een dossier (melding)."))


@transaction.atomic
def record_change(
    client: Client,
    user,
    *,
    event_type: str,
    payload: dict,
    expected_version: int | None = None,
    effective_date: dt.date | None = None,
    case: Case | None = None,
    source: str = "web",
) -> Event:
    """Record one client-record change (``adres_wijziging``, ``contactgegevens``, ``contactpersoon``,
    ``werkprofiel``) on the client's case, effective today unless ``effective_date`` is given.

    Raises ``EventError`` (Dutch messages naming the field), ``ConflictError`` (``expected_version`` is stale),
    ``DecisionRefused``, ``PolicyUnavailable`` or :class:`NoCase`; nothing is written then."""
    if event_type not in RECORD_TYPES:
        raise EventError([("type", _("Onbekend soort wijziging van de cliëntgegevens."))])
    case = case or recording_case(client)
    if case is None:
        raise NoCase()
    _outcome, event = record_step(
        case,
        user,
        event_type=event_type,
        effective_date=effective_date or timezone.localdate(),
        payload=payload,
        expected_version=expected_version,
        source=source,
    )
    if event_type == "adres_wijziging":
        refresh_search_keys(client)
    return event


def refresh_search_keys(client: Client) -> None:
    """Bring the client row's record-derived search key (the postcode of the current woonadres, else the
    briefadres) in line with the record: a cache, recomputed for everyone by ``regie clientrecord reindex``."""
    refresh_postcode(client)
