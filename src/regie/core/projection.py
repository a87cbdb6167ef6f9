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
    # legal: decisions that do not apply while suspended by a voorlopige voorziening (Awb art. 8:81) or after
    # being revoked on objection (Awb art. 7:11 lid 2), by str(decision event id): {"since", "until", "why",
    # "objection_id"} (ISO dates; until None = open-ended). The benefit computation skips a maatregel whose event id
    # is here on the day it computes (regie.core.legal.lifecycle.LegalState.suspended answers the same question).
    suspended_decisions: dict[str, dict] = field(default_factory=dict)
    objections: dict[str, dict] = field(default_factory=dict)  # legal: objection_id -> {"decision_event", "outcome"}

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
