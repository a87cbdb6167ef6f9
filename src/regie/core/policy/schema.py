"""Policy file schema (pydantic): a national layer (Participatiewet) and a municipal layer, each version dated.

Every rule carries ``id`` and ``source`` (law article, ordinance article or seed line); values we had to assume
say ``assumption: true`` with an ``assumption_reason``. docs/policy-reference.md documents every field;
docs/policy-schema.json is generated from these models (``regie policy schema``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Facts a condition may test (CaseFacts fields and derived values); see engine.CaseFacts.
FACTS = (
    "age",
    "expected_months_to_work",
    "youngest_child_age",
    "n_children",
    "has_partner",
    "childcare_arranged",
    "medical_claim",
    "health_limitation",
    "care_duties",
    "requested_trajectory",
    "days_on_benefit",
    "level_rank",
)
OPS = ("lt", "lte", "gt", "gte", "eq", "ne", "in")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Sourced(Strict):
    source: str = Field(min_length=3, description="Law article, ordinance article or seed line, e.g. 'seed 000:717'")
    assumption: bool = False
    assumption_reason: str | None = None

    @model_validator(mode="after")
    def _assumption_explained(self):
        if self.assumption and not self.assumption_reason:
            raise ValueError("assumption: true needs an assumption_reason")
        return self


Condition = dict[str, dict[str, float | int | bool | str | list]]


def _check_condition(when: Condition) -> None:
    for fact, test in when.items():
        if fact not in FACTS:
            raise ValueError(f"unknown fact {fact!r}; known facts: {', '.join(FACTS)}")
        if not test or any(op not in OPS for op in test):
            raise ValueError(f"condition on {fact!r} needs one of {', '.join(OPS)}")


class Rule(Sourced):
    id: str = Field(min_length=1)
    when: Condition = Field(default_factory=dict, description="All conditions must hold; empty means always")
    valid_from: dt.date | None = Field(default=None, description="Rule applies from this date (within the version)")
    valid_until: dt.date | None = None

    @model_validator(mode="after")
    def _when(self):
        _check_condition(self.when)
        return self


# --- National layer ---------------------------------------------------------------------------------------------


class SearchPeriod(Sourced):
    max_age: int = Field(27, description="Applies to applicants younger than this (Pw art. 41 lid 4)")
    weeks: int = 4
    valid_from: dt.date | None = Field(
        None,
        description="Applies to meldingen on or after this date (the law had "
        "no search period before it); empty: the whole layer",
    )

    def applies_on(self, on: dt.date) -> bool:
        return self.valid_from is None or on >= self.valid_from


class ChildExemption(Sourced):
    """Pw art. 9a: a single parent with a child under 5 is exempted on request, for at most 5 years."""

    child_age_below: int = 5
    max_years: int = 5
    on_request: bool = True


class RepeatRule(Sourced):
    window_months: int = Field(12, description="A breach within this many months of the last counts as repeat")


class Norms(Sourced):
    year: int = Field(description="The calendar year the amounts hold for; other years have no amount (never guessed)")
    alleenstaande: float
    gehuwden: float
    alleenstaande_ouder: float | None = Field(
        default=None, description="Single-parent norm; absent when the layer does not give one (then no amount)"
    )
    cost_sharer_formula: str = Field(
        description="Kostendelersnorm, Pw art. 22a: (40 + A x 30) / (A x 100) of the couple norm"
    )
    asset_limit_single: float
    asset_limit_family: float


class NationalLayer(Strict):
    search_period: SearchPeriod
    child_exemption: ChildExemption
    work_obligation_sanction: Rule | None = None
    work_obligation: SanctionSpec
    repeat: RepeatRule
    norms: Norms


# --- Municipal layer --------------------------------------------------------------------------------------------


class Level(Strict):
    id: str
    label: str
    rank: int = Field(description="Distance to work: 1 = closest")
    meaning: str = ""


class Scheme(Sourced):
    id: str
    levels: list[Level] = Field(min_length=1)
    transitions: Literal["any", "up_only", "adjacent"] = "any"


class RoutingRule(Rule):
    level: str
    route: str


class Routing(Sourced):
    rules: list[RoutingRule] = Field(min_length=1, description="First matching rule wins; the last should match all")


class WorkFirst(Sourced):
    enabled: bool
    levels: list[str] = Field(default_factory=list, description="Levels that go through Work First")
    hours_per_week: int | None = None
    application_hours_per_week: int | None = None
    max_weeks: int | None = None
    aftercare_months: int | None = None
    capacity_per_year: int | None = None


class TrajectoryRule(Rule):
    eligible: bool
    default_kind: str | None = None


class Trajectories(Sourced):
    rules: list[TrajectoryRule] = Field(min_length=1, description="First matching rule wins")


class ExemptionGround(Rule):
    ground: Literal["kind_onder_5", "geen_kinderopvang", "medisch", "mantelzorg", "sociaal", "overig"]
    scope: Literal["volledig", "gedeeltelijk"] = "volledig"
    max_months: int
    review_months: int


class SanctionSpec(Sourced):
    percentage: float = Field(ge=0, le=100)
    months: int = Field(ge=0, le=3)


class SanctionRule(Sourced):
    id: str
    obligation_type: str
    category: int | None = None
    max_level_rank: int | None = Field(default=None, description="Applies to levels with rank ≤ this (closer to work)")
    repeat_step: int = Field(1, ge=1, description="1 = first breach; the highest step ≤ the client's applies")
    percentage: float = Field(ge=0, le=100)
    months: int = Field(ge=0, le=3)


class DecisionRights(Sourced):
    model: Literal["integral", "split"]
    # event type -> roles that may record it; absent types are open to every casework role
    roles: dict[str, list[str]] = Field(default_factory=dict)


class Valued(Sourced):
    value: float


class ProviderPayment(Sourced):
    model: Literal["no_cure_less_pay", "fixed_fee_bonus", "fee_per_module"]
    effort_percentage: float | None = None
    subsidised_work_percentage: float | None = None
    regular_work_percentage: float | None = None
    fixed_fee: float | None = None
    bonus: float | None = None


class ReportInterval(Strict):
    max_trajectory_months: int
    every_days: int


class Deadlines(Sourced):
    intake_days: int
    plan_review_months: int
    trajectory_within_months: int
    max_days_without_contact: int
    report_intervals: list[ReportInterval] = Field(min_length=1)
    # agenda (start page, worklist): a signal due longer ago than this is summarised ("12 oudere signalen"), not
    # repeated on every row. Optional in the schema so a policy without it still loads; the screens that need it
    # refuse without it (regie.casework.signals.signal_horizon_days: PolicyUnavailable, fail closed).
    signal_horizon_days: int | None = Field(default=None, ge=1)


class Steering(Sourced):
    mode: Literal["rules", "performance"]
    targets: dict[str, float] = Field(default_factory=dict)


# --- legal: objections (bezwaar) -------------------------------------------------------------------------------
class Objections(Sourced):
    """A municipality's choices for objections and the hearing before adverse decisions (dated with the policy).

    ``hearing_by``: who hears an objection (Awb art. 7:2, 7:5): an independent bezwaarcommissie or a civil servant
    not involved in the decision. ``advisory_committee``: an advisory committee as meant in Awb art. 7:13 advises
    on objections, which makes the decision term 12 weeks instead of 6 (Awb art. 7:10 lid 1).
    ``zienswijze_days``: the term for a zienswijze on an intended adverse decision (Awb art. 4:8 sets no length).
    ``warning_days``: how many days before a decision term ends the legal reviewer is warned (a working choice)."""

    hearing_by: Literal["bezwaarcommissie", "ambtenaar"]
    advisory_committee: bool
    zienswijze_days: int = Field(ge=1, le=92)
    warning_days: int = Field(ge=0, le=92)


# --- end legal ---


class Policy(Strict):
    """One version of one municipality's policy (or of the national layer)."""

    id: str = Field(description="Folder name in the policy directory (regie/core/policy/policies/), e.g. 'maastricht'")
    name: str
    municipality_code: str | None = Field(default=None, pattern=r"^\d{4}$")
    valid_from: dt.date
    description: str = ""
    national: NationalLayer
    scheme: Scheme
    routing: Routing
    work_first: WorkFirst
    trajectories: Trajectories
    exemptions: list[ExemptionGround]
    sanctions: list[SanctionRule] = Field(min_length=1)
    decision_rights: DecisionRights
    caseload_norm: Valued
    activation_norm_half_days: Valued | None = None
    provider_payment: ProviderPayment
    deadlines: Deadlines
    steering: Steering
    objections: Objections | None = None  # legal: None = not set; terms that need it refuse (PolicyUnavailable)

    national_from: dt.date | None = Field(
        default=None, description="Set by the loader on versions derived from a change in national law"
    )

    @property
    def version_id(self) -> str:
        return f"{self.id}@{self.valid_from.isoformat()}"

    @model_validator(mode="after")
    def _consistent(self):
        levels = {lv.id for lv in self.scheme.levels}
        for r in self.routing.rules:
            if r.level not in levels:
                raise ValueError(f"routing rule {r.id}: level {r.level!r} is not in scheme {self.scheme.id}")
        for lv in self.work_first.levels:
            if lv not in levels:
                raise ValueError(f"work_first: level {lv!r} is not in scheme {self.scheme.id}")
        if self.routing.rules[-1].when:
            raise ValueError("routing: the last rule must have no conditions (a fallback), so every case gets a level")
        if self.trajectories.rules[-1].when:
            raise ValueError("trajectories: the last rule must have no conditions (a fallback)")
        return self


NationalLayer.model_rebuild()
