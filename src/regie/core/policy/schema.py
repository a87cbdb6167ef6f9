"""Policy file schema (pydantic): a national layer (Participatiewet) and a municipal layer, each version dated.

Every rule carries ``id`` and ``source`` (law article, ordinance article or seed line); values we had to assume
say ``assumption: true`` with an ``assumption_reason``. docs/policy-reference.md documents every field;
docs/policy-schema.json is generated from these models (``regie policy schema``).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, ClassVar, Literal

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
    # route: the outcome of a medical advice (medisch_advies); unknown until one is recorded (seed 000:694-696)
    "medically_unfit",
    "medically_partly_fit",
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
    """Pw art. 9a: a single parent with a child under 5 is exempted on request, for at most 5 years.

    ``lifts``: the obligations the exemption covers (the arbeidsverplichtingen of art. 9 lid 1 sub a and the
    tegenprestatie of sub c); ``remains``: what the exempted parent still has to do (h/law)."""

    child_age_below: int = 5
    max_years: int = 5
    on_request: bool = True
    lifts: list[str] = Field(default_factory=lambda: ["arbeidsverplichtingen", "tegenprestatie"])
    remains: list[str] = Field(default_factory=list)


class RepeatRule(Sourced):
    window_months: int = Field(12, description="A breach within this many months of the last counts as repeat")


# --- national norms (h/law): the benefit amounts per 1 January and 1 July -----------------------------------------


class NormSource(Strict):
    """Where a norm table's amounts were read: the published table (ministry mededeling / norm table) or a page
    reproducing it, with its address and publication date."""

    title: str = Field(min_length=3)
    url: str = Field(min_length=8)
    published: dt.date | None = Field(default=None, description="Publication date of the page or mededeling")


class CostSharerNorm(Strict):
    """Pw art. 22a lid 1: the norm per person is (base + A x per_person) / (A x denominator) x the gehuwden norm
    (art. 21 sub b; from the pension age art. 22 sub b), A = the number of cost-sharers counted with the client."""

    base: int = 40
    per_person: int = 30
    denominator: int = 100
    source: str = "Pw art. 22a lid 1"

    def factor(self, a: int) -> Decimal:
        if a < 1:
            raise ValueError("A (cost-sharers including the client) is at least 1")
        return Decimal(self.base + a * self.per_person) / Decimal(a * self.denominator)


class IncomeExemption(Strict):
    """Pw art. 31 lid 2 sub n (WWB idem): a share of income from work left out of account, up to a monthly maximum,
    for a number of consecutive months."""

    percentage: Decimal = Field(ge=0, le=100)
    monthly_max: Decimal = Field(ge=0)
    months: int = Field(ge=0)
    source: str = "Pw art. 31 lid 2 sub n"


Money = Annotated[Decimal, Field(max_digits=9, decimal_places=2)]


class Norms(Strict):
    """One published norm table: the monthly net bijstand norms in euros (Decimal, **including** the holiday
    allowance) in force from ``valid_from`` (a 1 January or 1 July) until the next table, the asset limits and the
    earnings disregard. Files: ``policies/national/norms/<valid_from>.yaml`` (one per table).

    Amounts: ``alleenstaande``, ``alleenstaande_ouder`` (under the WWB 70 % of the couple norm, from 2015 equal to
    ``alleenstaande``), ``gehuwden`` for 21 to the pension age (Pw art. 21; WWB art. 21); the 18-20 youth norms
    (Pw art. 20: ``jong_*``); the pension-age norms (Pw art. 22: ``aow_*``). ``holiday_allowance_share`` is the part
    of each amount reserved as vakantietoeslag (Pw art. 19 lid 3: 5 % of the norm including it), so
    ``amount_without_holiday_allowance`` = amount x (1 - share). ``municipal_supplement_max`` (WWB art. 25 lid 2,
    until 2015) is the largest municipal toeslag for single persons and single parents. ``cost_sharer`` is None
    before the kostendelersnorm (2015).

    ``asset_limit_*`` and ``income_exemption`` are None where no source for them was found (then there is no
    amount: fail closed). A table holds for its half year only (a half year without a table has no norms).

    ``source`` names the page the amounts were read from; ``assumption`` says what was not verified and must be
    checked; ``derived`` maps a field to how its value was derived (e.g. indexed from the previous table) when the
    source did not give it. Example (h/benefit)::

        from regie.core.policy import norms_on
        n = norms_on(dt.date(2026, 3, 1))        # PolicyUnavailable when no table holds on that date
        n.alleenstaande                          # Decimal('1401.50') per month, incl. vakantietoeslag
        n.cost_sharer_norm("gehuwden", 3)        # per person, A = 3: (40 + 90) / 300 x n.gehuwden
        n.without_holiday_allowance(n.gehuwden)  # the part paid monthly; the rest is reserved (paid in May)
    """

    valid_from: dt.date
    law: Literal["WWB", "Pw"]
    # 21 to pension age (Pw art. 21 / WWB art. 21)
    alleenstaande: Money = Field(gt=0)
    alleenstaande_ouder: Money = Field(gt=0)
    gehuwden: Money = Field(gt=0)
    municipal_supplement_max: Money | None = Field(default=None, description="WWB art. 25: max municipal toeslag")
    # 18, 19 and 20 (Pw art. 20 lid 1 and 2)
    jong_alleenstaande: Money = Field(gt=0)
    jong_alleenstaande_ouder: Money = Field(gt=0)
    jong_gehuwden_beiden_jong: Money = Field(gt=0, description="both partners 18-20, no children")
    jong_gehuwden_beiden_jong_kinderen: Money = Field(gt=0, description="both partners 18-20, with children")
    jong_gehuwden_een_jong: Money = Field(gt=0, description="one partner 18-20, the other 21+, no children")
    jong_gehuwden_een_jong_kinderen: Money = Field(gt=0, description="one partner 18-20, the other 21+, children")
    # pension age (Pw art. 22 / WWB art. 22)
    aow_alleenstaande: Money = Field(gt=0)
    aow_alleenstaande_ouder: Money = Field(gt=0)
    aow_gehuwden: Money = Field(gt=0, description="one or both partners of pension age")
    holiday_allowance_share: Decimal = Field(Decimal("0.05"), gt=0, lt=1)
    cost_sharer: CostSharerNorm | None = None
    asset_limit_single: Money | None = Field(
        default=None, gt=0, description="Pw art. 34 lid 3 sub a: alleenstaande; None: not sourced here (no amount)"
    )
    asset_limit_family: Money | None = Field(
        default=None, gt=0, description="Pw art. 34 lid 3 sub b: gezin / alleenstaande ouder; None: not sourced"
    )
    asset_limit_home: Money | None = Field(default=None, description="Pw art. 34 lid 3 sub c: vermogen in de woning")
    income_exemption: IncomeExemption | None = Field(default=None, description="None: not sourced here (no amount)")
    source: NormSource
    assumption: str | None = Field(default=None, description="What was not verified here and must be checked")
    derived: dict[str, str] = Field(default_factory=dict, description="field -> how its value was derived")

    AMOUNT_FIELDS: ClassVar[tuple[str, ...]] = (
        "alleenstaande",
        "alleenstaande_ouder",
        "gehuwden",
        "jong_alleenstaande",
        "jong_alleenstaande_ouder",
        "jong_gehuwden_beiden_jong",
        "jong_gehuwden_beiden_jong_kinderen",
        "jong_gehuwden_een_jong",
        "jong_gehuwden_een_jong_kinderen",
        "aow_alleenstaande",
        "aow_alleenstaande_ouder",
        "aow_gehuwden",
    )

    @model_validator(mode="after")
    def _dated(self):
        if (self.valid_from.month, self.valid_from.day) not in ((1, 1), (7, 1)):
            raise ValueError("a norm table holds from 1 January or 1 July")
        unknown = set(self.derived) - set(type(self).model_fields)
        if unknown:
            raise ValueError(f"derived names unknown fields: {', '.join(sorted(unknown))}")
        for name in self.AMOUNT_FIELDS + ("asset_limit_single", "asset_limit_family", "municipal_supplement_max"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, value.quantize(Decimal("0.01")))
        return self

    @property
    def verified(self) -> bool:
        return self.assumption is None

    def amount(self, norm_type: str) -> Decimal:
        """The monthly amount for a norm type (a field name, e.g. 'gehuwden', 'jong_alleenstaande')."""
        if norm_type not in self.AMOUNT_FIELDS:
            raise KeyError(norm_type)
        return getattr(self, norm_type)

    def cost_sharer_norm(self, norm_type: str, a: int) -> Decimal:
        """Pw art. 22a: the norm per person with A cost-sharers (counted with the client; A >= 2 shares a home),
        from the gehuwden norm of the client's age group (art. 22a lid 1; pension age: the art. 22 couple norm)."""
        if self.cost_sharer is None:
            raise LookupError(f"no kostendelersnorm in the table of {self.valid_from.isoformat()} (from 2015)")
        base = self.aow_gehuwden if norm_type.startswith("aow_") else self.gehuwden
        return (self.cost_sharer.factor(a) * base).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def without_holiday_allowance(self, amount: Decimal) -> Decimal:
        """The amount paid monthly; ``amount`` minus the vakantietoeslag reserved in it (Pw art. 19 lid 3)."""
        return (amount * (1 - self.holiday_allowance_share)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def norms_in_force(tables: list[Norms], on: dt.date) -> Norms | None:
    """The table in force on ``on``: the latest whose ``valid_from`` is on or before it, if ``on`` falls in that
    table's half year (norms change every 1 January and 1 July): a date in a half year without a table has no
    amount rather than a stale one. None when no table holds."""
    before = [t for t in tables if t.valid_from <= on]
    if not before:
        return None
    t = max(before, key=lambda t: t.valid_from)
    end = dt.date(t.valid_from.year + (t.valid_from.month == 7), 7 if t.valid_from.month == 1 else 1, 1)
    return t if on < end else None


# --- end national norms ------------------------------------------------------------------------------------------


# --- national obligations and sanctions (h/law) -------------------------------------------------------------------


class WorkObligationFloor(Sourced):
    """The national measure for breaching the uniform work obligations (Pw art. 18 lid 4: 100 % for one to three
    months, lid 5: a repeat within 12 months longer). ``binding`` (from 2015) makes it a floor that the
    afstemmingsverordening may not go below: the loader rejects a municipal file whose rule for one of
    ``obligation_types`` advises less, and a version derived from an older ordinance gets the national measure
    (the statute prevails; the engine explains it). Individual lowering for urgent reasons (dringende redenen,
    Pw art. 18 lid 11) is a decision in the case, not a rule of the ordinance."""

    percentage: float = Field(ge=0, le=100)
    months: int = Field(ge=0, le=3)
    max_months: int = Field(3, ge=0, le=3)
    binding: bool = False
    obligation_types: list[str] = Field(default_factory=lambda: ["arbeidsverplichting"])


class InformationObligation(Sourced):
    """Breach of the duty to inform (Pw art. 17 lid 1): not a measure (verlaging) but revision of the right to
    benefit and recovery of what was paid too much (Pw art. 54 lid 3, art. 58) and a fine (bestuurlijke boete,
    Pw art. 18a) scaled to the degree of blame (verwijtbaarheid). ``advice`` is the Dutch text the step form shows."""

    obligation_type: str = "inlichtingen"
    advice: str = "herziening en terugvordering; boete (art. 18a) naar verwijtbaarheid"
    advised_events: list[str] = Field(default_factory=lambda: ["terugvordering", "boete"])


class TaalEis(Sourced):
    """Pw art. 18b (from 1 January 2016): the language requirement (Dutch at level 1F); refusing to learn it leads
    to a lowering of the benefit set by the law (20 % after the first period, then 40 %, then 100 %)."""

    level: str = "1F"
    percentages: list[float] = Field(default_factory=lambda: [20.0, 40.0, 100.0])


class Tegenprestatie(Sourced):
    """Pw art. 9 lid 1 sub c (2015): the municipality may require unpaid socially useful work (tegenprestatie);
    ``replaced_by`` names what replaces it (Participatiewet in balans: maatschappelijke participatie)."""

    mandatory_when_required: bool = True
    replaced_by: str | None = None


class Fine(Sourced):
    """Pw art. 18a: the bestuurlijke boete for breaching the duty to inform; amount up to the benefit paid too much
    (benadelingsbedrag), scaled to blame; with no loss a warning or a small fixed amount."""

    max_basis: str = "benadelingsbedrag"
    scaled_to: str = "verwijtbaarheid"


class HouseholdIncomeTest(Sourced):
    """WWB 2012 (Wet aanscherping WWB): the huishoudinkomenstoets — the income of adult children and parents living
    in the same home counts for the right to bijstand (gezinsbijstand); abolished on 1 January 2013."""

    applies: bool = True


class BalansSwitch(Sourced):
    """A dated change from the 'Participatiewet in balans' (bill 36582) whose start date we could not confirm here:
    it applies only to municipalities that switch it on (``Policy.balans`` lists the switched-on keys) and from
    ``from_date``."""

    key: str
    from_date: dt.date
    description: str


class NationalLayer(Strict):
    search_period: SearchPeriod
    child_exemption: ChildExemption
    work_obligation_sanction: Rule | None = None
    work_obligation: WorkObligationFloor
    information_obligation: InformationObligation | None = Field(
        default=None, description="From the Fraudewet (2013): a breach of Pw art. 17 leads to recovery and a fine"
    )
    taaleis: TaalEis | None = None
    household_income_test: HouseholdIncomeTest | None = None
    tegenprestatie: Tegenprestatie | None = None
    fine: Fine | None = None
    balans: list[BalansSwitch] = Field(default_factory=list)
    repeat: RepeatRule
    # h/law: the norm tables (policies/national/norms/*.yaml), attached by the loader to every national layer
    norm_tables: list[Norms] = Field(default_factory=list)


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
    # h/law: what a full exemption still leaves (e.g. Pw art. 9a lifts the work obligations of art. 9 lid 1 sub a
    # and c, not the re-integration duty of sub b); "volledig" counts as exempt from the work obligation (cohort Z)
    remains: list[str] = Field(default_factory=list, description="Obligations that remain during the exemption")
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


# --- route: rechtmatigheid, heronderzoek, waarschuwing, hersteltermijn, medische claim (municipal choices) ---------


class RouteMonths(Sourced):
    value: int = Field(ge=1, le=60)


class RouteDays(Sourced):
    value: int = Field(ge=1, le=92)


class RouteFlag(Sourced):
    value: bool


class MedicalClaimRule(Sourced):
    """What a medical claim leads to: the intake is suspended and a medical advice is asked (seed 000:694-696); a
    medical exemption follows only from the advice (``medically_unfit`` / ``medically_partly_fit``)."""

    action: Literal["medisch_advies_aanvragen"] = "medisch_advies_aanvragen"
    suspends_intake: bool = True


class RouteRules(Strict):
    """Each municipality's choices in the route steps, each value with its source (or marked assumption)."""

    heronderzoek_months: RouteMonths = Field(description="Periodic re-examination of eligibility every n months")
    warning_before_first_sanction: RouteFlag = Field(
        description="A waarschuwing precedes a first maatregel (the advice for a first measure is a warning)"
    )
    rechtmatigheid_before_toekenning: RouteFlag = Field(
        description="A toekenning on the web or API path needs a completed rechtmatigheid check (outcome rechtmatig)"
    )
    hersteltermijn_days: RouteDays = Field(description="The term to repair after an opschorting (Pw art. 54 lid 1)")
    medical_claim: MedicalClaimRule


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


# --- employers: placements and their aftercare ---------------------------------------------------------------
class SubsidyRules(Sourced):
    """employers2: how the municipality pays a loonkostensubsidie (Pw art. 10d) to the employer through the payment
    run: ``share_pct`` of the subsidy recorded on the placement (100 unless a regional arrangement divides it),
    ``in_arrears`` (true: a run pays the months before its own month)."""

    share_pct: Decimal = Field(gt=0, le=100, max_digits=5, decimal_places=2)
    in_arrears: bool = True


class PlacementRules(Sourced):
    """A municipality's aftercare (nazorg) after a placement (dated with the policy): check-ins
    ``check_in_months`` after the start, and the result after ``durable_months`` (a placement still working then is
    "durable"; seed 003:336-366: aftercare after every kind of placement)."""

    check_in_months: list[int] = Field(min_length=1, description="Months after the start of a placement")
    durable_months: list[int] = Field(default_factory=lambda: [6, 12], min_length=1)
    subsidy: SubsidyRules | None = None  # employers2: None = not set; the subsidy is not paid (fail closed)

    @model_validator(mode="after")
    def _ordered(self):
        for name in ("check_in_months", "durable_months"):
            values = getattr(self, name)
            if values != sorted(set(values)) or any(v < 1 or v > 60 for v in values):
                raise ValueError(f"{name}: ascending whole months between 1 and 60")
        return self


# --- end employers ---


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
    route_rules: RouteRules  # route: the municipality's choices in the route steps (RouteRules)
    objections: Objections | None = None  # legal: None = not set; terms that need it refuse (PolicyUnavailable)
    placements: PlacementRules | None = None  # employers: None = not set; aftercare due dates refuse

    national_from: dt.date | None = Field(
        default=None, description="Set by the loader on versions derived from a change in national law"
    )
    # h/law: the dated national changes of uncertain start (NationalLayer.balans) this municipality switches on
    balans: list[str] = Field(default_factory=list, description="Keys of national 'in balans' changes switched on")

    def balans_on(self, key: str, on: dt.date) -> bool:
        """Whether the national 'in balans' change ``key`` applies on ``on``: the national layer has it, it has
        started and this municipality switched it on (``balans``)."""
        return key in self.balans and any(b.key == key and on >= b.from_date for b in self.national.balans)

    def sanction_floor_binding(self, on: dt.date) -> bool:
        """Pw art. 18 lid 4 binds the ordinance (unless the 'maatregelen' change of Participatiewet in balans is on)."""
        return self.national.work_obligation.binding and not self.balans_on("maatregelen", on)

    def norms_on(self, on: dt.date) -> Norms | None:
        """The national norm table in force on ``on`` (see :class:`Norms`); None when there is none."""
        return norms_in_force(self.national.norm_tables, on)

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
        known = {b.key for b in self.national.balans}
        for key in self.balans:
            # a layer before the change does not know it yet; the version derived from that layer checks the key
            if known and key not in known:
                raise ValueError(f"balans: {key!r} is not a change of the national layer ({', '.join(sorted(known))})")
        return self


NationalLayer.model_rebuild()
