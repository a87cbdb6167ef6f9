"""The single-case policy engine: facts + date → recommendations, each with its explanation.

Plain Python, interpreted rule by rule (well under a millisecond per case). The vectorised engine in
``batch.py`` compiles the same rules to numpy array operations; a property test checks they agree.

A rule whose condition needs a fact the case does not have is never skipped silently: the section answers
"cannot decide: missing <fact>".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .schema import Policy, Rule


class CaseFacts(BaseModel):
    """What the engine may know about a case. Unknown facts are None (never defaulted)."""

    model_config = ConfigDict(extra="forbid")

    age: float | None = Field(default=None, ge=0, le=120)
    expected_months_to_work: float | None = Field(default=None, ge=0)
    youngest_child_age: float | None = Field(
        default=None, ge=0, description="None when unknown; use n_children=0 for no children"
    )
    n_children: int | None = Field(default=None, ge=0)
    has_partner: bool | None = None
    childcare_arranged: bool | None = None
    medical_claim: bool | None = None
    health_limitation: bool | None = None
    care_duties: bool | None = None
    requested_trajectory: bool | None = None
    days_on_benefit: float | None = Field(default=None, ge=0)
    level_rank: int | None = Field(default=None, ge=0)
    # route: the medical advice's outcome (None until a medisch_advies is recorded; a claim alone decides nothing)
    medically_unfit: bool | None = None
    medically_partly_fit: bool | None = None


@dataclass
class Explanation:
    rule_id: str
    source: str
    inputs: dict[str, Any]
    text: str = ""
    assumption: bool = False

    def as_dict(self) -> dict:
        d = {"rule_id": self.rule_id, "source": self.source, "inputs": self.inputs, "text": self.text}
        if self.assumption:
            d["assumption"] = True
        return d


@dataclass
class Outcome:
    """One recommendation: a value, or cannot-decide with the missing facts."""

    value: Any = None
    explanation: list[Explanation] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)  # exemptions: grounds that could not be evaluated

    @property
    def decided(self) -> bool:
        return not self.missing

    def as_dict(self) -> dict:
        if self.missing and not self.value:
            return {
                "cannot_decide": [f"missing {m}" for m in self.missing],
                "explanation": [e.as_dict() for e in self.explanation],
            }
        out = {"value": self.value, "explanation": [e.as_dict() for e in self.explanation]}
        if self.undecided:
            out["undecided"] = self.undecided
        return out


def _test(op: str, actual, expected) -> bool:
    if op == "lt":
        return actual < expected
    if op == "lte":
        return actual <= expected
    if op == "gt":
        return actual > expected
    if op == "gte":
        return actual >= expected
    if op == "eq":
        return actual == expected
    if op == "ne":
        return actual != expected
    if op == "in":
        return actual in expected
    raise ValueError(op)


NO_CHILD = object()


def _fact(facts: CaseFacts, name: str):
    if name == "youngest_child_age" and facts.n_children == 0:
        return NO_CHILD
    return getattr(facts, name)


def matches(rule: Rule, facts: CaseFacts, on: dt.date) -> tuple[bool | None, dict, list[str]]:
    """(True/False, inputs used, missing facts); None when a needed fact is missing."""
    if rule.valid_from and on < rule.valid_from or rule.valid_until and on >= rule.valid_until:
        return False, {}, []
    inputs, missing = {}, []
    result = True
    for name, test in rule.when.items():
        v = _fact(facts, name)
        if v is None:
            missing.append(name)
            continue
        inputs[name] = None if v is NO_CHILD else v
        if v is NO_CHILD:
            result = False  # "youngest child under 5" is false without children
            continue
        for op, expected in test.items():
            if not _test(op, v, expected):
                result = False
    if missing and result:
        return None, inputs, missing
    return result, inputs, []


def first_match(rules, facts: CaseFacts, on: dt.date):
    """The first rule that matches, or (None, missing) when a rule before it could not be evaluated."""
    for rule in rules:
        ok, inputs, missing = matches(rule, facts, on)
        if ok is None:
            return None, inputs, missing, rule
        if ok:
            return rule, inputs, [], rule
    return None, {}, [], None


def classify(policy: Policy, facts: CaseFacts, on: dt.date) -> Outcome:
    rule, inputs, missing, at = first_match(policy.routing.rules, facts, on)
    if rule is None:
        return Outcome(
            missing=missing or ["a matching routing rule"],
            explanation=[Explanation(at.id, at.source, inputs, "cannot evaluate this rule")] if at else [],
        )
    level = next(lv for lv in policy.scheme.levels if lv.id == rule.level)
    return Outcome(
        {"scheme": policy.scheme.id, "level": rule.level, "route": rule.route},
        [
            Explanation(
                rule.id, rule.source, inputs, f"{level.label} ({policy.scheme.id}), route {rule.route}", rule.assumption
            )
        ],
    )


def trajectory(policy: Policy, facts: CaseFacts, on: dt.date) -> Outcome:
    rule, inputs, missing, at = first_match(policy.trajectories.rules, facts, on)
    if rule is None:
        return Outcome(
            missing=missing or ["a matching trajectory rule"],
            explanation=[Explanation(at.id, at.source, inputs, "cannot evaluate this rule")] if at else [],
        )
    text = f"trajectory {'eligible' if rule.eligible else 'not offered'}" + (
        f", default {rule.default_kind}" if rule.eligible and rule.default_kind else ""
    )
    return Outcome(
        {"eligible": rule.eligible, "default_kind": rule.default_kind if rule.eligible else None},
        [Explanation(rule.id, rule.source, inputs, text, rule.assumption)],
    )


def work_first(policy: Policy, level: str | None) -> Outcome:
    wf = policy.work_first
    applies = bool(wf.enabled and level in wf.levels)
    value = {"applies": applies}
    if applies:
        value.update(
            hours_per_week=wf.hours_per_week,
            application_hours_per_week=wf.application_hours_per_week,
            max_weeks=wf.max_weeks,
            aftercare_months=wf.aftercare_months,
        )
    return Outcome(
        value,
        [
            Explanation(
                f"{policy.id}.work_first",
                wf.source,
                {"level": level},
                "Work First applies" if applies else "no Work First for this level",
                wf.assumption,
            )
        ],
    )


def exemptions(policy: Policy, facts: CaseFacts, on: dt.date) -> Outcome:
    """Every exemption ground whose conditions hold; grounds that need a missing fact are listed as undecided."""
    grounds, expl, missing, undecided = [], [], [], []
    for g in policy.exemptions:
        ok, inputs, miss = matches(g, facts, on)
        if ok is None:
            missing += [m for m in miss if m not in missing]
            undecided.append(g.ground)
            continue
        if ok and all(x["ground"] != g.ground for x in grounds):
            grounds.append(
                {"ground": g.ground, "scope": g.scope, "max_months": g.max_months, "review_months": g.review_months}
                | ({"remains": list(g.remains)} if g.remains else {})
            )
            expl.append(Explanation(g.id, g.source, inputs, f"exemption ground {g.ground}", g.assumption))
    granted = {x["ground"] for x in grounds}
    return Outcome(
        grounds,
        expl,
        undecided=[u for u in dict.fromkeys(undecided) if u not in granted],
        missing=[] if grounds else missing,
    )


def search_period(policy: Policy, facts: CaseFacts, on: dt.date) -> Outcome:
    sp = policy.national.search_period
    if sp.valid_from is not None and not sp.applies_on(on):
        return Outcome(
            {"applies": False, "weeks": 0},
            [
                Explanation(
                    "pw.search_period",
                    sp.source,
                    {"on": on.isoformat()},
                    f"no search period before {sp.valid_from.isoformat()}",
                )
            ],
        )
    if facts.age is None:
        return Outcome(missing=["age"])
    applies = facts.age < sp.max_age
    value = {"applies": applies, "weeks": sp.weeks if applies else 0}
    if applies and policy.balans_on("zoektermijn_jongeren", on):
        value["may_waive"] = True  # Participatiewet in balans: the college may waive it (switched on, dated)
    return Outcome(
        value,
        [
            Explanation(
                "pw.search_period",
                sp.source,
                {"age": facts.age},
                f"{sp.weeks}-week search period" if applies else "no search period",
            )
        ],
    )


def sanction(
    policy: Policy,
    obligation_type: str,
    category: int | None,
    repeat_step: int,
    level_rank: int | None,
    on: dt.date | None = None,
) -> Outcome:
    """The measure for a reported breach: the most specific rule for the type, category, level and repeat; for a
    uniform work obligation at least the national measure (Pw art. 18 lid 4) where it binds on ``on`` (default:
    the version's start)."""
    on = on or policy.valid_from
    candidates = [
        r
        for r in policy.sanctions
        if r.obligation_type == obligation_type
        and (r.category is None or r.category == category)
        and r.repeat_step <= repeat_step
    ]
    needs_level = [r for r in candidates if r.max_level_rank is not None]
    if needs_level and level_rank is None:
        return Outcome(missing=["level_rank"])
    candidates = [r for r in candidates if r.max_level_rank is None or level_rank <= r.max_level_rank]
    if not candidates:
        return Outcome(
            missing=["sanction_rule"],
            explanation=[
                Explanation(
                    f"{policy.id}.sanctions",
                    "afstemmingsverordening",
                    {"obligation_type": obligation_type, "category": category},
                    f"no sanction rule for {obligation_type} category {category}",
                )
            ],
        )
    # most specific: highest repeat step, then category given, then tightest level bound
    best = max(
        candidates,
        key=lambda r: (
            r.repeat_step,
            r.category is not None,
            -(r.max_level_rank if r.max_level_rank is not None else 99),
        ),
    )
    inputs = {"obligation_type": obligation_type, "category": category, "repeat_step": repeat_step}
    inputs["level_rank"] = level_rank
    pct, months = best.percentage, best.months
    expl = [Explanation(best.id, best.source, inputs, f"{pct:g}% for {months} month(s)", best.assumption)]
    floor = policy.national.work_obligation
    if policy.sanction_floor_binding(on) and obligation_type in floor.obligation_types and (pct < floor.percentage or months < floor.months):
        # only a version derived from an ordinance older than the national measure gets here (the loader rejects a
        # newer file below the floor): the statute prevails over the ordinance
        pct, months = floor.percentage, max(months, floor.months)
        expl.append(
            Explanation(
                "pw.art18.lid4",
                floor.source,
                {"ordinance_percentage": best.percentage, "ordinance_months": best.months},
                f"national measure {pct:g}% for {months} month(s) prevails over the ordinance ({best.id})",
            )
        )
    return Outcome({"percentage": pct, "months": months, "repeat_step": repeat_step}, expl)


def norm_amount(policy: Policy, norm_type: str | None, cost_sharers: int | None, on: dt.date) -> Outcome:
    """The monthly norm for the client's norm type on ``on`` from the national norm table in force (Pw art. 20-22,
    22a; ``policies/national/norms/``).

    No table for the date (or a norm type the table does not give) makes the amount missing rather than guessed.
    With cost-sharers the kostendelersnorm of Pw art. 22a applies: (40 + A x 30) / (A x 100) of the couple norm per
    person, A being everyone sharing the home counted with the client (a couple counts two); a table without it
    (before 2015) gives no amount."""
    if not norm_type:
        return Outcome(missing=["norm_type"])
    n = policy.norms_on(on)
    if n is None or norm_type not in n.AMOUNT_FIELDS:
        return Outcome(missing=["norm_amount"])
    base = n.amount(norm_type)
    sharers = int(cost_sharers or 0)
    amount, text = base, f"norm {norm_type} per {n.valid_from.isoformat()}: {base:.2f}"
    if sharers:
        if n.cost_sharer is None:
            return Outcome(missing=["cost_sharer_norm"])
        persons = 2 if norm_type in ("gehuwden", "aow_gehuwden") else 1
        a = sharers + persons
        amount = n.cost_sharer_norm(norm_type, a) * persons
        text += f"; kostendelersnorm with A = {a}: {amount:.2f}"
    return Outcome(
        {
            "norm_type": norm_type,
            "year": n.valid_from.year,
            "table": n.valid_from.isoformat(),
            "amount": float(amount),
            "cost_sharers": sharers,
        },
        [
            Explanation(
                "pw.norm",
                f"{n.source.title} ({n.source.url})",
                {"norm_type": norm_type, "cost_sharers": sharers, "table": n.valid_from.isoformat()},
                text,
                not n.verified,
            )
        ],
    )


def deadlines(policy: Policy, trajectory_months: float | None = None) -> Outcome:
    d = policy.deadlines
    value = {
        "intake_days": d.intake_days,
        "plan_review_months": d.plan_review_months,
        "trajectory_within_months": d.trajectory_within_months,
        "max_days_without_contact": d.max_days_without_contact,
    }
    if trajectory_months is not None:
        interval = next(
            (r.every_days for r in d.report_intervals if trajectory_months <= r.max_trajectory_months),
            d.report_intervals[-1].every_days,
        )
        value["report_every_days"] = interval
    return Outcome(
        value,
        [
            Explanation(
                f"{policy.id}.deadlines",
                d.source,
                {"trajectory_months": trajectory_months},
                "deadlines of the municipality",
                d.assumption,
            )
        ],
    )


def obligations(policy: Policy, exemptions_outcome: Outcome) -> Outcome:
    """The work obligations of Pw art. 9 lid 1 apply unless a full exemption ground applies (then it can be granted;
    partial grounds reduce them). Undecided grounds make the answer 'cannot decide'."""
    grounds = exemptions_outcome.value or []
    full = [g["ground"] for g in grounds if g["scope"] == "volledig"]
    partial = [g["ground"] for g in grounds if g["scope"] != "volledig"]
    remaining = sorted({r for g in grounds if g["scope"] == "volledig" for r in g.get("remains", [])})
    if full:
        value = "exemption_possible"
    elif exemptions_outcome.undecided:
        return Outcome(missing=list(exemptions_outcome.missing) or ["facts for the exemption grounds"])
    else:
        value = "reduced" if partial else "full"
    return Outcome(
        {"work_obligation": value, "full_grounds": full, "partial_grounds": partial, "remaining_duties": remaining},
        [
            Explanation(
                "pw.art9",
                "Pw art. 9 lid 1 (ext): arbeidsverplichtingen; lid 2: ontheffing",
                {"exemption_grounds": full + partial},
                f"work obligation: {value}",
            )
        ],
    )


@dataclass
class Recommendations:
    policy_version: str
    on: dt.date
    classification: Outcome
    work_first: Outcome
    trajectory: Outcome
    exemptions: Outcome
    obligations: Outcome
    search_period: Outcome
    deadlines: Outcome
    steering: dict

    def as_dict(self) -> dict:
        return {
            "policy_version": self.policy_version,
            "date": self.on.isoformat(),
            "classification": self.classification.as_dict(),
            "work_first": self.work_first.as_dict(),
            "trajectory": self.trajectory.as_dict(),
            "exemptions": self.exemptions.as_dict(),
            "obligations": self.obligations.as_dict(),
            "search_period": self.search_period.as_dict(),
            "deadlines": self.deadlines.as_dict(),
            "steering": self.steering,
        }


def recommend(policy: Policy, facts: CaseFacts | dict, on: dt.date) -> Recommendations:
    facts = facts if isinstance(facts, CaseFacts) else CaseFacts.model_validate(facts)
    cls = classify(policy, facts, on)
    level = cls.value["level"] if cls.decided else None
    ex = exemptions(policy, facts, on)
    return Recommendations(
        policy_version=policy.version_id,
        on=on,
        classification=cls,
        work_first=work_first(policy, level),
        trajectory=trajectory(policy, facts, on),
        exemptions=ex,
        obligations=obligations(policy, ex),
        search_period=search_period(policy, facts, on),
        deadlines=deadlines(policy),
        steering={"mode": policy.steering.mode, "targets": policy.steering.targets, "source": policy.steering.source},
    )
