"""Readable tables on the dashboard pages: Dutch column labels for the indicator keys, and numbers formatted for
people (thousands grouped, at most two decimals, yes/no for booleans). Exports keep the raw keys and values."""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from regie.core.dates import nl_date, nl_datetime
from regie.platform import labels
from regie.platform.templatetags.regie_format import measure

register = template.Library()

# names and one-line explanations of the indicator keys: the label registry (regie.platform.labels)
LABELS = labels.KPI_LABELS
HELP = labels.KPI_HELP


@register.filter
def columns_help(row) -> list[str]:
    """The explanations of a table's columns (those that have one), in column order."""
    return [labels.kpi_help(k) for k in (row or {}) if k in HELP]


@register.filter
def column_label(key) -> str:
    """The Dutch label (translated when English is chosen) of an indicator key; unknown keys shown as they are."""
    return labels.kpi_label(key)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

# columns whose numbers are labels (a year, a month number), not quantities: never grouped as "2.025"
UNGROUPED = frozenset({"year", "depleted_month", "forecast_depletion_month", "month", "maand", "jaar"})


@register.filter
def cell(value, key=None) -> str:
    """A table cell for people: '—' for nothing, Ja/Nee, grouped thousands, at most two decimals."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nee")
    if key in labels.KPI_UNITS and isinstance(value, (int, float)):
        if value != value:  # NaN
            return "—"
        return measure(value, labels.KPI_UNITS[key])
    if key in UNGROUPED and isinstance(value, (int, float)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        decimals = 0 if value.is_integer() and abs(value) >= 100 else 2 if abs(value) < 1000 else 0
        return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)
    if isinstance(value, dt.datetime):
        return nl_datetime(value)
    if isinstance(value, dt.date):
        return nl_date(value)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return nl_date(dt.date.fromisoformat(value))
        if _ISO_MONTH.match(value):
            return date_format(dt.date.fromisoformat(value + "-01"), "YEAR_MONTH_FORMAT")
        return column_label(value)
    return str(value)
