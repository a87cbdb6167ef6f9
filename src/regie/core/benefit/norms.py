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
- Holiday allowance: the norms include the vakantietoeslag; its share (5 %) of the benefit due is reserved each
  month and paid out once a year (Pw art. 19 lid 3).
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
# Holiday allowance: the share of each norm reserved as vakantietoeslag (Pw art. 19 lid 3; the table's
# ``holiday_allowance_share``, 5 %).
HOLIDAY_SOURCE = "Pw art. 19 lid 3 (vakantietoeslag)"
# The month in which the reserved holiday allowance is paid (assumption: May, common practice; not set by the Pw).
HOLIDAY_PAY_MONTH = 5
# Pension age in years (AOW-leeftijd 67 for 2024-2027, ext; the norm tables do not give it -- assumption).
PENSION_AGE_DEFAULT = 67


class NormUnavailable(PolicyUnavailable):
    """The national layer gives no amount for what this case needs on this date (fail closed)."""


@dataclass(frozen=True)
class Vrijlating:
    """Pw art. 31 lid 2 sub n: percentage of the income from work, at most ``max_cents`` a month, for ``months``
    consecutive months, from ``min_age`` (27, ext)."""

    percentage: int = 25
    max_cents: int | None = None  # None: the layer gives no maximum -> no vrijlating can be computed
    months: int = 6
    min_age: int = 27
    source: str = "Pw art. 31 lid 2 sub n"


@dataclass(frozen=True)
class NormTable:
    """Amounts in cents for one norm table of the national layer (valid from ``label``)."""

    label: str  # the table's valid_from, e.g. "2026-01-01"
    source: str
    adult: dict[str, int]  # Pw art. 21
    youth: dict[str, int] = field(default_factory=dict)  # Pw art. 20 (YOUTH_KEYS; empty: not in the layer)
    pension: dict[str, int] = field(default_factory=dict)  # Pw art. 22 (empty: not in the layer)
    pension_age: int = PENSION_AGE_DEFAULT
    cost_sharers: bool = True  # the table has the kostendelersnorm of Pw art. 22a
    cost_sharer_terms: tuple[int, int, int] = (40, 30, 100)  # (base + A x per_person) / (A x denominator)
    holiday_share: tuple[int, int] = (5, 100)  # numerator, denominator
    vrijlating: Vrijlating = Vrijlating()
    assumption: bool = False

    @property
    def couple_norm(self) -> int:
        return self.adult["gehuwden"]

    @property
    def holiday_pct(self) -> str:
        num, den = self.holiday_share
        return f"{num * 100 / den:g}"


_tables: dict[int, tuple[object, NormTable]] = {}  # id(Norms) -> (that Norms, its table): policies load once


def table_from_norms(n) -> NormTable:
    """A :class:`NormTable` from one ``regie.core.policy.schema.Norms`` table (built once per loaded table: the
    ledger asks for it for every month of a case)."""
    hit = _tables.get(id(n))
    if hit is not None and hit[0] is n:
        return hit[1]
    table = _table_from_norms(n)
    if len(_tables) > 256:  # policy directories reloaded many times (tests): start afresh
        _tables.clear()
    _tables[id(n)] = (n, table)
    return table


def _table_from_norms(n) -> NormTable:
    cents = {k: to_cents(getattr(n, k)) for k in n.AMOUNT_FIELDS}
    share = Fraction(str(n.holiday_allowance_share))
    cs = n.cost_sharer
    ie = n.income_exemption
    return NormTable(
        label=n.valid_from.isoformat(),
        source=f"{n.source.title} ({n.source.url})",
        adult={k: cents[k] for k in HOUSEHOLDS},
        youth={k: cents[f"jong_{k}"] for k in YOUTH_KEYS},
        pension={k: cents[f"aow_{k}"] for k in HOUSEHOLDS},
        cost_sharers=cs is not None,
        cost_sharer_terms=(cs.base, cs.per_person, cs.denominator) if cs is not None else (40, 30, 100),
        holiday_share=(share.numerator, share.denominator),
        # a table without a sourced income exemption gives no maximum: a vrijlating then fails closed
        vrijlating=Vrijlating(
            percentage=int(ie.percentage), max_cents=to_cents(ie.monthly_max), months=ie.months, source=ie.source
        )
        if ie is not None
        else Vrijlating(max_cents=None),
        assumption=n.assumption is not None,
    )


def table_from_policy(policy, on: dt.date) -> NormTable:
    """The norm table of ``policy``'s national layer in force on ``on``; :class:`NormUnavailable` when none holds
    (before the first table, or more than six months after the last: never a stale amount)."""
    n = policy.norms_on(on)
    if n is None:
        raise _unavailable(policy, on)
    return table_from_norms(n)


def _unavailable(policy, on: dt.date) -> NormUnavailable:
    return NormUnavailable(
        f"Er zijn geen bijstandsnormen vastgelegd die gelden op {on:%d-%m-%Y}; de uitkering kan niet worden berekend.",
        f"national norms of {getattr(policy, 'version_id', policy)} hold no table for {on.isoformat()}",
        on=on,
    )
