"""The label registry: every user-facing name of a domain key, in one place, in the user's language.

The domain core keeps the keys (event types, payload fields, option values, roles, audit actions, KPI keys); this
module holds what a user reads for them. Every screen, letter, export header, chart and the API's ``*_label``
fields ask the functions here:

- :func:`event_label` (``plan_van_aanpak`` -> "Plan van aanpak"),
- :func:`field_label` (``signed`` -> "Ondertekend door cliënt"),
- :func:`option_label` (``("reason", "werk_regulier")`` -> "Werk (regulier)"; an option may be scoped to one event
  type: ``rapportage.kind``),
- :func:`value_label` (a payload value as text: ja/nee, dd-mm-jjjj, euros, the option's label),
- :func:`role_label`, :func:`action_label`, :func:`result_label`,
- :func:`kpi_label` / :func:`kpi_help` (an indicator's name and a one-line explanation for a teammanager),
- :func:`rung_label` (the participatieladder's rungs, ``regie.core.kpi.ladder.RUNG_LABELS``).

The dictionaries :data:`EVENT_LABELS`, :data:`FIELD_LABELS` and :data:`OPTION_LABELS` are filled by the concerns
that define the steps (``regie.casework.steps`` writes its STEP_LABELS / FIELD_LABELS / CHOICE_LABELS into these
same objects; casework loads it when Django starts), so a label is written once. Values are lazy translations or
Dutch msgids (``regie.core.events.FIELD_LABELS``, ``regie.core.records.ROLES``): both are returned translated.
The template filters are in ``regie.platform.templatetags.regie_labels``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from regie.core.dates import nl_date, nl_datetime
from regie.core.events import (
    CHANGE_KINDS,
    CONSENT_DATA,
    OUTFLOW_REASONS,
    PLACEMENT_END_REASONS,
    PLACEMENT_KINDS,
    REFERRAL_OUTCOMES,
    SEARCH_PERIOD_EXCEPTIONS,
)
from regie.core.events import FIELD_LABELS as CORE_FIELD_LABELS
from regie.core.kpi.cohorts import RATIOS as COHORT_RATIOS
from regie.core.kpi.ladder import RUNG_LABELS as CORE_RUNG_LABELS
from regie.core.kpi.providers import CRITERIA as PROVIDER_CRITERIA
from regie.core.matching import CONDITIONS, CONTRACT_TYPES, EDUCATION_LABELS, REQUIREMENT_KINDS
from regie.core.records import ROLES

# Filled by regie.casework.steps (its STEP_LABELS, FIELD_LABELS, CHOICE_LABELS are these objects).
EVENT_LABELS: dict[str, object] = {}
FIELD_LABELS: dict[str, object] = {}
OPTION_LABELS: dict[str, dict] = {}


def _text(value) -> str:
    """A registry value in the user's language: a lazy translation as it is, a Dutch msgid through gettext."""
    if isinstance(value, Promise):
        return str(value)
    return gettext(value) if isinstance(value, str) and value else str(value)


class DutchText(str):
    """A text that is Dutch by nature where Regie shows it (the names a provider gives its modules, in a choice's
    label): a screen marks it ``lang="nl"`` in the English UI (the ``dutch_lang`` template filter)."""


def humanise(key) -> str:
    """The last line of defence for a key nobody labelled: ``werk_regulier`` -> "Werk regulier" (a test checks
    that the registry labels every key of the event schema, so users should not meet this)."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


# --- options the step forms do not define (values of the core's vocabularies) ----------------------------------
_OUTFLOW = {
    "werk_regulier": _("Werk (regulier)"),
    "werk_gesubsidieerd": _("Werk (gesubsidieerd, met loonkostensubsidie)"),
    "eigen_bedrijf": _("Eigen bedrijf"),
    "inkomen_partner": _("Inkomen van de partner"),
    "andere_uitkering": _("Andere uitkering"),
    "pensioen": _("Pensioen (AOW)"),
    "studie": _("Studie"),
    "verhuizing": _("Verhuizing naar een andere gemeente"),
    "detentie": _("Detentie"),
    "overlijden": _("Overlijden"),
    "geen_recht": _("Geen recht meer"),
    "overig": _("Overig"),
}
assert set(_OUTFLOW) == set(OUTFLOW_REASONS)
_TRAJECTORY_RESULT = {
    "werk": _("werk gevonden"),
    "werk_gesubsidieerd": _("gesubsidieerd werk gevonden"),
    "afgerond": _("afgerond"),
    "voortijdig_gestopt": _("voortijdig gestopt"),
    "uitval_medisch": _("uitgevallen om medische redenen"),
    "uitstroom": _("gestopt door uitstroom"),
}
_APPOINTMENT_OUTCOME = {
    "gehouden": _("gehouden"),
    "no_show_gemeld": _("niet verschenen, wel afgemeld"),
    "no_show": _("niet verschenen, niet afgemeld"),
    "verzet": _("verzet"),
}
BUILTIN_OPTIONS: dict[str, dict] = {
    # the case's status (regie.core.projection.CaseSnapshot.status), on the worklist and the case page
    "case_status": {
        "melding": _("gemeld"),
        "aanvraag": _("aanvraag in behandeling"),
        "aangevraagd": _("aanvraag in behandeling"),
        "lopend": _("lopend"),
        "uitgestroomd": _("uitgestroomd"),
        "afgewezen": _("afgewezen"),
        "nazorg": _("nazorg"),
        "afgesloten": _("afgesloten"),
    },
    # employers and Mijn Regie: their vocabularies' Dutch labels live beside the keys in the core (translated here)
    "plaatsing.kind": PLACEMENT_KINDS,
    "plaatsing_einde.reason": PLACEMENT_END_REASONS,
    "toestemming_delen.data": CONSENT_DATA,
    "verwijzing_uitkomst.outcome": REFERRAL_OUTCOMES,
    "werkprofiel_aanvulling.restrictions": CONDITIONS,
    "wijziging_gemeld.kind": CHANGE_KINDS,
    "education": EDUCATION_LABELS,  # the client record's education level (also the work profile's)
    "education_level": EDUCATION_LABELS,
    # the client record's address (regie.core.events.AdresWijziging) and a consent's form
    "adres_wijziging.kind": {"woonadres": _("Woonadres"), "briefadres": _("Briefadres")},
    "adres_wijziging.source": {
        "klant": _("de cliënt"),
        "brp": _("BRP"),
        "bewindvoerder": _("de bewindvoerder"),
        "import": _("import"),
    },
    "toestemming_delen.how": {
        "schriftelijk": _("schriftelijk"),
        "mondeling": _("mondeling"),
        "digitaal": _("digitaal"),
    },
    # a vacancy's work conditions, contract type and kinds of requirement (regie.employers)
    "vacancy.conditions": CONDITIONS,
    "vacancy.contract_type": CONTRACT_TYPES,
    "vacancy.requirement_kind": REQUIREMENT_KINDS,
    "uitstroom.reason": _OUTFLOW,
    "beeindiging.reason": _OUTFLOW,
    "outflow_reason": _OUTFLOW,
    "trajectory_result": _TRAJECTORY_RESULT,
    "traject_einde.result": _TRAJECTORY_RESULT,
    "uitstroom.trajectory_results": _TRAJECTORY_RESULT,
    "afspraak_uitkomst.outcome": _APPOINTMENT_OUTCOME,
    "appointment_outcome": _APPOINTMENT_OUTCOME,
    "search_period_exception": {k: _(v) for k, v in SEARCH_PERIOD_EXCEPTIONS.items()},
    "afwijzing.reason": {
        "vermogen": _("vermogen boven de grens"),
        "inkomen": _("inkomen boven de norm"),
        "woonplaats": _("woont niet in de gemeente"),
        "geen_medewerking": _("geen medewerking of inlichtingen"),
        "zoekperiode": _("zoekperiode niet nageleefd"),
        "overig": _("overig"),
    },
    "rapportage.kind": {  # also the provider portal's report kinds, in this order
        "voortgang": _("Voortgangsrapportage"),
        "eind": _("Eindrapportage"),
        "advies": _("Advies"),
        "no_show": _("Niet verschenen"),
        "ziekmelding": _("Ziekmelding"),
        "driegesprek_verzoek": _("Verzoek om driegesprek"),
    },
    "nazorg_einde.result": {
        "duurzaam_aan_het_werk": _("duurzaam aan het werk"),
        "teruggevallen": _("teruggevallen in de uitkering"),
        "onbekend": _("onbekend"),
    },
    "document.kind": {
        "brief_gemeente": _("Brief van de gemeente"),
        "medische_informatie": _("Medische informatie"),
        "ondertekend_plan": _("Ondertekend plan"),
    },
    "source": {"web": _("webformulier"), "api": _("koppeling (API)"), "import": _("import")},
    # the client record (regie.core.records.Client): housing and sex as the client page shows them
    "housing": {
        "huur": _("huurwoning"),
        "koop": _("koopwoning"),
        "inwonend": _("inwonend bij anderen"),
        "dakloos": _("dakloos"),
        "instelling": _("instelling"),
    },
    # BRP geslachtsaanduiding M/V; X: not specified (as in a passport)
    "sex": {"M": _("man"), "V": _("vrouw"), "X": _("niet gespecificeerd")},
    # retention classes (regie.retention.classes.CLASSES: the same names)
    "retention_class": {
        "bijstand_verstrekt": _("Bijstand verstrekt"),
        "bijstand_afgewezen": _("Bijstand afgewezen"),
        "reintegratie": _("Alleen re-integratie"),
        "melding": _("Alleen melding"),
    },
    # the reason codes of a decision that deviates from the advice (the step form offers them in this order)
    "motivation_code": {
        "professioneel": _("Professioneel oordeel: maatwerk voor deze cliënt"),
        "regel": _("Regel of procedure schrijft anders voor"),
        "capaciteit": _("Capaciteit, budget of wachtlijst"),
        "client_wens": _("Wens of situatie van de cliënt"),
        "gegevens": _("Advies berust op onjuiste of verouderde gegevens"),
        "overig": _("Overig (licht toe)"),
    },
    # classification levels and routes of the municipal policy files (regie/core/policy/policies)
    "level": {
        "1_tot_3_jaar": _("1 tot 3 jaar tot werk"),
        "6_maanden_2_jaar": _("6 maanden tot 2 jaar tot werk"),
        "binnen_1_jaar": _("binnen 1 jaar aan het werk"),
        "onder_6_maanden": _("binnen 6 maanden aan het werk"),
        "activering": _("activering"),
        "activering_zorg": _("activering en zorg"),
        "work_first": _("Work First"),
        "direct": _("direct bemiddelbaar"),
        "participatie": _("participatie"),
    },
    "scheme": {
        "ab-stroom": _("A/B-stroom"),
        "afstandsbanden": _("afstandsbanden"),
        "drie-treden": _("drie treden"),
        "participatieladder": _("participatieladder"),
        "transferium": _("transferium"),
        "weert-zes-groepen": _("zes groepen"),
        "werkladder": _("werkladder"),
    },
    "route": {
        "work_first": _("Work First"),
        "sociale_activering": _("sociale activering"),
        "arbeidsactivering": _("arbeidsactivering"),
        "bemiddeling": _("bemiddeling"),
        "reintegratie": _("re-integratie"),
        "activering": _("activering"),
        "participatie": _("participatie"),
        "inkomen": _("alleen inkomen"),
        "zorg": _("zorg"),
    },
}
# Fields the schema has that the step forms never ask (set by Regie).
BUILTIN_FIELDS = {
    "event_id": _("Gebeurtenis"),
    "rescheduled_from": _("Verzet van afspraak"),
    "source": _("Vastgelegd via"),
    "deviation_kind": _("Soort afwijking"),
    # the new-client form (casework.views.clients.new_client)
    "sex": _("Geslacht"),
    "housing": _("Woonsituatie"),  # the client record; a rectification may correct it (regie.privacy.models)
    "bsn": _("BSN"),
    "melding_date": _("Datum melding"),
    "decision": _("Beslissing"),
    # the API's request fields (regie.api.views names them in its messages)
    "recommendation": _("Advies"),
    "decided": _("Besluit"),
    "deviates": _("Afwijking van het advies"),
    "approval": _("Goedkeuring"),
    "explanation": _("Uitleg bij het advies"),
    "client": _("Cliënt"),
    "expected_version": _("Versie die u zag"),
    "payload": _("Gegevens"),
    "type": _("Soort gebeurtenis"),
}
# payload fields whose numbers are amounts of money (shown as "€ 1.401,50")
MONEY_FIELDS = frozenset(
    {
        "monthly_amount",
        "amount",
        "price",
        "cost",
        "damage",
        "work_income",
        "other_income",
        "repayment_monthly",
        "vermogen_bedrag",
        "vermogensgrens",
        "vrijlating",
        "wage_per_hour",
        "subsidy_per_month",
        "catch_up",
        "repayment",
    }
)


def event_label(event_type) -> str:
    """The name of an event type or step (``caseworker_toewijzing`` -> "Toewijzing klantmanager")."""
    if event_type in EVENT_LABELS:
        return _text(EVENT_LABELS[event_type])
    return humanise(event_type or "")


def field_label(name) -> str:
    """The name of a payload field or column (``payload.signed`` -> "Ondertekend door cliënt")."""
    key = str(name or "")
    parts = [p for p in key.split(".") if not p.isdigit()] or [key]
    key = parts[-1]
    for table in (FIELD_LABELS, BUILTIN_FIELDS, CORE_FIELD_LABELS, KPI_LABELS):
        if key in table:
            return _text(table[key])
    return humanise(key)


def has_field_label(name) -> bool:
    return any(name in t for t in (FIELD_LABELS, BUILTIN_FIELDS, CORE_FIELD_LABELS, KPI_LABELS))


def _options(field: str, event_type: str | None) -> list[dict]:
    keys = ([f"{event_type}.{field}"] if event_type else []) + [field]
    found = []
    for k in keys:  # an event type's own options first
        for table in (OPTION_LABELS, BUILTIN_OPTIONS):
            if k in table:
                found.append(table[k])
    return found


# The client's language: the languages offered first in the client record's form (regie.clientrecord.forms), any
# other ISO 639-1 code by Django's own language names, else the code itself.
LANGUAGE_LABELS = {
    "nl": _("Nederlands"),
    "en": _("Engels"),
    "ar": _("Arabisch"),
    "tr": _("Turks"),
    "pl": _("Pools"),
    "ti": _("Tigrinya"),
    "so": _("Somalisch"),
    "uk": _("Oekraïens"),
    "fa": _("Perzisch (Farsi)"),
}


def language_label(code) -> str:
    """A language code (ISO 639-1) as the language's name in the reader's language: "ar" -> "Arabisch"."""
    if not code:
        return "—"
    if code in LANGUAGE_LABELS:
        return _text(LANGUAGE_LABELS[code])
    from django.utils.translation import get_language_info

    try:
        return str(get_language_info(str(code))["name_translated"])
    except KeyError:
        return str(code)


def option_label(field, value, event_type: str | None = None) -> str:
    """The name of an option value of ``field`` (of ``event_type`` when its options differ per event type)."""
    if value is None or value == "":
        return "—"
    for table in _options(str(field or ""), event_type):
        if value in table:
            return _text(table[value])
        if str(value) in table:
            return _text(table[str(value)])
    return str(value) if not isinstance(value, str) or "_" not in value else humanise(value)


def option_labels(field, event_type: str | None = None) -> dict[str, str]:
    """Every option of ``field`` (of ``event_type``) by its label in the reader's language, in the vocabulary's
    order: for a form's choices or a template's lookup (a vocabulary of the core holds Dutch msgids)."""
    out: dict[str, str] = {}
    for table in reversed(_options(str(field or ""), event_type)):  # an event type's own options win
        out.update({str(k): _text(v) for k, v in table.items()})
    return out


def has_option(field, value, event_type: str | None = None) -> bool:
    return any(value in t or str(value) in t for t in _options(str(field or ""), event_type))


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def number(value, decimals: int | None = None) -> str:
    """A number for people (grouped, decimal comma in Dutch)."""
    if isinstance(value, int) and decimals is None:
        return number_format(value, use_l10n=True, force_grouping=True)
    return number_format(value, decimal_pos=2 if decimals is None else decimals, use_l10n=True, force_grouping=True)


# field -> function(value) -> the name a user knows it by, registered by a higher layer (accounts: usernames of
# caseworkers -> their names); the registry itself knows no people
VALUE_RESOLVERS: dict[str, object] = {}


def value_label(value, field=None, event_type: str | None = None) -> str:
    """A payload value as a user reads it: "ja"/"nee", dd-mm-jjjj, "€ 1.401,50", the option's label, a list
    joined, a mapping as "label: value" pairs, a person's name instead of a username."""
    field = str(field or "")
    if value is None or value == "":
        return "—"
    if field in VALUE_RESOLVERS and isinstance(value, str):
        return VALUE_RESOLVERS[field](value) or value
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nee")
    if isinstance(value, dt.datetime):
        return nl_datetime(value)
    if isinstance(value, dt.date):
        return nl_date(value)
    if isinstance(value, (int, float, Decimal)):
        if has_option(field, value, event_type):
            return option_label(field, value, event_type)
        if field in MONEY_FIELDS:
            return "€\u00a0" + number(Decimal(str(value)), 2)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return number(value) if isinstance(value, int) else number(value, 2)
    if isinstance(value, (list, tuple)):
        return ", ".join(value_label(v, field, event_type) for v in value) or "—"
    if isinstance(value, dict):
        # a mapping: field -> value, or an id -> option (uitstroom.trajectory_results: trajectory -> result)
        parts = []
        for k, v in value.items():
            if k in FIELD_LABELS or k in CORE_FIELD_LABELS or k in BUILTIN_FIELDS:
                parts.append(f"{field_label(k)}: {value_label(v, k, event_type)}")
            else:
                parts.append(f"{k}: {value_label(v, field, event_type)}")
        return "; ".join(parts) or "—"
    text = str(value)
    if field in MONEY_FIELDS and (_DECIMAL.match(text) or text.lstrip("-").isdigit()):
        # an amount the event log keeps as text (pydantic's Decimal in JSON: "555.74"); other text that looks like a
        # number (an SBI code "47.11", a house number) is not an amount and stays as written
        return "€\u00a0" + number(Decimal(text), 2)
    if _ISO_DATE.match(text):
        try:
            return nl_date(dt.date.fromisoformat(text))
        except ValueError:
            return text
    if has_option(field, text, event_type):
        return option_label(field, text, event_type)
    return text


# --- roles, audit actions -----------------------------------------------------------------------------------
def role_label(role) -> str:
    """``integrale_klantmanager`` -> "Integrale klantmanager" (roles: regie.core.records.ROLES)."""
    if not role:
        return "—"
    if role in ROLES:
        return gettext(ROLES[role])
    if str(role).startswith("cli"):
        return gettext("opdrachtregel")
    return humanise(role)


ACTION_LABELS = {
    "read": _("ingezien"),
    "search": _("gezocht"),
    "create": _("aangemaakt"),
    "update": _("gewijzigd"),
    "export": _("geëxporteerd"),
    "import": _("geïmporteerd"),
    "reveal_bsn": _("volledig BSN getoond"),
    "login": _("ingelogd"),
    "login_failed": _("inloggen mislukt"),
    "logout": _("uitgelogd"),
    "denied": _("geweigerd"),
    "write": _("vastgelegd"),
    "delete": _("verwijderd"),
    "compute": _("berekend"),
}
RESULT_LABELS = {"success": _("gelukt"), "denied": _("geweigerd"), "error": _("fout")}
# what an audit record is about (AuditRecord.object_type)
OBJECT_LABELS = {
    "absence": _("afwezigheid"),
    "access_request": _("inzageverzoek"),
    "api_application": _("API-koppeling"),
    "appointment": _("afspraak"),
    "auditlog": _("auditlog"),
    "brp_connection": _("BRP-koppeling"),
    "objection_worklist": _("werkvoorraad bezwaren"),  # found by the sweep's "english" check (humanised key)
    "brp_persoon": _("persoon in de BRP"),
    "budget": _("budget"),
    "case": _("dossier"),
    "client": _("cliënt"),
    "database": _("database"),
    "destruction_list": _("vernietigingslijst"),
    "document": _("document"),
    "equity": _("gelijke behandeling"),
    "equity_between": _("vergelijking tussen klantmanagers"),
    "equity_report": _("rapport gelijke behandeling"),
    "kpi": _("kengetallen"),
    "lab_run": _("berekening beleidslab"),
    "mfa": _("tweestapsverificatie"),
    "mfa_policy": _("beleid tweestapsverificatie"),
    "motivation_coding": _("codering motiveringen"),
    "municipality": _("gemeente"),
    "payment_run": _("betaalrun"),
    "privacy_register": _("verwerkingsregister"),
    "provider": _("aanbieder"),
    "rectification_request": _("verzoek om rectificatie"),
    "retention_hold": _("bewaarblokkade"),
    "session": _("sessie"),
    "signals": _("signalen"),
    "sso": _("single sign-on"),
    "statistics": _("statistiek"),
    "task": _("taak"),
    "team": _("team"),
    "user": _("gebruiker"),
    "vignette": _("vignet"),
    "vignette_answer": _("antwoord op een vignet"),
    "vignette_study": _("vignettenstudie"),
}


def object_label(object_type) -> str:
    """What an audit record is about (``vignette_study`` -> "vignettenstudie")."""
    return _text(OBJECT_LABELS[object_type]) if object_type in OBJECT_LABELS else humanise(object_type or "")


# what a role may do (accounts.tenancy.CAPABILITIES)
CAPABILITY_LABELS = {
    "answer_vignettes": _("vignetten beantwoorden"),
    "approve_destruction": _("vernietiging goedkeuren"),
    "approve_deviations": _("afwijkingen van advies goedkeuren"),
    "compose_vignettes": _("vignetten samenstellen"),
    "handle_objections": _("bezwaar en beroep behandelen"),
    "handle_privacy_requests": _("privacyverzoeken behandelen"),
    "import_export": _("importeren en exporteren"),
    "manage_brp": _("BRP-koppeling beheren"),
    "manage_budget": _("budget beheren"),
    "manage_employers": _("werkgevers beheren"),
    "manage_letters": _("brieven beheren"),
    "manage_payments": _("betalingen beheren"),
    "manage_providers": _("aanbieders beheren"),
    "manage_users": _("gebruikers beheren"),
    "record_events": _("stappen vastleggen"),
    "release_payments": _("betalingen vrijgeven"),
    "reveal_bsn": _("volledig BSN inzien"),
    "view_aggregates": _("kengetallen inzien"),
    "view_audit": _("auditlog inzien"),
    "view_caseworker_results": _("resultaten per klantmanager inzien"),
    "view_clients": _("cliënten inzien"),
    "view_referred_clients": _("verwezen cliënten inzien (aanbieder)"),
}


def capability_label(capability) -> str:
    """What a capability allows, in the reader's language (``reveal_bsn`` -> "volledig BSN inzien"). Every
    capability of ``accounts.tenancy.CAPABILITIES`` has a label (a test checks); an unknown key is humanised."""
    if capability in CAPABILITY_LABELS:
        return _text(CAPABILITY_LABELS[capability])
    return humanise(capability or "")


def action_label(action) -> str:
    return _text(ACTION_LABELS[action]) if action in ACTION_LABELS else humanise(action or "")


def result_label(result) -> str:
    return _text(RESULT_LABELS[result]) if result in RESULT_LABELS else humanise(result or "")


# --- KPIs: names and one-line explanations --------------------------------------------------------------------
# Names of indicator keys and table columns (msgids; monitoring's tables read these).
KPI_LABELS: dict[str, str] = {
    # stock and flows
    "indicator": N_("Indicator"),
    "value": N_("Waarde"),
    "stock_start": N_("Bestand begin periode"),
    "stock_end": N_("Bestand eind periode"),
    "inflow": N_("Instroom"),
    "outflow": N_("Uitstroom"),
    "outflow_to_work": N_("Uitstroom naar werk"),
    "durable_6m": N_("Duurzaam na 6 maanden (aandeel)"),
    "durable_12m": N_("Duurzaam na 12 maanden (aandeel)"),
    "reason": N_("Reden"),
    "count": N_("Aantal"),
    "band": N_("Duur"),
    "stock": N_("Bestand"),
    # caseload, rates, first trajectory
    "caseworker": N_("Klantmanager"),
    "cases": N_("Dossiers"),
    "norm": N_("Norm"),
    "above_norm": N_("Boven norm"),
    "average_stock": N_("Gemiddeld bestand"),
    "exemptions": N_("Ontheffingen"),
    "warnings": N_("Waarschuwingen"),
    "sanctions": N_("Maatregelen"),
    "exemptions_per_100": N_("Ontheffingen per 100"),
    "warnings_per_100": N_("Waarschuwingen per 100"),
    "sanctions_per_100": N_("Maatregelen per 100"),
    "deviations": N_("Afwijkingen van advies"),
    "with_trajectory": N_("Met traject"),
    "median_days": N_("Mediaan dagen"),
    "p75_days": N_("75e percentiel dagen"),
    # cohort
    "team": N_("Team"),
    "compliance": N_("Compliance"),
    "langdurigheid": N_("Langdurigheid"),
    "sluiting": N_("Sluiting"),
    "niet_sluiting": N_("Niet-sluiting"),
    "uitstroom_met_traject": N_("Uitstroom met traject"),
    "uitstroom_zonder_traject": N_("Uitstroom zonder traject"),
    # trajectories and providers
    "provider": N_("Aanbieder"),
    "module": N_("Module"),
    "ended": N_("Beëindigd"),
    "successful": N_("Geslaagd"),
    "cost": N_("Kosten"),
    "success_rate": N_("Slagingspercentage"),
    "cost_per_success": N_("Kosten per succes"),
    "trajectories": N_("Trajecten"),
    "population": N_("Populatie"),
    "measured": N_("Gemeten"),
    "no_shows_per_traject": N_("Niet verschenen per traject"),
    "up": N_("Omhoog"),
    "same": N_("Gelijk"),
    "down": N_("Omlaag"),
    "left": N_("Uit uitkering"),
    "unmeasured": N_("Niet gemeten"),
    # budget
    "year": N_("Jaar"),
    "as_of": N_("Stand op"),
    "budget": N_("Budget"),
    "to_date": N_("Besteed tot nu"),
    "remaining": N_("Resterend"),
    "elapsed_months": N_("Verstreken maanden"),
    "per_month": N_("Per maand"),
    "forecast_year_end": N_("Prognose jaareinde"),
    "forecast_balance": N_("Prognose saldo"),
    "depleted_month": N_("Op in maand"),
    "forecast_depletion_month": N_("Prognose: op in maand"),
    "without_amount": N_("Zonder bedrag"),
    "reductions": N_("Verlagingen"),
    "month": N_("Maand"),
    "amount": N_("Bedrag"),
    "cumulative": N_("Cumulatief"),
    "forecast_cumulative": N_("Prognose cumulatief"),
    # provider scores and ladder (keys already Dutch in the core)
    "trajecten": N_("Trajecten"),
    "naar_werk": N_("Naar werk"),
    "uitstroom": N_("Uitstroom"),
    "rapportage": N_("Rapportage op tijd"),
    "bejegening": N_("Bejegening"),
    "diagnostiek": N_("Diagnostiek"),
    "netwerk": N_("Netwerk"),
    "communicatie": N_("Directe communicatie"),
    "kosten": N_("Kosten"),
    "kosten_per_succes": N_("Kosten per succes"),
    "uit_uitkering": N_("Uit uitkering"),
    "totaal": N_("Totaal"),
    "d1": N_("Van datum"),
    "d2": N_("Tot datum"),
    # CBS statistics page (keys already Dutch in the core)
    "statistiek": N_("Statistiek"),
    "maand": N_("Maand"),
    "records": N_("Records"),
    "beeindigd": N_("Beëindigd"),
    "met_ontheffing": N_("Met ontheffing"),
    "met_maatregel": N_("Met maatregel"),
    "fouten": N_("Fouten"),
    "records_met_fout": N_("Records met fout"),
    "code": N_("Code"),
    "omschrijving": N_("Omschrijving"),
    "record": N_("Record"),
    "veld": N_("Veld"),
    "probleem": N_("Probleem"),
    # route: the route indicators (regie.core.kpi.route)
    "applications_decided": N_("Aanvragen beslist"),
    "decided_within_term": N_("Binnen de beslistermijn (aandeel)"),
    "medical_advices": N_("Medische adviezen"),
    "medical_median_days": N_("Mediaan dagen tot medisch advies"),
    "suspensions": N_("Opschortingen"),
    "suspensions_repaired": N_("Opschortingen hersteld"),
    "suspensions_withdrawn": N_("Opschortingen gevolgd door intrekking"),
    "heronderzoeken": N_("Heronderzoeken"),
    "heronderzoeken_on_time": N_("Heronderzoeken op tijd (aandeel)"),
    "refrained_dringende_redenen": N_("Afgezien wegens dringende redenen"),
    "refrained_geen_verwijtbaarheid": N_("Afgezien wegens geen verwijtbaarheid"),
    # outflow reasons as chart and column labels (regie.core.events.OUTFLOW_REASONS)
    "werk_regulier": N_("Werk (regulier)"),
    "werk_gesubsidieerd": N_("Werk (gesubsidieerd, met loonkostensubsidie)"),
    "eigen_bedrijf": N_("Eigen bedrijf"),
    "inkomen_partner": N_("Inkomen van de partner"),
    "andere_uitkering": N_("Andere uitkering"),
    "pensioen": N_("Pensioen (AOW)"),
    "studie": N_("Studie"),
    "verhuizing": N_("Verhuizing naar een andere gemeente"),
    "detentie": N_("Detentie"),
    "overlijden": N_("Overlijden"),
    "geen_recht": N_("Geen recht meer"),
    "overig": N_("Overig"),
}

# One line per indicator or column a teammanager may not know (RWI cohort: seed 001:1602-1692; definitions in
# regie.core.kpi.cohorts and regie.core.kpi.indicators).
KPI_HELP: dict[str, str] = {
    "X": N_("X: cliënten van wie de uitkering in het instroomhalfjaar begon."),
    "Y": N_("Y: van X, na een jaar nog in de uitkering."),
    "Z": N_("Z: van Y, met arbeidsverplichting (geen volledige ontheffing)."),
    "A": N_("A: van Z, met een traject in het eerste jaar."),
    "B": N_("B: van Z, zonder traject in het eerste jaar."),
    "C": N_("C: van de ontheven cliënten (Y − Z), met een traject in het eerste jaar."),
    "A1": N_("A1: van A, uitgestroomd in het eerste halfjaar van jaar 2."),
    "B1": N_("B1: van B, uitgestroomd in het eerste halfjaar van jaar 2."),
    "compliance": N_("Compliance: aandeel van X dat binnen het jaar uitstroomde of een traject kreeg."),
    "langdurigheid": N_("Langdurigheid: aandeel van X dat na een jaar nog een uitkering heeft (Y/X)."),
    "sluiting": N_("Sluiting: aandeel met arbeidsverplichting dat een traject kreeg (A/Z)."),
    "niet_sluiting": N_("Niet-sluiting: aandeel met arbeidsverplichting zonder traject (B/Z)."),
    "uitstroom_met_traject": N_("Uitstroom met traject: aandeel van A dat in jaar 2 uitstroomde (A1/A)."),
    "uitstroom_zonder_traject": N_("Uitstroom zonder traject: aandeel van B dat in jaar 2 uitstroomde (B1/B)."),
    "stock_start": N_("Bestand begin periode: cliënten met een lopende uitkering op de eerste dag."),
    "stock_end": N_("Bestand eind periode: cliënten met een lopende uitkering op de laatste dag."),
    "inflow": N_("Instroom: uitkeringen die in de periode begonnen."),
    "outflow": N_("Uitstroom: uitkeringen die in de periode eindigden, om welke reden ook."),
    "outflow_to_work": N_("Uitstroom naar werk: uitstroom wegens werk, gesubsidieerd werk of een eigen bedrijf."),
    "durable_6m": N_("Duurzaam na 6 maanden: aandeel van de uitstroom naar werk dat na 6 maanden niet terug is."),
    "durable_12m": N_("Duurzaam na 12 maanden: aandeel van de uitstroom naar werk dat na 12 maanden niet terug is."),
    "above_norm": N_("Boven norm: ja als de klantmanager meer dossiers heeft dan de caseloadnorm van het beleid."),
    "exemptions_per_100": N_(
        "Ontheffingen per 100: nieuwe ontheffingen in de periode per 100 cliënten van het gemiddelde bestand."
    ),
    "warnings_per_100": N_(
        "Waarschuwingen per 100: waarschuwingen in de periode per 100 cliënten van het gemiddelde bestand."
    ),
    "sanctions_per_100": N_(
        "Maatregelen per 100: maatregelen in de periode per 100 cliënten van het gemiddelde bestand."
    ),
    "deviations": N_("Afwijkingen van advies: besluiten die afweken van het advies van het beleid."),
    "median_days": N_(
        "Mediaan dagen: dagen van begin uitkering tot eerste traject; de helft van de instroom was sneller."
    ),
    "success_rate": N_(
        "Slagingspercentage: aandeel van de beëindigde trajecten dat met werk of gesubsidieerd werk eindigde."
    ),
    "cost_per_success": N_("Kosten per succes: kosten van de beëindigde trajecten gedeeld door het aantal geslaagde."),
}


# The unit of an indicator column where it is not a plain count (monitoring tables; regie_format's ``measure``):
# shares (0..1) are shown as percentages, amounts in euro. Exports keep the raw values.
KPI_UNITS: dict[str, str] = {
    **dict.fromkeys(
        (
            "durable_6m",
            "durable_12m",
            *COHORT_RATIOS,  # the RWI cohort's shares (regie.core.kpi.cohorts)
            "decided_within_term",
            "heronderzoeken_on_time",
            "success_rate",
            *PROVIDER_CRITERIA,  # each a share of trajectories or reports (regie.core.kpi.providers)
        ),
        "share",
    ),
    **dict.fromkeys(
        (
            "cost",
            "kosten",
            "kosten_per_succes",
            "cost_per_success",
            "budget",
            "to_date",
            "remaining",
            "per_month",
            "forecast_year_end",
            "forecast_balance",
            "reductions",
            "amount",
            "cumulative",
            "forecast_cumulative",
        ),
        "euro",
    ),
}


def kpi_label(key) -> str:
    """The name of an indicator or column key; a key without a name is shown humanised."""
    if isinstance(key, str) and key in KPI_LABELS:
        return gettext(KPI_LABELS[key])
    return key if not isinstance(key, str) or "_" not in key else humanise(key)


def kpi_help(key) -> str:
    """One line explaining the indicator to a teammanager ("" when it needs none)."""
    return gettext(KPI_HELP[key]) if key in KPI_HELP else ""


# --- participatieladder ----------------------------------------------------------------------------------------
RUNG_LABELS = {rung: _(text) for rung, text in CORE_RUNG_LABELS.items()}  # msgids: regie.core.kpi.ladder


def rung_label(rung) -> str:
    """``3`` -> "3 · georganiseerde activiteiten"."""
    try:
        r = int(rung)
    except (TypeError, ValueError):
        return kpi_label(rung)
    return f"{r} · {RUNG_LABELS[r]}" if r in RUNG_LABELS else str(r)


def level_label(level, scheme=None) -> str:
    """A classification level as a user reads it: a rung of the participatieladder with its name ("3 ·
    georganiseerde activiteiten"), another scheme's level by its option label, "—" when none."""
    if level in (None, ""):
        return "—"
    if scheme == "participatieladder" and str(level).isdigit():
        return rung_label(level)
    return option_label("level", level)


# --- equity: the client characteristics the discretion report corrects for (regie.core.equity.data.COVARIATES) --
COVARIATE_LABELS = {
    "age_band": _("leeftijd"),
    "sex": _("geslacht"),
    "education": _("opleiding"),
    "origin": _("herkomst"),
    "household": _("huishouden"),
    "child_under_5": _("kind onder 5 jaar"),
    "health": _("gezondheidsbeperking"),
    "language": _("taalbarrière"),
    "debts": _("schulden"),
    "medical_claim": _("medische claim"),
    "prior_cases": _("eerdere dossiers"),
    "period": _("jaar"),
    "exposure_12m": _("gevolgd gedurende"),
    "obligation_type": _("soort verplichting"),
    "months_on_benefit": _("maanden in de uitkering"),
    "decision_type": _("soort besluit"),
}
COVARIATE_VALUES = {
    "origin": {"nederland": _("Nederland"), "westers": _("westers"), "niet_westers": _("niet-westers")},
    "household": {
        "alleenstaand": _("alleenstaand"),
        "alleenstaande_ouder": _("alleenstaande ouder"),
        "paar": _("paar"),
    },
}


def covariate_label(name) -> str:
    return _text(COVARIATE_LABELS[name]) if name in COVARIATE_LABELS else field_label(name)


def covariate_value(name, value) -> str:
    """A covariate's value: its own vocabulary, else the event schema's (decision_type, obligation_type)."""
    table = COVARIATE_VALUES.get(name, {})
    if value in table:
        return _text(table[value])
    if name == "decision_type":
        return event_label(value)
    return value_label(value, name)


# --- exports: CSV and Excel tables with the user's words (i18n) --------------------------------------------------
def column_label(key, extra=None) -> str:
    """The header of an export column: ``extra`` (a concern's own column names, e.g. the equity report's) first,
    then the KPI and field names of this registry; a key nobody named is humanised, never shown raw."""
    key = str(key)
    if extra is not None and (found := extra(key)) not in (None, "", key):
        return str(found)
    if key in KPI_LABELS:
        return kpi_label(key)
    if has_field_label(key):
        return field_label(key)
    return humanise(key) if "_" in key else key


def export_value(column, value, extra=None):
    """A cell of an export: an option key by its label, a boolean as ja/nee; numbers and dates stay numbers and
    dates (the spreadsheet formats them); people and providers keep their ids (a file is joined to other data)."""
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nee")
    if not isinstance(value, str) or not value:
        return value
    column = str(column)
    if extra is not None and (found := extra(value)) not in (None, "", value):
        return str(found)
    for field in (column, column.removesuffix("_mode")):  # "route_mode": the most chosen route
        if has_option(field, value):
            return option_label(field, value)
    if value in EVENT_LABELS:
        return event_label(value)
    if value in KPI_LABELS and ("_" in value or column in ("indicator", "reason")):
        return kpi_label(value)  # outflow reasons and indicator keys as values
    if value in ROLES:
        return role_label(value)
    return value


def export_rows(rows, *, columns=None, values=None) -> list[dict]:
    """Rows (dicts of keys) for :mod:`regie.platform.exports`, with column names and option values in the
    user's language. ``columns`` / ``values``: a concern's own ``key -> label`` function, asked first."""
    return [{column_label(k, columns): export_value(k, v, values) for k, v in (r or {}).items()} for r in rows or []]


def export_sheets(sheets, *, titles=None, columns=None, values=None) -> dict[str, list[dict]]:
    """:func:`export_rows` for every sheet of a workbook; ``titles`` names the sheets (a dict or a function)."""
    out = {}
    for name, rows in sheets.items():
        title = titles.get(name) if isinstance(titles, dict) else titles(name) if titles else None
        out[str(title or column_label(name, columns))] = export_rows(rows, columns=columns, values=values)
    return out


# --- signals (lead) ---
# The core names a signal in Dutch (regie.core.kpi.signals: the label of its code, with the values it carries, e.g.
# the norm's months or the exemption's kind). The screens show it in the reader's language: the msgid of its code,
# with those values read back from the core's text. A code or text not known here is shown as the core wrote it.
SIGNAL_LABELS = {
    "intake_late": N_("Intake later dan een week na de aanvraag"),
    "search_period_over": N_("Zoekperiode voorbij, aanvraag nog niet beslist"),
    "plan_review_due": N_("Evaluatie plan van aanpak verlopen"),
    "no_trajectory_12m": N_("Geen traject binnen %(months)s maanden na instroom (sluitende aanpak)"),
    "no_contact": N_("Te lang geen contact"),
    "report_overdue": N_("Rapportage aanbieder te laat"),
    "exemption_ended": N_("Ontheffing (%(detail)s) verlopen zonder vervolg"),
    "decision_term_passed": N_("Beslistermijn aanvraag verstreken (Pw art. 44)"),
    "voorschot_due": N_("Nog geen besluit: voorschot binnen vier weken na de aanvraag (Pw art. 52)"),
    "hersteltermijn_passed": N_("Hersteltermijn verstreken: beslis over intrekking of hersteld"),
    "heronderzoek_due": N_("Heronderzoek verlopen"),
    "medical_advice_expired": N_("Medisch advies verlopen: nieuwe beoordeling nodig"),
    "rustplan_ended": N_("Rustplan afgelopen zonder vervolg"),
    "exemption_ending": N_("Ontheffing (%(detail)s) eindigt binnen 30 dagen"),
    "aftercare_ending": N_("Nazorg eindigt binnen 30 dagen"),
    "hersteltermijn_expiring": N_("Hersteltermijn loopt af"),
    "heronderzoek_soon": N_("Heronderzoek binnen 30 dagen"),
    "zienswijze_term_passed": N_("Zienswijzetermijn voorbij: hoor de cliënt of neem het besluit"),
    "objection_term_passed": N_("Beslistermijn bezwaar verstreken (Awb art. 7:10)"),
    "objection_term_expiring": N_("Beslistermijn bezwaar loopt af (Awb art. 7:10)"),
    "no_action": N_("Lang in de uitkering zonder enige actie"),
    "caseload_above_norm": N_("Caseload %(cases)s boven de norm van %(norm)s"),
}
# The due dates of a case (regie.core.kpi.deadlines, regie.core.legal.terms): key -> the Dutch texts the core gives
# it (a key can have two: the route's and the legal term's).
DUE_DATE_LABELS = {
    "intake": (N_("Intake"),),
    "search_period_end": (N_("Einde zoekperiode"),),
    "plan_review": (N_("Evaluatie plan van aanpak"),),
    "trajectory": (N_("Traject (sluitende aanpak)"),),
    "contact": (N_("Volgend contact"),),
    "report": (N_("Rapportage aanbieder"),),
    "exemption_end": (N_("Einde ontheffing (%(ground)s)"),),
    "aftercare_end": (N_("Einde nazorg"),),
    "aanvraag_beslissing": (N_("Beslistermijn aanvraag"),),
    "beslistermijn_aanvraag": (N_("Beslistermijn aanvraag"),),
    "voorschot": (N_("Voorschot (als het recht nog niet vaststaat)"), N_("Voorschot")),
    "hersteltermijn": (N_("Einde hersteltermijn (opschorting)"), N_("Hersteltermijn")),
    "heronderzoek": (N_("Heronderzoek"),),
    "medisch_advies_einde": (N_("Einde medisch advies"),),
    "rustplan_einde": (N_("Einde rustplan"),),
    "bezwaartermijn": (N_("Bezwaartermijn"),),
    "beslistermijn_bezwaar": (N_("Beslistermijn bezwaar"),),
    "beroepstermijn": (N_("Beroepstermijn"),),
    "hogerberoepstermijn": (N_("Termijn hoger beroep"),),
    "zienswijzetermijn": (N_("Zienswijzetermijn"),),
}
_TEXT_PATTERNS: dict[str, re.Pattern] = {}


def _text_pattern(msgid: str) -> re.Pattern:
    """A pattern matching the Dutch text ``msgid`` with its ``%(name)s`` values as named groups."""
    found = _TEXT_PATTERNS.get(msgid)
    if found is None:
        parts = re.split(r"%\((\w+)\)s", msgid)
        rx = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        found = _TEXT_PATTERNS[msgid] = re.compile(rf"^{rx}$")
    return found


def _translated(msgids, text: str) -> str:
    from django.utils.translation import get_language

    if not msgids or (get_language() or "nl").startswith("nl"):
        return text
    for msgid in msgids:
        m = _text_pattern(msgid).match(text or "")
        if m is not None:
            return gettext(msgid) % m.groupdict() if m.groupdict() else gettext(msgid)
    return text


def signal_label(code: str, text: str) -> str:
    """A signal's label in the reader's language, from its code and the core's Dutch text."""
    return _translated((SIGNAL_LABELS[code],) if code in SIGNAL_LABELS else (), text)


def due_date_label(key: str, text: str) -> str:
    """A due date's label in the reader's language, from its key and the core's Dutch text."""
    return _translated(DUE_DATE_LABELS.get(key, ()), text)


# --- the benefit's calculation lines: the core's calculation lines and reasons are Dutch text
# (regie.core.benefit.compute / ledger build them); the English UI translates them here, whole phrases and the parts
# of the patterned ones (the benefit pages and the step form's advice).
_PHRASES = (
    N_("Inkomsten uit arbeid"),
    N_("Overige inkomsten"),
    N_("Geen bijstand: de inkomsten zijn hoger dan de norm"),
    N_("Uitbetaling gereserveerde vakantietoeslag"),
    N_("Aflossing terugvordering"),
    N_("Te betalen per maand"),
    N_("betaling opgeschort (Pw art. 54 lid 1)"),
    N_("geen rekeningnummer vastgelegd"),
    # reasons of a ledger line (regie.core.benefit.ledger.LedgerLine.reason)
    N_("maatregel"),
    N_("inkomsten"),
    N_("vakantietoeslag"),
    N_("teveel betaald"),
    N_("einde uitkering"),
    N_("aflossing terugvordering"),
    N_("norm"),
    # norm types and age bands (regie.core.benefit.compute.NORM_LABELS / BAND_LABELS)
    N_("alleenstaande"),
    N_("alleenstaande ouder"),
    N_("gehuwden / samenwonenden"),
    N_("18 tot 21 jaar"),
    N_("21 jaar tot de pensioenleeftijd"),
    N_("pensioenleeftijd"),
)
_MONTHS = (
    N_("januari"),
    N_("februari"),
    N_("maart"),
    N_("april"),
    N_("mei"),
    N_("juni"),
    N_("juli"),
    N_("augustus"),
    N_("september"),
    N_("oktober"),
    N_("november"),
    N_("december"),
)
_MONTH_RE = r"(?:" + "|".join(_MONTHS) + r") \d{4}"
_PATTERNS = (
    (re.compile(r"^Bijstandsnorm (.+), (.+)$"), N_("Bijstandsnorm %(a)s, %(b)s")),
    (
        re.compile(r"^Kostendelersnorm \((\d+) personen in de woning\)$"),
        N_("Kostendelersnorm (%(a)s personen in de woning)"),
    ),
    (re.compile(r"^Deel van de maand \((\d+) van (\d+) dagen\)$"), N_("Deel van de maand (%(a)s van %(b)s dagen)")),
    (re.compile(r"^Verlaging \(maatregel (.+) %\)$"), N_("Verlaging (maatregel %(a)s %%)")),
    (
        re.compile(r"^Inkomstenvrijlating (.+) % \(ten hoogste (.+)\)$"),
        N_("Inkomstenvrijlating %(a)s %% (ten hoogste %(b)s)"),
    ),
    (re.compile(r"^Reservering vakantietoeslag \((.+) %\)$"), N_("Reservering vakantietoeslag (%(a)s %%)")),
    (re.compile(r"^Nabetaling over (" + _MONTH_RE + r")$"), N_("Nabetaling over %(a)s")),
    (re.compile(r"^nabetaling (.+)$"), N_("nabetaling %(a)s")),
)


def _months(text: str) -> str:
    return re.sub(_MONTH_RE, lambda m: f"{gettext(m.group(0).split()[0])} {m.group(0).split()[1]}", text)


def _one(text: str, whole: bool = False) -> str | None:
    """One phrase translated; None when ``whole`` and no phrase or pattern matches it."""
    if text in _PHRASES:
        return gettext(text)
    for pattern, msgid in _PATTERNS:
        if m := pattern.match(text):
            parts = [_months(gettext(g)) if g in _PHRASES else _months(g) for g in m.groups()]
            return gettext(msgid) % dict(zip("ab", parts, strict=False))
    return None if whole else _months(text)


def benefit_text(value) -> str:
    """A calculation line, a ledger reason ("inkomsten, teveel betaald") or a skip reason of the core in the
    user's language (the core writes Dutch; Dutch is returned as it is)."""
    text = str(value or "")
    if not text or (get_language() or "nl").startswith("nl"):
        return text
    if text in _PHRASES:
        return gettext(text)
    if (whole := _one(text, whole=True)) is not None:
        return whole
    return ", ".join(_one(part) or part for part in text.split(", "))
