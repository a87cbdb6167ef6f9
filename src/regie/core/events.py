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
import uuid
from collections.abc import Mapping
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

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
    # agenda: the appointment's day
    "afspraak": ("date",),
    # legal: hearing days, the zienswijze term, an agreed postponement, a suspension's end
    "voornemen": ("zienswijze_until",),
    "horen": ("planned_on",),
    "bezwaar_horen": ("planned_on",),
    "bezwaar_termijn": ("until",),
    "voorlopige_voorziening": ("until",),
    "beroep": ("planned_on",),
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
    # agenda / journal
    "date": "Datum",
    "start_time": "Begintijd",
    "end_time": "Eindtijd",
    "location": "Locatie",
    "with_whom": "Met wie",
    "appointment_id": "Afspraak",
    "text": "Tekst",
    "confidential": "Vertrouwelijk",
    "category": "Categorie",
    "confidentiality": "Reden vertrouwelijk",
    # legal
    "voornemen_id": "Voornemen",
    "decision_type": "Soort besluit",
    "zienswijze_days": "Zienswijzetermijn (dagen)",
    "zienswijze_until": "Einde zienswijzetermijn",
    "no_hearing_ground": "Grond om niet te horen",
    "status": "Status",
    "planned_on": "Datum hoorzitting",
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
    return Message(FIELD_LABELS.get(fieldname.rsplit(".", 1)[-1], fieldname.rsplit(".", 1)[-1]))


def new_id(prefix: str) -> str:
    """A new trajectory or exemption number (``TR-1a2b3c4d``) for a writer that gives none."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _nl_date(d: dt.date) -> str:
    return d.strftime("%d-%m-%Y")


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


class Horen(_Payload):
    """Horen on a voornemen (Awb art. 4:8): ``voornemen_id``; ``status`` uitgenodigd (invited; ``planned_on`` the
    hearing day), gehoord (held: ``summary`` of the zienswijze required), afgezien (the client waived it) or
    geen_reactie (no zienswijze within the term); ``form`` mondeling / schriftelijk."""

    voornemen_id: str = Field(min_length=1, max_length=ID_MAX)
    status: Literal["uitgenodigd", "gehoord", "afgezien", "geen_reactie"]
    planned_on: dt.date | None = None
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


class BezwaarHoren(_Payload):
    """Hearing on an objection (Awb art. 7:2): ``objection_id``; ``status`` uitgenodigd / gehoord / afgezien (the
    objector waived) / achterwege (Awb art. 7:3, with ``ground``); ``by`` bezwaarcommissie or ambtenaar (Awb art.
    7:5, 7:13; policy ``objections.hearing_by``); ``planned_on``; ``summary`` (required when gehoord)."""

    objection_id: str = Field(min_length=1, max_length=ID_MAX)
    status: Literal["uitgenodigd", "gehoord", "afgezien", "achterwege"]
    by: Literal["bezwaarcommissie", "ambtenaar"] | None = None
    planned_on: dt.date | None = None
    ground: Literal["kennelijk_niet_ontvankelijk", "kennelijk_ongegrond", "geen_gebruik", "tegemoetgekomen"] | None = (
        None
    )
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
    # agenda / journal
    "afspraak": Afspraak,
    "afspraak_uitkomst": AfspraakUitkomst,
    "notitie": Notitie,
    **LEGAL_EVENT_TYPES,  # legal
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
        "beslissing_op_bezwaar",  # legal (Awb art. 7:11)
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


def dutch_message(fieldname: str, err: Mapping[str, Any]) -> str:
    """Pydantic's error as a Dutch message naming the field (the common types; others keep pydantic's text)."""
    kind, ctx, field = err["type"], err.get("ctx") or {}, label(fieldname)
    if kind == "string_too_long":
        return Message("%(field)s is te lang: hoogstens %(max)s tekens", field=field, max=ctx.get("max_length"))
    if kind in ("missing", "string_too_short"):
        return Message("%(field)s is verplicht", field=field)
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", " of ")
        return Message("%(field)s: kies een van %(expected)s", field=field, expected=expected)
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
    if kind == "extra_forbidden":
        return Message("%(field)s: onbekend veld", field=field)
    if kind == "value_error":  # a validator's own message (a Message when it is ours)
        error = ctx.get("error")
        if error is not None and error.args and isinstance(error.args[0], Message):
            return error.args[0]
        return err["msg"].removeprefix("Value error, ")
    return err["msg"]


def _flatten(prefix: str, exc: ValidationError) -> list[tuple[str, str]]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        name = f"{prefix}.{loc}" if loc else prefix
        out.append((name, dutch_message(name, err)))
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
    """
    field = label(fieldname)
    if value < EARLIEST_DATE:
        return Message(
            "%(field)s ligt vóór %(earliest)s: controleer de datum", field=field, earliest=_nl_date(EARLIEST_DATE)
        )
    latest = today + dt.timedelta(days=horizon_days)
    if value > latest:
        if horizon_days == 0:
            return Message(
                "%(field)s ligt in de toekomst (%(date)s): dit kan pas worden vastgelegd als het is gebeurd",
                field=field,
                date=_nl_date(value),
            )
        return Message(
            "%(field)s ligt te ver in de toekomst (%(date)s): uiterlijk %(latest)s",
            field=field,
            date=_nl_date(value),
            latest=_nl_date(latest),
        )
    if after is not None and value < after:
        return Message(
            "%(field)s (%(date)s) ligt vóór %(other)s (%(after)s)",
            field=field,
            date=_nl_date(value),
            other=Message(after_label) if after_label else label("effective_date"),
            after=_nl_date(after),
        )
    return None


def birth_date_problem(value: dt.date, today: dt.date | None = None, fieldname: str = "birth_date") -> Message | None:
    """A birth date lies in the past and not before 1900 (assumption: EARLIEST_DATE)."""
    today = today or dt.date.today()
    if value > today:
        return Message("%(field)s ligt in de toekomst (%(date)s)", field=label(fieldname), date=_nl_date(value))
    return date_problem(value, today=today, fieldname=fieldname)


def effective_date_horizon(event_type: str) -> int:
    """Days ahead of today an event of this type may take effect: decisions within DECISION_HORIZON_DAYS, facts
    not at all."""
    if event_type in DECISION_TYPES or event_type in ("traject_einde", "ontheffing_einde"):
        return DECISION_HORIZON_DAYS
    return 0


def _date_errors(event_type: str, effective_date: dt.date, payload: dict, today: dt.date) -> list[tuple[str, str]]:
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
    if effective_date is not None and not errors:
        errors += _date_errors(event_type, effective_date, clean_payload, today or dt.date.today())
    if errors:
        raise EventError(errors)
    return clean_payload, clean_decision
