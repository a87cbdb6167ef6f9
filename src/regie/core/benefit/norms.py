"""The norm amounts one benefit computation reads, taken from the national policy layer (never guessed).

``NormTable`` is the benefit computation's view of the national layer's ``Norms`` (regie.core.policy.schema, owned
by the national-layer data): the amounts per household type and age band, the kostendelersnorm, the holiday
allowance share and the inkomstenvrijlating. :func:`table_from_policy` builds it for a date; a norm the layer does
not give raises :class:`NormUnavailable` (fail closed) when a case needs it, never a default amount.

Sources (ext: check against the current text before relying on it):
- Pw art. 20 lid 1: youth norms for 18, 19 and 20 year olds (single, single parent, couples with one or both young).
- Pw art. 21: norms from 21 to the pension age (alleenstaande 70 %, gehuwden 100 % of the net minimum wage, since
  2015 the single parent as the single person).
- Pw art. 22: norms from the pension age.
- Pw art. 22a: kostendelersnorm (40 + A x 30) / (A x 100) x the couple norm (art. 21 sub b), per person, A being
  everyone in the home counted as a cost-sharer, the client (and partner) included; it applies from 21 (not to the
  youth norms of art. 20).
- Holiday allowance: the norms include the vakantietoeslag; 5 % of the benefit is reserved each month and paid out
  once a year (Pw art. 19 lid 2, ext: the article's lid is an assumption; the 5 % follows the SZW norm tables).
- Inkomstenvrijlating: Pw art. 31 lid 2 sub n: 25 % of the income from work, at most a fixed monthly amount, for at
  most six consecutive months, for a client of 27 or older, when the college judges it contributes to labour
  participation (ext).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from regie.core.policy.loader import PolicyUnavailable

from .money import to_cents

HOUSEHOLDS = ("alleenstaande", "alleenstaande_ouder", "gehuwden")
# Youth norm keys (Pw art. 20 lid 1): single, single parent, couples with both partners or one partner under 21,
# with or without children.
YOUTH_KEYS = (
    "alleenstaande",
    "alleenstaande_ouder",
    "gehuwden_beiden_jong",
    "gehuwden_beiden_jong_kinderen",
    "gehuwden_een_jong",
    "gehuwden_een_jong_kinderen",
)
# Holiday allowance share of the benefit (Pw art. 19 lid 2, ext; 5 % per the SZW norm tables -- assumption on the
# article's lid, see the module docstring).
HOLIDAY_PCT = 5
HOLIDAY_SOURCE = "Pw art. 19 lid 2 (vakantietoeslag, 5 %)"
# The month in which the reserved holiday allowance is paid (assumption: June, common practice; not set by law).
HOLIDAY_PAY_MONTH = 6
# Pension age in years (AOW-leeftijd 67 for 2024-2027, ext; assumption for later years until the layer gives it).
PENSION_AGE_DEFAULT = 67


class NormUnavailable(PolicyUnavailable):
    """The national layer gives no amount for what this case needs on this date (fail closed)."""


@dataclass(frozen=True)
class Vrijlating:
    """Pw art. 31 lid 2 sub n."""

    percentage: int = 25
    max_cents: int | None = None  # None: the layer gives no maximum -> no vrijlating can be computed
    months: int = 6
    min_age: int = 27
    source: str = "Pw art. 31 lid 2 sub n"


@dataclass(frozen=True)
class NormTable:
    """Amounts in cents for one date (the layer's period)."""

    label: str  # e.g. "2025" or "2026-01-01": which table of the national layer
    source: str
    adult: dict[str, int]  # Pw art. 21
    youth: dict[str, int] = field(default_factory=dict)  # Pw art. 20 lid 1 (empty: not in the layer)
    pension: dict[str, int] = field(default_factory=dict)  # Pw art. 22 (empty: not in the layer)
    pension_age: int = PENSION_AGE_DEFAULT
    cost_sharers: bool = True  # the layer has the kostendelersnorm of Pw art. 22a
    holiday_pct: int = HOLIDAY_PCT
    vrijlating: Vrijlating = Vrijlating()
    assumption: bool = False

    @property
    def couple_norm(self) -> int:
        return self.adult["gehuwden"]


def _cents_map(raw) -> dict[str, int]:
    if raw is None:
        return {}
    items = raw.items() if isinstance(raw, dict) else raw.model_dump().items()
    return {k: to_cents(v) for k, v in items if isinstance(v, (int, float)) and not isinstance(v, bool)}


def table_from_policy(policy, on: dt.date) -> NormTable:
    """The norm table of ``policy``'s national layer for ``on``; :class:`NormUnavailable` when it has none.

    Reads the layer's ``Norms``: ``year`` (the amounts hold for that calendar year only) or a list of dated
    periods when the layer gives them (``periods``, each with ``valid_from``), the household amounts, and where
    present ``youth``, ``pension``, ``pension_age``, ``vrijlating_max`` (Pw art. 31 lid 2 sub n).
    """
    norms = policy.national.norms
    periods = getattr(norms, "periods", None)
    chosen = norms
    if periods:
        dated = sorted((p for p in periods if p.valid_from <= on), key=lambda p: p.valid_from)
        if not dated:
            raise _unavailable(policy, on)
        chosen = dated[-1]
        label = chosen.valid_from.isoformat()
    else:
        if getattr(norms, "year", None) != on.year:
            raise _unavailable(policy, on)
        label = str(norms.year)
    adult = {k: to_cents(getattr(chosen, k)) for k in HOUSEHOLDS if getattr(chosen, k, None) is not None}
    if "gehuwden" not in adult:
        raise _unavailable(policy, on)
    formula = getattr(norms, "cost_sharer_formula", "") or ""
    vmax = getattr(chosen, "vrijlating_max", None)
    if vmax is None:
        vmax = getattr(norms, "vrijlating_max", None)
    return NormTable(
        label=label,
        source=getattr(chosen, "source", None) or norms.source,
        adult=adult,
        youth=_cents_map(getattr(chosen, "youth", None)),
        pension=_cents_map(getattr(chosen, "pension", None)),
        pension_age=int(getattr(norms, "pension_age", None) or PENSION_AGE_DEFAULT),
        cost_sharers=formula.startswith("(40 + A x 30)"),
        vrijlating=Vrijlating(max_cents=to_cents(vmax) if vmax is not None else None),
        assumption=bool(getattr(chosen, "assumption", False) or norms.assumption),
    )


def _unavailable(policy, on: dt.date) -> NormUnavailable:
    return NormUnavailable(
        "Het normbedrag ontbreekt voor deze datum in het landelijk beleid; de uitkering kan niet worden berekend.",
        f"national norms of {getattr(policy, 'version_id', policy)} hold no amounts for {on.isoformat()}",
        on=on,
    )


def vrijlating_fraction(table: NormTable) -> Fraction:
    return Fraction(table.vrijlating.percentage, 100)
