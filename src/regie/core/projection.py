"""Current state of a case, derived by folding its events (plain Python, no Django).

``fold(events)`` is the one definition of "current state". The Django ``CaseState`` table is a cache of it,
written when an event is appended and rebuildable at any time (``regie projections rebuild``); analytics read the
event log directly and never this cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Status values, in the order of the client route (domain brief section 3).
STATUSES = ("gemeld", "aangevraagd", "lopend", "afgewezen", "uitgestroomd", "afgesloten")


@dataclass
class CaseSnapshot:
    status: str = "gemeld"
    reported_on: dt.date | None = None
    applied_on: dt.date | None = None
    search_period_end: dt.date | None = None
    benefit_start: dt.date | None = None
    benefit_end: dt.date | None = None
    norm_type: str | None = None
    cost_sharers: int = 0
    intake_on: dt.date | None = None
    medical_claim: bool = False
    expected_months_to_work: int | None = None
    health_limitation: bool | None = None
    scheme: str | None = None
    level: str | None = None
    route: str | None = None
    classified_on: dt.date | None = None
    plan_version: int | None = None
    plan_signed: bool = False
    plan_review_date: dt.date | None = None
    caseworker: str | None = None
    trajectories: dict[str, dict] = field(default_factory=dict)  # open ones, by trajectory_id
    first_trajectory_on: dt.date | None = None
    trajectories_started: int = 0
    last_report_on: dt.date | None = None
    exemptions: dict[str, dict] = field(default_factory=dict)  # active ones, by exemption_id
    warnings: int = 0
    sanctions: int = 0
    last_sanction_on: dt.date | None = None
    last_contact_on: dt.date | None = None
    outflow_reason: str | None = None
    aftercare_until: dt.date | None = None
    deviations: int = 0
    event_count: int = 0
    last_event_on: dt.date | None = None
    # --- route (rechtmatigheid, medisch advies, opschorting, heronderzoek, rustplan; see apply_route) ---
    # outcome of the last eligibility check: rechtmatig / niet_rechtmatig / onvolledig
    rechtmatigheid: str | None = None
    rechtmatigheid_on: dt.date | None = None
    # None (no claim), "claim" (claimed at the intake, no assessment asked yet), "aangevraagd" (assessment asked), or
    # the advice's outcome (volledig_ / gedeeltelijk_arbeidsgeschikt, niet_arbeidsgeschikt); seed 000:694-696
    medical_status: str | None = None
    medical_claim_on: dt.date | None = None
    medical_requested_on: dt.date | None = None
    medical_advice_on: dt.date | None = None
    medical_advice_until: dt.date | None = None
    suspended_on: dt.date | None = None  # an opschorting not yet lifted or followed by an intrekking (Pw art. 54)
    hersteltermijn_end: dt.date | None = None
    end_decision: str | None = None  # intrekking / beeindiging: the benefit ended by a decision
    heronderzoek_on: dt.date | None = None
    heronderzoek_outcome: str | None = None
    rustplan_until: dt.date | None = None
    # legal: decisions that do not apply while suspended by a voorlopige voorziening (Awb art. 8:81) or after
    # being revoked on objection (Awb art. 7:11 lid 2), by str(decision event id): {"since", "until", "why",
    # "objection_id"} (ISO dates; until None = open-ended). The benefit computation skips a maatregel whose event id
    # is here on the day it computes (regie.core.legal.lifecycle.LegalState.suspended answers the same question).
    suspended_decisions: dict[str, dict] = field(default_factory=dict)
    objections: dict[str, dict] = field(default_factory=dict)  # legal: objection_id -> {"decision_event", "outcome"}

    @property
    def awaiting_medical_advice(self) -> bool:
        """The intake is suspended "in afwachting van medisch advies" (seed 000:694-696)."""
        return self.medical_status in MEDICAL_WAITING

    @property
    def exempt(self) -> bool:
        return any(e.get("scope") == "volledig" for e in self.exemptions.values())

    def to_json(self) -> dict[str, Any]:
        out = {}
        for key, value in self.__dict__.items():
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, dict):
                value = {k: dict(v) for k, v in value.items()}
            out[key] = value
        return out


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


# route: medical states in which the intake waits for the medical advice
MEDICAL_WAITING = ("claim", "aangevraagd")
# route: the event types of apply_route
ROUTE_TYPES = frozenset(
    {
        "rechtmatigheid",
        "medisch_advies_aanvraag",
        "medisch_advies",
        "opschorting",
        "opschorting_einde",
        "intrekking",
        "beeindiging",
        "heronderzoek",
        "rustplan",
    }
)


def apply_route(state: CaseSnapshot, event_type: str, effective: dt.date, payload: Mapping) -> None:
    """The route steps' part of the state (kept small):

    - a medical claim at the intake suspends it until the medical advice: ``medical_status`` "claim", then
      "aangevraagd" (medisch_advies_aanvraag), then the advice's outcome (medisch_advies), which resumes the route;
    - an opschorting sets ``suspended_on`` and ``hersteltermijn_end`` (Pw art. 54 lid 1); opschorting_einde
      (hersteld) lifts it; an intrekking or beeindiging ends the benefit (status ``uitgestroomd``, ``benefit_end``
      the intrekking's from_date or the beëindiging's date, ``end_decision`` the decision's type) and the suspension;
    - rechtmatigheid, heronderzoek and rustplan keep their last outcome and date."""
    if event_type == "intake" and payload.get("medical_claim"):
        if state.medical_status not in ("aangevraagd",):
            state.medical_status = "claim"
        state.medical_claim_on = state.medical_claim_on or effective
    elif event_type == "rechtmatigheid":
        state.rechtmatigheid, state.rechtmatigheid_on = payload.get("outcome"), effective
    elif event_type == "medisch_advies_aanvraag":
        state.medical_status, state.medical_requested_on = "aangevraagd", effective
    elif event_type == "medisch_advies":
        state.medical_status, state.medical_advice_on = payload.get("outcome"), effective
        state.medical_advice_until = _date(payload.get("end_date"))
    elif event_type == "opschorting":
        state.suspended_on, state.hersteltermijn_end = effective, _date(payload.get("hersteltermijn_end"))
    elif event_type == "opschorting_einde":
        state.suspended_on, state.hersteltermijn_end = None, None
    elif event_type in ("intrekking", "beeindiging"):
        state.status = "uitgestroomd"
        state.benefit_end = _date(payload.get("from_date")) or effective
        state.outflow_reason = payload.get("reason") if event_type == "beeindiging" else "geen_recht"
        state.end_decision = event_type
        state.suspended_on, state.hersteltermijn_end = None, None
        state.trajectories.clear()
        state.exemptions.clear()
        state.aftercare_until = None
    elif event_type == "heronderzoek":
        state.heronderzoek_on, state.heronderzoek_outcome = effective, payload.get("outcome")
    elif event_type == "rustplan":
        state.rustplan_until = _date(payload.get("end_date"))


AFTERCARE_DAYS_DEFAULT = 182  # assumption: 6 months aftercare (seed 003:368) until the policy engine says otherwise


def apply(state: CaseSnapshot, event_type: str, effective: dt.date, payload: Mapping, decision: Mapping | None) -> None:
    """Apply one event to ``state`` in place."""
    state.event_count += 1
    state.last_event_on = max(filter(None, (state.last_event_on, effective)), default=effective)
    if decision and decision.get("deviates"):
        state.deviations += 1
    if event_type in ("melding", "herinstroom"):
        state.reported_on = state.reported_on or effective
        state.search_period_end = _date(payload.get("search_period_end")) or state.search_period_end
        if state.status in ("uitgestroomd", "afgesloten"):
            state.status = "gemeld"
    elif event_type == "aanvraag":
        state.applied_on = effective
        state.norm_type = payload.get("norm_type") or state.norm_type
        state.cost_sharers = payload.get("cost_sharers", state.cost_sharers)
        state.status = "aangevraagd"
    elif event_type == "toekenning":
        state.benefit_start = effective
        state.benefit_end = None
        state.norm_type = payload["norm_type"]
        state.cost_sharers = payload.get("cost_sharers", 0)
        state.status = "lopend"
    elif event_type == "afwijzing":
        state.status = "afgewezen"
    elif event_type == "intake":
        state.intake_on = effective
        state.medical_claim = bool(payload.get("medical_claim"))
        state.expected_months_to_work = payload.get("expected_months_to_work")
        state.health_limitation = payload.get("health_limitation")
        apply_route(state, event_type, effective, payload)
    elif event_type == "classificatie":
        state.scheme, state.level = payload["scheme"], payload["level"]
        state.route = payload.get("route")
        state.classified_on = effective
    elif event_type == "plan_van_aanpak":
        state.plan_version = payload["version"]
        state.plan_signed = bool(payload.get("signed"))
        state.plan_review_date = _date(payload.get("review_date"))
    elif event_type == "traject_start":
        state.trajectories[payload["trajectory_id"]] = {
            "kind": payload["kind"],
            "provider": payload.get("provider"),
            "module": payload.get("module"),
            "start": effective.isoformat(),
        }
        state.trajectories_started += 1
        state.first_trajectory_on = state.first_trajectory_on or effective
    elif event_type == "traject_einde":
        state.trajectories.pop(payload["trajectory_id"], None)
    elif event_type == "rapportage":
        state.last_report_on = effective
    elif event_type == "ontheffing_start":
        state.exemptions[payload["exemption_id"]] = {
            "ground": payload["ground"],
            "scope": payload.get("scope", "volledig"),
            "start": effective.isoformat(),
            "end_date": payload.get("end_date"),
        }
    elif event_type == "ontheffing_einde":
        state.exemptions.pop(payload["exemption_id"], None)
    elif event_type == "waarschuwing":
        state.warnings += 1
    elif event_type == "maatregel":
        state.sanctions += 1
        state.last_sanction_on = effective
    elif event_type in ("contact", "driegesprek"):
        state.last_contact_on = effective
    # agenda / journal: a held appointment and a note of a contact moment are contact (the no-contact signal)
    elif event_type == "afspraak_uitkomst" and payload.get("outcome") == "gehouden":
        state.last_contact_on = effective
    elif event_type == "notitie" and payload.get("channel"):
        state.last_contact_on = effective
    elif event_type == "uitstroom":
        state.status = "uitgestroomd"
        state.benefit_end = effective
        state.outflow_reason = payload["reason"]
        state.trajectories.clear()
        state.exemptions.clear()
        state.aftercare_until = effective + dt.timedelta(days=AFTERCARE_DAYS_DEFAULT)
    elif event_type == "nazorg_einde":
        state.status = "afgesloten"
        state.aftercare_until = None
    elif event_type == "caseworker_toewijzing":
        state.caseworker = payload["caseworker"]
    # portal: the client signed the plan shown to them in Mijn Regie (a later plan version needs its own signature)
    elif event_type == "plan_ondertekend":
        if payload.get("version") == state.plan_version:
            state.plan_signed = True
    elif event_type in ROUTE_TYPES:
        apply_route(state, event_type, effective, payload)
    elif event_type in ("bezwaar", "voorlopige_voorziening", "beslissing_op_bezwaar"):
        _apply_legal(state, event_type, effective, payload)


def _apply_legal(state: CaseSnapshot, event_type: str, effective: dt.date, payload: Mapping) -> None:
    """legal: objections, suspensions and revocations (lifecycle rules in regie.core.legal.lifecycle)."""
    if event_type == "bezwaar":
        state.objections[payload["objection_id"]] = {"decision_event": payload["decision_event"], "outcome": None}
    elif event_type == "voorlopige_voorziening":
        key = str(payload["decision_event"])
        if payload["status"] == "toegewezen" and payload.get("suspends"):
            state.suspended_decisions[key] = {
                "since": effective.isoformat(),
                "until": payload.get("until"),
                "why": "voorlopige_voorziening",
                "objection_id": payload.get("objection_id"),
            }
    elif event_type == "beslissing_op_bezwaar":
        objection = state.objections.get(payload["objection_id"])
        if objection is None:
            return
        objection["outcome"] = payload["outcome"]
        key = str(objection["decision_event"])
        if payload.get("revoked"):
            state.suspended_decisions[key] = {
                "since": effective.isoformat(),
                "until": None,
                "why": "herroepen",
                "objection_id": payload["objection_id"],
            }
        elif (held := state.suspended_decisions.get(key)) and held.get("objection_id") == payload["objection_id"]:
            # assumption: the provisional measure lapses with the decision on the objection (Awb art. 8:85 lid 2)
            held["until"] = (effective - dt.timedelta(days=1)).isoformat()


def fold(events: Iterable[Mapping]) -> CaseSnapshot:
    """Fold events (mappings with type, effective_date, payload, decision) in the order given.

    Callers pass events ordered by (effective_date, sequence); the order they were recorded in breaks ties.
    """
    state = CaseSnapshot()
    for ev in events:
        effective = _date(ev["effective_date"])
        assert effective is not None, "an event without an effective date cannot be folded"
        apply(state, ev["type"], effective, ev.get("payload") or {}, ev.get("decision"))
    return state
