"""Case event types and their payload schemas.

The case event log is Regie's single source of truth (docs/architecture.md). Every fact and decision about a
case is one event: a type from ``EVENT_TYPES``, an effective date, a recorded-at timestamp, an actor and role,
a typed payload, and -- for decisions -- a :class:`Decision` block that stores the policy's recommendation next
to what the caseworker decided, so discretion can be measured later without guessing.

This module is plain Python (pydantic only). The web app, the API, the importer, the synthetic-data generator and
the policy lab all validate payloads with these same models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

FORMAT_VERSION: Final = 1


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- Vocabularies ---------------------------------------------------------------------------------------------

NormType = Literal["alleenstaande", "alleenstaande_ouder", "gehuwden"]
ObligationType = Literal[
    "arbeidsverplichting",  # uniform work obligations, Pw art. 9 / 18 lid 4
    "reintegratie",  # cooperation with a trajectory, Pw art. 9 lid 1 sub b
    "inlichtingen",  # duty to inform, Pw art. 17
    "administratief",  # forms, appointments (seed 001:673-699 "administratieve verplichtingen")
    "tegenprestatie",  # Pw art. 9 lid 1 sub c
    "gedrag",  # abusive behaviour, Pw art. 18 lid 2 (afstemmingsverordening)
]
TrajectoryKind = Literal["work_first", "bemiddeling", "reintegratie", "scholing", "diagnose", "zorg", "participatie"]
TrajectoryResult = Literal["werk", "werk_gesubsidieerd", "afgerond", "voortijdig_gestopt", "uitval_medisch", "uitstroom"]
ExemptionGround = Literal[
    "kind_onder_5",  # Pw art. 9a: single parent with a child under 5, on request
    "geen_kinderopvang",  # childcare for children up to 12 not arranged (seed 002:714-717)
    "medisch",  # medical (seed 002:692-699)
    "mantelzorg",  # care duties
    "sociaal",  # crisis, debts, other social reasons (seed 002:692-699; disputed)
    "overig",
]
# Outflow reasons with the CBS BUS "reden beëindiging" code we map them to. The code numbers are an
# assumption (docs/import-format.md, "Outflow reasons"): they follow the CBS grouping, not a verified code list.
OUTFLOW_REASONS: dict[str, str] = {
    "werk_regulier": "10",
    "werk_gesubsidieerd": "11",
    "eigen_bedrijf": "12",
    "inkomen_partner": "20",
    "andere_uitkering": "30",
    "pensioen": "31",
    "studie": "40",
    "verhuizing": "50",
    "detentie": "60",
    "overlijden": "70",
    "geen_recht": "80",  # no longer eligible (checks, fraud, not providing information)
    "overig": "90",
}
OutflowReason = Literal[
    "werk_regulier", "werk_gesubsidieerd", "eigen_bedrijf", "inkomen_partner", "andere_uitkering", "pensioen",
    "studie", "verhuizing", "detentie", "overlijden", "geen_recht", "overig",
]
WORK_OUTFLOW_REASONS = frozenset({"werk_regulier", "werk_gesubsidieerd", "eigen_bedrijf"})


# --- Payloads per event type ----------------------------------------------------------------------------------


class Melding(_Payload):
    channel: Literal["online", "balie", "telefoon", "uwv"] = "online"
    search_period_end: dt.date | None = Field(
        default=None, description="End of the 4-week search period for under-27s (Pw art. 41 lid 4)"
    )


class Aanvraag(_Payload):
    norm_type: NormType | None = None
    cost_sharers: int = Field(default=0, ge=0, description="Other adults in the home (kostendelersnorm, Pw art. 22a)")


class Toekenning(_Payload):
    norm_type: NormType
    cost_sharers: int = Field(default=0, ge=0)
    monthly_amount: float | None = Field(default=None, ge=0)
    benefit_type: Literal["PW", "IOAW", "IOAZ", "BBZ"] = "PW"


class Afwijzing(_Payload):
    reason: Literal["vermogen", "inkomen", "woonplaats", "geen_medewerking", "zoekperiode", "overig"]


class Intake(_Payload):
    medical_claim: bool = False
    expected_months_to_work: int | None = Field(default=None, ge=0)
    health_limitation: bool | None = None
    motivation: Literal["hoog", "midden", "laag"] | None = None
    debts: bool | None = None
    language_barrier: bool | None = None


class Classificatie(_Payload):
    scheme: str = Field(min_length=1, description="Classification scheme id of the municipality's policy")
    level: str = Field(min_length=1)
    route: str | None = None


class PlanVanAanpak(_Payload):
    version: int = Field(ge=1)
    signed: bool = False
    review_date: dt.date | None = None
    goal: str | None = None


class TrajectStart(_Payload):
    trajectory_id: str = Field(min_length=1)
    kind: TrajectoryKind
    provider: str | None = Field(default=None, description="Provider id (import: provider record id)")
    module: str | None = None
    planned_end: dt.date | None = None
    price: float | None = Field(default=None, ge=0)
    handover: str | None = Field(
        default=None, max_length=4000,
        description="Warm hand-over summary for the provider: what works, what does not, agreements (seed 003:434)",
    )


class TrajectEinde(_Payload):
    trajectory_id: str = Field(min_length=1)
    result: TrajectoryResult
    cost: float | None = Field(default=None, ge=0)


class Rapportage(_Payload):
    trajectory_id: str | None = None
    kind: Literal["voortgang", "eind", "no_show", "ziekmelding", "advies", "driegesprek_verzoek"] = "voortgang"
    summary: str = ""


class Driegesprek(_Payload):
    trajectory_id: str | None = None
    summary: str = ""


class OntheffingStart(_Payload):
    exemption_id: str = Field(min_length=1)
    ground: ExemptionGround
    scope: Literal["volledig", "gedeeltelijk"] = "volledig"
    end_date: dt.date | None = None
    # Facts the exemption grounds read that Regie does not hold elsewhere (the policy's ``exemptions`` rules); asked
    # on the form and kept with the decision. None = not assessed.
    childcare_arranged: bool | None = Field(default=None, description="Childcare for children up to 12 is arranged")
    care_duties: bool | None = Field(default=None, description="The client has care duties (mantelzorg)")


class OntheffingEinde(_Payload):
    exemption_id: str = Field(min_length=1)
    reason: Literal["einddatum", "herbeoordeling", "uitstroom", "overig"] = "einddatum"


class Waarschuwing(_Payload):
    obligation_type: ObligationType
    description: str = ""


class Maatregel(_Payload):
    obligation_type: ObligationType
    category: int | None = Field(default=None, ge=1, le=4)
    percentage: float = Field(ge=0, le=100)
    months: int = Field(ge=0, le=12)
    repeat_step: int = Field(default=1, ge=1)
    amount: float | None = Field(default=None, ge=0)


class Contact(_Payload):
    channel: Literal["gesprek", "telefoon", "email", "huisbezoek", "brief"] = "gesprek"
    summary: str = ""


class Uitstroom(_Payload):
    reason: OutflowReason
    cbs_code: str | None = None

    @model_validator(mode="after")
    def _code(self) -> "Uitstroom":
        expected = OUTFLOW_REASONS[self.reason]
        if self.cbs_code is None:
            self.cbs_code = expected
        elif self.cbs_code != expected:
            raise ValueError(f"cbs_code {self.cbs_code!r} does not match reason {self.reason!r} (expected {expected})")
        return self


class NazorgEinde(_Payload):
    result: Literal["duurzaam_aan_het_werk", "teruggevallen", "onbekend"] = "onbekend"


class Herinstroom(_Payload):
    previous_case: str | None = Field(default=None, description="Id of the earlier case of this client")


class CaseworkerToewijzing(_Payload):
    caseworker: str = Field(min_length=1, description="User id (import: user record id; app: username)")
    reason: Literal["instroom", "herverdeling", "verlof", "overig"] = "instroom"


EVENT_TYPES: dict[str, type[_Payload]] = {
    "melding": Melding,
    "aanvraag": Aanvraag,
    "toekenning": Toekenning,
    "afwijzing": Afwijzing,
    "intake": Intake,
    "classificatie": Classificatie,
    "plan_van_aanpak": PlanVanAanpak,
    "traject_start": TrajectStart,
    "traject_einde": TrajectEinde,
    "rapportage": Rapportage,
    "driegesprek": Driegesprek,
    "ontheffing_start": OntheffingStart,
    "ontheffing_einde": OntheffingEinde,
    "waarschuwing": Waarschuwing,
    "maatregel": Maatregel,
    "contact": Contact,
    "uitstroom": Uitstroom,
    "nazorg_einde": NazorgEinde,
    "herinstroom": Herinstroom,
    "caseworker_toewijzing": CaseworkerToewijzing,
}

# Event types that record a decision; these may (and from the web app and the lab: must) carry a Decision block.
DECISION_TYPES = frozenset(
    {"toekenning", "afwijzing", "classificatie", "plan_van_aanpak", "traject_start", "ontheffing_start",
     "waarschuwing", "maatregel", "uitstroom"}
)


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid")

    by: str = Field(min_length=1, description="Username (import: user id) of the approving teammanager")
    at: dt.datetime
    note: str | None = None


class Decision(BaseModel):
    """What the policy recommended and what the caseworker decided (seed 000:568-577: discretion)."""

    model_config = ConfigDict(extra="forbid")

    policy_version: str | None = Field(default=None, description="'<policy id>@<valid_from>' of the version used")
    recommendation: dict[str, Any] | None = None
    decided: dict[str, Any] = Field(default_factory=dict)
    deviates: bool = False
    motivation_code: str | None = None
    motivation: str | None = None
    legal_basis: str | None = None
    approval: Approval | None = Field(
        default=None, description="Four-eyes approval of a deviation in a rules-steered municipality"
    )
    explanation: list[dict[str, Any]] | None = Field(
        default=None, description="The policy's explanation of its recommendation (rule id, source, text, inputs)"
    )
    source: Literal["web", "api", "import"] | None = Field(
        default=None,
        description="Which path recorded the decision: the web form or the API (through the decision gate, which "
        "computed the recommendation) or an import of history recorded elsewhere (kept as recorded)",
    )

    @model_validator(mode="after")
    def _motivated(self) -> "Decision":
        if self.deviates and not (self.motivation_code or self.motivation):
            raise ValueError("a decision that deviates from the recommendation needs a motivation")
        return self


class EventError(ValueError):
    """A payload that does not fit its event type; ``errors`` is a list of (field, message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))


def _flatten(prefix: str, exc: ValidationError) -> list[tuple[str, str]]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        out.append((f"{prefix}.{loc}" if loc else prefix, err["msg"]))
    return out


def validate_event(event_type: str, payload: dict | None, decision: dict | None = None) -> tuple[dict, dict | None]:
    """Validate and normalise an event's payload and decision block.

    Returns JSON-ready dicts (dates as ISO strings). Raises :class:`EventError` naming every bad field.
    """
    model = EVENT_TYPES.get(event_type)
    if model is None:
        raise EventError([("type", f"unknown event type {event_type!r}; expected one of {sorted(EVENT_TYPES)}")])
    errors: list[tuple[str, str]] = []
    clean_payload: dict = {}
    try:
        clean_payload = model.model_validate(payload or {}).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        errors += _flatten("payload", exc)
    clean_decision = None
    if decision is not None:
        if event_type not in DECISION_TYPES:
            errors.append(("decision", f"event type {event_type!r} is not a decision and cannot carry one"))
        else:
            try:
                clean_decision = Decision.model_validate(decision).model_dump(mode="json", exclude_none=True)
            except ValidationError as exc:
                errors += _flatten("decision", exc)
    if errors:
        raise EventError(errors)
    return clean_payload, clean_decision
