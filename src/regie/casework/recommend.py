"""Bridge from a case to the policy engine (regie.core.policy): facts in, recommendation and explanation out.

Kept in one module so a reader finds in one hop where the casework asks the policy. When the engine cannot decide
(a fact is missing) the step form says so and shows no pre-filled values; it never invents a default.

Fail closed: when the municipality has no policy for the date (or the policy files cannot be loaded) every function
here raises ``PolicyUnavailable`` (a LookupError with a Dutch ``message`` for the user and a technical ``detail``).
There is no permissive fallback: without its policy Regie cannot tell a rules-steered municipality from a
performance-steered one, nor who may decide what, so no decision is recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from regie.core import policy as engine
from regie.core.policy import PolicyUnavailable

from .models import Case

__all__ = ["Advice", "PolicyUnavailable", "advice_for", "case_facts", "may_decide", "scheme_for", "steering_mode"]



@dataclass
class Advice:
    """What the form shows above a step: values to pre-fill and why."""

    values: dict = field(default_factory=dict)
    explanation: list[dict] = field(default_factory=list)  # {rule_id, source, text, inputs}
    policy_version: str | None = None
    legal_basis: str | None = None
    cannot_decide: list[str] = field(default_factory=list)  # "missing X" messages

    def as_recommendation(self) -> dict | None:
        return dict(self.values) if self.values else None


def case_facts(case: Case, on: dt.date) -> dict:
    """The facts the policy engine reads, from the client record and the case's projected state."""
    client = case.client
    state = getattr(case, "state", None)
    snap = state.snapshot if state else {}
    household = client.household or {}
    children = sorted((c.get("birth_date") for c in household.get("children", []) if c.get("birth_date")), reverse=True)
    return {
        "birth_date": client.birth_date.isoformat(),
        "sex": client.sex,
        "has_partner": bool(household.get("partner")),
        "children_birth_dates": children,
        "cost_sharers": household.get("other_adults", 0),
        "education": client.education or None,
        "benefit_start": snap.get("benefit_start"),
        "level": snap.get("level"),
        "scheme": snap.get("scheme"),
        "medical_claim": snap.get("medical_claim"),
        "expected_months_to_work": snap.get("expected_months_to_work"),
        "health_limitation": snap.get("health_limitation"),
        "sanctions": snap.get("sanctions", 0),
        "last_sanction_on": snap.get("last_sanction_on"),
        "exempt": bool(snap.get("exemptions")),
        "on": on.isoformat(),
    }


def advice_for(case: Case, event_type: str, on: dt.date, extra: dict | None = None) -> Advice | None:
    """The policy's advice for recording ``event_type`` on ``case`` at ``on``; None when the policy gives no advice
    for this kind of step. Raises PolicyUnavailable when there is no policy."""
    result = engine.advise_step(case.municipality.code, event_type, {**case_facts(case, on), **(extra or {})}, on)
    if result is None:
        return None
    return Advice(**result) if isinstance(result, dict) else result


def steering_mode(case: Case, on: dt.date) -> str:
    """'rules' (deviations need a teammanager's approval) or 'performance' (a written motivation suffices).

    Raises PolicyUnavailable when there is no policy: there is no default mode."""
    return engine.steering_mode(case.municipality.code, on)


def may_decide(user, event_type: str, case: Case, on: dt.date) -> bool:
    """Whether the user's role may take this decision (integral vs split casework, seed 001:737-743).

    Raises PolicyUnavailable when there is no policy: nobody may decide without the decision rights."""
    return engine.may_decide(case.municipality.code, user.role, event_type, on)


def scheme_for(case: Case, on: dt.date):
    """The classification scheme of the municipality's policy in force; PolicyUnavailable without a policy."""
    return engine.policy_for(case.municipality.code, on).scheme
