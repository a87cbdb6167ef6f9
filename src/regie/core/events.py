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
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .dates import nl_date

FORMAT_VERSION: Final = 1

# --- Limits on what a writer may record (web form, API, import: the same) -------------------------------------
# Text lengths. Assumptions (no law sets them): long enough for real use, short enough that one field cannot
# break a page or the log. The Django models, forms and serializers use the same constants.
ID_MAX = 64  # ids of the source system (interchange format, records.Id)
NAME_MAX = 200  # given and family names (casework.models.Client)
CODE_MAX = 64  # scheme, level, route, provider code, module
SUMMARY_MAX = 4000  # summaries of reports, conversations, contacts; the warm hand-over
MOTIVATION_MAX = 2000  # a decision's motivation, a plan's goal, a warning's description
NOTE_MAX = 1000  # an approval's note, legal basis and other short remarks
# Dates. Nothing in Regie happened before 1900 (assumption: no living client was born earlier).
EARLIEST_DATE = dt.date(1900, 1, 1)
# How far ahead an event may take effect. Facts (a melding, a report, a contact) happen today or earlier; a
# decision may be taken now for a date ahead, e.g. a trajectory that starts next month or a sanction from the next
# payment (assumption: one quarter, 92 days).
DECISION_HORIZON_DAYS = 92
# How far ahead a planned date may lie after the event that plans it (a plan's review date, a trajectory's planned
# end, an exemption's end date): an exemption under Pw art. 9a lasts at most five years, so six years (assumption).
PLANNED_HORIZON_DAYS = 6 * 366
# Payload fields that are planned dates (they may lie ahead, within PLANNED_HORIZON_DAYS, and not before the event).
PLANNED_DATE_FIELDS = {
    "plan_van_aanpak": ("review_date",),
    "traject_start": ("planned_end",),
    "ontheffing_start": ("end_date",),
    # legal: hearing days, the zienswijze term, an agreed postponement, a suspension's end
    "voornemen": ("zienswijze_until",),
    "horen": ("planned_on",),
    "bezwaar_horen": ("planned_on",),
    "bezwaar_termijn": ("until",),
    "voorlopige_voorziening": ("until",),
    "beroep": ("planned_on",),
    # agenda: the appointment's day
    "afspraak": ("date",),
}
# Why an aanvraag may be handled before the search period ends (Pw art. 41 lid 4 sets the four weeks for
# under-27s; the exceptions below follow the law's "unless" and Pw art. 43 lid 5 on when the right is assessed;
# ext, not in the seeds: check the current text before relying on the list -- assumption).
SEARCH_PERIOD_EXCEPTIONS: dict[str, str] = {
    "geen_zoekverplichting_mogelijk": "Geen zoekverplichting mogelijk (de cliënt kan redelijkerwijs geen werk zoeken)",
    "noodsituatie": "Noodsituatie: de aanvraag kan niet wachten tot de zoekperiode voorbij is",
}
SearchPeriodException = Literal["geen_zoekverplichting_mogelijk", "noodsituatie"]

# Dutch labels of payload fields, for messages that name the field (the web form has the same labels).
FIELD_LABELS: dict[str, str] = {
    "effective_date": "Ingangsdatum",
    "birth_date": "Geboortedatum",
    "given_name": "Voornaam",
    "family_name": "Achternaam",
    "search_period_end": "Einde zoekperiode",
    "search_period_exception": "Uitzondering zoekperiode",
    "review_date": "Evaluatiedatum",
    "goal": "Doel",
    "trajectory_id": "Trajectnummer",
    "provider": "Aanbieder",
    "module": "Module",
    "planned_end": "Geplande einddatum",
    "handover": "Warme overdracht",
    "summary": "Samenvatting",
    "exemption_id": "Ontheffingsnummer",
    "end_date": "Einddatum",
    "description": "Omschrijving",
    "motivation": "Motivering",
    "motivation_code": "Redencode",
    "legal_basis": "Wettelijke grondslag",
    "note": "Notitie",
    "scheme": "Schema",
    "level": "Niveau / trede",
    "route": "Route",
    "caseworker": "Klantmanager",
    "previous_case": "Vorig dossier",
    "trajectory_results": "Resultaat lopende trajecten",
    "reason": "Reden",
    "result": "Resultaat",
    "kind": "Soort",
    "cbs_code": "CBS-code",
    "policy_version": "Beleidsversie",
    # documents
    "document_id": "Documentnummer",
    "document_date": "Datum document",
    "retention_class": "Bewaarklasse",
    "confidential": "Vertrouwelijk",
    "storage_key": "Opslagsleutel",
    "sha256": "Controlegetal (SHA-256)",
    "size": "Grootte",
    "content_type": "Bestandstype",
    "file": "Bestand",
    "title": "Titel",
    # legal
    "voornemen_id": "Voornemen",
    "decision_type": "Soort besluit",
    "zienswijze_days": "Zienswijzetermijn (dagen)",
    "zienswijze_until": "Einde zienswijzetermijn",
    "no_hearing_ground": "Grond om niet te horen",
    "status": "Status",
    "planned_on": "Datum hoorzitting",
    "catch_up": "Nabetaling",  # benefit: the betaling's catch-up of earlier months
    "repayment": "Aflossing",  # benefit: the betaling's deduction per claim
    "form": "Vorm",
    "decision_event": "Besluit",
    "channel": "Kanaal",
    "objection_id": "Bezwaar",
    "posted_on": "Datum poststempel",
    "late_reason": "Reden te late indiening",
    "grounds": "Gronden van het bezwaar",
    "advisory_committee": "Adviescommissie",
    "by": "Gehoord door",
    "ground": "Grond",
    "weeks": "Weken",
    "until": "Tot en met",
    "days": "Dagen",
    "consent": "Instemming indiener",
    "appeal_id": "Beroep",
    "suspends": "Schorst het besluit",
    "court": "Rechter",
    "outcome": "Uitkomst",
    "revoked": "Herroepen",
    "new_decision": "Nieuw besluit",
    "new_decision_event": "Nieuw besluit (gebeurtenis)",
    "advice_followed": "Advies gevolgd",
    "lower_appeal_id": "Beroep bij de rechtbank",
    "ruling_sent_on": "Uitspraak verzonden op",
    "court_name": "Naam rechtbank",
    # agenda / journal
    "date": "Datum",
    "start_time": "Begintijd",
    "end_time": "Eindtijd",
    "location": "Locatie",
    "with_whom": "Met wie",
    "appointment_id": "Afspraak",
    # "outcome" (Uitkomst) and "confidential" (Vertrouwelijk) are above, with the same labels (legal, documents)
    "text": "Tekst",
    "category": "Categorie",
    "confidentiality": "Reden vertrouwelijk",
}


class Message(str):
    """A Dutch message that an adapter can translate: ``template`` is the gettext msgid, ``params`` its values.

    It is a ``str`` (the Dutch text), so code that only prints errors keeps working; Django adapters call
    ``gettext(template) % params`` (regie.casework.validation.localise).
    """

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        obj = super().__new__(cls, template % params if params else template)
        obj.template, obj.params = template, params
        return obj


def label(fieldname: str) -> Message:
    """The Dutch label of a field (``payload.summary`` -> "Samenvatting"), as a translatable message."""
    parts = [p for p in fieldname.split(".") if not p.isdigit()] or [fieldname]  # "payload.skills.0" -> skills
    return Message(FIELD_LABELS.get(parts[-1], parts[-1]))


def new_id(prefix: str) -> str:
    """A new trajectory or exemption number (``TR-1a2b3c4d``) for a writer that gives none."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


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
TrajectoryResult = Literal[
    "werk", "werk_gesubsidieerd", "afgerond", "voortijdig_gestopt", "uitval_medisch", "uitstroom"
]
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
    "werk_regulier",
    "werk_gesubsidieerd",
    "eigen_bedrijf",
    "inkomen_partner",
    "andere_uitkering",
    "pensioen",
    "studie",
    "verhuizing",
    "detentie",
    "overlijden",
    "geen_recht",
    "overig",
]
WORK_OUTFLOW_REASONS = frozenset({"werk_regulier", "werk_gesubsidieerd", "eigen_bedrijf"})


# --- Payloads per event type ----------------------------------------------------------------------------------


class Melding(_Payload):
    channel: Literal["online", "balie", "telefoon", "uwv"] = "online"
    search_period_end: dt.date | None = Field(
        default=None,
        description="End of the 4-week search period for under-27s (Pw art. 41 lid 4); set by Regie "
        "from the national layer in force (an import keeps the value its file gives)",
    )
    search_period_exception: SearchPeriodException | None = Field(
        default=None, description="Why the search period does not hold back the aanvraag (SEARCH_PERIOD_EXCEPTIONS)"
    )


class Aanvraag(_Payload):
    norm_type: NormType | None = None
    cost_sharers: int = Field(default=0, ge=0, description="Other adults in the home (kostendelersnorm, Pw art. 22a)")
    search_period_exception: SearchPeriodException | None = Field(
        default=None,
        description="Required when the aanvraag is dated before the end of the search period "
        "(Pw art. 41 lid 4): why it may be handled now",
    )


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
    scheme: str = Field(
        min_length=1, max_length=CODE_MAX, description="Classification scheme id of the municipality's policy"
    )
    level: str = Field(min_length=1, max_length=CODE_MAX)
    route: str | None = Field(default=None, max_length=CODE_MAX)


class PlanVanAanpak(_Payload):
    version: int = Field(ge=1)
    signed: bool = False
    review_date: dt.date | None = None
    goal: str | None = Field(default=None, max_length=MOTIVATION_MAX)


class TrajectStart(_Payload):
    trajectory_id: str = Field(
        default_factory=lambda: new_id("TR"),
        min_length=1,
        max_length=ID_MAX,
        description="Given by Regie when the writer leaves it out",
    )
    kind: TrajectoryKind
    provider: str | None = Field(
        default=None,
        max_length=CODE_MAX,
        description="Code of one of the municipality's providers (import: provider record id)",
    )
    module: str | None = Field(default=None, max_length=CODE_MAX)
    planned_end: dt.date | None = None
    price: float | None = Field(default=None, ge=0)
    handover: str | None = Field(
        default=None,
        max_length=SUMMARY_MAX,
        description="Warm hand-over summary for the provider: what works, what does not, agreements (seed 003:434)",
    )
    requested_trajectory: bool | None = Field(
        default=None,
        description="The client asked for a trajectory themselves (a rule may depend on it: Maastricht "
        "from October 2004 offers 46+ a trajectory only on request, seed 002:933-934)",
    )


class TrajectEinde(_Payload):
    trajectory_id: str = Field(min_length=1, max_length=ID_MAX)
    result: TrajectoryResult
    cost: float | None = Field(default=None, ge=0)


class Rapportage(_Payload):
    trajectory_id: str | None = Field(default=None, max_length=ID_MAX)
    kind: Literal["voortgang", "eind", "no_show", "ziekmelding", "advies", "driegesprek_verzoek"] = "voortgang"
    summary: str = Field(default="", max_length=SUMMARY_MAX)


class Driegesprek(_Payload):
    trajectory_id: str | None = Field(default=None, max_length=ID_MAX)
    summary: str = Field(default="", max_length=SUMMARY_MAX)


class OntheffingStart(_Payload):
    exemption_id: str = Field(
        default_factory=lambda: new_id("ON"),
        min_length=1,
        max_length=ID_MAX,
        description="Given by Regie when the writer leaves it out",
    )
    ground: ExemptionGround
    scope: Literal["volledig", "gedeeltelijk"] = "volledig"
    end_date: dt.date | None = None
    # Facts the exemption grounds read that Regie does not hold elsewhere (the policy's ``exemptions`` rules); asked
    # on the form and kept with the decision. None = not assessed.
    childcare_arranged: bool | None = Field(default=None, description="Childcare for children up to 12 is arranged")
    care_duties: bool | None = Field(default=None, description="The client has care duties (mantelzorg)")


class OntheffingEinde(_Payload):
    exemption_id: str = Field(min_length=1, max_length=ID_MAX)
    reason: Literal["einddatum", "herbeoordeling", "uitstroom", "overig"] = "einddatum"


class Waarschuwing(_Payload):
    obligation_type: ObligationType
    description: str = Field(default="", max_length=MOTIVATION_MAX)


class Maatregel(_Payload):
    obligation_type: ObligationType
    category: int | None = Field(default=None, ge=1, le=4)
    percentage: float = Field(ge=0, le=100)
    months: int = Field(ge=0, le=12)
    repeat_step: int = Field(default=1, ge=1)
    amount: float | None = Field(default=None, ge=0)
    # route: the college refrains from the measure (REFRAIN_GROUNDS: Pw art. 18 lid 9 / lid 10); the measure is then
    # not imposed (percentage, months and amount become 0) and the gate keeps the rule's outcome beside it.
    afzien: Literal["dringende_redenen", "geen_verwijtbaarheid"] | None = Field(
        default=None,
        description="Refrain from the measure (Pw art. 18 lid 9 or lid 10): a written motivation is required",
    )

    @model_validator(mode="after")
    def _refrained(self) -> Maatregel:
        if self.afzien:
            self.percentage, self.months = 0.0, 0
            self.amount = 0.0 if self.amount is not None else None
        return self


class Contact(_Payload):
    channel: Literal["gesprek", "telefoon", "email", "huisbezoek", "brief"] = "gesprek"
    summary: str = Field(default="", max_length=SUMMARY_MAX)


class Uitstroom(_Payload):
    reason: OutflowReason
    cbs_code: str | None = Field(default=None, max_length=4)
    trajectory_results: dict[str, TrajectoryResult] = Field(
        default_factory=dict,
        description="What becomes of each trajectory still open at the outflow: trajectory id -> result. Regie ends "
        "each one with its result on the outflow date (a traject_einde event); every open trajectory must be named",
    )

    @model_validator(mode="after")
    def _code(self) -> Uitstroom:
        expected = OUTFLOW_REASONS[self.reason]
        if self.cbs_code is None:
            self.cbs_code = expected
        elif self.cbs_code != expected:
            raise ValueError(f"cbs_code {self.cbs_code!r} does not match reason {self.reason!r} (expected {expected})")
        return self


class NazorgEinde(_Payload):
    result: Literal["duurzaam_aan_het_werk", "teruggevallen", "onbekend"] = "onbekend"


class Herinstroom(_Payload):
    previous_case: str | None = Field(
        default=None, max_length=ID_MAX, description="Id of the earlier case of this client"
    )


class CaseworkerToewijzing(_Payload):
    caseworker: str = Field(min_length=1, max_length=150, description="User id (import: user record id; app: username)")
    reason: Literal["instroom", "herverdeling", "verlof", "overig"] = "instroom"


# --- route: rechtmatigheid, medisch advies, opschorting, intrekking, beëindiging, heronderzoek, rustplan ---------
# The steps of the client's route (domain brief section 3) that are checks, assessments and the decisions that end or
# suspend a benefit. Field names are stable once committed (the letters read them); each class documents its fields.

CheckResult = Literal["voldoet", "voldoet_niet", "niet_onderzocht"]
# The items of the eligibility check of an aanvraag (seed 000:342-346: residence, income, assets; Pw art. 11, 13,
# 31-34; the household and cost-sharers Pw art. 22a; the home visit as part of the investigation, Pw art. 53a).
RECHTMATIGHEID_ITEMS = ("verblijf", "identiteit", "inkomen", "vermogen", "huishouden", "huisbezoek")
# Items that may stay "niet_onderzocht" in a check that is "rechtmatig": a home visit is done when there is a reason
# to, not on every aanvraag (assumption).
RECHTMATIGHEID_OPTIONAL = frozenset({"huisbezoek"})
MedicalOutcome = Literal["volledig_arbeidsgeschikt", "gedeeltelijk_arbeidsgeschikt", "niet_arbeidsgeschikt"]
# Where the law lets the college refrain from a decision the rule would give, per decision type: the payload field
# ``afzien`` names the ground; the decision gate requires a written motivation and stores the rule's own outcome
# beside it, with ``deviation_kind`` set to the ground (regie.casework.decisions). Pw art. 18 numbering as in force
# since 2015 (ext; check the current text before relying on the paragraph numbers -- assumption).
REFRAIN_GROUNDS: dict[str, dict[str, str]] = {
    "maatregel": {
        "dringende_redenen": "Pw art. 18 lid 10 (dringende redenen)",
        "geen_verwijtbaarheid": "Pw art. 18 lid 9 (elke vorm van verwijtbaarheid ontbreekt)",
    },
    "terugvordering": {"dringende_redenen": "Pw art. 58 lid 8 (dringende redenen)"},
}
RefrainGround = Literal["dringende_redenen", "geen_verwijtbaarheid"]


class Rechtmatigheid(_Payload):
    """The eligibility check of an aanvraag as a recorded check (not a decision; it feeds the toekenning or
    afwijzing). Fields (stable): ``verblijf``, ``identiteit``, ``inkomen``, ``vermogen``, ``huishouden``,
    ``huisbezoek`` -- each ``voldoet`` / ``voldoet_niet`` / ``niet_onderzocht``; ``vermogen_bedrag`` (the assets
    found, euro) and ``vermogensgrens`` (the limit applied, Pw art. 34 lid 3; the form offers the national layer's);
    ``kostendelers`` (cost-sharers found, Pw art. 22a); ``outcome``: ``rechtmatig`` (every item voldoet; the home
    visit may be niet_onderzocht), ``niet_rechtmatig`` (an item voldoet_niet) or ``onvolledig`` (still being
    investigated); ``summary``."""

    verblijf: CheckResult = "niet_onderzocht"
    identiteit: CheckResult = "niet_onderzocht"
    inkomen: CheckResult = "niet_onderzocht"
    vermogen: CheckResult = "niet_onderzocht"
    huishouden: CheckResult = "niet_onderzocht"
    huisbezoek: CheckResult = "niet_onderzocht"
    vermogen_bedrag: float | None = Field(default=None, ge=0, description="Assets found (euro)")
    vermogensgrens: float | None = Field(default=None, ge=0, description="Asset limit applied (Pw art. 34 lid 3)")
    kostendelers: int | None = Field(default=None, ge=0, description="Cost-sharers in the home (Pw art. 22a)")
    outcome: Literal["rechtmatig", "niet_rechtmatig", "onvolledig"]
    summary: str = Field(default="", max_length=SUMMARY_MAX)

    @model_validator(mode="after")
    def _consistent(self) -> Rechtmatigheid:
        results = {item: getattr(self, item) for item in RECHTMATIGHEID_ITEMS}
        if (
            self.vermogen_bedrag is not None
            and self.vermogensgrens is not None
            and self.vermogen_bedrag > self.vermogensgrens
            and self.vermogen == "voldoet"
        ):
            raise ValueError(
                Message(
                    "Vermogen: het vastgestelde vermogen (€ %(amount)s) ligt boven de vermogensgrens (€ %(limit)s); "
                    "kies 'voldoet niet' (Pw art. 34)",
                    amount=f"{self.vermogen_bedrag:.2f}".replace(".", ","),
                    limit=f"{self.vermogensgrens:.2f}".replace(".", ","),
                )
            )
        failed = [i for i, r in results.items() if r == "voldoet_niet"]
        if self.outcome == "rechtmatig":
            open_items = [i for i, r in results.items() if r != "voldoet" and i not in RECHTMATIGHEID_OPTIONAL]
            if failed or open_items:
                raise ValueError(
                    Message(
                        "Uitkomst: 'rechtmatig' kan pas als elk onderdeel voldoet (niet: %(items)s)",
                        items=", ".join(failed + open_items),
                    )
                )
        if self.outcome == "niet_rechtmatig" and not failed:
            raise ValueError(Message("Uitkomst: 'niet rechtmatig' vraagt een onderdeel dat niet voldoet"))
        return self


class MedischAdviesAanvraag(_Payload):
    """A medical assessment requested: a medical claim ends the intake conversation and suspends the procedure
    until a medical examination (seed 000:694-696). Fields (stable): ``reason`` (``medische_claim`` at the intake,
    ``twijfel`` of the caseworker, ``herbeoordeling`` of an earlier advice), ``advisor`` (who assesses, e.g. a
    GGD or an arbeidsdeskundige), ``question`` (what the advisor is asked about the capacity to work; no diagnosis)."""

    reason: Literal["medische_claim", "twijfel", "herbeoordeling"] = "medische_claim"
    advisor: str | None = Field(default=None, max_length=NAME_MAX)
    question: str = Field(default="", max_length=SUMMARY_MAX)


class MedischAdvies(_Payload):
    """The outcome of a medical assessment (seed 000:694-696): it resumes the route (``volledig_arbeidsgeschikt``,
    ``gedeeltelijk_arbeidsgeschikt``: "(gedeeltelijk) belastbaar") or grounds a medical exemption
    (``niet_arbeidsgeschikt``). Fields (stable): ``outcome``, ``end_date`` (how long the advice holds: then a new
    assessment), ``hours_per_week`` (what a partly able client can work). No free text: Regie keeps the conclusion
    on the capacity to work, never a diagnosis (data minimisation, UAVG art. 30; regie.privacy.grounds)."""

    outcome: MedicalOutcome
    end_date: dt.date | None = None
    hours_per_week: int | None = Field(default=None, ge=0, le=60)


class Opschorting(_Payload):
    """A decision to suspend the right to bijstand because the client did not supply information or cooperate,
    with a term to repair (hersteltermijn; Pw art. 54 lid 1). Fields (stable): ``reason`` (``inlichtingen``,
    ``medewerking``, ``identiteit``, ``overig``), ``missing`` (what the client must supply or do),
    ``hersteltermijn_days`` (the term set; empty: the policy's), ``hersteltermijn_end`` (set by Regie from the
    decision date and the term; a writer's own value is refused when it differs)."""

    reason: Literal["inlichtingen", "medewerking", "identiteit", "overig"] = "inlichtingen"
    missing: str = Field(min_length=1, max_length=MOTIVATION_MAX, description="What the client must supply or do")
    hersteltermijn_days: int | None = Field(default=None, ge=1, le=92)
    hersteltermijn_end: dt.date | None = None


class OpschortingEinde(_Payload):
    """The suspension lifted because the client repaired in time (``result`` ``hersteld``; Pw art. 54 lid 1).
    A suspension that is not repaired ends with an ``intrekking`` instead. Fields (stable): ``result``, ``summary``."""

    result: Literal["hersteld"] = "hersteld"
    summary: str = Field(default="", max_length=SUMMARY_MAX)


class Intrekking(_Payload):
    """A decision withdrawing the toekenning (a beschikking, Awb 1:3). Fields (stable): ``reason``
    (``verzuim_niet_hersteld``: the suspension was not repaired, Pw art. 54 lid 4, from the first day of the
    suspension; ``onjuiste_inlichtingen``: Pw art. 54 lid 3; ``geen_recht``: no right after all), ``from_date``
    (the benefit ends from this day; for verzuim_niet_hersteld Regie sets the suspension's date and refuses another),
    ``summary``."""

    reason: Literal["verzuim_niet_hersteld", "onjuiste_inlichtingen", "geen_recht"]
    from_date: dt.date | None = None
    summary: str = Field(default="", max_length=MOTIVATION_MAX)


class Beeindiging(_Payload):
    """A decision ending the benefit from its effective date (a beschikking, Awb 1:3; today's ``uitstroom`` ends the
    benefit as a fact, this records the decision). Fields (stable): ``reason`` (the outflow reasons with their CBS
    codes, OUTFLOW_REASONS), ``summary``."""

    reason: OutflowReason
    summary: str = Field(default="", max_length=MOTIVATION_MAX)


class Heronderzoek(_Payload):
    """A periodic re-examination of the eligibility (its interval is the municipality's policy,
    ``route_rules.heronderzoek_months``). Fields (stable): ``outcome`` (``ongewijzigd``, ``gewijzigd``: the benefit
    must be adjusted, ``geen_recht``: an intrekking or beëindiging should follow), ``huisbezoek`` (a home visit
    was part of it), ``summary``."""

    outcome: Literal["ongewijzigd", "gewijzigd", "geen_recht"]
    huisbezoek: bool = False
    summary: str = Field(default="", max_length=SUMMARY_MAX)


class Rustplan(_Payload):
    """A rest plan: the client is left alone for a while, with its length and what is expected meanwhile told
    clearly (seed 002:3065-3080: vague "we laten je voorlopig met rust" made clients uneasy). Fields (stable):
    ``months`` (length), ``end_date`` (set by Regie from the start and the months), ``expectations`` (what the
    client does meanwhile; required), ``reason``."""

    months: int = Field(ge=1, le=24)
    end_date: dt.date | None = None
    expectations: str = Field(min_length=1, max_length=MOTIVATION_MAX)
    reason: str = Field(default="", max_length=MOTIVATION_MAX)


ROUTE_EVENT_TYPES: dict[str, type[_Payload]] = {
    "rechtmatigheid": Rechtmatigheid,
    "medisch_advies_aanvraag": MedischAdviesAanvraag,
    "medisch_advies": MedischAdvies,
    "opschorting": Opschorting,
    "opschorting_einde": OpschortingEinde,
    "intrekking": Intrekking,
    "beeindiging": Beeindiging,
    "heronderzoek": Heronderzoek,
    "rustplan": Rustplan,
}
ROUTE_DECISION_TYPES = frozenset({"opschorting", "intrekking", "beeindiging"})
FIELD_LABELS.update(
    {
        "verblijf": "Verblijf",
        "identiteit": "Identiteit",
        "inkomen": "Inkomen",
        "vermogen": "Vermogen",
        "huishouden": "Huishouden en kostendelers",
        "huisbezoek": "Huisbezoek",
        "vermogen_bedrag": "Vermogen (bedrag)",
        "vermogensgrens": "Vermogensgrens",
        "kostendelers": "Kostendelers",
        "outcome": "Uitkomst",
        "advisor": "Medisch adviseur",
        "question": "Vraagstelling",
        "hours_per_week": "Uren per week",
        "missing": "Wat moet de cliënt aanleveren",
        "hersteltermijn_days": "Hersteltermijn (dagen)",
        "hersteltermijn_end": "Einde hersteltermijn",
        "from_date": "Met ingang van",
        "months": "Maanden",
        "expectations": "Wat wordt er in de tussentijd verwacht",
        "afzien": "Afzien van het besluit",
    }
)
PLANNED_DATE_FIELDS.update({"medisch_advies": ("end_date",), "rustplan": ("end_date",)})
# --- legal: the decision's legal life (Awb) -------------------------------------------------------------------
# Voornemen and horen before an adverse decision (Awb 4:8), bekendmaking (Awb 3:41), bezwaar (Awb 6:4, 7:1),
# hearing in objection (Awb 7:2), the decision term (Awb 7:10), voorlopige voorziening (Awb 8:81), beslissing op
# bezwaar (Awb 7:11) and beroep / hoger beroep (Awb 8:1, 8:104). Terms: regie.core.legal.terms; state and open
# terms: regie.core.legal.lifecycle. Field names are stable (letters read them): documented per class.

# Decisions that need a voornemen and horen first on the web/API path (Awb 4:8; names.md): some are other helpers'.
ADVERSE_DECISION_TYPES = ("maatregel", "intrekking", "beeindiging", "terugvordering", "boete")
# Why horen may be left out (Awb 4:11 a-c, 4:12): recorded on the voornemen instead of a hearing.
NO_HEARING_GROUNDS: dict[str, str] = {
    "awb_4_11_a": "De vereiste spoed verzet zich tegen horen (Awb art. 4:11 sub a)",
    "awb_4_11_b": "Eerder in de gelegenheid gesteld, geen nieuwe feiten (Awb art. 4:11 sub b)",
    "awb_4_11_c": "Het doel wordt alleen bereikt zonder voorafgaande kennisgeving (Awb art. 4:11 sub c)",
    "awb_4_12": "Financiële beschikking waarvan de gevolgen in bezwaar ongedaan kunnen worden gemaakt (Awb art. 4:12)",
}
NoHearingGround = Literal["awb_4_11_a", "awb_4_11_b", "awb_4_11_c", "awb_4_12"]
OBJECTION_OUTCOMES: dict[str, str] = {
    "gegrond": "Gegrond",
    "deels_gegrond": "Deels gegrond",
    "ongegrond": "Ongegrond",
    "niet_ontvankelijk": "Niet-ontvankelijk",
    "ingetrokken": "Ingetrokken door de indiener",
}
ObjectionOutcome = Literal["gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk", "ingetrokken"]
COURT_OUTCOMES: dict[str, str] = {
    "gegrond": "Gegrond",
    "deels_gegrond": "Deels gegrond",
    "ongegrond": "Ongegrond",
    "niet_ontvankelijk": "Niet-ontvankelijk",
}
CourtOutcome = Literal["gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk"]


class Voornemen(_Payload):
    """An intended adverse decision, sent to the client with a term for a zienswijze (Awb art. 4:8).

    Fields: ``voornemen_id`` (VN-..., given by Regie), ``decision_type`` (the adverse decision intended, one of
    ADVERSE_DECISION_TYPES), ``summary`` (what is intended and why), ``zienswijze_days`` (the term's length: the
    municipality's policy ``objections.zienswijze_days`` when left out), ``zienswijze_until`` (its last day, set by
    Regie: regie.core.legal.terms.zienswijze_term), ``no_hearing_ground`` (NO_HEARING_GROUNDS: horen is left out;
    then no zienswijze term)."""

    voornemen_id: str = Field(default_factory=lambda: new_id("VN"), min_length=1, max_length=ID_MAX)
    decision_type: Literal["maatregel", "intrekking", "beeindiging", "terugvordering", "boete"]
    summary: str = Field(min_length=1, max_length=MOTIVATION_MAX)
    zienswijze_days: int | None = Field(default=None, ge=1, le=92)
    zienswijze_until: dt.date | None = None
    no_hearing_ground: NoHearingGround | None = None


PLACE_MAX = 200  # where a hearing is held (an address, a room, "by video call")


class Horen(_Payload):
    """Horen on a voornemen (Awb art. 4:8): ``voornemen_id``; ``status`` uitgenodigd (invited; ``planned_on`` the
    hearing day, ``start_time`` its time and ``location`` where: a live invitation to an oral hearing needs
    all three, see regie.core.legal.lifecycle.problems), gehoord (held: ``summary`` of the zienswijze required),
    afgezien (the client waived it) or geen_reactie (no zienswijze within the term); ``form`` mondeling /
    schriftelijk."""

    voornemen_id: str = Field(min_length=1, max_length=ID_MAX)
    status: Literal["uitgenodigd", "gehoord", "afgezien", "geen_reactie"]
    planned_on: dt.date | None = None
    start_time: dt.time | None = None
    location: str = Field(default="", max_length=PLACE_MAX)
    form: Literal["mondeling", "schriftelijk"] | None = None
    summary: str = Field(default="", max_length=SUMMARY_MAX)

    @model_validator(mode="after")
    def _summary(self) -> Horen:
        if self.status == "gehoord" and not self.summary.strip():
            raise ValueError(Message("Samenvatting: geef de zienswijze van de cliënt weer"))
        return self


class Bekendmaking(_Payload):
    """A decision made known (Awb art. 3:41): the letter sent on the event's effective date. ``decision_event``
    is the Regie event id of the decision; ``decision_type`` its type (set by Regie); ``channel`` post / digitaal
    / uitreiking. The objection term runs from the next day (Awb art. 6:7, 6:8)."""

    decision_event: int = Field(ge=1)
    decision_type: str | None = Field(default=None, max_length=CODE_MAX)
    channel: Literal["post", "digitaal", "uitreiking"] = "post"


class Bezwaar(_Payload):
    """An objection received on the event's effective date (Awb art. 6:4, 7:1). ``objection_id`` (BZ-..., given by
    Regie); ``decision_event`` the contested decision's event id (``decision_type`` set by Regie); ``posted_on``
    the post mark (Awb art. 6:9 lid 2); ``late_reason`` why a late objection is admissible (verschoonbaar, Awb art.
    6:11; required when it is late); ``grounds`` the gronden (Awb art. 6:5); ``advisory_committee`` whether an
    advisory committee (Awb art. 7:13) hears it -- 12-week term -- set from policy ``objections`` when left out."""

    objection_id: str = Field(default_factory=lambda: new_id("BZ"), min_length=1, max_length=ID_MAX)
    decision_event: int = Field(ge=1)
    decision_type: str | None = Field(default=None, max_length=CODE_MAX)
    posted_on: dt.date | None = None
    late_reason: str | None = Field(default=None, max_length=NOTE_MAX)
    grounds: str = Field(default="", max_length=SUMMARY_MAX)
    advisory_committee: bool | None = None
    # portal: an objection the client lodged in Mijn Regie (regie.legal.services.receive_objection) says so, and
    # whether the client or a representative (under which machtiging) lodged it; staff-recorded ones leave these out
    lodged_via: Literal["mijnregie"] | None = None
    lodged_by: Literal["client", "vertegenwoordiger"] | None = None
    machtiging_id: int | None = Field(default=None, ge=1)


class BezwaarHoren(_Payload):
    """Hearing on an objection (Awb art. 7:2): ``objection_id``; ``status`` uitgenodigd / gehoord / afgezien (the
    objector waived) / achterwege (Awb art. 7:3, with ``ground``); ``by`` bezwaarcommissie or ambtenaar (Awb art.
    7:5, 7:13; policy ``objections.hearing_by``); ``planned_on``, ``start_time`` and ``location`` (a live
    invitation needs them); ``summary`` (required when gehoord)."""

    objection_id: str = Field(min_length=1, max_length=ID_MAX)
    status: Literal["uitgenodigd", "gehoord", "afgezien", "achterwege"]
    by: Literal["bezwaarcommissie", "ambtenaar"] | None = None
    planned_on: dt.date | None = None
    ground: Literal["kennelijk_niet_ontvankelijk", "kennelijk_ongegrond", "geen_gebruik", "tegemoetgekomen"] | None = (
        None
    )
    start_time: dt.time | None = None
    location: str = Field(default="", max_length=PLACE_MAX)
    summary: str = Field(default="", max_length=SUMMARY_MAX)

    @model_validator(mode="after")
    def _complete(self) -> BezwaarHoren:
        if self.status == "gehoord" and not self.summary.strip():
            raise ValueError(Message("Samenvatting: geef weer wat tijdens de hoorzitting is besproken"))
        if self.status == "achterwege" and not self.ground:
            raise ValueError(Message("Grond: kies waarom het horen achterwege blijft (Awb art. 7:3)"))
        return self


class BezwaarTermijn(_Payload):
    """A change of the objection's decision term (Awb art. 7:10): ``objection_id``; ``kind`` verdaging (lid 3:
    ``weeks``, at most 6 in total), uitstel (lid 4: ``until`` the agreed last day, ``consent`` of the objector
    required) or opschorting (lid 2: ``days`` the term stood still for herstel verzuim, Awb art. 6:6); ``reason``."""

    objection_id: str = Field(min_length=1, max_length=ID_MAX)
    kind: Literal["verdaging", "uitstel", "opschorting"]
    weeks: int | None = Field(default=None, ge=1, le=6)
    until: dt.date | None = None
    days: int | None = Field(default=None, ge=1, le=366)
    consent: bool = False
    reason: str = Field(default="", max_length=NOTE_MAX)

    @model_validator(mode="after")
    def _complete(self) -> BezwaarTermijn:
        if self.kind == "verdaging" and not self.weeks:
            raise ValueError(Message("Weken: geef aan met hoeveel weken de beslissing wordt verdaagd"))
        if self.kind == "uitstel" and (not self.until or not self.consent):
            raise ValueError(
                Message("Uitstel: geef de nieuwe datum en bevestig de instemming van de indiener (Awb art. 7:10 lid 4)")
            )
        if self.kind == "opschorting" and not self.days:
            raise ValueError(Message("Dagen: geef aan hoeveel dagen de termijn is opgeschort"))
        return self


class VoorlopigeVoorziening(_Payload):
    """A request for a provisional measure at the court (voorzieningenrechter, Awb art. 8:81) against a running
    decision: ``decision_event`` (its event id), ``objection_id`` (or ``appeal_id``) it accompanies, ``status``
    verzocht / toegewezen / afgewezen / ingetrokken, ``suspends`` (the ruling suspends the decision: schorsing),
    ``until`` (the suspension's end when the ruling sets one), ``court`` (which rechtbank), ``summary``."""

    decision_event: int = Field(ge=1)
    objection_id: str | None = Field(default=None, max_length=ID_MAX)
    appeal_id: str | None = Field(default=None, max_length=ID_MAX)
    status: Literal["verzocht", "toegewezen", "afgewezen", "ingetrokken"]
    suspends: bool = False
    until: dt.date | None = None
    court: str = Field(default="", max_length=NAME_MAX)
    summary: str = Field(default="", max_length=SUMMARY_MAX)


class BeslissingOpBezwaar(_Payload):
    """The decision on an objection (Awb art. 7:11, 7:12): ``objection_id``; ``outcome`` (OBJECTION_OUTCOMES;
    ingetrokken = the objector withdrew); ``revoked`` the contested decision is herroepen (Awb art. 7:11 lid 2);
    ``new_decision`` what takes its place (required when gegrond or deels gegrond); ``new_decision_event`` the event
    id of a new decision recorded for it (optional); ``advice_followed`` whether the advisory committee's advice was
    followed (Awb art. 7:13 lid 7: a deviation is motivated); ``summary`` the motivation in brief."""

    objection_id: str = Field(min_length=1, max_length=ID_MAX)
    outcome: ObjectionOutcome
    revoked: bool = False
    new_decision: str = Field(default="", max_length=MOTIVATION_MAX)
    new_decision_event: int | None = Field(default=None, ge=1)
    advice_followed: bool | None = None
    summary: str = Field(default="", max_length=SUMMARY_MAX)

    @model_validator(mode="after")
    def _complete(self) -> BeslissingOpBezwaar:
        if self.outcome in ("gegrond", "deels_gegrond") and not self.new_decision.strip():
            raise ValueError(Message("Nieuw besluit: beschrijf het besluit dat in de plaats komt (Awb art. 7:11)"))
        if self.revoked and self.outcome not in ("gegrond", "deels_gegrond"):
            raise ValueError(Message("Herroepen: alleen bij een gegrond of deels gegrond bezwaar"))
        return self


class Beroep(_Payload):
    """Beroep at the rechtbank (Awb art. 8:1) or hoger beroep at the Centrale Raad van Beroep (``court`` crvb, Awb
    art. 8:104): one event per ``stage`` (ingesteld / zitting / uitspraak / ingetrokken) of ``appeal_id`` (BR-...,
    given by Regie on ingesteld). On ingesteld: ``objection_id`` (rechtbank: the objection decided) or
    ``lower_appeal_id`` (crvb: the rechtbank appeal ruled on). ``planned_on`` the hearing day; on uitspraak
    ``outcome`` (COURT_OUTCOMES) and ``ruling_sent_on`` (the hoger beroep term runs from the next day);
    ``court_name``; ``summary``."""

    appeal_id: str = Field(default_factory=lambda: new_id("BR"), min_length=1, max_length=ID_MAX)
    court: Literal["rechtbank", "crvb"]
    stage: Literal["ingesteld", "zitting", "uitspraak", "ingetrokken"]
    objection_id: str | None = Field(default=None, max_length=ID_MAX)
    lower_appeal_id: str | None = Field(default=None, max_length=ID_MAX)
    planned_on: dt.date | None = None
    outcome: CourtOutcome | None = None
    ruling_sent_on: dt.date | None = None
    court_name: str = Field(default="", max_length=NAME_MAX)
    summary: str = Field(default="", max_length=SUMMARY_MAX)

    @model_validator(mode="after")
    def _complete(self) -> Beroep:
        if self.stage == "uitspraak" and not self.outcome:
            raise ValueError(Message("Uitkomst: kies de uitkomst van de uitspraak"))
        if self.stage == "ingesteld" and self.court == "rechtbank" and not self.objection_id:
            raise ValueError(Message("Bezwaar: kies het bezwaar waarop de rechtbank beslist (Awb art. 7:1, 8:1)"))
        if self.stage == "ingesteld" and self.court == "crvb" and not self.lower_appeal_id:
            raise ValueError(Message("Beroep bij de rechtbank: kies de uitspraak waartegen hoger beroep is ingesteld"))
        return self


LEGAL_EVENT_TYPES: dict[str, type[_Payload]] = {
    "voornemen": Voornemen,
    "horen": Horen,
    "bekendmaking": Bekendmaking,
    "bezwaar": Bezwaar,
    "bezwaar_horen": BezwaarHoren,
    "bezwaar_termijn": BezwaarTermijn,
    "voorlopige_voorziening": VoorlopigeVoorziening,
    "beslissing_op_bezwaar": BeslissingOpBezwaar,
    "beroep": Beroep,
}
# --- end legal ---
# --- client record (h/record) ---------------------------------------------------------------------------------
# Facts about the client rather than the route: address, contact data and preferences, contact persons, the work
# profile. They are recorded on the client's case like any other event (through the decision gate, as
# non-decisions) so the timeline shows who changed what and when; regie.clientrecord folds them into the record.
# Text limits are BRP element lengths where the BRP has the element (Logisch Ontwerp BRP: straatnaam 24,
# openbare ruimte 80, huisnummer 1-99999, huisletter 1, huisnummertoevoeging 4, woonplaats 80), otherwise an
# assumption.
STREET_MAX = 80
CITY_MAX = 80
PHONE_MAX = 20
EMAIL_MAX = 254  # RFC 5321 path limit
# A Dutch postcode: four digits not starting with 0, two letters (PostNL does not issue SA, SD and SS:
# _Address refuses them).
POSTCODE_RE = r"^[1-9][0-9]{3} [A-Z]{2}$"
POSTCODE_UNUSED_LETTERS = ("SA", "SD", "SS")
_EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
ContactChannel = Literal["brief", "email", "telefoon"]
ContactRole = Literal["bewindvoerder", "mentor", "curator", "gemachtigde", "familie", "hulpverlener", "overig"]
EducationLevel = Literal["geen", "basis", "vmbo", "mbo1", "mbo2_4", "havo_vwo", "hbo", "wo"]
# Categories of the Dutch driving licence (Reglement rijbewijzen art. 3; EU directive 2006/126/EC).
DrivingLicence = Literal["AM", "A1", "A2", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE", "T"]


def normalise_postcode(value: str | None) -> str | None:
    """ "1234ab" / "1234 AB" -> "1234 AB"; None and "" stay None; anything else is returned as typed (the field's
    pattern then refuses it)."""
    if value is None:
        return None
    text = "".join(str(value).split()).upper()
    if not text:
        return None
    return f"{text[:4]} {text[4:]}" if len(text) == 6 else str(value).strip()


def normalise_phone(value: str | None) -> str | None:
    """A Dutch telephone number as ten digits starting with 0 ("+31 6 1234 5678" -> "0612345678"), a foreign one
    as "+" and 8-15 digits (ITU-T E.164); Message raised (ValueError) when it is neither."""
    if value is None or not str(value).strip():
        return None
    raw = str(value).strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    if any(not (ch.isdigit() or ch in " -().+") for ch in raw) or raw.count("+") > 1:
        raise ValueError(Message("%(field)s bevat tekens die niet in een telefoonnummer horen", field=label("phone")))
    international = raw.startswith("+") or raw.startswith("00")
    if international:
        digits = digits[2:] if raw.startswith("00") else digits
        if digits.startswith("31"):
            digits = "0" + digits[2:].removeprefix("0")
            international = False
    if international:
        if 8 <= len(digits) <= 15:
            return "+" + digits
    elif len(digits) == 10 and digits.startswith("0") and digits[1] != "0":
        return digits
    raise ValueError(
        Message(
            "%(field)s is geen geldig telefoonnummer: tien cijfers beginnend met 0 (bijv. 0612345678), "
            "of een buitenlands nummer met + en landcode",
            field=label("phone"),
        )
    )


class _Address(_Payload):
    street: str | None = Field(default=None, max_length=STREET_MAX)
    house_number: int | None = Field(default=None, ge=1, le=99999)
    house_letter: str | None = Field(default=None, pattern=r"^[A-Za-z]$")
    addition: str | None = Field(default=None, max_length=4, pattern=r"^[A-Za-z0-9]{1,4}$")
    postcode: str | None = Field(default=None, pattern=POSTCODE_RE)
    city: str | None = Field(default=None, max_length=CITY_MAX)

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data):
        if isinstance(data, dict):
            data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
            data = {k: (None if v == "" else v) for k, v in data.items()}
            if "postcode" in data:
                data["postcode"] = normalise_postcode(data["postcode"])
        return data

    @model_validator(mode="after")
    def _postcode_letters(self):
        if self.postcode and self.postcode[-2:] in POSTCODE_UNUSED_LETTERS:
            raise ValueError(
                Message(
                    "%(field)s %(postcode)s bestaat niet (SA, SD en SS worden niet gebruikt)",
                    field=label("postcode"),
                    postcode=self.postcode,
                )
            )
        return self

    def _address_missing(self) -> list[str]:
        return [f for f in ("street", "house_number", "postcode", "city") if getattr(self, f) in (None, "")]


class AdresWijziging(_Address):
    """The client's address from the effective date on.

    ``kind``: ``woonadres`` (where the client lives) or ``briefadres`` (where post goes, BRP "briefadres"; e.g. a
    homeless client's address at an organisation). ``street``, ``house_number`` (1-99999), ``house_letter`` (one
    letter), ``addition`` (huisnummertoevoeging, up to 4 letters/digits), ``postcode`` (1234 AB), ``city``
    (woonplaats). ``source``: who supplied it (``klant``, ``brp``, ``bewindvoerder``, ``import``). ``ended``: a
    briefadres no longer applies (then no address fields). Letters go to the briefadres when there is one, else
    to the woonadres.
    """

    kind: Literal["woonadres", "briefadres"] = "woonadres"
    source: Literal["klant", "brp", "bewindvoerder", "import"] = "klant"
    ended: bool = False

    @model_validator(mode="after")
    def _complete(self) -> AdresWijziging:
        if self.ended:
            if self.kind != "briefadres":
                raise ValueError(Message("Alleen een briefadres kan worden beëindigd; leg het nieuwe woonadres vast"))
            return self
        if missing := self._address_missing():
            raise ValueError(Message("%(field)s is verplicht", field=label(missing[0])))
        return self


class Contactgegevens(_Payload):
    """How to reach the client, as it is from the effective date on (the complete block: a field left out is
    cleared, so the form shows and sends every field).

    ``phone`` (normalised: 0612345678, or +<country code> for a foreign number), ``email``, ``preferred_channel``
    (``brief``, ``email``, ``telefoon``: how the client wants to hear from the municipality; a decision is still
    sent by letter unless the client agreed to electronic sending, Awb art. 2:14), ``language`` (ISO 639-1 code of
    the language the client speaks best), ``interpreter`` (an interpreter is needed for conversations),
    ``salutation`` (the opening of a letter: ``mevrouw``, ``heer`` or ``naam`` = given name and surname without a
    gendered title; none = from the registered sex, ``naam`` for X).
    """

    phone: str | None = Field(default=None, max_length=PHONE_MAX)
    email: str | None = Field(default=None, max_length=EMAIL_MAX, pattern=_EMAIL_RE)
    preferred_channel: ContactChannel | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    interpreter: bool = False
    salutation: Literal["mevrouw", "heer", "naam"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data):
        if isinstance(data, dict):
            data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
            data = {k: (None if v == "" else v) for k, v in data.items()}
            if data.get("email"):
                data["email"] = data["email"].lower()
            if data.get("language"):
                data["language"] = data["language"].lower()
            if "phone" in data:
                data["phone"] = normalise_phone(data["phone"])
        return data

    @model_validator(mode="after")
    def _channel(self) -> Contactgegevens:
        if self.preferred_channel == "email" and not self.email:
            raise ValueError(Message("Voorkeurskanaal e-mail vraagt om een e-mailadres"))
        if self.preferred_channel == "telefoon" and not self.phone:
            raise ValueError(Message("Voorkeurskanaal telefoon vraagt om een telefoonnummer"))
        return self


class Contactpersoon(_Address):
    """A person who acts for or with the client, recorded or ended.

    ``contact_id`` (given by Regie when left out; the same id again replaces the person's details), ``role``
    (``bewindvoerder``: protective administration of the client's money, BW art. 1:431; ``mentor``: care decisions,
    BW art. 1:450; ``curator``: curatele, BW art. 1:378; ``gemachtigde``: authorised by the client; ``familie``,
    ``hulpverlener``, ``overig``), ``name``, ``organisation``, ``phone``, ``email``, an address for letters
    (``street`` ... ``city``, as in :class:`AdresWijziging`; all or none), ``receives_letters`` (the contact person
    gets a copy of letters, e.g. the bewindvoerder of decisions about money), ``ended`` (no longer a contact
    person; only ``contact_id`` needed).
    """

    contact_id: str = Field(
        default_factory=lambda: new_id("CP"),
        min_length=1,
        max_length=ID_MAX,
        description="Given by Regie when the writer leaves it out",
    )
    role: ContactRole | None = None
    name: str | None = Field(default=None, max_length=NAME_MAX)
    organisation: str | None = Field(default=None, max_length=NAME_MAX)
    phone: str | None = Field(default=None, max_length=PHONE_MAX)
    email: str | None = Field(default=None, max_length=EMAIL_MAX, pattern=_EMAIL_RE)
    receives_letters: bool = False
    ended: bool = False

    @model_validator(mode="before")
    @classmethod
    def _phone(cls, data):
        if isinstance(data, dict) and isinstance(data.get("phone"), str):
            data = {**data, "phone": normalise_phone(data["phone"])}
        if isinstance(data, dict) and isinstance(data.get("email"), str):
            data = {**data, "email": data["email"].strip().lower() or None}
        return data

    @model_validator(mode="after")
    def _complete(self) -> Contactpersoon:
        if self.ended:
            return self
        for name in ("role", "name"):
            if not getattr(self, name):
                raise ValueError(Message("%(field)s is verplicht", field=label(name)))
        given = [f for f in ("street", "house_number", "postcode", "city") if getattr(self, f) not in (None, "")]
        if given and (missing := self._address_missing()):
            raise ValueError(Message("%(field)s is verplicht bij een adres", field=label(missing[0])))
        if self.receives_letters and not given:
            raise ValueError(Message("Een contactpersoon die post krijgt, heeft een adres nodig"))
        return self


class Opleiding(_Payload):
    name: str = Field(min_length=1, max_length=NOTE_MAX)
    level: EducationLevel | None = None
    diploma: bool | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)


class Werkervaring(_Payload):
    job: str = Field(min_length=1, max_length=NOTE_MAX)
    employer: str | None = Field(default=None, max_length=NAME_MAX)
    from_year: int | None = Field(default=None, ge=1900, le=2100)
    to_year: int | None = Field(default=None, ge=1900, le=2100)


class Werkprofiel(_Payload):
    """Education, work history, skills and driving licences, as they are from the effective date on (the complete
    profile: what is left out is cleared).

    ``education_level`` (highest completed level; the same codes as the client record of the interchange format),
    ``education`` (list of {``name``, ``level``, ``diploma``, ``year``}), ``work`` (list of {``job``, ``employer``,
    ``from_year``, ``to_year``}), ``skills`` (short texts, at most 30), ``driving_licences`` (categories: AM, A1,
    A2, A, B, BE, C1, C1E, C, CE, D1, D1E, D, DE, T).
    """

    education_level: EducationLevel | None = None
    education: list[Opleiding] = Field(default_factory=list, max_length=30)
    work: list[Werkervaring] = Field(default_factory=list, max_length=50)
    skills: list[str] = Field(default_factory=list, max_length=30)
    driving_licences: list[DrivingLicence] = Field(default_factory=list)

    @model_validator(mode="after")
    def _clean(self) -> Werkprofiel:
        self.skills = [s.strip()[: CODE_MAX * 2] for s in self.skills if s and s.strip()]
        self.driving_licences = sorted(set(self.driving_licences), key=self.driving_licences.index)
        return self


# What a field that must match a pattern expects, for the Dutch message (dutch_message: string_pattern_mismatch).
PATTERN_HINTS: dict[str, str] = {
    "postcode": "vier cijfers (niet beginnend met 0) en twee letters, bijv. 2511 AB",
    "house_letter": "één letter",
    "addition": "hoogstens vier letters of cijfers",
    "email": "een e-mailadres als naam@voorbeeld.nl",
    "language": "een taalcode van twee letters (ISO 639-1), bijv. nl, tr, ar",
}

RECORD_TYPES = frozenset({"adres_wijziging", "contactgegevens", "contactpersoon", "werkprofiel"})
FIELD_LABELS.update(
    {
        "street": "Straat",
        "house_number": "Huisnummer",
        "house_letter": "Huisletter",
        "addition": "Toevoeging",
        "postcode": "Postcode",
        "city": "Woonplaats",
        "phone": "Telefoonnummer",
        "email": "E-mailadres",
        "preferred_channel": "Voorkeurskanaal",
        "language": "Taal",
        "interpreter": "Tolk nodig",
        "salutation": "Aanhef",
        "contact_id": "Contactpersoonnummer",
        "role": "Rol",
        "name": "Naam",
        "organisation": "Organisatie",
        "receives_letters": "Krijgt post",
        "education_level": "Opleidingsniveau",
        "education": "Opleidingen",
        "work": "Werkervaring",
        "job": "Functie",
        "employer": "Werkgever",
        "from_year": "Vanaf (jaar)",
        "to_year": "Tot (jaar)",
        "diploma": "Diploma",
        "year": "Jaar",
        "skills": "Vaardigheden",
        "driving_licences": "Rijbewijzen",
        "ended": "Beëindigd",
    }
)

# --- benefit: household changes, monthly income, recovery, fines, payments (regie.core.benefit) ---------------

MONTH_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"  # a calendar month, YYYY-MM
Money = Annotated[Decimal, Field(ge=0, le=Decimal("10000000"), max_digits=12, decimal_places=2)]
FineBlame = Literal["opzet", "grove_schuld", "geen_opzet_of_grove_schuld", "verminderde_verwijtbaarheid"]


class WijzigingHuishouden(_Payload):
    """The household changed: the norm type and the cost-sharers from the effective date (the benefit is computed
    from them from the next month on, regie.core.benefit.ledger). Pw art. 19a, 22a; Pw art. 17 (the client reports
    it)."""

    norm_type: NormType
    cost_sharers: int = Field(default=0, ge=0, le=20, description="Other adults counted as cost-sharers (Pw art. 22a)")
    partner_birth_date: dt.date | None = Field(default=None, description="The partner's birth date (youth norms)")
    has_children: bool | None = Field(default=None, description="Children in the household (youth couple norms)")
    note: str | None = Field(default=None, max_length=NOTE_MAX)


class Inkomstenopgave(_Payload):
    """The income of one month (the inkomstenformulier), reported by the client, the employer or UWV; the latest
    opgave for a month replaces earlier ones. Settled with the benefit of that month (Pw art. 31, 32; the
    vrijlating of Pw art. 31 lid 2 sub n unless ``vrijlating`` is false)."""

    month: str = Field(pattern=MONTH_PATTERN, description="The month the income belongs to (JJJJ-MM)")
    work_income: Money = Field(default=Decimal("0"), description="Net income from work (euro)")
    other_income: Money = Field(default=Decimal("0"), description="Other net income: benefits, alimony (euro)")
    reported_by: Literal["client", "werkgever", "uwv"] = "client"
    vrijlating: bool | None = Field(
        default=None, description="False: the college judged the work does not qualify for the vrijlating"
    )


class Terugvordering(_Payload):
    """Recovery of benefit paid unduly or too high (Pw art. 58): the months, the amount (computed by Regie from the
    ledger's overpayments in those months on the web and API path; an import keeps its amount) and the repayment
    plan."""

    months: list[Annotated[str, Field(pattern=MONTH_PATTERN)]] = Field(min_length=1, max_length=120)
    amount: Money | None = Field(default=None, description="Set by Regie from the ledger (import: as recorded)")
    repayment_monthly: Money = Field(description="Monthly repayment (euro)")
    repayment_start: dt.date | None = Field(default=None, description="First repayment")
    reason: Literal["inlichtingenplicht", "onverschuldigd", "overig"] = "onverschuldigd"

    @field_validator("months", mode="before")
    @classmethod
    def _months_text(cls, v):
        """A form sends the months as text: "2025-03, 2025-04"."""
        if isinstance(v, str):
            return [m.strip("[]'\"") for m in v.replace(",", " ").split() if m.strip("[]'\"")]
        return v


class Boete(_Payload):
    """A fine for breaching the duty to inform (Pw art. 18a, art. 17 lid 1): a percentage of the benefit damage
    (benadelingsbedrag) by the degree of blame (Boetebesluit socialezekerheidswetten; regie.core.benefit.compute
    FINE_PERCENTAGES). The amount is computed by Regie on the web and API path; an import keeps its amount."""

    damage: Money = Field(description="Benadelingsbedrag (euro)")
    blame: FineBlame
    amount: Money | None = Field(default=None, description="Set by Regie (import: as recorded)")


class Betaling(_Payload):
    """A payment made for a month by a released payment run (regie.benefit); written by the run, not typed."""

    month: str = Field(pattern=MONTH_PATTERN)
    amount: Money
    run: str | None = Field(default=None, max_length=ID_MAX, description="Id of the payment run")
    # benefit settlement (h/benefit2): what the payment carried besides the month's own amount
    catch_up: dict[Annotated[str, Field(pattern=MONTH_PATTERN)], Money] = Field(
        default_factory=dict, max_length=120, description="Nabetaling included, per earlier month (euro)"
    )
    repayment: dict[Annotated[str, Field(max_length=ID_MAX)], Money] = Field(
        default_factory=dict, max_length=20, description="Aflossing deducted, per terugvordering event id (euro)"
    )


BENEFIT_EVENT_TYPES: dict[str, type[_Payload]] = {
    "wijziging_huishouden": WijzigingHuishouden,
    "inkomstenopgave": Inkomstenopgave,
    "terugvordering": Terugvordering,
    "boete": Boete,
    "betaling": Betaling,
}
# Payload fields the decision gate computes on the web and API path (a caller that sends one is refused).
SERVER_COMPUTED_PAYLOAD: dict[str, tuple[str, ...]] = {
    "toekenning": ("monthly_amount",),
    "terugvordering": ("amount",),
    "boete": ("amount",),
}
PLANNED_DATE_FIELDS["terugvordering"] = ("repayment_start",)
FIELD_LABELS.update(
    {
        "norm_type": "Norm",
        "cost_sharers": "Kostendelers",
        "partner_birth_date": "Geboortedatum partner",
        "has_children": "Kinderen in het huishouden",
        "month": "Maand",
        "work_income": "Inkomsten uit arbeid",
        "other_income": "Overige inkomsten",
        "reported_by": "Opgegeven door",
        "vrijlating": "Inkomstenvrijlating",
        "months": "Maanden",
        "amount": "Bedrag",
        "monthly_amount": "Bedrag per maand",
        "repayment_monthly": "Aflossing per maand",
        "repayment_start": "Eerste aflossing",
        "damage": "Benadelingsbedrag",
        "blame": "Verwijtbaarheid",
        "run": "Betaalrun",
    }
)


# --- agenda / journal ---------------------------------------------------------------------------------------
# Appointments with a client and journal notes (h/agenda). An appointment is planned by an ``afspraak`` event
# (effective date: the day it was planned; ``date`` is the planned day, a PLANNED_DATE_FIELD) and closed by an
# ``afspraak_uitkomst`` (effective date: the day the outcome is known, at the latest the appointment's day). A
# rescheduled appointment is an ``afspraak_uitkomst`` with outcome ``verzet`` plus a new ``afspraak`` whose
# ``rescheduled_from`` names the old one.
AppointmentKind = Literal["intake", "voortgangsgesprek", "driegesprek", "huisbezoek", "hoorzitting"]
AppointmentOutcome = Literal["gehouden", "no_show_gemeld", "no_show", "verzet"]
NoteChannel = Literal["telefoon", "email", "balie", "huisbezoek", "video", "gesprek"]
ConfidentialCategory = Literal["medisch", "veiligheid", "overig"]
APPOINTMENT_TEXT_MAX = 200  # a location or a name (assumption: one line)


class Afspraak(_Payload):
    """An appointment with the client. ``appointment_id`` is Regie's when the writer gives none; ``caseworker`` is
    the username of the caseworker who holds it; ``provider`` the provider code (a driegesprek with the coach)."""

    appointment_id: str = Field(
        default_factory=lambda: new_id("AF"),
        min_length=1,
        max_length=ID_MAX,
        description="Given by Regie when the writer leaves it out",
    )
    kind: AppointmentKind
    date: dt.date = Field(description="The day of the appointment")
    start_time: dt.time
    end_time: dt.time
    location: str = Field(default="", max_length=APPOINTMENT_TEXT_MAX)
    caseworker: str = Field(min_length=1, max_length=150, description="Username of the caseworker holding it")
    provider: str | None = Field(default=None, max_length=CODE_MAX, description="Provider code (driegesprek)")
    with_whom: str = Field(default="", max_length=APPOINTMENT_TEXT_MAX, description="Others present (the coach)")
    rescheduled_from: str | None = Field(default=None, max_length=ID_MAX, description="The appointment it replaces")

    @model_validator(mode="after")
    def _times(self) -> Afspraak:
        if self.end_time <= self.start_time:
            raise ValueError(Message("Eindtijd moet na de begintijd liggen"))
        return self


class AfspraakUitkomst(_Payload):
    """How an appointment went: held, no-show with notice (``no_show_gemeld``), no-show without notice, or
    rescheduled (``verzet``: a new ``afspraak`` follows with ``rescheduled_from``)."""

    appointment_id: str = Field(min_length=1, max_length=ID_MAX)
    outcome: AppointmentOutcome
    note: str = Field(default="", max_length=NOTE_MAX)


class Notitie(_Payload):
    """A journal note. ``channel`` makes it a contact moment (a held contact counts as contact for the
    no-contact signal); ``appointment_id`` / ``event_id`` link it to an appointment or a step. A ``confidential``
    note's text is shown only to the roles regie.casework.confidential allows (AVG art. 5 lid 1 onder c)."""

    text: str = Field(min_length=1, max_length=SUMMARY_MAX)
    channel: NoteChannel | None = None
    appointment_id: str | None = Field(default=None, max_length=ID_MAX)
    event_id: str | None = Field(default=None, max_length=ID_MAX, description="External id of a linked event")
    confidential: bool = False
    # not ``category``: in the analytic tables that name is the maatregel's number (core.frames.PAYLOAD_COLUMNS)
    confidentiality: ConfidentialCategory | None = Field(default=None, description="Why the note is confidential")

    @model_validator(mode="after")
    def _category(self) -> Notitie:
        if self.confidential and self.confidentiality is None:
            raise ValueError(Message("Kies waarom de notitie vertrouwelijk is (medisch, veiligheid of overig)"))
        if not self.confidential:
            self.confidentiality = None
        return self


# --- documents ---
# A document added to the client's file (regie.documents). The vocabulary of document kinds, with Dutch labels.
DOCUMENT_KINDS: dict[str, str] = {
    "identiteitsbewijs": "Identiteitsbewijs",
    "loonstrook": "Loonstrook",
    "bankafschrift": "Bankafschrift",
    "medische_informatie": "Medische informatie",
    "ondertekend_plan": "Ondertekend plan",
    "brief_gemeente": "Brief van de gemeente",
    "rapportage": "Rapportage",
    "overig": "Overig",
}
DocumentKind = Literal[
    "identiteitsbewijs",
    "loonstrook",
    "bankafschrift",
    "medische_informatie",
    "ondertekend_plan",
    "brief_gemeente",
    "rapportage",
    "overig",
]
# Kinds that are always confidential: health data is a special category (AVG art. 9, UAVG art. 30).
CONFIDENTIAL_DOCUMENT_KINDS = frozenset({"medische_informatie"})
DOCUMENT_CONTENT_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/tiff", "image/heic")


class Document(_Payload):
    """A document added to the file; the file itself is in the documents storage (``regie.documents``).

    ``document_id``: Regie's id of the document (``DO-…``); ``kind``: :data:`DOCUMENT_KINDS`; ``document_date``: the
    date on the document (a payslip's month, a letter's date), None when unknown; ``retention_class``: the case's
    retention class (``regie.core.retention``) when the document was added: the document has no retention of its
    own, it is kept and destroyed with its case (Selectielijst 2020: a case is valued as a whole, documents
    included); ``confidential``: visible only to roles that may see confidential documents
    (``regie.documents.access``), always true for :data:`CONFIDENTIAL_DOCUMENT_KINDS`; ``storage_key``: the name in
    the documents storage (no personal data in it); ``sha256``, ``size`` (bytes), ``content_type`` (checked from
    the file's content, not the browser's claim); ``origin``: uploaded by staff or generated by Regie (a letter).
    No title or file name: those stay on the document row, so a confidential document shows nothing in the
    timeline beyond its kind."""

    document_id: str = Field(min_length=1, max_length=ID_MAX)
    kind: DocumentKind
    document_date: dt.date | None = None
    retention_class: str | None = Field(default=None, max_length=CODE_MAX)
    confidential: bool = False
    storage_key: str = Field(min_length=1, max_length=255)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    content_type: Literal["application/pdf", "image/jpeg", "image/png", "image/tiff", "image/heic"]
    origin: Literal["upload", "generated"] = "upload"

    @model_validator(mode="after")
    def _confidential(self) -> Document:
        if self.kind in CONFIDENTIAL_DOCUMENT_KINDS:
            self.confidential = True
        return self


# --- employers: work profile for matching, proposals, consent, placements, aftercare, referrals ---------------
# (regie.core.matching, regie.employers; seed 001:1390-1537, seed 003:336-366)
MATCH_CONDITIONS = Literal[
    "zwaar_werk", "nachtdienst", "weekendwerk", "klantcontact", "tillen", "lang_staan", "vroege_dienst"
]
# Kinds of placement (seed 001:1390-1537: stages, leer-werkstages, proefplaatsingen with retained benefit,
# opstapbanen, wage cost subsidy; seed 003:336-366: SW companies, detachering). Labels in PLACEMENT_KINDS.
PlacementKind = Literal[
    "stage",
    "leerwerkstage",
    "proefplaatsing",
    "regulier",
    "loonkostensubsidie",
    "opstapbaan",
    "detachering",
    "sw",
    "beschut_werk",
]
PLACEMENT_KINDS: dict[str, str] = {
    "stage": "Stage (werkervaringsplaats)",
    "leerwerkstage": "Leer-werkstage",
    "proefplaatsing": "Proefplaatsing (met behoud van uitkering)",
    "regulier": "Regulier werk",
    "loonkostensubsidie": "Werk met loonkostensubsidie (Pw art. 10d)",
    "opstapbaan": "Opstapbaan",
    "detachering": "Detachering",
    "sw": "SW-bedrijf (Wsw)",
    "beschut_werk": "Beschut werk (Pw art. 10b)",
}
# Placements during which the benefit continues (the client is not paid a wage by the employer); the others pay a
# wage, so the benefit is reduced by the income or ends (outflow follows). Stage and leer-werkstage with retained
# benefit: seed 001:1390-1537; proefplaatsing: at most 2 months (Pw art. 10 lid 2 ... ext, assumption: check the
# municipal verordening).
RETAINED_BENEFIT_KINDS = frozenset({"stage", "leerwerkstage", "proefplaatsing"})
# Placements after which the caseworker records an outflow (uitstroom) with this reason (OUTFLOW_REASONS).
PLACEMENT_OUTFLOW: dict[str, str] = {
    "regulier": "werk_regulier",
    "loonkostensubsidie": "werk_gesubsidieerd",
    "opstapbaan": "werk_gesubsidieerd",
    "detachering": "werk_regulier",
    "sw": "werk_gesubsidieerd",
    "beschut_werk": "werk_gesubsidieerd",
}
PLACEMENT_END_REASONS: dict[str, str] = {
    "afgerond": "Afgerond volgens plan",
    "doorstroom_werk": "Doorgestroomd naar werk",
    "voortijdig_werkgever": "Voortijdig gestopt (werkgever)",
    "voortijdig_client": "Voortijdig gestopt (cliënt)",
    "medisch": "Gestopt om medische redenen",
    "overig": "Overig",
}
PlacementEndReason = Literal[
    "afgerond", "doorstroom_werk", "voortijdig_werkgever", "voortijdig_client", "medisch", "overig"
]
CONSENT_DATA: dict[str, str] = {
    "naam_contact": "Naam en contactgegevens",
    "werkprofiel": "Werkprofiel (opleiding, ervaring, vaardigheden)",
    "beschikbaarheid": "Beschikbaarheid en reisbereik",
    "beperkingen": "Beperkingen die voor het werk van belang zijn",
}
ConsentData = Literal["naam_contact", "werkprofiel", "beschikbaarheid", "beperkingen"]
_DEFAULT_CONSENT_DATA: list[ConsentData] = ["naam_contact", "werkprofiel"]
REFERRAL_OUTCOMES: dict[str, str] = {
    "gestart": "Gestart",
    "wachtlijst": "Op de wachtlijst",
    "geweigerd_door_dienst": "Geweigerd door de dienst",
    "niet_gekomen": "Cliënt niet gekomen",
    "afgerond": "Afgerond",
    "niet_nodig": "Niet meer nodig",
}
ReferralOutcome = Literal["gestart", "wachtlijst", "geweigerd_door_dienst", "niet_gekomen", "afgerond", "niet_nodig"]


class IscoOccupation(_Payload):
    """employers2: an occupation of the work profile as an ISCO-08 unit group (``code``, 4 digits of a sub-major
    group of the ISCO-08 structure) with its title as the user knows it (``label``)."""

    code: str = Field(pattern=r"^(0[1-3]|1[1-4]|2[1-6]|3[1-5]|4[1-4]|5[1-4]|6[1-3]|7[1-5]|8[1-3]|9[1-6])[0-9]{2}$")
    label: str = Field(min_length=1, max_length=NAME_MAX)


class WerkprofielAanvulling(_Payload):
    """What matching needs beyond the client record's werkprofiel (the complete set from the effective date on):
    ``hours_available`` per week, ``travel_radius_km``, ``certificates``, ``occupations`` (wished or done: job
    titles or occupation codes), ``restrictions`` (work conditions the client cannot do, regie.core.matching
    .CONDITIONS; from the intake, a medical advice or an exemption) and ``note``."""

    hours_available: float | None = Field(default=None, ge=0, le=60)
    travel_radius_km: float | None = Field(default=None, ge=0, le=200)
    certificates: list[str] = Field(default_factory=list, max_length=30)
    occupations: list[str] = Field(default_factory=list, max_length=30)
    restrictions: list[MATCH_CONDITIONS] = Field(default_factory=list)
    note: str | None = Field(default=None, max_length=NOTE_MAX)
    occupation_codes: list[IscoOccupation] = Field(default_factory=list, max_length=10)  # employers2

    @model_validator(mode="after")
    def _clean(self) -> WerkprofielAanvulling:
        self.certificates = [c.strip()[: CODE_MAX * 2] for c in self.certificates if c and c.strip()]
        self.occupations = [c.strip()[: CODE_MAX * 2] for c in self.occupations if c and c.strip()]
        self.restrictions = sorted(set(self.restrictions))
        return self


class ToestemmingDelen(_Payload):
    """The client's consent (or its withdrawal: ``granted`` false) to share the named ``data`` with an employer
    (``employer_id``; none = every employer of a lijstwerk list) for a vacancy (``vacancy_id``), until ``until``.
    AVG art. 6 lid 1 sub a, art. 7: consent is specific, informed and can be withdrawn."""

    consent_id: str = Field(default_factory=lambda: new_id("TS"), min_length=1, max_length=ID_MAX)
    granted: bool = True
    employer_id: int | None = None
    vacancy_id: int | None = None
    data: list[ConsentData] = Field(default_factory=lambda: _DEFAULT_CONSENT_DATA.copy(), min_length=1)
    until: dt.date | None = None
    how: Literal["schriftelijk", "mondeling", "digitaal"] = "schriftelijk"


class MatchVoorgesteld(_Payload):
    """The caseworker proposed the client to an employer for a vacancy (``match_list_id``: the shown list it came
    from, regie.employers.MatchList; ``rank`` on it). Needs a recorded consent (checked by regie.employers)."""

    vacancy_id: int
    employer_id: int
    consent_id: str = Field(min_length=1, max_length=ID_MAX)
    match_list_id: int | None = None
    rank: int | None = Field(default=None, ge=1)
    note: str | None = Field(default=None, max_length=NOTE_MAX)


class Plaatsing(_Payload):
    """A placement starts on the effective date: ``kind`` (PLACEMENT_KINDS), at ``employer_id`` (for a vacancy,
    ``vacancy_id``), ``planned_end``, ``hours`` per week, ``wage_per_hour`` (gross; none with retained benefit),
    ``retained_benefit`` (the benefit continues: stage, leer-werkstage, proefplaatsing); a wage cost subsidy
    (Pw art. 10d) has ``loonwaarde_pct`` (the assessed wage value), ``subsidy_per_month`` and ``subsidy_months``.
    A decision (through the decision gate): it changes the benefit or ends it."""

    placement_id: str = Field(
        default_factory=lambda: new_id("PL"),
        min_length=1,
        max_length=ID_MAX,
        description="Given by Regie when the writer leaves it out",
    )
    kind: PlacementKind
    employer_id: int
    employer_name: str = Field(min_length=1, max_length=NAME_MAX)
    vacancy_id: int | None = None
    planned_end: dt.date | None = None
    hours: float = Field(gt=0, le=60)
    wage_per_hour: Decimal | None = Field(default=None, ge=0, le=Decimal("1000"), max_digits=8, decimal_places=2)
    retained_benefit: bool = False
    loonwaarde_pct: int | None = Field(default=None, ge=0, le=100)
    subsidy_per_month: Decimal | None = Field(default=None, ge=0, le=Decimal("10000"), max_digits=8, decimal_places=2)
    subsidy_months: int | None = Field(default=None, ge=1, le=120)

    @model_validator(mode="after")
    def _consistent(self) -> Plaatsing:
        if self.kind in RETAINED_BENEFIT_KINDS:
            self.retained_benefit = True
        elif self.retained_benefit:
            raise ValueError(
                Message("Alleen een stage, leer-werkstage of proefplaatsing gaat met behoud van uitkering")
            )
        if self.kind == "loonkostensubsidie":
            if self.loonwaarde_pct is None or self.subsidy_per_month is None or self.subsidy_months is None:
                raise ValueError(
                    Message(
                        "Bij loonkostensubsidie zijn loonwaarde, subsidie per maand en duur verplicht (Pw art. 10d)"
                    )
                )
        if not self.retained_benefit and self.wage_per_hour is None:
            raise ValueError(Message("Loon per uur is verplicht bij een plaatsing met loon"))
        return self


class PlaatsingEinde(_Payload):
    placement_id: str = Field(min_length=1, max_length=ID_MAX)
    reason: PlacementEndReason
    evaluation: str | None = Field(default=None, max_length=SUMMARY_MAX)


class NazorgContact(_Payload):
    """An aftercare check-in on a placement; ``milestone`` 6 or 12 marks the result after 6 or 12 months (a
    "durable placement" when still working, seed 003:336-366: aftercare after every kind of placement)."""

    placement_id: str = Field(min_length=1, max_length=ID_MAX)
    still_working: bool
    milestone: Literal[6, 12] | None = None
    summary: str | None = Field(default=None, max_length=SUMMARY_MAX)


class Verwijzing(_Payload):
    """A referral to a service of the sociale kaart (regie.employers.SocialService): warm (introduced, with the
    client) or cold (the client gets the contact details); seed 002:1789, 002:2786."""

    referral_id: str = Field(default_factory=lambda: new_id("VW"), min_length=1, max_length=ID_MAX)
    service_id: int
    service_name: str = Field(min_length=1, max_length=NAME_MAX)
    warm: bool = False
    reason: str | None = Field(default=None, max_length=NOTE_MAX)


class VerwijzingUitkomst(_Payload):
    referral_id: str = Field(min_length=1, max_length=ID_MAX)
    outcome: ReferralOutcome
    waited_days: int | None = Field(default=None, ge=0, le=3650)
    note: str | None = Field(default=None, max_length=NOTE_MAX)


class Subsidiebetaling(_Payload):
    """The wage cost subsidy (loonkostensubsidie, Pw art. 10d) paid to the employer for one month of a placement
    (``placement_id``) by a released payment run (regie.benefit, its employer section from regie.employers); written
    by the run, not typed. ``days``: the days of the month the subsidy ran (pro rata)."""

    placement_id: str = Field(min_length=1, max_length=ID_MAX)
    employer_id: int
    month: str = Field(pattern=MONTH_PATTERN)
    amount: Money
    days: int | None = Field(default=None, ge=1, le=31)
    run: str | None = Field(default=None, max_length=ID_MAX, description="Id of the payment run")


EMPLOYERS_EVENT_TYPES: dict[str, type[_Payload]] = {
    "werkprofiel_aanvulling": WerkprofielAanvulling,
    "toestemming_delen": ToestemmingDelen,
    "match_voorgesteld": MatchVoorgesteld,
    "plaatsing": Plaatsing,
    "plaatsing_einde": PlaatsingEinde,
    "nazorg_contact": NazorgContact,
    "verwijzing": Verwijzing,
    "verwijzing_uitkomst": VerwijzingUitkomst,
    "subsidiebetaling": Subsidiebetaling,  # employers2: written by the payment run
}
PLANNED_DATE_FIELDS.update({"plaatsing": ("planned_end",), "toestemming_delen": ("until",)})
PATTERN_HINTS["code"] = "vier cijfers van een ISCO-08-beroepsgroep, bijv. 9329"  # employers2: occupation_codes
FIELD_LABELS.update(
    {
        "hours_available": "Beschikbare uren per week",
        "travel_radius_km": "Reisbereik (km)",
        "certificates": "Certificaten",
        "occupations": "Beroepen",
        "restrictions": "Beperkingen",
        "consent_id": "Toestemmingsnummer",
        "granted": "Toestemming gegeven",
        "employer_id": "Werkgever",
        "vacancy_id": "Vacature",
        "data": "Gegevens",
        "how": "Vorm",
        "match_list_id": "Lijst",
        "rank": "Plaats op de lijst",
        "placement_id": "Plaatsingsnummer",
        "employer_name": "Naam werkgever",
        "planned_end": "Geplande einddatum",
        "hours": "Uren per week",
        "wage_per_hour": "Loon per uur",
        "retained_benefit": "Met behoud van uitkering",
        "loonwaarde_pct": "Loonwaarde (%)",
        "subsidy_per_month": "Subsidie per maand",
        "subsidy_months": "Duur subsidie (maanden)",
        "evaluation": "Evaluatie",
        "still_working": "Nog aan het werk",
        "milestone": "Meetmoment (maanden)",
        "referral_id": "Verwijzingsnummer",
        "service_id": "Voorziening",
        "service_name": "Naam voorziening",
        "warm": "Warme overdracht",
        "outcome": "Uitkomst",
        "waited_days": "Wachttijd (dagen)",
        "days": "Dagen",  # employers2: subsidiebetaling
        "occupation_codes": "Beroepscodes (ISCO-08)",  # employers2
        "code": "Beroepscode",
        "label": "Omschrijving beroep",
    }
)


# --- end employers ---
# --- portal: Mijn Regie (the client's own portal, regie.portal) ---
class PlanOndertekend(_Payload):
    """The client (or their representative, under a machtiging) signed the plan van aanpak in Mijn Regie: the plan's
    obligations rest on the signed plan (seed 001:646-653). ``version``: the plan version signed (the one shown);
    ``signed_by``: ``client`` or ``vertegenwoordiger``; ``machtiging_id``: the authorisation a representative acted
    under; ``assurance``: the DigiD level of the log-in (basis, midden, substantieel, hoog)."""

    version: int = Field(ge=1)
    signed_by: Literal["client", "vertegenwoordiger"]
    machtiging_id: int | None = Field(default=None, ge=1)
    assurance: Literal["basis", "midden", "substantieel", "hoog"]


FIELD_LABELS.update(
    {
        "signed_by": "Ondertekend door",
        "machtiging_id": "Machtiging",
        "assurance": "Betrouwbaarheidsniveau DigiD",
        # portal: an objection lodged in Mijn Regie (Bezwaar.lodged_via / lodged_by)
        "lodged_via": "Ingediend via",
        "lodged_by": "Ingediend door",
    }
)
# What a client can report in Mijn Regie (the inlichtingenplicht, Pw art. 17: changes that may matter for the benefit
# or the obligations); the caseworker handles each one as a work task.
CHANGE_KINDS: dict[str, str] = {
    "verhuizing": "Verhuizing",
    "huishouden": "Verandering in het huishouden",
    "werk": "Werk of inkomen",
    "studie": "Studie of opleiding",
    "vakantie_buitenland": "Vakantie of verblijf in het buitenland",
}


class WijzigingGemeld(_Payload):
    """The client reported a change of circumstances in Mijn Regie (Pw art. 17). ``kind``: :data:`CHANGE_KINDS`;
    ``change_on``: when it happens or happened; ``until``: its end (a stay abroad); ``description``: the client's own
    words; ``reported_by``: ``client`` or ``vertegenwoordiger``."""

    kind: Literal["verhuizing", "huishouden", "werk", "studie", "vakantie_buitenland"]
    change_on: dt.date
    until: dt.date | None = None
    description: str = Field(min_length=1, max_length=SUMMARY_MAX)
    reported_by: Literal["client", "vertegenwoordiger"] = "client"

    @model_validator(mode="after")
    def _until(self) -> WijzigingGemeld:
        if self.until is not None and self.until < self.change_on:
            raise ValueError(Message("Tot en met: ligt voor de datum van de wijziging"))
        return self


FIELD_LABELS.update({"change_on": "Datum van de wijziging"})


class BezwaarIngediend(_Payload):
    """The client lodged an objection in Mijn Regie. The event's effective date is the receipt date: an electronic
    message is received when it reaches the administrative body's system (Awb art. 2:17 lid 1), which starts the
    decision term (Awb art. 7:10). ``decision_event``: the contested decision's event id; ``grounds``: the client's
    gronden (Awb art. 6:5); ``reported_by``: ``client`` or ``vertegenwoordiger``. The objection enters the legal
    process when the legal reviewer registers it (``bezwaar``, with this receipt date: a task says so).

    History only: Mijn Regie now records the ``bezwaar`` itself (``lodged_via`` ``mijnregie``); older
    ``bezwaar_ingediend`` events without a ``bezwaar`` are registered by ``regie portal register-objections``."""

    decision_event: int = Field(ge=1)
    grounds: str = Field(min_length=1, max_length=SUMMARY_MAX)
    reported_by: Literal["client", "vertegenwoordiger"] = "client"


PORTAL_EVENT_TYPES: dict[str, type[_Payload]] = {
    "plan_ondertekend": PlanOndertekend,
    "wijziging_gemeld": WijzigingGemeld,
    "bezwaar_ingediend": BezwaarIngediend,
}


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
    **ROUTE_EVENT_TYPES,
    **LEGAL_EVENT_TYPES,  # legal
    # client record (h/record)
    "adres_wijziging": AdresWijziging,
    "contactgegevens": Contactgegevens,
    "contactpersoon": Contactpersoon,
    "werkprofiel": Werkprofiel,
    **BENEFIT_EVENT_TYPES,  # benefit
    # documents
    "document": Document,
    # agenda / journal
    "afspraak": Afspraak,
    "afspraak_uitkomst": AfspraakUitkomst,
    "notitie": Notitie,
    **EMPLOYERS_EVENT_TYPES,  # employers
    **PORTAL_EVENT_TYPES,  # portal
}

# Event types that record a decision; these may (and from the web app and the lab: must) carry a Decision block.
DECISION_TYPES = frozenset(
    {
        "toekenning",
        "afwijzing",
        "classificatie",
        "plan_van_aanpak",
        "traject_start",
        "ontheffing_start",
        "waarschuwing",
        "maatregel",
        "uitstroom",
        *ROUTE_DECISION_TYPES,
        "beslissing_op_bezwaar",  # legal (Awb art. 7:11)
        "terugvordering",  # benefit
        "boete",  # benefit
        "plaatsing",  # employers: a placement changes or ends the benefit
    }
)


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid")

    by: str = Field(min_length=1, description="Username (import: user id) of the approving teammanager")
    at: dt.datetime
    note: str | None = Field(default=None, max_length=NOTE_MAX)


class Decision(BaseModel):
    """What the policy recommended and what the caseworker decided (seed 000:568-577: discretion)."""

    model_config = ConfigDict(extra="forbid")

    policy_version: str | None = Field(
        default=None, max_length=100, description="'<policy id>@<valid_from>' of the version used"
    )
    recommendation: dict[str, Any] | None = None
    decided: dict[str, Any] = Field(default_factory=dict)
    deviates: bool = False
    motivation_code: str | None = Field(default=None, max_length=CODE_MAX)
    motivation: str | None = Field(default=None, max_length=MOTIVATION_MAX)
    legal_basis: str | None = Field(default=None, max_length=NOTE_MAX)
    approval: Approval | None = Field(
        default=None, description="Four-eyes approval of a deviation in a rules-steered municipality"
    )
    explanation: list[dict[str, Any]] | None = Field(
        default=None, description="The policy's explanation of its recommendation (rule id, source, text, inputs)"
    )
    deviation_kind: Literal["dringende_redenen", "geen_verwijtbaarheid"] | None = Field(
        default=None,
        description="route: the college refrained from what the rule gives on a ground of REFRAIN_GROUNDS (set by "
        "the gate from the payload's afzien); a deviation of its own kind",
    )
    source: Literal["web", "api", "import"] | None = Field(
        default=None,
        description="Which path recorded the decision: the web form or the API (through the decision gate, which "
        "computed the recommendation) or an import of history recorded elsewhere (kept as recorded)",
    )

    @model_validator(mode="after")
    def _motivated(self) -> Decision:
        if self.deviates and not (self.motivation_code or self.motivation):
            raise ValueError("a decision that deviates from the recommendation needs a motivation")
        return self


class EventError(ValueError):
    """A payload that does not fit its event type; ``errors`` is a list of (field, message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))


# one option in pydantic's literal_error context ("'voldoet', 'niet_voldoet' or 3"): a quoted repr or a bare value
_LITERAL_OPTION = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"|([^\s,'\"]+)")


def _literal_options(expected: str) -> tuple[str, ...]:
    found = (m.group(1) or m.group(2) or m.group(3) or "" for m in _LITERAL_OPTION.finditer(expected))
    return tuple(o for o in found if o and o != "or")


def or_list(options, label=lambda o: str(o).replace("_", " "), conjunction: str = "of") -> str:
    """Options as an enumeration of words: ``("voldoet", "niet_voldoet")`` -> "voldoet of niet voldoet"."""
    words = [label(o) for o in options]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def dutch_message(fieldname: str, err: Mapping[str, Any], event_type: str | None = None) -> str:
    """Pydantic's error as a Dutch message naming the field (specific for the common types, a general one for the
    rest: pydantic's English text never reaches a user). ``event_type``: whose options a choice names (the
    adapter's option labels can differ per event type)."""
    kind, ctx, field = err["type"], err.get("ctx") or {}, label(fieldname)
    if kind == "string_too_long":
        return Message("%(field)s is te lang: hoogstens %(max)s tekens", field=field, max=ctx.get("max_length"))
    if kind in ("missing", "string_too_short"):
        return Message("%(field)s is verplicht", field=field)
    if kind == "literal_error":
        # pydantic's ctx names the options as reprs ("'voldoet', 'niet_voldoet' or 3"): shown as words, not keys; an
        # adapter with the option labels names them by their labels (casework.validation.localise: ``options``)
        options = _literal_options(str(ctx.get("expected", "")))
        if not options:
            return Message("%(field)s: kies een van de mogelijkheden", field=field)
        return Message(
            "%(field)s: kies een van %(expected)s",
            field=field,
            expected=or_list(options),
            options=options,
            event_type=event_type or "",
        )
    if kind.startswith("date_"):
        return Message("%(field)s is geen geldige datum (JJJJ-MM-DD)", field=field)
    if kind.startswith("time_"):  # agenda: appointment times
        return Message("%(field)s is geen geldige tijd (UU:MM)", field=field)
    if kind in ("int_parsing", "float_parsing", "int_from_float", "int_type", "float_type"):
        return Message("%(field)s is geen getal", field=field)
    if kind in ("greater_than_equal", "greater_than"):
        return Message("%(field)s moet minstens %(limit)s zijn", field=field, limit=ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return Message("%(field)s mag hoogstens %(limit)s zijn", field=field, limit=ctx.get("le", ctx.get("lt")))
    if kind == "string_pattern_mismatch":  # client record (h/record)
        hint = PATTERN_HINTS.get(next((p for p in reversed(fieldname.split(".")) if not p.isdigit()), ""))
        if hint:
            return Message("%(field)s is niet geldig: verwacht %(hint)s", field=field, hint=Message(hint))
        return Message("%(field)s is niet geldig", field=field)
    if kind == "extra_forbidden":
        return Message("%(field)s: onbekend veld", field=field)
    if kind == "value_error":  # a validator's own message (a Message when it is ours)
        error = ctx.get("error")
        if error is not None and error.args and isinstance(error.args[0], Message):
            return error.args[0]
        return err["msg"].removeprefix("Value error, ")
    if kind in ("list_type", "tuple_type", "set_type", "iterable_type"):
        return Message("%(field)s: geef een lijst (één waarde per regel)", field=field)
    if kind in ("too_short", "too_long"):  # lists: min_length / max_length
        limit = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        if kind == "too_short":
            return Message("%(field)s: geef er minstens %(limit)s", field=field, limit=limit)
        return Message("%(field)s: hoogstens %(limit)s", field=field, limit=limit)
    if kind in ("bool_parsing", "bool_type"):
        return Message("%(field)s: kies ja of nee", field=field)
    if kind in ("enum", "union_tag_invalid", "union_tag_not_found"):
        return Message("%(field)s: kies een van de mogelijkheden", field=field)
    if kind in ("decimal_parsing", "decimal_type", "decimal_max_digits", "decimal_max_places"):
        return Message("%(field)s is geen geldig bedrag", field=field)
    # Any other pydantic check: a Dutch message naming the field, never pydantic's English text.
    return Message("%(field)s is niet geldig", field=field)


def _flatten(prefix: str, exc: ValidationError, event_type: str | None = None) -> list[tuple[str, str]]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        name = f"{prefix}.{loc}" if loc else prefix
        out.append((name, dutch_message(name, err, event_type)))
    return out


def date_problem(
    value: dt.date,
    *,
    today: dt.date,
    fieldname: str,
    horizon_days: int = 0,
    after: dt.date | None = None,
    after_label: str = "",
) -> Message | None:
    """Why ``value`` is not a plausible date for ``fieldname``, or None.

    Not before :data:`EARLIEST_DATE`; not after ``today + horizon_days``; not before ``after`` when given.
    The field's label is looked up only for a message (import10: most dates checked are plausible).
    """
    if value < EARLIEST_DATE:
        return Message(
            "%(field)s ligt vóór %(earliest)s: controleer de datum",
            field=label(fieldname),
            earliest=nl_date(EARLIEST_DATE),
        )
    latest = today + dt.timedelta(days=horizon_days) if horizon_days else today
    if value > latest:
        if horizon_days == 0:
            return Message(
                "%(field)s ligt in de toekomst (%(date)s): dit kan pas worden vastgelegd als het is gebeurd",
                field=label(fieldname),
                date=nl_date(value),
            )
        return Message(
            "%(field)s ligt te ver in de toekomst (%(date)s): uiterlijk %(latest)s",
            field=label(fieldname),
            date=nl_date(value),
            latest=nl_date(latest),
        )
    if after is not None and value < after:
        return Message(
            "%(field)s (%(date)s) ligt vóór %(other)s (%(after)s)",
            field=label(fieldname),
            date=nl_date(value),
            other=Message(after_label) if after_label else label("effective_date"),
            after=nl_date(after),
        )
    return None


def birth_date_problem(value: dt.date, today: dt.date | None = None, fieldname: str = "birth_date") -> Message | None:
    """A birth date lies in the past and not before 1900 (assumption: EARLIEST_DATE)."""
    today = today or dt.date.today()
    if value > today:
        return Message("%(field)s ligt in de toekomst (%(date)s)", field=label(fieldname), date=nl_date(value))
    if value >= EARLIEST_DATE:
        return None  # (what date_problem would say of a date from EARLIEST_DATE to today)
    return date_problem(value, today=today, fieldname=fieldname)


def effective_date_horizon(event_type: str) -> int:
    """Days ahead of today an event of this type may take effect: decisions within DECISION_HORIZON_DAYS, facts
    not at all."""
    if event_type in DECISION_TYPES or event_type in ("traject_einde", "ontheffing_einde"):
        return DECISION_HORIZON_DAYS
    return 0


def date_errors(event_type: str, effective_date: dt.date, payload: dict, today: dt.date) -> list[tuple[str, str]]:
    """The date rules of an event whose payload is already validated: ``(field, Dutch message)`` per implausible
    date -- the effective date (not before 1900, not after ``today`` plus :func:`effective_date_horizon`), else
    each planned date of :data:`PLANNED_DATE_FIELDS` (after the effective date, within PLANNED_HORIZON_DAYS).
    Empty when every date is plausible. :func:`validate_event` applies it; the importer calls it directly."""
    errors: list[tuple[str, str]] = []
    if problem := date_problem(
        effective_date, today=today, fieldname="effective_date", horizon_days=effective_date_horizon(event_type)
    ):
        errors.append(("effective_date", problem))
        return errors
    for name in PLANNED_DATE_FIELDS.get(event_type, ()):
        raw = payload.get(name)
        if not raw:
            continue
        value = dt.date.fromisoformat(raw) if isinstance(raw, str) else raw
        if problem := date_problem(
            value,
            today=max(today, effective_date),
            fieldname=name,
            horizon_days=PLANNED_HORIZON_DAYS,
            after=effective_date,
            after_label="Ingangsdatum",
        ):
            errors.append((f"payload.{name}", problem))
    return errors


def validate_event(
    event_type: str,
    payload: dict | None,
    decision: dict | None = None,
    *,
    effective_date: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[dict, dict | None]:
    """Validate and normalise an event's payload and decision block.

    With ``effective_date`` the dates are checked for plausibility too (not before 1900; not in the future, or for
    decisions within DECISION_HORIZON_DAYS of ``today``; planned dates after the event and within
    PLANNED_HORIZON_DAYS). Returns JSON-ready dicts (dates as ISO strings). Raises :class:`EventError` naming every
    bad field, with Dutch messages (:class:`Message`).
    """
    model = EVENT_TYPES.get(event_type)
    if model is None:
        raise EventError([("type", Message("Onbekende soort gebeurtenis: %(type)s", type=str(event_type)[:60]))])
    errors: list[tuple[str, str]] = []
    clean_payload: dict = {}
    try:
        clean_payload = model.model_validate(payload or {}).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        errors += _flatten("payload", exc, event_type)
    clean_decision = None
    if decision is not None:
        if event_type not in DECISION_TYPES:
            errors.append(("decision", Message("Deze stap is geen besluit en kan geen besluitgegevens hebben")))
        else:
            try:
                clean_decision = Decision.model_validate(decision).model_dump(mode="json", exclude_none=True)
            except ValidationError as exc:
                errors += _flatten("decision", exc)
    if effective_date is not None and not errors:
        errors += date_errors(event_type, effective_date, clean_payload, today or dt.date.today())
    if errors:
        raise EventError(errors)
    return clean_payload, clean_decision
