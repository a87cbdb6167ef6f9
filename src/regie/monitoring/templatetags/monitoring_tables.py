"""Readable tables on the dashboard pages: Dutch column labels for the indicator keys, and numbers formatted for
people (thousands grouped, at most two decimals, yes/no for booleans). Exports keep the raw keys and values."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

register = template.Library()

LABELS = {
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
}
# route: the route indicators (regie.core.kpi.route)
LABELS.update(
    {
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
    }
)


# One line per column a teammanager may not know, shown under the table (RWI cohort: seed 001:1602-1692;
# definitions in regie.core.kpi.cohorts).
HELP = {
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
}


@register.filter
def columns_help(row) -> list[str]:
    """The explanations of a table's columns (those that have one), in column order."""
    return [_(HELP[k]) for k in (row or {}) if k in HELP]


@register.filter
def column_label(key) -> str:
    """The Dutch label (translated when English is chosen) of an indicator key; unknown keys shown as they are."""
    if isinstance(key, str) and key in LABELS:
        return _(LABELS[key])
    return key


# columns whose numbers are labels (a year, a month number), not quantities: never grouped as "2.025"
UNGROUPED = frozenset({"year", "depleted_month", "forecast_depletion_month", "month", "maand", "jaar"})


@register.filter
def cell(value, key=None) -> str:
    """A table cell for people: '—' for nothing, Ja/Nee, grouped thousands, at most two decimals."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nee")
    if key in UNGROUPED and isinstance(value, (int, float)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        decimals = 0 if value.is_integer() and abs(value) >= 100 else 2 if abs(value) < 1000 else 0
        return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return column_label(value)
    return str(value)
