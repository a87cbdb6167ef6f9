"""The client route as steps: which event types may be recorded next, and the form of each step.

Forms are generated from the event payload models in :mod:`regie.core.events`, so the web form, the API, the
importer and the lab validate the same fields the same way. Labels are Dutch with English translations.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from regie.core.dates import nl_date
from regie.core.events import DECISION_TYPES, EVENT_TYPES, TrajectoryResult
from regie.platform import labels as registry

STEP_LABELS = {
    "melding": _("Melding"),
    "aanvraag": _("Aanvraag"),
    "toekenning": _("Toekenning"),
    "afwijzing": _("Afwijzing"),
    "intake": _("Intake"),
    "classificatie": _("Classificatie"),
    "plan_van_aanpak": _("Plan van aanpak"),
    "traject_start": _("Verwijzing naar traject"),
    "traject_einde": _("Einde traject"),
    "rapportage": _("Rapportage aanbieder"),
    "driegesprek": _("Driegesprek"),
    "ontheffing_start": _("Ontheffing"),
    "ontheffing_einde": _("Einde ontheffing"),
    "waarschuwing": _("Waarschuwing"),
    "maatregel": _("Maatregel"),
    "contact": _("Contactmoment"),
    "uitstroom": _("Uitstroom"),
    "nazorg_einde": _("Einde nazorg"),
    "herinstroom": _("Herinstroom"),
    "caseworker_toewijzing": _("Toewijzing klantmanager"),
    # client record (h/record): recorded from the record's own forms (regie.clientrecord), not offered as steps
    "adres_wijziging": _("Adreswijziging"),
    "contactgegevens": _("Contactgegevens"),
    "contactpersoon": _("Contactpersoon"),
    "werkprofiel": _("Opleiding en werk"),
    # documents (regie.documents: added through the upload form, not as a route step)
    "document": _("Document toegevoegd"),
    # agenda / journal
    "afspraak": _("Afspraak"),
    "afspraak_uitkomst": _("Uitkomst afspraak"),
    "notitie": _("Notitie"),
    # portal: what the client did in Mijn Regie (not offered as steps)
    "plan_ondertekend": _("Plan ondertekend door de klant (Mijn Regie)"),
    "wijziging_gemeld": _("Wijziging doorgegeven door de klant (Mijn Regie)"),
    "bezwaar_ingediend": _("Bezwaar ingediend door de klant (Mijn Regie)"),
}

FIELD_LABELS = {
    "channel": _("Kanaal"),
    "search_period_end": _("Einde zoekperiode"),
    "norm_type": _("Norm"),
    "cost_sharers": _("Kostendelers"),
    "monthly_amount": _("Bedrag per maand"),
    "benefit_type": _("Uitkering"),
    "reason": _("Reden"),
    "medical_claim": _("Medische claim"),
    "expected_months_to_work": _("Verwachte maanden tot werk"),
    "health_limitation": _("Gezondheidsbeperking"),
    "motivation": _("Motivatie"),
    "debts": _("Schulden"),
    "language_barrier": _("Taalbarrière"),
    "scheme": _("Schema"),
    "level": _("Niveau / trede"),
    "route": _("Route"),
    "version": _("Versie"),
    "signed": _("Ondertekend door cliënt"),
    "review_date": _("Evaluatiedatum"),
    "goal": _("Doel"),
    "trajectory_id": _("Trajectnummer"),
    "kind": _("Soort"),
    "provider": _("Aanbieder"),
    "module": _("Module"),
    "planned_end": _("Geplande einddatum"),
    "price": _("Prijs"),
    "result": _("Resultaat"),
    "cost": _("Kosten"),
    "summary": _("Samenvatting"),
    "exemption_id": _("Ontheffingsnummer"),
    "ground": _("Grond"),
    "scope": _("Omvang"),
    "end_date": _("Einddatum"),
    "obligation_type": _("Soort verplichting"),
    "description": _("Omschrijving"),
    "category": _("Categorie"),
    "percentage": _("Percentage"),
    "months": _("Maanden"),
    "repeat_step": _("Recidive"),
    "amount": _("Bedrag"),
    "cbs_code": _("CBS-code"),
    "previous_case": _("Vorig dossier"),
    "caseworker": _("Klantmanager"),
    "childcare_arranged": _("Kinderopvang geregeld (kinderen tot 12 jaar)"),
    "care_duties": _("Zorgtaken (mantelzorg)"),
    "requested_trajectory": _("Cliënt vraagt zelf om een traject"),
}

# Dutch labels of the choices of the decision steps whose advice the form shows (value -> label).
CHOICE_LABELS: dict[str, dict] = {
    "obligation_type": {
        "arbeidsverplichting": _("Arbeidsverplichting (Pw art. 9, 18 lid 4)"),
        "reintegratie": _("Medewerking aan re-integratie"),
        "inlichtingen": _("Inlichtingenplicht (Pw art. 17)"),
        "administratief": _("Administratieve verplichting"),
        "tegenprestatie": _("Tegenprestatie"),
        "gedrag": _("Zeer ernstige misdragingen"),
    },
    "category": {
        "1": _("Categorie 1"),
        "2": _("Categorie 2"),
        "3": _("Categorie 3"),
        "4": _("Categorie 4"),
        1: _("Categorie 1"),
        2: _("Categorie 2"),
        3: _("Categorie 3"),
        4: _("Categorie 4"),
    },
    "ground": {
        "kind_onder_5": _("Alleenstaande ouder met kind onder 5 jaar (Pw art. 9a)"),
        "geen_kinderopvang": _("Geen kinderopvang geregeld"),
        "medisch": _("Medische redenen"),
        "mantelzorg": _("Mantelzorg / zorgtaken"),
        "sociaal": _("Sociale redenen"),
        "overig": _("Overig"),
        "geen ontheffing": _("geen ontheffing"),
    },
    "scope": {"volledig": _("volledig"), "gedeeltelijk": _("gedeeltelijk")},
    "norm_type": {
        "alleenstaande": _("alleenstaande"),
        "alleenstaande_ouder": _("alleenstaande ouder"),
        "gehuwden": _("gehuwden"),
    },
    "kind": {
        "reintegratie": _("re-integratie"),
        "work_first": _("Work First"),
        "bemiddeling": _("bemiddeling"),
        "scholing": _("scholing"),
        "diagnose": _("diagnose"),
        "zorg": _("zorg"),
        "participatie": _("participatie"),
        "geen traject": _("geen traject"),
    },
    "yesno": {"true": _("ja"), "false": _("nee")},
}

# Facts an exemption ground reads that the form asks as ja / nee / not assessed (a checkbox cannot say "unknown").
TRISTATE = {
    ("ontheffing_start", "childcare_arranged"),
    ("ontheffing_start", "care_duties"),
    ("traject_start", "requested_trajectory"),
}
# Small integer vocabularies offered as a select.
INT_CHOICES = {("maatregel", "category"): ("1", "2", "3", "4")}

# --- labels: the three dicts above are written into the label registry (regie.platform.labels) and the names
# rebound to the registry's objects, so every update below lands in the one source the whole UI reads
registry.EVENT_LABELS.update(STEP_LABELS)
registry.FIELD_LABELS.update(FIELD_LABELS)
registry.OPTION_LABELS.update(CHOICE_LABELS)
STEP_LABELS, FIELD_LABELS, CHOICE_LABELS = registry.EVENT_LABELS, registry.FIELD_LABELS, registry.OPTION_LABELS
# --- end labels ---

FIELD_LABELS["search_period_exception"] = _("Uitzondering zoekperiode")

# --- route: rechtmatigheid, medisch advies, opschorting, intrekking, beëindiging, heronderzoek, rustplan ---------
STEP_LABELS.update(
    {
        "rechtmatigheid": _("Onderzoek rechtmatigheid"),
        "medisch_advies_aanvraag": _("Medisch advies aanvragen"),
        "medisch_advies": _("Medisch advies"),
        "opschorting": _("Opschorting (Pw art. 54)"),
        "opschorting_einde": _("Einde opschorting (hersteld)"),
        "intrekking": _("Intrekking"),
        "beeindiging": _("Beëindiging (besluit)"),
        "heronderzoek": _("Heronderzoek"),
        "rustplan": _("Rustplan"),
    }
)
FIELD_LABELS.update(
    {
        "verblijf": _("Verblijf (woonplaats en verblijfsstatus)"),
        "identiteit": _("Identiteit"),
        "inkomen": _("Inkomen"),
        "vermogen": _("Vermogen"),
        "huishouden": _("Huishouden en kostendelers"),
        "huisbezoek": _("Huisbezoek"),
        "vermogen_bedrag": _("Vermogen (bedrag)"),
        "vermogensgrens": _("Vermogensgrens"),
        "kostendelers": _("Kostendelers"),
        "outcome": _("Uitkomst"),
        "advisor": _("Medisch adviseur"),
        "question": _("Vraagstelling"),
        "hours_per_week": _("Uren per week"),
        "missing": _("Wat moet de cliënt aanleveren of doen"),
        "hersteltermijn_days": _("Hersteltermijn (dagen)"),
        "from_date": _("Met ingang van"),
        "expectations": _("Wat wordt er in de tussentijd verwacht"),
        "afzien": _("Afzien van de maatregel"),
    }
)
_CHECK = {"voldoet": _("voldoet"), "voldoet_niet": _("voldoet niet"), "niet_onderzocht": _("niet onderzocht")}
CHOICE_LABELS.update({item: _CHECK for item in ("verblijf", "identiteit", "inkomen", "vermogen", "huishouden")})
CHOICE_LABELS["huisbezoek"] = _CHECK  # rechtmatigheid; heronderzoek's huisbezoek is a checkbox
CHOICE_LABELS["outcome"] = {
    "rechtmatig": _("rechtmatig"),
    "niet_rechtmatig": _("niet rechtmatig"),
    "onvolledig": _("onderzoek loopt nog"),
    "volledig_arbeidsgeschikt": _("volledig arbeidsgeschikt"),
    "gedeeltelijk_arbeidsgeschikt": _("gedeeltelijk arbeidsgeschikt"),
    "niet_arbeidsgeschikt": _("niet arbeidsgeschikt"),
    "ongewijzigd": _("ongewijzigd"),
    "gewijzigd": _("gewijzigd: de uitkering wordt aangepast"),
    "geen_recht": _("geen recht meer: intrekking of beëindiging volgt"),
}
CHOICE_LABELS["ground"]["medisch_advies_aanvragen"] = _("eerst medisch advies aanvragen (de intake is opgeschort)")
CHOICE_LABELS["afzien"] = {
    "dringende_redenen": _("Dringende redenen (Pw art. 18 lid 10)"),
    "geen_verwijtbaarheid": _("Geen enkele verwijtbaarheid (Pw art. 18 lid 9)"),
}
ROUTE_REASON_LABELS = {
    "medisch_advies_aanvraag": {
        "medische_claim": _("medische claim bij de intake"),
        "twijfel": _("twijfel van de klantmanager"),
        "herbeoordeling": _("herbeoordeling van een eerder advies"),
    },
    "opschorting": {
        "inlichtingen": _("inlichtingen niet verstrekt"),
        "medewerking": _("geen medewerking"),
        "identiteit": _("identiteit niet vastgesteld"),
        "overig": _("overig"),
    },
    "intrekking": {
        "verzuim_niet_hersteld": _("verzuim niet hersteld binnen de hersteltermijn (Pw art. 54 lid 4)"),
        "onjuiste_inlichtingen": _("onjuiste of onvolledige inlichtingen (Pw art. 54 lid 3)"),
        "geen_recht": _("geen recht op bijstand"),
    },
}
CHOICE_LABELS["result"] = {"hersteld": _("hersteld")}
CHOICE_LABELS.update({f"{t}.reason": o for t, o in ROUTE_REASON_LABELS.items()})  # labels: options per event type
SERVER_SET_ROUTE = {("opschorting", "hersteltermijn_end"), ("rustplan", "end_date")}
# --- documents ---
FIELD_LABELS.update(
    {
        "document_id": _("Documentnummer"),
        "document_date": _("Datum document"),
        "retention_class": _("Bewaarklasse"),
        "confidential": _("Vertrouwelijk"),
        "storage_key": _("Opslagsleutel"),
        "sha256": _("Controlegetal (SHA-256)"),
        "size": _("Grootte"),
        "content_type": _("Bestandstype"),
        "origin": _("Herkomst"),
    }
)
CHOICE_LABELS["document_kind"] = {
    "identiteitsbewijs": _("Identiteitsbewijs"),
    "loonstrook": _("Loonstrook"),
    "bankafschrift": _("Bankafschrift"),
    "medische_informatie": _("Medische informatie"),
    "ondertekend_plan": _("Ondertekend plan"),
    "brief_gemeente": _("Brief van de gemeente"),
    "rapportage": _("Rapportage"),
    "overig": _("Overig"),
}

# Which steps make sense in which case status (the route, domain brief section 3). Contacts, reports and
# caseworker assignment are possible at any time while the case is open.
ANYTIME = ("contact", "caseworker_toewijzing")
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "gemeld": ("aanvraag", "afwijzing", *ANYTIME),
    "aangevraagd": ("toekenning", "afwijzing", "intake", *ANYTIME),
    "lopend": (
        "intake",
        "classificatie",
        "plan_van_aanpak",
        "traject_start",
        "traject_einde",
        "rapportage",
        "driegesprek",
        "ontheffing_start",
        "ontheffing_einde",
        "waarschuwing",
        "maatregel",
        "uitstroom",
        *ANYTIME,
    ),
    "afgewezen": ("herinstroom",),
    "uitgestroomd": ("nazorg_einde", "contact", "herinstroom"),
    "afgesloten": ("herinstroom",),
}
# route: the eligibility check and the medical assessment during the aanvraag; suspension, withdrawal, ending,
# re-examination and rest plan while the benefit runs
NEXT_STEPS["aangevraagd"] += ("rechtmatigheid", "medisch_advies_aanvraag", "medisch_advies")
NEXT_STEPS["lopend"] += (
    "rechtmatigheid",
    "medisch_advies_aanvraag",
    "medisch_advies",
    "opschorting",
    "opschorting_einde",
    "intrekking",
    "beeindiging",
    "heronderzoek",
    "rustplan",
)


# --- benefit: household change, income, recovery, fine (regie.benefit); betaling is written by the payment run ---
STEP_LABELS.update(
    {
        "wijziging_huishouden": _("Wijziging huishouden"),
        "inkomstenopgave": _("Inkomstenopgave"),
        "terugvordering": _("Terugvordering"),
        "boete": _("Boete"),
        "betaling": _("Betaling"),
    }
)
FIELD_LABELS.update(
    {
        "partner_birth_date": _("Geboortedatum partner"),
        "has_children": _("Kinderen in het huishouden"),
        "note": _("Notitie"),
        "month": _("Maand (JJJJ-MM)"),
        "work_income": _("Inkomsten uit arbeid (netto)"),
        "other_income": _("Overige inkomsten (netto)"),
        "reported_by": _("Opgegeven door"),
        "vrijlating": _("Inkomstenvrijlating"),
        "repayment_monthly": _("Aflossing per maand"),
        "repayment_start": _("Eerste aflossing"),
        "damage": _("Benadelingsbedrag"),
        "blame": _("Verwijtbaarheid"),
    }
)
CHOICE_LABELS.update(
    {
        "reported_by": {"client": _("cliënt"), "werkgever": _("werkgever"), "uwv": _("UWV")},
        "blame": {
            "opzet": _("opzet (100 %)"),
            "grove_schuld": _("grove schuld (75 %)"),
            "geen_opzet_of_grove_schuld": _("geen opzet of grove schuld (50 %)"),
            "verminderde_verwijtbaarheid": _("verminderde verwijtbaarheid (25 %)"),
        },
    }
)
TRISTATE |= {("wijziging_huishouden", "has_children"), ("inkomstenopgave", "vrijlating")}
NEXT_STEPS["lopend"] = (*NEXT_STEPS["lopend"], "wijziging_huishouden", "inkomstenopgave", "terugvordering", "boete")
NEXT_STEPS["uitgestroomd"] = (*NEXT_STEPS["uitgestroomd"], "inkomstenopgave", "terugvordering", "boete")


@dataclass
class FieldSpec:
    name: str
    label: str
    widget: str  # "select", "checkbox", "date", "number", "text", "textarea"
    required: bool
    choices: tuple[str, ...] = ()
    step: str = "1"
    help: str = ""
    labels: str = ""  # key of CHOICE_LABELS for the choices' labels (default: the field name)

    @property
    def options(self) -> list[tuple[str, str]]:
        """(value, label) pairs of a select; a choice may itself be a (value, label) pair."""
        event_type, _dot, field = (self.labels or self.name).rpartition(".")  # the registry: regie.platform.labels
        return [
            (str(c[0]), c[1] if isinstance(c[1], registry.DutchText) else str(c[1]))
            if isinstance(c, tuple)
            else (str(c), registry.option_label(field, c, event_type or None))
            for c in self.choices
        ]


def _unwrap(annotation):
    """(inner type, optional?) for ``X | None`` and ``Optional[X]``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), True
    return annotation, False


# Fields Regie fills in itself: the form does not ask for them (validation.py, services.append_event).
SERVER_SET = {
    ("traject_start", "trajectory_id"),
    ("ontheffing_start", "exemption_id"),
    ("melding", "search_period_end"),
    ("uitstroom", "cbs_code"),
    ("uitstroom", "trajectory_results"),
    *SERVER_SET_ROUTE,
    # benefit: computed by the decision gate (regie.core.events.SERVER_COMPUTED_PAYLOAD)
    ("toekenning", "monthly_amount"),
    ("terugvordering", "amount"),
    ("boete", "amount"),
}
# --- employers: the demand side's case events (their own page is regie.employers: /werkgevers/dossier/<id>/) ---
STEP_LABELS.update(
    {
        "werkprofiel_aanvulling": _("Werkprofiel aanvullen"),
        "toestemming_delen": _("Toestemming gegevens delen"),
        "match_voorgesteld": _("Voorgesteld aan werkgever"),
        "plaatsing": _("Plaatsing"),
        "plaatsing_einde": _("Einde plaatsing"),
        "nazorg_contact": _("Nazorgcontact"),
        "verwijzing": _("Verwijzing sociale kaart"),
        "verwijzing_uitkomst": _("Uitkomst verwijzing"),
        "subsidiebetaling": _("Betaling loonkostensubsidie"),  # employers2: written by the payment run
    }
)
SERVER_SET |= {("toestemming_delen", "consent_id"), ("verwijzing", "referral_id")}  # a placement number may be typed
RESULT_PREFIX = "trajectory_result__"  # uitstroom: one select per open trajectory, named RESULT_PREFIX + its id


# --- legal: the steps of the decision's legal life (forms on the objection pages, regie.legal) ---
STEP_LABELS.update(
    {
        "voornemen": _("Voornemen"),
        "horen": _("Horen (zienswijze)"),
        "bekendmaking": _("Bekendmaking besluit"),
        "bezwaar": _("Bezwaar ontvangen"),
        "bezwaar_horen": _("Hoorzitting bezwaar"),
        "bezwaar_termijn": _("Beslistermijn bezwaar wijzigen"),
        "voorlopige_voorziening": _("Voorlopige voorziening"),
        "beslissing_op_bezwaar": _("Beslissing op bezwaar"),
        "beroep": _("Beroep"),
    }
)
FIELD_LABELS.update(
    {
        "voornemen_id": _("Voornemen"),
        "decision_type": _("Soort besluit"),
        "zienswijze_days": _("Zienswijzetermijn (dagen)"),
        "no_hearing_ground": _("Grond om niet te horen"),
        "status": _("Status"),
        "planned_on": _("Datum hoorzitting"),
        "start_time": _("Begintijd"),
        "location": _("Locatie"),
        "form": _("Vorm"),
        "decision_event": _("Besluit"),
        "objection_id": _("Bezwaar"),
        "posted_on": _("Datum poststempel"),
        "late_reason": _("Reden te late indiening"),
        "grounds": _("Gronden van het bezwaar"),
        "advisory_committee": _("Adviescommissie"),
        "by": _("Gehoord door"),
        "weeks": _("Weken"),
        "until": _("Tot en met"),
        "days": _("Dagen"),
        "consent": _("Indiener stemt in"),
        "appeal_id": _("Beroep"),
        "suspends": _("Schorst het besluit"),
        "court": _("Rechter"),
        "outcome": _("Uitkomst"),
        "revoked": _("Besluit herroepen"),
        "new_decision": _("Nieuw besluit"),
        "new_decision_event": _("Nieuw besluit (gebeurtenisnummer)"),
        "advice_followed": _("Advies commissie gevolgd"),
        "lower_appeal_id": _("Beroep bij de rechtbank"),
        "ruling_sent_on": _("Uitspraak verzonden op"),
        "court_name": _("Naam rechtbank"),
    }
)
for _name, _labels in {
    "decision_type": {
        "maatregel": _("Maatregel"),
        "intrekking": _("Intrekking"),
        "beeindiging": _("Beëindiging"),
        "terugvordering": _("Terugvordering"),
        "boete": _("Boete"),
    },
    "no_hearing_ground": {
        "awb_4_11_a": _("Spoed (Awb art. 4:11 sub a)"),
        "awb_4_11_b": _("Eerder gehoord, geen nieuwe feiten (Awb art. 4:11 sub b)"),
        "awb_4_11_c": _("Doel vereist geen voorafgaande kennisgeving (Awb art. 4:11 sub c)"),
        "awb_4_12": _("Financiële beschikking (Awb art. 4:12)"),
    },
    "status": {
        "uitgenodigd": _("Uitgenodigd"),
        "gehoord": _("Gehoord"),
        "afgezien": _("Afgezien door cliënt"),
        "geen_reactie": _("Geen reactie binnen de termijn"),
        "achterwege": _("Achterwege gelaten (Awb art. 7:3)"),
        "verzocht": _("Verzocht"),
        "toegewezen": _("Toegewezen"),
        "afgewezen": _("Afgewezen"),
        "ingetrokken": _("Ingetrokken"),
    },
    "form": {"mondeling": _("Mondeling"), "schriftelijk": _("Schriftelijk")},
    "by": {"bezwaarcommissie": _("Bezwaarcommissie"), "ambtenaar": _("Ambtenaar (niet betrokken bij het besluit)")},
    "kind": {
        "verdaging": _("Verdaging (Awb art. 7:10 lid 3)"),
        "uitstel": _("Uitstel met instemming (Awb art. 7:10 lid 4)"),
        "opschorting": _("Opschorting herstel verzuim (Awb art. 7:10 lid 2)"),
    },
    "court": {"rechtbank": _("Rechtbank"), "crvb": _("Centrale Raad van Beroep (hoger beroep)")},
    "stage": {
        "ingesteld": _("Ingesteld"),
        "zitting": _("Zitting"),
        "uitspraak": _("Uitspraak"),
        "ingetrokken": _("Ingetrokken"),
    },
    "outcome": {
        "gegrond": _("Gegrond"),
        "deels_gegrond": _("Deels gegrond"),
        "ongegrond": _("Ongegrond"),
        "niet_ontvankelijk": _("Niet-ontvankelijk"),
        "ingetrokken": _("Ingetrokken door de indiener"),
    },
    "channel": {"post": _("Per post"), "digitaal": _("Digitaal"), "uitreiking": _("Uitgereikt")},
    "ground": {
        "kennelijk_niet_ontvankelijk": _("Kennelijk niet-ontvankelijk"),
        "kennelijk_ongegrond": _("Kennelijk ongegrond"),
        "geen_gebruik": _("Indiener ziet af van horen"),
        "tegemoetgekomen": _("Volledig tegemoetgekomen"),
    },
}.items():
    CHOICE_LABELS.setdefault(_name, {}).update(_labels)
FIELD_LABELS["stage"] = _("Fase")
# Regie sets these (lifecycle.completed_payload; new ids like trajectory numbers)
SERVER_SET |= {
    ("voornemen", "voornemen_id"),
    ("voornemen", "zienswijze_until"),
    ("bekendmaking", "decision_type"),
    ("bezwaar", "decision_type"),
    ("bezwaar", "objection_id"),
}
TRISTATE |= {("bezwaar", "advisory_committee"), ("beslissing_op_bezwaar", "advice_followed")}
# --- end legal ---


def fields_for(event_type: str) -> list[FieldSpec]:
    model = EVENT_TYPES[event_type]
    specs = []
    for name, info in model.model_fields.items():
        if (event_type, name) in SERVER_SET:
            continue
        inner, optional = _unwrap(info.annotation)
        required = info.is_required() and not optional
        label = registry.field_label(name)
        helptext = info.description or ""
        if (event_type, name) in TRISTATE:
            specs.append(FieldSpec(name, label, "select", False, ("true", "false"), help=helptext, labels="yesno"))
        elif (event_type, name) in INT_CHOICES:
            specs.append(FieldSpec(name, label, "select", required, INT_CHOICES[(event_type, name)], help=helptext))
        elif typing.get_origin(inner) is typing.Literal:
            choices = tuple(typing.get_args(inner))
            scoped = f"{event_type}.{name}"  # this event type's options (the registry falls back to the field's)
            specs.append(FieldSpec(name, label, "select", required, choices, help=helptext, labels=scoped))
        elif inner is bool:
            specs.append(FieldSpec(name, label, "checkbox", False, help=helptext))
        elif inner is dt.date:
            specs.append(FieldSpec(name, label, "date", required, help=helptext))
        elif inner is dt.time:
            specs.append(FieldSpec(name, label, "time", required, help=helptext))
        elif inner in (int, float, Decimal):  # Decimal: benefit amounts
            specs.append(
                FieldSpec(name, label, "number", required, step="1" if inner is int else "0.01", help=helptext)
            )
        else:
            widget = "textarea" if name in ("summary", "description", "goal") else "text"
            specs.append(FieldSpec(name, label, widget, required, help=helptext))
    return specs


def parse_form(event_type: str, data) -> dict:
    """Turn submitted form data into a payload dict (empty inputs are left out; validation is the model's)."""
    payload: dict = {}
    for spec in fields_for(event_type):
        if spec.widget == "checkbox":
            payload[spec.name] = data.get(spec.name) in ("on", "true", "1")
            continue
        raw = (data.get(spec.name) or "").strip()
        if raw == "":
            continue
        payload[spec.name] = raw
    if event_type == "uitstroom":
        results = {
            k.removeprefix(RESULT_PREFIX): (v or "").strip() for k, v in data.items() if k.startswith(RESULT_PREFIX)
        }
        if results:
            payload["trajectory_results"] = {k: v for k, v in results.items() if v}
    return payload


def _register_choices(case) -> tuple:
    """The providers a referral may name: contracted on the day, labelled with code, capacity and modules."""
    from regie.accounts.models import Provider

    today = dt.date.today()
    out = []
    for p in Provider.objects.filter(municipality_id=case.municipality_id).order_by("name"):
        if not p.contracted_on(today):
            continue
        extra = [p.code]
        if p.capacity is not None:
            extra.append(str(_("%(n)s plaatsen") % {"n": p.capacity}))
        if p.modules:
            extra.append(", ".join(m.get("name", m.get("code", "")) for m in p.modules))
        # the provider's own names of its modules: Dutch in the English UI too (the option is marked lang="nl")
        out.append(
            (
                p.code,
                registry.DutchText(f"{p.name} ({' · '.join(extra)})")
                if p.modules
                else f"{p.name} ({' · '.join(extra)})",
            )
        )
    return tuple(out)


def _register_modules(case) -> tuple:
    """Every module of the municipality's contracted providers, or () when the register names none (free text)."""
    from regie.accounts.models import Provider

    today = dt.date.today()
    seen: dict[str, str] = {}
    for p in Provider.objects.filter(municipality_id=case.municipality_id).order_by("name"):
        if p.contracted_on(today):
            for m in p.modules or []:
                seen.setdefault(m.get("code", ""), registry.DutchText(f"{m.get('name', '')} ({p.name})"))
    return tuple((c, n) for c, n in seen.items() if c)


def for_case(case, event_type: str, fields: list[FieldSpec]) -> list[FieldSpec]:
    """The step's fields with what the case and the municipality offer: the provider from the municipality's
    providers, trajectory and exemption numbers from the case's open ones, a result per open trajectory at the
    outflow, and the search period exception only on an aanvraag in a case with a search period."""
    from regie.accounts.models import Provider
    from regie.core.events import SEARCH_PERIOD_EXCEPTIONS

    snap = getattr(getattr(case, "state", None), "snapshot", None) or {}
    trajectories = snap.get("trajectories") or {}
    providers = dict(Provider.objects.filter(municipality_id=case.municipality_id).values_list("code", "name"))
    out = []
    for f in fields:
        if f.name == "provider" and event_type == "traject_start":
            # from the provider register (h/record): contracted today, with capacity and modules in the label
            f.widget, f.choices = "select", _register_choices(case)
        elif f.name == "module" and event_type == "traject_start" and (modules := _register_modules(case)):
            f.widget, f.choices = "select", modules
        elif f.name == "trajectory_id" and event_type in ("traject_einde", "rapportage", "driegesprek"):
            f.widget, f.choices = (
                "select",
                tuple(
                    (tid, f"{tid} · {t.get('kind', '')} · {providers.get(t.get('provider'), t.get('provider') or '')}")
                    for tid, t in trajectories.items()
                ),
            )
        elif f.name == "exemption_id" and event_type == "ontheffing_einde":
            f.widget, f.choices = (
                "select",
                tuple((eid, f"{eid} · {e.get('ground', '')}") for eid, e in (snap.get("exemptions") or {}).items()),
            )
        elif f.name == "search_period_exception":
            if event_type == "aanvraag" and not snap.get("search_period_end"):
                continue
            f.choices = tuple((k, str(_(v))) for k, v in SEARCH_PERIOD_EXCEPTIONS.items())
            f.help = str(
                _(
                    "Alleen nodig als de aanvraag vóór het einde van de zoekperiode (%(end)s) wordt "
                    "behandeld (Pw art. 41 lid 4)"
                )
                % {"end": snap.get("search_period_end") or "—"}
            )
        out.append(f)
    out = route_fields(case, event_type, out)
    if event_type == "uitstroom":
        kinds = typing.get_args(TrajectoryResult)
        for tid, t in trajectories.items():
            name = providers.get(t.get("provider"), t.get("provider") or "")
            out.append(
                FieldSpec(
                    f"{RESULT_PREFIX}{tid}",
                    str(
                        _("Resultaat traject %(id)s (%(kind)s, %(provider)s)")
                        % {"id": tid, "kind": t.get("kind", ""), "provider": name}
                    ),
                    "select",
                    True,
                    kinds,
                )
            )
    return out


def route_fields(case, event_type: str, fields: list[FieldSpec]) -> list[FieldSpec]:
    """route: the reasons' Dutch labels per step, and help from the policy in force today: the national layer's
    vermogensgrens (Pw art. 34 lid 3) and the municipality's hersteltermijn (Pw art. 54 lid 1). Without a policy the
    help stays empty (the gate refuses the step itself, fail closed)."""
    from regie.core.policy import PolicyUnavailable, policy_for

    policy = None
    if event_type in ("rechtmatigheid", "opschorting"):
        try:
            policy = policy_for(case.municipality.code, dt.date.today())
        except PolicyUnavailable:
            policy = None
    for f in fields:
        if f.name == "reason" and event_type in ROUTE_REASON_LABELS:
            f.choices = tuple((c, str(label)) for c, label in ROUTE_REASON_LABELS[event_type].items())
        elif f.name == "vermogensgrens" and policy is not None:
            from regie.platform.templatetags.regie_format import euro

            try:
                n = policy.norms_on(dt.date.today())
            except PolicyUnavailable:
                n = None
            if n is not None and n.asset_limit_single is not None and n.asset_limit_family is not None:
                f.help = str(
                    _("Vermogensgrens per %(date)s: alleenstaande %(single)s, gezin of alleenstaande ouder %(family)s")
                    % {
                        "date": nl_date(n.valid_from),
                        "single": euro(n.asset_limit_single),
                        "family": euro(n.asset_limit_family),
                    }
                )
        elif f.name == "hersteltermijn_days" and policy is not None:
            f.help = str(
                _("Leeg: de termijn van het beleid, %(days)s dagen; Regie berekent de einddatum")
                % {"days": policy.route_rules.hersteltermijn_days.value}
            )
        elif f.name == "from_date" and event_type == "intrekking":
            f.help = str(_("Leeg bij verzuim niet hersteld: Regie neemt de eerste dag van de opschorting"))
    return fields


def advice_inputs(event_type: str, data) -> dict:
    """The form's values as the policy engine reads them: each parsed with its payload field's type; a value that
    does not parse (yet) is left out, so a half-filled form still gets advice on what it has."""
    from pydantic import TypeAdapter, ValidationError

    model = EVENT_TYPES[event_type]
    out: dict = {}
    for name, raw in parse_form(event_type, data).items():
        info = model.model_fields.get(name)
        if info is None:
            continue
        try:
            out[name] = TypeAdapter(info.annotation).validate_python(raw)
        except ValidationError:
            continue
    return out


def is_decision(event_type: str) -> bool:
    return event_type in DECISION_TYPES


def next_steps(status: str | None) -> tuple[str, ...]:
    return NEXT_STEPS.get(status or "gemeld", ANYTIME)


# portal: who lodged an objection in Mijn Regie, and where (Bezwaar.lodged_via / lodged_by)
FIELD_LABELS.update({"lodged_via": _("Ingediend via"), "lodged_by": _("Ingediend door")})
CHOICE_LABELS.update(
    {
        "lodged_via": {"mijnregie": _("Mijn Regie")},
        "lodged_by": {"client": _("cliënt"), "vertegenwoordiger": _("vertegenwoordiger van de cliënt")},
    }
)
