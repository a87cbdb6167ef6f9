"""How a letter writes money, dates and counts: Dutch, through Django's localisation (the nl locale).

``money(1401.5)`` -> ``€ 1.401,50``; ``date(2026-12-01)`` -> ``1 december 2026``; ``months(1)`` -> ``1 maand``.
Letters are always Dutch, whatever language the user's screen has: every function switches to ``nl`` itself.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, translation
from django.utils.translation import ngettext


def money(amount) -> str:
    if amount is None:
        return ""
    from regie.platform.templatetags.regie_format import decimal

    with translation.override("nl"):  # the shared formatter: Django's localisation, rounded half up to cents
        return "€ " + decimal(amount, 2)


def date(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    with translation.override("nl"):
        return formats.date_format(value, "j F Y")


def month(value: str) -> str:
    """``2025-03`` -> ``maart 2025``."""
    year, mon = (int(x) for x in str(value).split("-")[:2])
    with translation.override("nl"):
        return formats.date_format(dt.date(year, mon, 1), "F Y")


def month_range(values: list[str]) -> str:
    """``["2025-03", "2025-04", "2025-05"]`` -> ``maart 2025 tot en met mei 2025``; gaps are listed."""
    if not values:
        return ""
    keys = sorted(values)
    ints = [int(k[:4]) * 12 + int(k[5:7]) for k in keys]
    if len(keys) == 1:
        return month(keys[0])
    if ints == list(range(ints[0], ints[0] + len(ints))):
        return f"{month(keys[0])} tot en met {month(keys[-1])}"
    return ", ".join(month(k) for k in keys[:-1]) + " en " + month(keys[-1])


def percentage(value) -> str:
    if value is None:
        return ""
    with translation.override("nl"):
        return formats.number_format(float(value), 0 if float(value).is_integer() else 1, use_l10n=True) + "%"


def months(n: int) -> str:
    with translation.override("nl"):
        return ngettext("%(n)d maand", "%(n)d maanden", n) % {"n": n}


def weeks(n: int) -> str:
    with translation.override("nl"):
        return ngettext("%(n)d week", "%(n)d weken", n) % {"n": n}


def days(n: int) -> str:
    with translation.override("nl"):
        return ngettext("%(n)d dag", "%(n)d dagen", n) % {"n": n}


def cost_sharers(n: int) -> str:
    """``met 1 kostendeler`` / ``met 2 kostendelers``; empty for none."""
    if not n:
        return ""
    with translation.override("nl"):
        return ngettext("met %(n)d kostendeler", "met %(n)d kostendelers", n) % {"n": n}
