"""A client's benefit ledger, month by month, derived from the case's events (the one derivation).

:func:`month_inputs` turns a case's events into the :class:`~.compute.MonthInput` of each month; :func:`case_ledger`
computes each month's :class:`~.compute.Entitlement` and returns one :class:`LedgerLine` per month: entitlement
(the norm), deductions (income counted), sanctions, amount to pay, paid, overpayment and the reasons. Every screen,
the payment run, the terugvordering and the budget page read this; the batch path (``batch``) computes the same
figures for many clients at once.

A maatregel suspended by a voorlopige voorziening or revoked on objection (the legal events; :func:`suspensions`)
is not applied in the months it is suspended; events carry their ``id`` (the event's database id) for that.

Events read: ``toekenning`` (start, norm type, cost-sharers), ``wijziging_huishouden`` (norm type, cost-sharers,
partner's birth date, children), ``maatregel`` (percentage for the months imposed, from the month of its effective
date), ``inkomstenopgave`` (income for a month; the latest opgave for a month replaces earlier ones), ``betaling``
(paid for a month), ``uitstroom`` / ``beeindiging`` / ``intrekking`` (the benefit ends on that date).

Rules (assumptions where marked):
- the household and age in force on the first day of the month on benefit apply to the whole month (a change in
  the month takes effect the next month -- assumption, common practice);
- the vrijlating period (Pw art. 31 lid 2 sub n) starts in the first month with income from work on which the
  client is 27 or older and the opgave does not refuse it, and lasts six consecutive months, once per toekenning
  (assumption: one period per toekenning);
- the holiday allowance reserved each month is paid out in June (norms.HOLIDAY_PAY_MONTH) for the months before.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .compute import Entitlement, MonthInput, entitlement
from .money import to_cents
from .norms import HOLIDAY_PAY_MONTH, NormTable

END_TYPES = ("uitstroom", "beeindiging", "intrekking")


def month_key(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def parse_month(key: str) -> dt.date:
    year, month = key.split("-")
    return dt.date(int(year), int(month), 1)


def add_months(first: dt.date, n: int) -> dt.date:
    y, m = divmod(first.month - 1 + n, 12)
    return dt.date(first.year + y, m + 1, 1)


def age_on(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _date(v) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


@dataclass(frozen=True)
class LedgerLine:
    month: str  # YYYY-MM
    input: MonthInput
    result: Entitlement

    @property
    def entitlement(self) -> int:
        return self.result.norm

    @property
    def deductions(self) -> int:
        return self.result.income_counted

    @property
    def sanctions(self) -> int:
        return self.result.sanction

    @property
    def amount(self) -> int:
        return self.result.to_pay

    @property
    def reason(self) -> str:
        return ", ".join(dict.fromkeys(self.result.reasons)) or "norm"


def _sorted(events: Iterable[Mapping]) -> list[Mapping]:
    return sorted(events, key=lambda e: (_date(e["effective_date"]), e.get("sequence", 0)))


def benefit_months(events: Iterable[Mapping], until: dt.date) -> list[str]:
    """The months (YYYY-MM) with at least one day on benefit, up to the month of ``until``."""
    evs = _sorted(events)
    months: list[str] = []
    start: dt.date | None = None
    periods: list[tuple[dt.date, dt.date]] = []
    for e in evs:
        d = _date(e["effective_date"])
        if e["type"] == "toekenning" and start is None:
            start = d
        elif e["type"] in END_TYPES and start is not None:
            periods.append((start, d))
            start = None
    if start is not None:
        periods.append((start, until + dt.timedelta(days=1)))
    last = dt.date(until.year, until.month, 1)
    for s, e in periods:
        m = dt.date(s.year, s.month, 1)
        while m <= last and m < e:
            key = month_key(m)
            if key not in months:
                months.append(key)
            m = add_months(m, 1)
    return sorted(months)


def suspensions(evs: list[Mapping]) -> dict[str, list[tuple[dt.date, dt.date | None]]]:
    """Decisions that do not apply for a while, by decision event id (str): a voorlopige voorziening that suspends
    it (Awb art. 8:81; until its end date, or the decision on the objection), or a decision revoked on objection
    (Awb art. 7:11; from then on). Read from the legal events' payloads (decision_event, status, suspends, until;
    bezwaar objection_id -> decision_event; beslissing_op_bezwaar revoked), as the case projection does."""
    out: dict[str, list[tuple[dt.date, dt.date | None]]] = {}
    objections: dict[str, str] = {}
    for e in evs:
        p, d = e.get("payload") or {}, _date(e["effective_date"])
        if e["type"] == "bezwaar" and p.get("objection_id") is not None:
            objections[str(p["objection_id"])] = str(p.get("decision_event"))
        elif e["type"] == "voorlopige_voorziening" and p.get("status") == "toegewezen" and p.get("suspends"):
            out.setdefault(str(p.get("decision_event")), []).append((d, _date(p.get("until"))))
        elif e["type"] == "beslissing_op_bezwaar" and (key := objections.get(str(p.get("objection_id")))):
            periods = out.setdefault(key, [])
            # assumption: the provisional measure lapses with the decision on the objection (Awb art. 8:85 lid 2)
            periods[:] = [(s, u if u is not None and u < d else d - dt.timedelta(days=1)) for s, u in periods]
            if p.get("revoked"):
                periods.append((d, None))
    return out


def _suspended(periods, first: dt.date, last: dt.date) -> bool:
    """A measure is not applied in a month any day of which it is suspended (assumption: in the client's favour)."""
    return any(s <= last and (u is None or u >= first) for s, u in periods)


def month_inputs(
    events: Iterable[Mapping],
    birth_date: dt.date,
    months: list[str],
    *,
    partner_birth_date: dt.date | None = None,
    has_children: bool = False,
) -> list[MonthInput | None]:
    """The calculation input of each month (None for a month without a day on benefit)."""
    evs = _sorted(events)
    held = suspensions(evs)
    out: list[MonthInput | None] = []
    vrijlating_start: dict[dt.date, dt.date] = {}  # per toekenning start: first month of the vrijlating period
    for key in months:
        first = parse_month(key)
        mdays = calendar.monthrange(first.year, first.month)[1]
        last = first.replace(day=mdays)
        # days on benefit and the toekenning in force
        days, grant_start, on_day = 0, None, None
        start: dt.date | None = None
        for e in evs + [{"type": "__end__", "effective_date": last + dt.timedelta(days=1)}]:
            d = _date(e["effective_date"])
            if e["type"] == "toekenning" and start is None:
                start = d
            elif (e["type"] in END_TYPES or e["type"] == "__end__") and start is not None:
                lo, hi = max(start, first), min(d - dt.timedelta(days=1), last)
                if hi >= lo:
                    days += (hi - lo).days + 1
                    on_day = on_day or lo
                    grant_start = start
                start = None
        if days == 0 or on_day is None:
            out.append(None)
            continue
        # household in force on the first day on benefit this month
        norm_type, sharers, partner, children = None, 0, partner_birth_date, has_children
        for e in evs:
            if _date(e["effective_date"]) > on_day:
                break
            p = e.get("payload") or {}
            if e["type"] in ("toekenning", "wijziging_huishouden"):
                norm_type = p.get("norm_type", norm_type)
                sharers = int(p.get("cost_sharers", sharers) or 0)
                if e["type"] == "wijziging_huishouden":
                    if "partner_birth_date" in p:
                        partner = _date(p.get("partner_birth_date"))
                    if "has_children" in p:
                        children = bool(p.get("has_children"))
        age = age_on(birth_date, first) or 0
        # sanctions in force: from the month of the measure's date, for its months
        bp = 0
        for e in evs:
            if e["type"] != "maatregel":
                continue
            p = e.get("payload") or {}
            d = _date(e["effective_date"])
            s = dt.date(d.year, d.month, 1)
            if s <= first < add_months(s, int(p.get("months", 0))):
                if _suspended(held.get(str(e.get("id")), ()), first, last):
                    continue  # suspended by a voorlopige voorziening or revoked on objection
                bp += round(float(p.get("percentage", 0)) * 100)
        # income: the latest opgave for the month
        work = other = 0
        refuse_vrijlating = False
        for e in evs:
            p = e.get("payload") or {}
            if e["type"] == "inkomstenopgave" and p.get("month") == key:
                work, other = to_cents(p.get("work_income", 0)), to_cents(p.get("other_income", 0))
                refuse_vrijlating = p.get("vrijlating") is False
        # vrijlating period: once per toekenning, from the first month with work income at 27+
        if grant_start not in vrijlating_start and work > 0 and age >= 27 and not refuse_vrijlating:
            vrijlating_start[grant_start] = first
        vstart = vrijlating_start.get(grant_start)
        in_vrijlating = vstart is not None and vstart <= first < add_months(vstart, 6) and not refuse_vrijlating
        paid = [
            to_cents((e.get("payload") or {}).get("amount", 0))
            for e in evs
            if e["type"] == "betaling" and (e.get("payload") or {}).get("month") == key
        ]
        out.append(
            MonthInput(
                norm_type=norm_type or "alleenstaande",
                age=age,
                partner_age=age_on(partner, first) if norm_type == "gehuwden" else None,
                has_children=children,
                cost_sharers=sharers,
                days=days,
                mdays=mdays,
                sanction_bp=min(bp, 10000),
                income_work=work,
                income_other=other,
                vrijlating_month=in_vrijlating,
                paid=sum(paid) if paid else None,
            )
        )
    return out


def case_ledger(
    events: Iterable[Mapping],
    birth_date: dt.date,
    until: dt.date,
    table_for: Callable[[dt.date], NormTable],
    *,
    partner_birth_date: dt.date | None = None,
    has_children: bool = False,
) -> list[LedgerLine]:
    """One ledger line per month on benefit up to the month of ``until`` (``table_for(first of month)`` gives the
    norms in force; it raises NormUnavailable when there are none: fail closed)."""
    evs = list(events)
    months = benefit_months(evs, until)
    inputs = month_inputs(evs, birth_date, months, partner_birth_date=partner_birth_date, has_children=has_children)
    lines: list[LedgerLine] = []
    accrued = 0
    for key, m in zip(months, inputs, strict=True):
        if m is None:
            continue
        first = parse_month(key)
        if first.month == HOLIDAY_PAY_MONTH and accrued:
            m = MonthInput(**{**m.__dict__, "holiday_payout": accrued})
            accrued = 0
        result = entitlement(m, table_for(first))
        accrued += result.holiday_reserved
        lines.append(LedgerLine(key, m, result))
    return lines


def overpaid(lines: Iterable[LedgerLine], months: set[str] | None = None) -> int:
    """Total overpayment (cents) in the ledger, for the given months or all."""
    return sum(ln.result.overpayment for ln in lines if months is None or ln.month in months)
