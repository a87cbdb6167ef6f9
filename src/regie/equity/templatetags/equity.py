"""Template filters of the equity pages."""

import datetime as dt
import re

from django import template
from django.utils.translation import gettext as _

from regie.core.dates import nl_date
from regie.platform.templatetags.regie_format import decimal, percent

register = template.Library()


@register.filter
def cell(value):
    """A table cell: None as a dash, floats to 3 decimals in the user's language (0,276; 0.276 in English), lists
    and dicts compact."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, float):
        # a whole number (a rung, a count) without decimals; a share or coefficient with three ("0,276")
        return decimal(value, 0) if value.is_integer() and abs(value) >= 1 else decimal(value, 3)
    if isinstance(value, (dt.date, str)) and (text := str(value))[:10].count("-") == 2 and len(text) == 10:
        try:  # dates dd-mm-jjjj
            return nl_date(dt.date.fromisoformat(text))
        except ValueError:
            return value
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(cell(v)) for v in value) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {cell(v)}" for k, v in value.items())
    if isinstance(value, str) and (value in DECISION_LABELS or value in VALUE_KEYS):
        return label(value)
    return value


# Dutch names (English when chosen) of the decision types and table columns of the discretion report. The core's
# keys stay as they are in exports and the API.
from django.utils.translation import gettext_noop as N_  # noqa: E402

DECISION_LABELS = {
    "classification_level": (
        N_("Indeling (trede)"),
        N_("Trede van de eerste indeling van een dossier (hoger = dichter bij werk)."),
    ),
    "trajectory_12m": (
        N_("Traject binnen 12 maanden"),
        N_("Traject gestart binnen 12 maanden na de start van de uitkering."),
    ),
    "exemption_12m": (
        N_("Ontheffing binnen 12 maanden"),
        N_("Ontheffing van de arbeidsplicht binnen 12 maanden na de start van de uitkering."),
    ),
    "sanction": (
        N_("Maatregel i.p.v. waarschuwing"),
        N_("Een maatregel in plaats van een waarschuwing, bij vastgelegde verwijtbare gedragingen."),
    ),
    "deviation": (
        N_("Afwijking van het advies"),
        N_("Besluit wijkt af van het beleidsadvies, bij besluiten met een advies."),
    ),
    "time_to_trajectory": (
        N_("Tijd tot eerste traject"),
        N_(
            "Tijd van de start van de uitkering tot het eerste traject "
            "(gecensureerd bij uitstroom, peildatum of 24 maanden)."
        ),
    ),
    "outflow_work_12m": (
        N_("Uitstroom naar werk binnen 12 maanden"),
        N_("Uitstroom naar werk binnen 12 maanden na de start van de uitkering."),
    ),
}
COLUMN_LABELS = {
    "decision": N_("Beslissing"),
    "kind": N_("Soort"),
    "n": N_("n"),
    "caseworkers": N_("Klantmanagers"),
    "mean": N_("Gemiddelde"),
    "icc": N_("ICC"),
    "icc_lo": N_("ICC ondergrens"),
    "icc_hi": N_("ICC bovengrens"),
    "flagged": N_("Opvallend"),
    "method": N_("Methode"),
    "error": N_("Fout"),
    "caseworker": N_("Klantmanager"),
    "team": N_("Team"),
    "observed": N_("Waargenomen"),
    "expected": N_("Verwacht"),
    "effect": N_("Effect"),
    "effect_lo": N_("Effect ondergrens"),
    "effect_hi": N_("Effect bovengrens"),
    "flag": N_("Signaal"),
    "decisions": N_("Besluiten"),
    "deviations": N_("Afwijkingen"),
    "rate": N_("Aandeel"),
    "logic_professional": N_("Professionele logica"),
    "logic_bureaucratic": N_("Bureaucratische logica"),
    "logic_market": N_("Marktlogica"),
    "logic_unclassified": N_("Niet ingedeeld"),
    "profile": N_("Profiel"),
    "case_a": N_("Dossier A"),
    "caseworker_a": N_("Klantmanager A"),
    "date_a": N_("Datum A"),
    "value_a": N_("Uitkomst A"),
    "case_b": N_("Dossier B"),
    "caseworker_b": N_("Klantmanager B"),
    "date_b": N_("Datum B"),
    "value_b": N_("Uitkomst B"),
    "binary": N_("ja/nee"),
    "continuous": N_("doorlopend"),
    "duration": N_("duur"),
    # vignette analysis
    "question": N_("Vraag"),
    "scheme": N_("Schema"),
    "vignettes": N_("Vignetten"),
    "answers": N_("Antwoorden"),
    "fleiss_kappa": N_("Fleiss' kappa"),
    "krippendorff_alpha": N_("Krippendorffs alfa"),
    "vignette": N_("Vignet"),
    "level_mode": N_("Meest gekozen trede"),
    "level_mode_share": N_("Aandeel meest gekozen trede"),
    "level_agreement": N_("Overeenstemming trede"),
    "route_mode": N_("Meest gekozen route"),
    "route_mode_share": N_("Aandeel meest gekozen route"),
    "route_agreement": N_("Overeenstemming route"),
    "exemption_yes_share": N_("Aandeel ontheffing"),
    "months_mean": N_("Maanden: gemiddelde"),
    "months_sd": N_("Maanden: sd"),
    "months_min": N_("Maanden: min"),
    "months_q1": N_("Maanden: Q1"),
    "months_median": N_("Maanden: mediaan"),
    "months_q3": N_("Maanden: Q3"),
    "months_max": N_("Maanden: max"),
    "level_rank_sd": N_("Trede: sd"),
    "level_rank_mean": N_("Trede: gemiddelde"),
    "answer": N_("Antwoord"),
    "respondents": N_("Respondenten"),
    "municipalities": N_("Gemeenten"),
    "municipality": N_("Gemeente"),
    "var_municipality": N_("Variantie gemeente"),
    "var_respondent": N_("Variantie klantmanager"),
    "var_residual": N_("Variantie rest"),
    "icc_municipality": N_("Aandeel gemeente"),
    "share_respondent": N_("Aandeel klantmanager"),
    "truncated": N_("Afgekapt"),
    "warning": N_("Waarschuwing"),
    "months": N_("Maanden tot werk"),
    "level_rank": N_("Trede (rangnummer)"),
    "level": N_("Trede"),
    "route": N_("Route"),
    "exemption": N_("Ontheffing"),
    "above": N_("hoger dan verwacht"),
    "below": N_("lager dan verwacht"),
}


# values (not only column names) that are shown by their label
VALUE_KEYS = frozenset(
    {"binary", "continuous", "duration", "above", "below", "months", "level_rank", "level", "route", "exemption"}
)


# columns whose values are option keys of the policy files (a route "work_first", a level, a scheme): shown by the
# label registry's name for them (regie.platform.labels)
OPTION_COLUMNS = {
    "route": "route",
    "route_mode": "route",
    "level": "level",
    "level_mode": "level",
    "scheme": "scheme",
}


# the variance analysis's warnings (regie.core.equity.vignettes), written in English by the core, in the reader's
# language; parts joined by "; "
_WARNINGS = {
    "too few answers": N_("te weinig antwoorden"),
    "too few answers per caseworker": N_("te weinig antwoorden per klantmanager"),
    "one caseworker per municipality: caseworker and municipality cannot be separated": N_(
        "één klantmanager per gemeente: klantmanager en gemeente zijn niet te scheiden"
    ),
    "level ranks of different schemes are not one scale": N_(
        "rangnummers van treden uit verschillende indelingen zijn niet één schaal"
    ),
}
_FEW_MUNICIPALITIES = re.compile(r"^only (\d+) municipalities: the between-municipality variance is very imprecise$")
# columns that are shares (0..1): shown as percentages
SHARE_COLUMNS = frozenset(
    {"rate", "level_mode_share", "route_mode_share", "exemption_yes_share", "share_respondent", "icc_municipality"}
)


def warning_text(value: str) -> str:
    parts = []
    for part in str(value).split("; "):
        if m := _FEW_MUNICIPALITIES.match(part):
            parts.append(_("slechts %(n)s gemeenten: de variantie tussen gemeenten is erg onnauwkeurig") % {"n": m[1]})
        elif part in _WARNINGS:
            parts.append(_(_WARNINGS[part]))
        else:
            parts.append(part)
    return "; ".join(parts)


@register.filter
def cell_in(value, column):
    """A table cell of ``column``: an option key of the policy files by its label, a share as a percentage, a
    warning in the reader's language, anything else as :func:`cell`."""
    if column == "warning" and isinstance(value, str) and value:
        return warning_text(value)
    if column in SHARE_COLUMNS and isinstance(value, (int, float)) and value == value:
        return percent(value, 1)
    if column in OPTION_COLUMNS and isinstance(value, str) and value:
        from regie.platform import labels

        field = OPTION_COLUMNS[column]
        if labels.has_option(field, value):
            return labels.option_label(field, value)
    return cell(value)


@register.filter
def label(key):
    """The Dutch label of a decision type or a column key (unknown keys as they are)."""
    if key in DECISION_LABELS:
        return _(DECISION_LABELS[key][0])
    if key in COLUMN_LABELS:
        return _(COLUMN_LABELS[key])
    return key


# table and field names of the exports that the page shows as headings (i18n)
EXPORT_LABELS = {
    "summary": N_("Samenvatting"),
    "field": N_("Gegeven"),
    "value": N_("Waarde"),
    "title": N_("Titel"),
    "agreement": N_("Overeenstemming"),
    "per_vignette": N_("Per vignet"),
    "variance": N_("Variantie"),
    "by_municipality": N_("Per gemeente"),
    "answer_rows": N_("Antwoorden"),
    "icc": N_("ICC"),
    "caseworkers": N_("Klantmanagers"),
    "deviation_caseworkers": N_("Afwijkingen per klantmanager"),
    "deviation_teams": N_("Afwijkingen per team"),
    "pairs": N_("Vergelijkbare dossiers"),
}


def export_label(key) -> str | None:
    """The name of an export's sheet, column or option value (a decision type, a column of the report), or None
    when the equity pages do not name it (then the label registry does)."""
    if not isinstance(key, str):
        return None
    if key in EXPORT_LABELS:
        return _(EXPORT_LABELS[key])
    if key in DECISION_LABELS or key in COLUMN_LABELS:
        return label(key)
    return None


@register.filter
def describe(key):
    """The Dutch description of a decision type."""
    return _(DECISION_LABELS[key][1]) if key in DECISION_LABELS else ""
