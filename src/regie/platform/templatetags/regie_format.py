"""Numbers for people, in the user's language: one set of filters for every page (Django's localisation, never by
hand). ``{% load regie_format %}`` then ``{{ amount|euro }}`` ("€ 1.401,50"), ``{{ share|percent }}`` (0.97 ->
"97%" in Dutch, "97%" in English), ``{{ n|count }}`` (125175423.2 -> "125.175.423"), and ``{{ value|measure:unit }}``
for a value whose unit is one of :data:`UNITS`. Charts and other machine-read numbers must not go through these:
they take the raw value (``|unlocalize``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

# unit -> how a value of it is shown
UNITS = ("count", "euro", "percent", "share", "months", "ratio", "number")


def _num(value):
    if value is None or value == "":
        return None
    if isinstance(value, (int, float, Decimal)):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _fmt(value, decimals: int) -> str:
    # number_format cuts decimals off (17010249.83 with 0 decimals would read 17.010.249): round half up first
    return _formatted(get_language(), str(value), decimals)


@lru_cache(maxsize=8192)
def _formatted(language: str | None, value: str, decimals: int) -> str:
    """Django's number_format of ``value`` in ``language`` (the active one: the key only keeps languages apart);
    memoised because a page shows the same amounts many times (a ledger repeats the norm every month)."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def euro(value, decimals: int = 2) -> str:
    """An amount of money: "€ 1.401,50" (``|euro:0`` for whole euros)."""
    v = _num(value)
    return "—" if v is None else f"€\u00a0{_fmt(v, int(decimals))}"


@register.filter
def decimal(value, decimals: int = 2) -> str:
    """A plain number with a fixed number of decimals ("0,276")."""
    v = _num(value)
    return "—" if v is None else _fmt(v, int(decimals))


@register.filter
def count(value) -> str:
    """A number of people or things: whole, grouped ("1.968")."""
    v = _num(value)
    return "—" if v is None else _fmt(round(v), 0)


@register.filter
def percent(value, decimals: int = 0) -> str:
    """A share 0..1 as a percentage ("97%"; ``|percent:1`` gives "97,3%")."""
    v = _num(value)
    return "—" if v is None else f"{_fmt(v * 100, int(decimals))}%"


@register.filter
def measure(value, unit: str = "number") -> str:
    """A value of a known unit: counts whole, money in euros without cents, percentages (values already in %)
    and shares (0..1) with one decimal, months and ratios with one and two decimals."""
    v = _num(value)
    if v is None:
        return "—"
    if unit == "count":
        return count(v)
    if unit == "euro":
        return euro(v, 0)
    if unit == "percent":
        return f"{_fmt(v, 1)}%"
    if unit == "share":
        return percent(v, 1)
    if unit == "months":
        return _fmt(v, 1)
    if unit == "ratio":
        return _fmt(v, 2)
    return _fmt(v, 2)


@register.filter
def month(value) -> str:
    """A month "2017-07" (or a date) as people write it: "juli 2017" ("July 2017" in English)."""
    import datetime as dt

    from django.utils.formats import date_format

    if isinstance(value, dt.date):
        return date_format(value, "YEAR_MONTH_FORMAT")
    text = str(value or "")
    try:
        return date_format(dt.date.fromisoformat(text[:7] + "-01"), "YEAR_MONTH_FORMAT")
    except ValueError:
        return text or "—"
