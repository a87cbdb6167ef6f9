"""Writes of the legal life: one service for the web form and the API, both through the decision gate.

:func:`record_legal_step` records a legal step with :func:`regie.casework.decisions.record_step` and, for an
invitation to an oral hearing (``horen`` on a voornemen, Awb art. 4:8; ``bezwaar_horen`` on an objection, Awb art.
7:2), also puts the hearing in the inviting user's agenda as an appointment of kind ``hoorzitting`` -- in the same
transaction, so a hearing that cannot be planned (an agenda without a length for hearings, a day before the
invitation) leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from regie.agenda import services as agenda
from regie.casework.decisions import record_step


def _time(value) -> dt.time | None:
    if not value:
        return None
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def _date(value) -> dt.date | None:
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def is_oral_invitation(event_type: str, payload: dict) -> bool:
    return (
        event_type in ("horen", "bezwaar_horen")
        and payload.get("status") == "uitgenodigd"
        and payload.get("form") != "schriftelijk"
        and bool(payload.get("start_time"))
    )


@transaction.atomic
def record_legal_step(
    case,
    user,
    *,
    event_type: str,
    effective_date: dt.date,
    payload: dict,
    motivation: str = "",
    expected_version: int | None,
    source: str,
):
    """Record one legal step (returns record_step's (outcome, event or pending)); raises what the gate raises
    (DecisionRefused, EventError, ConflictError, PolicyUnavailable) and writes nothing then."""
    outcome, obj = record_step(
        case,
        user,
        event_type=event_type,
        effective_date=effective_date,
        payload=payload,
        motivation=motivation,
        expected_version=expected_version,
        source=source,
    )
    if outcome == "recorded" and is_oral_invitation(event_type, obj.payload):
        p = obj.payload
        agenda.plan(
            case,
            user,
            kind="hoorzitting",
            date=_date(p["planned_on"]),
            start_time=_time(p["start_time"]),
            location=p.get("location") or "",
            with_whom="bezwaarcommissie" if p.get("by") == "bezwaarcommissie" else "",
            source=source,
            planned_on=effective_date,
        )
    return outcome, obj
