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


# --- portal: an objection lodged by the client (Mijn Regie) -----------------------------------------------------
#
# The receipt of an objection is a fact, not a staff decision: the bezwaarschrift is lodged by the objector (Awb
# art. 6:4) and is on time when it is received before the term ends (Awb art. 6:9 lid 1); an electronic message is
# received when it reaches the administrative body's system (Awb art. 2:17 lid 1). So the client's filing records
# the ``bezwaar`` event itself, with the receipt date as its effective date, through the same gate as a bezwaar a
# juridisch medewerker records (terms, signals, the objections worklist and the ontvangstbevestiging follow from
# the event). The gate lets the role ``client`` record ``bezwaar`` only (policy decision_rights); that role is held
# by nobody but the inactive Mijn Regie account (regie.portal.services.portal_actor), which cannot log in.

LODGED_BY = ("client", "vertegenwoordiger")


class AlreadyObjected(Exception):
    """An open objection against this decision exists with other grounds (the client adds grounds by a message;
    Awb art. 6:6 lets the legal reviewer ask for them). ``objection`` is its lifecycle state."""

    def __init__(self, objection):
        self.objection = objection
        super().__init__(objection.objection_id)


def _legal_reviewer(case):
    """Who handles the objection: the municipality's active juridisch medewerker with the fewest open tasks (ties:
    the oldest account), else None (then the task goes to the case's team)."""
    from django.db.models import Count, Q

    from regie.accounts.models import User

    return (
        User.objects.filter(municipality_id=case.municipality_id, role="juridisch_medewerker", is_active=True)
        .annotate(open_tasks=Count("tasks", filter=Q(tasks__status="open")))
        .order_by("open_tasks", "pk")
        .first()
    )


HANDLING_TASK_DAYS = 7  # assumption: the legal reviewer looks at an online objection within a week


@transaction.atomic
def receive_objection(
    case,
    actor,
    *,
    decision_event: int,
    received_on: dt.date,
    grounds: str,
    lodged_by: str,
    machtiging_id: int | None = None,
    late_reason: str = "",
    send_receipt: bool = True,
):
    """Record an objection the client (or their representative) lodged in Mijn Regie: the ``bezwaar`` event
    through the decision gate with the receipt date, the ontvangstbevestiging (Awb art. 6:14 lid 1) sent through
    the letters app when it can be made, and a task for the legal reviewer. Returns ``(event, created)``.

    Idempotent: the same grounds against a decision with an open objection return that objection's event
    (``created`` False: a double submit writes nothing). Other grounds raise :class:`AlreadyObjected`. Raises what
    the gate raises (EventError: a late objection without ``late_reason``, Awb art. 6:11; ConflictError: a
    concurrent write; DecisionRefused: a policy without the client's right; PolicyUnavailable)."""
    from django.utils.translation import gettext as _

    from regie.casework.legal import legal_state
    from regie.casework.models import CaseState, Event
    from regie.letters import services as letters
    from regie.letters.recipient import LetterRefused
    from regie.worktasks import services as tasks

    if lodged_by not in LODGED_BY:
        raise ValueError(f"lodged_by must be one of {LODGED_BY}")
    grounds = (grounds or "").strip()
    state_row = CaseState.objects.select_for_update().filter(case=case).first()
    for o in legal_state(case).objections.values():
        if str(o.decision_event) == str(decision_event) and o.open:
            if o.grounds.strip() == grounds:
                return Event.objects.get(pk=o.event_id, case=case), False
            raise AlreadyObjected(o)
    payload = {
        "decision_event": decision_event,
        "grounds": grounds,
        "lodged_via": "mijnregie",
        "lodged_by": lodged_by,
    }
    if machtiging_id is not None:
        payload["machtiging_id"] = machtiging_id
    if (late_reason or "").strip():
        payload["late_reason"] = late_reason.strip()
    _outcome, event = record_step(
        case,
        actor,
        event_type="bezwaar",
        effective_date=received_on,
        payload=payload,
        expected_version=state_row.version if state_row else None,
    )
    receipt_sent = False
    if send_receipt:
        try:
            with transaction.atomic():
                letters.send(event, actor, on=received_on)
            receipt_sent = True
        except LetterRefused:  # no letterhead or no address: the legal reviewer sends it (the task says so)
            pass
    reviewer = _legal_reviewer(case)
    if reviewer is not None or case.team_id:
        title = _("Bezwaar via Mijn Regie behandelen (ontvangen %(date)s)") % {"date": f"{received_on:%d-%m-%Y}"}
        if not receipt_sent:
            title = _("Bezwaar via Mijn Regie behandelen en ontvangst bevestigen (ontvangen %(date)s)") % {
                "date": f"{received_on:%d-%m-%Y}"
            }
        tasks.create(
            actor,
            case=case,
            title=title,
            description=grounds[:1000],
            assignee=reviewer,
            team=None if reviewer is not None else case.team,
            due_on=max(received_on + dt.timedelta(days=HANDLING_TASK_DAYS), dt.date.today()),
            source="manual",
            source_ref=f"mijnregie:{event.external_id}",
        )
    return event, True
