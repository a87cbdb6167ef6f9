"""Policy as code: dated, validated policy files and one engine for casework, monitoring and the lab.

Public API (plain Python, no Django):

- ``policy_for(code_or_id, on) -> Policy`` — the version in force on a date; ``PolicyUnavailable`` (a LookupError)
  when there is none, or when the policy directory is missing, empty, unreadable or invalid (fail closed)
- ``recommend(policy, facts, on) -> Recommendations`` — single case, with explanations
- ``recommend_batch(policy, table, on) -> BatchResult`` — vectorised over columns of facts
- ``sanction_for(policy, obligation_type, category, repeat_step, level_rank, on=None) -> Outcome`` (the national
  measure of Pw art. 18 lid 4 applies where it binds on ``on``)
- ``advise_step(code, event_type, facts, on) -> dict | None`` — what the casework step form shows
- ``norms_on(on) -> Norms`` — the national norm table (bijstandsnormen, asset limits, earnings disregard) in
  force on a date; PolicyUnavailable when there is none
- ``steering_mode(code, on)``, ``may_decide(code, role, event_type, on)``
"""

from __future__ import annotations

import datetime as dt

from .batch import BatchResult, recommend_batch, table_from_facts
from .engine import CaseFacts, Outcome, Recommendations, classify, exemptions, recommend, trajectory
from .engine import sanction as sanction_for
from .loader import PolicyError, PolicyUnavailable, default_set, load_dir, load_file, norms_on, policy_dir
from .schema import Norms, Policy

__all__ = [
    "policy_for",
    "recommend",
    "recommend_batch",
    "sanction_for",
    "advise_step",
    "steering_mode",
    "may_decide",
    "CaseFacts",
    "Policy",
    "PolicyError",
    "PolicyUnavailable",
    "Recommendations",
    "BatchResult",
    "Outcome",
    "load_dir",
    "load_file",
    "table_from_facts",
    "facts_from_case",
    "policy_dir",
    "default_set",
    "norms_on",
    "Norms",
]


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
        youngest_child_age=youngest,
        n_children=len(children) if raw.get("children_birth_dates") is not None else None,
        has_partner=raw.get("has_partner"),
        childcare_arranged=raw.get("childcare_arranged"),
        medical_claim=raw.get("medical_claim"),
        health_limitation=raw.get("health_limitation"),
        care_duties=raw.get("care_duties"),
        requested_trajectory=raw.get("requested_trajectory"),
        # a date before the benefit started (advice asked for an earlier date) counts as day 0, not negative
        days_on_benefit=max(0, (on - dt.date.fromisoformat(start)).days) if start else None,
        level_rank=level_rank,
        # route: from the medical advice (casework: medical_status); unknown while none is recorded
        medically_unfit=_medical(raw, "niet_arbeidsgeschikt"),
        medically_partly_fit=_medical(raw, "gedeeltelijk_arbeidsgeschikt"),
    )


MEDICAL_FACTS = ("medically_unfit", "medically_partly_fit")
MEDICAL_OUTCOMES = ("volledig_arbeidsgeschikt", "gedeeltelijk_arbeidsgeschikt", "niet_arbeidsgeschikt")


def _medical(raw: dict, outcome: str) -> bool | None:
    """Whether the medical advice has ``outcome``; None without an advice (``medical_advice`` in the facts)."""
    advice = raw.get("medical_advice")
    return None if advice not in MEDICAL_OUTCOMES else advice == outcome


def steering_mode(code: str, on: dt.date) -> str:
    return policy_for(code, on).steering.mode


def may_decide(code: str, role: str, event_type: str, on: dt.date) -> bool:
    """Whether the policy's decision rights let ``role`` record ``event_type``; PolicyUnavailable without a policy."""
    roles = policy_for(code, on).decision_rights.roles.get(event_type)
    if roles is None:
        # legal: the legal steps are closed without an entry (no role may handle objections by default)
        from ..events import LEGAL_EVENT_TYPES

        return event_type not in LEGAL_EVENT_TYPES
    return role in roles


def _explain(outcome: Outcome, say: dict | None = None) -> list[dict]:
    """Explanation entries; ``say`` (a message key and its parameters) lets an adapter render the text in the
    user's language instead of the engine's English ``text``."""
    out = []
    for e in outcome.explanation:
        d = e.as_dict() | {"text": e.text or e.rule_id}
        if say is not None:
            d["say"] = dict(say)
        out.append(d)
    return out


def _missing(names: list[str], **params) -> list[dict]:
    """Structured cannot-decide reasons: the fact (or form field) that is missing; adapters render them."""
    return [{"field": n, **params} for n in names]


def advise_step(code: str, event_type: str, raw_facts: dict, on: dt.date) -> dict | None:
    """The advice for one route step: payload values to pre-fill, explanation, policy version, legal basis.

    Returns ``values`` (what the decision is compared with), ``suggested`` (inputs to pre-fill that are not
    compared, e.g. the repeat step from the case history or the latest end date of an exemption), ``explanation``
    (entries with a ``say`` message key for adapters) and ``missing``: structured cannot-decide reasons, each
    ``{"field": <fact or form field>, ...}``; the field names are this package's, never shown to users as such.
    ``raw_facts`` merges the case's facts with the values entered in the step form (the same call serves the live
    advice and the decision gate, so what is shown is what is stored)."""
    policy = policy_for(code, on)
    facts = facts_from_case(raw_facts, on, policy)
    # each step asks the one rule set it needs (the same functions recommend() combines), not the full set
    base = {"policy_version": policy.version_id, "values": {}, "suggested": {}, "explanation": [], "missing": []}
    if event_type == "classificatie":
        out = classify(policy, facts, on)
        if out.decided:
            base["values"] = dict(out.value)
            label = next(lv.label for lv in policy.scheme.levels if lv.id == out.value["level"])
            base["explanation"] = _explain(
                out, {"key": "classification", "level": label, "scheme": policy.scheme.id, "route": out.value["route"]}
            )
        else:
            base["explanation"] = _explain(out, {"key": "rule_unevaluable"})
        base["missing"] = _missing(out.missing)
        base["legal_basis"] = f"{policy.name}: werkwijze ({policy.routing.source})"
    elif event_type == "traject_start":
        out = trajectory(policy, facts, on)
        if out.decided:
            eligible, kind = out.value["eligible"], out.value["default_kind"] or "reintegratie"
            base["values"] = {"kind": kind} if eligible else {"kind": "geen traject"}
            base["explanation"] = _explain(out, {"key": "trajectory", "eligible": eligible, "kind": kind})
        else:
            base["explanation"] = _explain(out, {"key": "rule_unevaluable"})
        base["missing"] = _missing(out.missing)
        base["legal_basis"] = "Pw art. 7 lid 1 (re-integratieverordening)"
    elif event_type == "ontheffing_start":
        out = exemptions(policy, facts, on)
        grounds = out.value or []
        if grounds:
            g = grounds[0]
            base["values"] = {"ground": g["ground"], "scope": g["scope"]}
            # the longest term of the ground is a maximum (like a review interval): pre-filled, not compared
            base["suggested"] = {"end_date": _add_months(on, g["max_months"]).isoformat()}
            # route: a medical exemption ends no later than the medical advice holds (seed 000:694-696)
            until = raw_facts.get("medical_advice_until")
            if g["ground"] == "medisch" and until and str(until) < base["suggested"]["end_date"]:
                base["suggested"]["end_date"] = str(until)
        elif not out.undecided:
            base["values"] = {"ground": "geen ontheffing"}
        base["explanation"] = [
            e
            | {
                "say": {
                    "key": "exemption",
                    "ground": x["ground"],
                    "scope": x["scope"],
                    "max_months": x["max_months"],
                    "review_months": x["review_months"],
                }
            }
            for e, x in zip(_explain(out), grounds, strict=True)
        ]
        if not grounds and not out.undecided:
            base["explanation"] = [
                {
                    "rule_id": f"{policy.id}.exemptions",
                    "source": "Pw art. 9 lid 2, art. 9a",
                    "inputs": {},
                    "text": "no exemption ground applies",
                    "say": {"key": "no_exemption"},
                }
            ]
        base["missing"] = _missing(out.missing)
        base["legal_basis"] = "Pw art. 9 lid 2, art. 9a"
        _advise_medical_first(policy, facts, out, base)
    elif event_type == "maatregel":
        base.update(_advise_sanction(policy, facts, raw_facts, on))
        base["legal_basis"] = "Pw art. 18 lid 2 en de afstemmingsverordening"
        _advise_warning_first(policy, raw_facts, base)
    elif event_type == "toekenning":
        # Pw art. 4 lid 1: an alleenstaande ouder has the full care of a child "ten laste", i.e. younger than 18;
        # adult children living at home are no dependants (they count as cost-sharers under art. 22a when they are
        # old enough, in the household's count)
        dependants = _dependent_children(raw_facts.get("children_birth_dates") or [], on)
        single = "alleenstaande_ouder" if dependants else "alleenstaande"
        norm = "gehuwden" if raw_facts.get("has_partner") else single
        # the household's count, not the form's cost_sharers (else a different count entered could never deviate)
        sharers = int(raw_facts.get("household_cost_sharers", raw_facts.get("cost_sharers")) or 0)
        base["values"] = {"norm_type": norm, "cost_sharers": sharers}
        base["explanation"] = [
            {
                "rule_id": "pw.norm",
                "source": "Pw art. 21, 22a (national norm tables)",
                "text": f"norm {norm} from the household; cost-sharers per Pw art. 22a",
                "inputs": {
                    "has_partner": raw_facts.get("has_partner"),
                    "children": len(raw_facts.get("children_birth_dates") or []),
                    "dependent_children": dependants,
                },
                "say": {"key": "benefit_norm", "norm_type": norm, "cost_sharers": sharers},
            }
        ]
        base["legal_basis"] = "Pw art. 11, 21, 22a en 43"
    elif event_type == "plan_van_aanpak":
        # A review interval is a maximum, not a value to match: an earlier review is no deviation. The advice
        # explains it and the deadlines (case page, signals) check it; nothing is pre-filled for comparison.
        months = policy.deadlines.plan_review_months
        base["explanation"] = [
            {
                "rule_id": f"{policy.id}.deadlines",
                "source": policy.deadlines.source,
                "text": f"review the plan at least every {months} months",
                "inputs": {},
                "say": {"key": "plan_review", "months": months},
            }
        ]
        base["legal_basis"] = "Pw art. 44a"
    else:
        return None
    return base


# --- route: a medical claim asks for a medical advice first; a warning before a first sanction -------------------


def _advise_medical_first(policy: Policy, facts: CaseFacts, out: Outcome, base: dict) -> None:
    """A medical claim without a medical advice: the medical ground cannot be decided, and the policy's advice is to
    ask for a medical advice first, the intake suspended meanwhile (``route_rules.medical_claim``, seed
    000:694-696). Recording a medical exemption on the claim alone is then a deviation that needs a motivation."""
    rule = policy.route_rules.medical_claim
    if not facts.medical_claim:  # before the intake the claim is asked (the advice comes after a claim)
        base["missing"] = [m for m in base["missing"] if m.get("field") not in MEDICAL_FACTS]
    if out.value or not facts.medical_claim or "medisch" not in out.undecided:
        return
    base["values"] = {"ground": "medisch_advies_aanvragen"}
    base["explanation"] = [
        *base["explanation"],
        {
            "rule_id": f"{policy.id}.route_rules.medical_claim",
            "source": rule.source,
            "inputs": {"medical_claim": True, "medical_advice": None},
            "text": "medical claim: ask for a medical advice first; the intake is suspended until it is given",
            "say": {"key": "medical_advice_first", "suspends_intake": rule.suspends_intake},
        },
    ]
    base["missing"] = [m for m in base["missing"] if m.get("field") not in MEDICAL_FACTS]


def _advise_warning_first(policy: Policy, raw: dict, base: dict) -> None:
    """Where the municipality gives a waarschuwing before a first maatregel (``route_rules.
    warning_before_first_sanction``) and the case has neither, the advice for a first measure is no reduction
    (percentage 0, months 0): a warning first. Imposing one anyway is a deviation that needs a motivation."""
    rule = policy.route_rules.warning_before_first_sanction
    if (
        not rule.value
        or not base.get("values")
        or int(raw.get("sanctions") or 0) > 0
        or int(raw.get("warnings") or 0) > 0
    ):
        return
    values = {"percentage": 0.0, "months": 0}
    if "amount" in (base.get("values") or {}):
        values["amount"] = 0.0
    base["values"] = values
    base["explanation"] = [
        *base.get("explanation", []),
        {
            "rule_id": f"{policy.id}.route_rules.warning_before_first_sanction",
            "source": rule.source,
            "inputs": {"sanctions": 0, "warnings": 0},
            "text": "first breach without an earlier warning: a warning first, no measure",
            "say": {"key": "warning_first"},
            **({"assumption": True} if rule.assumption else {}),
        },
    ]


def _advise_sanction(policy: Policy, facts: CaseFacts, raw: dict, on: dt.date) -> dict:
    """The measure of the afstemmingsverordening for the breach entered, and its amount: percentage x the client's
    monthly norm (Pw art. 18 lid 2; the norm of the national layer for the date, never guessed)."""
    from .engine import norm_amount

    suggested = {"repeat_step": _repeat_step(policy, raw, on)}
    obligation = raw.get("obligation_type") or None
    if not obligation:
        return {"suggested": suggested, "missing": _missing(["obligation_type"])}
    info = policy.national.information_obligation
    if info is not None and obligation == info.obligation_type:
        # Pw art. 17: a breach of the duty to inform is not met with a measure (verlaging) but with revision and
        # recovery (art. 54 lid 3, art. 58) and a fine scaled to blame (art. 18a); no percentage is advised
        return {
            "values": {},
            "suggested": suggested,
            "missing": [],
            "explanation": [
                {
                    "rule_id": "pw.art17",
                    "source": info.source,
                    "inputs": {"obligation_type": obligation},
                    "text": info.advice,
                    "say": {"key": "information_obligation", "events": list(info.advised_events)},
                }
            ],
        }
    category = _int(raw.get("category"))
    repeat = _int(raw.get("repeat_step")) or suggested["repeat_step"]
    out = sanction_for(policy, obligation, category, repeat, facts.level_rank, on)
    if not out.decided:
        typed = [r for r in policy.sanctions if r.obligation_type == obligation]
        if out.missing == ["level_rank"]:
            missing = _missing(["level"])
        elif category is None and any(r.category is not None for r in typed):
            missing = _missing(["category"])
        else:
            missing = _missing(["sanction_rule"], obligation_type=obligation, category=category)
        return {
            "suggested": suggested,
            "missing": missing,
            "explanation": _explain(
                out, {"key": "no_sanction_rule", "obligation_type": obligation, "category": category}
            ),
        }
    pct, months = out.value["percentage"], out.value["months"]
    values = {"percentage": pct, "months": months}
    explanation = _explain(out, {"key": "sanction", "percentage": pct, "months": months, "repeat_step": repeat})
    missing: list[dict] = []
    norm = norm_amount(policy, raw.get("benefit_norm_type"), raw.get("benefit_cost_sharers"), on)
    if norm.decided:
        amount = round(pct / 100 * norm.value["amount"], 2)
        values["amount"] = amount
        explanation += _explain(
            norm,
            {
                "key": "sanction_amount",
                "percentage": pct,
                "norm": norm.value["amount"],
                "norm_type": norm.value["norm_type"],
                "year": norm.value["year"],
                "cost_sharers": norm.value["cost_sharers"],
                "amount": amount,
            },
        )
    else:
        missing = _missing(norm.missing)
    return {"values": values, "suggested": suggested, "explanation": explanation, "missing": missing}


def _dependent_children(birth_dates: list, on: dt.date) -> int:
    """Children younger than 18 on ``on`` (Pw art. 4 lid 1: ten laste komende kinderen); unknown dates count."""
    n = 0
    for b in birth_dates:
        if not b:
            n += 1
            continue
        d = b if isinstance(b, dt.date) else dt.date.fromisoformat(str(b))
        years = on.year - d.year - ((on.month, on.day) < (d.month, d.day))
        n += years < 18
    return n


def _repeat_step(policy: Policy, raw: dict, on: dt.date) -> int:
    """The repeat step the case history gives: one more than the last measure's when that was imposed within the
    repeat window of the national layer (Pw art. 18 lid 5), else 1."""
    last_on, last_step = raw.get("last_sanction_on"), _int(raw.get("last_repeat_step")) or 1
    if not last_on:
        return 1
    last = last_on if isinstance(last_on, dt.date) else dt.date.fromisoformat(str(last_on))
    within = _add_months(last, policy.national.repeat.window_months) > on
    return last_step + 1 if within else 1


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


def _int(v) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None
