"""Policy as code: dated, validated policy files and one engine for casework, monitoring and the lab.

Public API (plain Python, no Django):

- ``policy_for(code_or_id, on) -> Policy`` — the version in force on a date; ``PolicyUnavailable`` (a LookupError)
  when there is none, or when the policy directory is missing, empty, unreadable or invalid (fail closed)
- ``recommend(policy, facts, on) -> Recommendations`` — single case, with explanations
- ``recommend_batch(policy, table, on) -> BatchResult`` — vectorised over columns of facts
- ``sanction_for(policy, obligation_type, category, repeat_step, level_rank) -> Outcome``
- ``advise_step(code, event_type, facts, on) -> dict | None`` — what the casework step form shows
- ``steering_mode(code, on)``, ``may_decide(code, role, event_type, on)``
"""

from __future__ import annotations

import datetime as dt

from .batch import BatchResult, recommend_batch, table_from_facts
from .engine import CaseFacts, Outcome, Recommendations, recommend
from .engine import sanction as sanction_for
from .loader import PolicyError, PolicyUnavailable, default_set, load_dir, load_file, policy_dir
from .schema import Policy

__all__ = ["policy_for", "recommend", "recommend_batch", "sanction_for", "advise_step", "steering_mode", "may_decide",
           "CaseFacts", "Policy", "PolicyError", "PolicyUnavailable", "Recommendations", "BatchResult", "Outcome",
           "load_dir", "load_file", "table_from_facts", "facts_from_case", "policy_dir", "default_set"]


def policy_for(code_or_id: str, on: dt.date) -> Policy:
    return default_set().in_force(code_or_id, on)


def _age(birth: str | dt.date | None, on: dt.date) -> float | None:
    if not birth:
        return None
    b = birth if isinstance(birth, dt.date) else dt.date.fromisoformat(birth)
    return (on - b).days / 365.25


def facts_from_case(raw: dict, on: dt.date, policy: Policy | None = None) -> CaseFacts:
    """CaseFacts from the casework's fact dictionary (regie.casework.recommend.case_facts)."""
    children = [c for c in raw.get("children_birth_dates") or []]
    youngest = _age(max(children), on) if children else None
    start = raw.get("benefit_start")
    level_rank = None
    if policy is not None and raw.get("level") and raw.get("scheme") == policy.scheme.id:
        level_rank = next((lv.rank for lv in policy.scheme.levels if lv.id == raw["level"]), None)
    return CaseFacts(
        age=_age(raw.get("birth_date"), on),
        expected_months_to_work=raw.get("expected_months_to_work"),
        youngest_child_age=youngest, n_children=len(children) if raw.get("children_birth_dates") is not None else None,
        has_partner=raw.get("has_partner"), childcare_arranged=raw.get("childcare_arranged"),
        medical_claim=raw.get("medical_claim"), health_limitation=raw.get("health_limitation"),
        care_duties=raw.get("care_duties"), requested_trajectory=raw.get("requested_trajectory"),
        days_on_benefit=(on - dt.date.fromisoformat(start)).days if start else None, level_rank=level_rank,
    )


def steering_mode(code: str, on: dt.date) -> str:
    return policy_for(code, on).steering.mode


def may_decide(code: str, role: str, event_type: str, on: dt.date) -> bool:
    """Whether the policy's decision rights let ``role`` record ``event_type``; PolicyUnavailable without a policy."""
    roles = policy_for(code, on).decision_rights.roles.get(event_type)
    return roles is None or role in roles


def _explain(outcome: Outcome) -> list[dict]:
    return [e.as_dict() | {"text": e.text or e.rule_id} for e in outcome.explanation]


def advise_step(code: str, event_type: str, raw_facts: dict, on: dt.date) -> dict | None:
    """The advice for one route step: payload values to pre-fill, explanation, policy version, legal basis."""
    policy = policy_for(code, on)
    facts = facts_from_case(raw_facts, on, policy)
    base = {"policy_version": policy.version_id, "values": {}, "explanation": [], "cannot_decide": []}
    if event_type == "classificatie":
        out = recommend(policy, facts, on).classification
        if out.decided:
            base["values"] = dict(out.value)
        base["legal_basis"] = f"{policy.name}: werkwijze ({policy.routing.source})"
    elif event_type == "traject_start":
        out = recommend(policy, facts, on).trajectory
        if out.decided:
            base["values"] = {"kind": out.value["default_kind"] or "reintegratie"} if out.value["eligible"] else {"kind": "geen traject"}
        base["legal_basis"] = "Pw art. 7 lid 1 (re-integratieverordening)"
    elif event_type == "ontheffing_start":
        out = recommend(policy, facts, on).exemptions
        grounds = out.value or []
        if grounds:
            g = grounds[0]
            base["values"] = {"ground": g["ground"], "scope": g["scope"]}
        elif not out.undecided:
            base["values"] = {"ground": "geen ontheffing"}
        base["legal_basis"] = "Pw art. 9 lid 2, art. 9a"
    elif event_type == "maatregel":
        if not raw_facts.get("obligation_type"):
            out = Outcome(missing=["obligation_type (fill in the form to see the measure)"])
        else:
            out = sanction_for(policy, raw_facts["obligation_type"], _int(raw_facts.get("category")),
                               _int(raw_facts.get("repeat_step")) or 1, facts.level_rank)
            if out.decided:
                base["values"] = {"percentage": out.value["percentage"], "months": out.value["months"]}
        base["legal_basis"] = "Pw art. 18 lid 2 en de afstemmingsverordening"
    elif event_type == "toekenning":
        norm = "gehuwden" if raw_facts.get("has_partner") else (
            "alleenstaande_ouder" if raw_facts.get("children_birth_dates") else "alleenstaande")
        base["values"] = {"norm_type": norm, "cost_sharers": int(raw_facts.get("cost_sharers") or 0)}
        base["explanation"] = [{"rule_id": "pw.norm", "source": policy.national.norms.source,
                                "text": f"norm {norm} from the household; cost-sharers per Pw art. 22a",
                                "inputs": {"has_partner": raw_facts.get("has_partner"),
                                           "children": len(raw_facts.get("children_birth_dates") or [])}}]
        base["legal_basis"] = "Pw art. 11, 21, 22a en 43"
        return base
    elif event_type == "plan_van_aanpak":
        # A review interval is a maximum, not a value to match: an earlier review is no deviation. The advice
        # explains it and the deadlines (case page, signals) check it; nothing is pre-filled for comparison.
        months = policy.deadlines.plan_review_months
        base["explanation"] = [{"rule_id": f"{policy.id}.deadlines", "source": policy.deadlines.source,
                                "text": f"review the plan at least every {months} months", "inputs": {}}]
        base["legal_basis"] = "Pw art. 44a"
        return base
    else:
        return None
    base["explanation"] = _explain(out)
    base["cannot_decide"] = [f"missing {m}" for m in out.missing]
    return base


def _int(v) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None
