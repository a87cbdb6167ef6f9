"""Reads for Mijn Regie: the file the person acts for, from the same selectors and projections the staff pages use.

Only what is the client's own is returned: no notes, no internal motivations, no equity or monitoring data. Each
function takes the client row already checked by the portal view (``views.portal_view``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from regie.accounts.models import User
from regie.agenda.models import Appointment
from regie.casework.models import Case, CaseState, Client, Event

from . import labels
from .session import Identity


def current_case(client: Client) -> Case | None:
    """The client's current case: the most recently opened one."""
    return Case.objects.filter(client=client).order_by("-opened_on", "-pk").first()


def files_of(identity: Identity) -> list[Client]:
    return list(Client.objects.filter(pk__in=identity.allowed, municipality_id=identity.municipality_id).order_by("pk"))


def plan(case: Case, state: CaseState | None) -> dict | None:
    """The plan van aanpak in force: version, goal, review date, signed or not (from the projection and the plan's
    own event)."""
    snap = (state.snapshot if state else {}) or {}
    version = snap.get("plan_version")
    if not version:
        return None
    event = (
        Event.objects.filter(case=case, type="plan_van_aanpak", payload__version=version)
        .order_by("-effective_date", "-pk")
        .first()
    )
    payload = event.payload if event else {}
    review = snap.get("plan_review_date")
    return {
        "version": version,
        "goal": payload.get("goal") or "",
        "agreed_on": event.effective_date if event else None,
        "review_date": dt.date.fromisoformat(review) if review else None,
        "signed": bool(snap.get("plan_signed")),
    }


def exemptions(state: CaseState | None) -> list[dict]:
    snap = (state.snapshot if state else {}) or {}
    out = []
    for e in (snap.get("exemptions") or {}).values():
        out.append(
            {
                "ground": labels.EXEMPTION_GROUNDS.get(e.get("ground"), e.get("ground")),
                "full": e.get("scope", "volledig") == "volledig",
                "start": dt.date.fromisoformat(e["start"]) if e.get("start") else None,
                "end_date": dt.date.fromisoformat(e["end_date"]) if e.get("end_date") else None,
            }
        )
    return sorted(out, key=lambda e: e["start"] or dt.date.min)


def trajectories(state: CaseState | None) -> list[dict]:
    snap = (state.snapshot if state else {}) or {}
    return [
        {"kind": labels.TRAJECTORY_KINDS.get(t.get("kind"), t.get("kind")), "start": dt.date.fromisoformat(t["start"])}
        for t in (snap.get("trajectories") or {}).values()
        if t.get("start")
    ]


def appointments(case: Case, today: dt.date) -> list[dict]:
    rows = (
        Appointment.objects.filter(case=case, date__gte=today).exclude(status="verzet").order_by("date", "start_time")
    )
    return [
        {
            "pk": a.pk,
            "date": a.date,
            "start_time": a.start_time,
            "end_time": a.end_time,
            "location": a.location,
            "status": labels.APPOINTMENT_STATUS.get(a.status, a.status),
            "open": a.status == "gepland",
        }
        for a in rows[:20]
    ]


def caseworker(state: CaseState | None) -> dict | None:
    if state is None or state.caseworker_id is None:
        return None
    user = User.objects.filter(pk=state.caseworker_id).first()
    if user is None:
        return None
    return {"name": user.get_full_name() or user.username, "email": user.email}


def obligations(state: CaseState | None) -> dict:
    """Whether the work obligations apply (Pw art. 9) or an exemption suspends them, fully or in part."""
    ex = exemptions(state)
    return {"full_exemption": any(e["full"] for e in ex), "partial_exemption": any(not e["full"] for e in ex)}


def overview(client: Client, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    case = current_case(client)
    state = CaseState.objects.filter(case=case).select_related("caseworker").first() if case else None
    return {
        "case": case,
        "case_version": state.version if state else 0,
        "plan": plan(case, state) if case else None,
        "exemptions": exemptions(state),
        "obligations": obligations(state),
        "trajectories": trajectories(state),
        "appointments": appointments(case, today) if case else [],
        "caseworker": caseworker(state),
        "letters": letters(case) if case else [],
        "benefit": benefit(case, today) if case else None,
        "objections": objections(case, state) if case else [],
    }


def letters(case: Case) -> list[dict]:
    """The letters the municipality sent the client (a draft is not theirs until it is sent), newest first."""
    from regie.letters.registry import LETTER_EVENT_TYPES, letter_type_for
    from regie.letters.services import letter_sent_on

    out = []
    for event in Event.objects.filter(case=case, type__in=list(LETTER_EVENT_TYPES)).order_by("-effective_date", "-pk"):
        lt = letter_type_for(event.type, event.payload)
        if lt is None:
            continue
        sent = letter_sent_on(event)
        if sent is None:
            continue
        out.append({"event_id": event.pk, "title": lt.title, "sent_on": sent, "decision": lt.remedy is not None})
    return out


def letter_event(case: Case, event_id: int) -> Event | None:
    """The event of a sent letter of this case, or None (another case's, unsent, or no letter: the view's 404)."""
    return next((Event.objects.get(pk=row["event_id"]) for row in letters(case) if row["event_id"] == event_id), None)


def benefit(case: Case, today: dt.date):
    """The benefit section's data (regie.benefit.selectors.case_benefit: the ledger and this month's calculation);
    the account number masked as on the case page."""
    from regie.benefit.selectors import case_benefit

    return case_benefit(case, today)


def objections(case: Case, state: CaseState | None = None) -> list[dict]:
    """The client's objections, newest first, from the one legal derivation (regie.casework.legal.legal_state):
    received on, against which letter, open or decided (and how), the last day of the decision term (Awb art.
    7:10) and the sent letters of the objection (ontvangstbevestiging, uitnodiging, beslissing). An older online
    objection (``bezwaar_ingediend``) that was not registered yet shows as received."""
    from regie.casework.legal import legal_state
    from regie.letters.registry import letter_type_for

    sent = {row["event_id"]: row for row in letters(case)}
    titles: dict[str, str] = {}

    def about(decision_event) -> str:
        key = str(decision_event)
        if key not in titles:
            decision = Event.objects.filter(pk=int(key), case=case).first() if key.isdigit() else None
            lt = letter_type_for(decision.type, decision.payload) if decision else None
            titles[key] = lt.title if lt else ""
        return titles[key]

    legal = legal_state(case)
    letter_events = {
        (e.payload.get("objection_id"), e.pk)
        for e in Event.objects.filter(case=case, type__in=("bezwaar", "bezwaar_horen", "beslissing_op_bezwaar"))
    }
    out = []
    for o in legal.objections.values():
        own = sorted(pk for oid, pk in letter_events if oid == o.objection_id and pk in sent)
        out.append(
            {
                "received_on": o.received_on,
                "about": about(o.decision_event),
                "registered": True,
                "open": o.open,
                "outcome": labels.OBJECTION_OUTCOMES.get(o.outcome, "") if o.outcome else "",
                "due": o.decision_term().end if o.open else None,
                "letters": [sent[pk] for pk in own],
            }
        )
    objected = {str(o.decision_event) for o in legal.objections.values()}
    for ev in Event.objects.filter(case=case, type="bezwaar_ingediend").order_by("-effective_date", "-pk"):
        if str(ev.payload.get("decision_event")) in objected:
            continue  # registered since: shown above
        out.append(
            {
                "received_on": ev.effective_date,
                "about": about(ev.payload.get("decision_event")),
                "registered": False,
                "open": True,
                "outcome": "",
                "due": None,
                "letters": [],
            }
        )
    return sorted(out, key=lambda r: r["received_on"], reverse=True)


def contestable(case: Case) -> list[dict]:
    """The sent decisions (besluiten) the client can object to."""
    return [row for row in letters(case) if row["decision"]]
