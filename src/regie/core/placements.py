"""Placements, their aftercare and the demand-side figures, derived from a case's events (one function each).

A placement starts with a ``plaatsing`` event, ends with ``plaatsing_einde`` and is followed by ``nazorg_contact``
check-ins at the months the municipality's policy sets (``placements.check_in_months``); its result after 6 and 12
months (``placements.durable_months``, a ``nazorg_contact`` with ``milestone``) says whether it was durable (seed
003:336-366: aftercare after every kind of placement). Consent (``toestemming_delen``) and referrals
(``verwijzing``, ``verwijzing_uitkomst``) are folded here too. Plain Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .benefit.money import ratio_cents, to_cents
from .events import PLACEMENT_OUTFLOW


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def add_months(d: dt.date, months: int) -> dt.date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    last = [31, 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31,
            30, 31][month - 1]  # fmt: skip
    return dt.date(year, month, min(d.day, last))


@dataclass
class Placement:
    placement_id: str
    kind: str
    employer_id: int
    employer_name: str
    start: dt.date
    vacancy_id: int | None = None
    planned_end: dt.date | None = None
    hours: float = 0.0
    wage_per_hour: Decimal | None = None
    retained_benefit: bool = False
    loonwaarde_pct: int | None = None
    subsidy_per_month: Decimal | None = None
    subsidy_months: int | None = None
    ended_on: dt.date | None = None
    end_reason: str | None = None
    check_ins: list[dt.date] = field(default_factory=list)
    results: dict[int, bool] = field(default_factory=dict)  # milestone (6, 12) -> still working

    @property
    def active(self) -> bool:
        return self.ended_on is None

    @property
    def outflow_reason(self) -> str | None:
        """The outflow reason a caseworker records after this placement, or None (the benefit continues)."""
        return PLACEMENT_OUTFLOW.get(self.kind)

    def subsidy_total(self) -> Decimal:
        if self.subsidy_per_month is None or not self.subsidy_months:
            return Decimal("0")
        return self.subsidy_per_month * self.subsidy_months

    def durable(self, months: int) -> bool | None:
        """True/False: the recorded result after ``months``; None while unknown."""
        return self.results.get(months)


@dataclass
class Consent:
    consent_id: str
    granted: bool
    on: dt.date
    employer_id: int | None
    vacancy_id: int | None
    data: list[str]
    until: dt.date | None

    def covers(self, employer_id: int, vacancy_id: int | None, on: dt.date) -> bool:
        return (
            self.granted
            and self.on <= on
            and (self.until is None or on <= self.until)
            and (self.employer_id is None or self.employer_id == employer_id)
            and (self.vacancy_id is None or self.vacancy_id == vacancy_id)
        )


@dataclass
class Referral:
    referral_id: str
    service_id: int
    service_name: str
    warm: bool
    on: dt.date
    outcome: str | None = None
    outcome_on: dt.date | None = None
    waited_days: int | None = None


@dataclass
class DemandSide:
    placements: list[Placement] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    # loonkostensubsidie paid to the employer: (placement id, month YYYY-MM) -> cents (``subsidiebetaling`` events)
    subsidy_paid: dict[tuple[str, str], int] = field(default_factory=dict)

    def consent_for(self, employer_id: int, vacancy_id: int | None, on: dt.date) -> Consent | None:
        """The latest consent decision that concerns this employer and vacancy, if it is a grant in force."""
        relevant = [
            c
            for c in self.consents
            if (c.employer_id in (None, employer_id)) and (c.vacancy_id in (None, vacancy_id)) and c.on <= on
        ]
        if not relevant:
            return None
        last = relevant[-1]
        return last if last.covers(employer_id, vacancy_id, on) else None


def fold_demand_side(events: Iterable[Mapping[str, Any]]) -> DemandSide:
    """Placements, consents, proposals and referrals of one case from its events (``type``, ``effective_date``,
    ``payload``), in (effective date, given order)."""
    out = DemandSide()
    by_id: dict[str, Placement] = {}
    refs: dict[str, Referral] = {}
    indexed = list(enumerate(events))
    for _i, e in sorted(indexed, key=lambda ie: (_date(ie[1]["effective_date"]), ie[0])):
        t, p = e["type"], e.get("payload") or {}
        on = _date(e["effective_date"])
        assert on is not None  # every event has an effective date
        if t == "plaatsing":
            pl = Placement(
                placement_id=p["placement_id"],
                kind=p["kind"],
                employer_id=p["employer_id"],
                employer_name=p.get("employer_name") or "",
                start=on,
                vacancy_id=p.get("vacancy_id"),
                planned_end=_date(p.get("planned_end")),
                hours=float(p.get("hours") or 0),
                wage_per_hour=Decimal(str(p["wage_per_hour"])) if p.get("wage_per_hour") is not None else None,
                retained_benefit=bool(p.get("retained_benefit")),
                loonwaarde_pct=p.get("loonwaarde_pct"),
                subsidy_per_month=(
                    Decimal(str(p["subsidy_per_month"])) if p.get("subsidy_per_month") is not None else None
                ),
                subsidy_months=p.get("subsidy_months"),
            )
            by_id[pl.placement_id] = pl
            out.placements.append(pl)
        elif t == "plaatsing_einde" and p.get("placement_id") in by_id:
            pl = by_id[p["placement_id"]]
            pl.ended_on, pl.end_reason = on, p.get("reason")
        elif t == "nazorg_contact" and p.get("placement_id") in by_id:
            pl = by_id[p["placement_id"]]
            pl.check_ins.append(on)
            if p.get("milestone"):
                pl.results[int(p["milestone"])] = bool(p.get("still_working"))
        elif t == "toestemming_delen":
            out.consents.append(
                Consent(
                    p["consent_id"],
                    bool(p.get("granted", True)),
                    on,
                    p.get("employer_id"),
                    p.get("vacancy_id"),
                    list(p.get("data") or []),
                    _date(p.get("until")),
                )
            )
        elif t == "match_voorgesteld":
            out.proposals.append({**p, "on": on})
        elif t == "verwijzing":
            r = Referral(p["referral_id"], p["service_id"], p.get("service_name") or "", bool(p.get("warm")), on)
            refs[r.referral_id] = r
            out.referrals.append(r)
        elif t == "verwijzing_uitkomst" and p.get("referral_id") in refs:
            r = refs[p["referral_id"]]
            r.outcome, r.outcome_on, r.waited_days = p.get("outcome"), on, p.get("waited_days")
        elif t == "subsidiebetaling":
            key = (p["placement_id"], p["month"])
            out.subsidy_paid[key] = out.subsidy_paid.get(key, 0) + to_cents(p["amount"])
    return out


@dataclass(frozen=True)
class AftercareDue:
    placement_id: str
    due: dt.date
    months: int
    milestone: bool  # a durability measurement (6/12 months), not only a check-in


def aftercare_due(placement: Placement, check_in_months: list[int], durable_months: list[int]) -> list[AftercareDue]:
    """The aftercare moments of a placement not yet covered by a check-in on or after them: the check-ins at the
    policy's months after the start, and the durability results (``durable_months``) not yet recorded. A placement
    that ended before a moment needs no check-in then, but its durability is still asked (did the client find work
    after all?)."""
    out = []
    done = sorted(placement.check_ins)
    for m in sorted(set(check_in_months) | set(durable_months)):
        due = add_months(placement.start, m)
        is_milestone = m in durable_months
        if is_milestone and m in placement.results:
            continue
        if not is_milestone and (any(d >= due for d in done) or (placement.ended_on and placement.ended_on < due)):
            continue
        out.append(AftercareDue(placement.placement_id, due, m, is_milestone))
    return out


def durability(placements: Iterable[Placement], months: int, on: dt.date) -> dict:
    """Of the placements started at least ``months`` before ``on``: how many, how many with a result, how many
    durable (still working at the result)."""
    due = [p for p in placements if add_months(p.start, months) <= on]
    known = [p for p in due if months in p.results]
    durable = [p for p in known if p.results[months]]
    return {"placements": len(due), "measured": len(known), "durable": len(durable)}


# --- loonkostensubsidie: what the municipality owes the employer, month by month (Pw art. 10d) ----------------


def _month_key(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _month_end(first: dt.date) -> dt.date:
    return add_months(first, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class SubsidyMonth:
    """One month of a placement's wage cost subsidy: ``days`` of ``days_in_month`` covered, ``share_pct`` of the
    recorded monthly subsidy paid by this municipality, ``due_cents`` owed, ``paid_cents`` paid (subsidiebetaling
    events)."""

    placement_id: str
    employer_id: int
    employer_name: str
    month: str
    days: int
    days_in_month: int
    share_pct: Decimal
    due_cents: int
    paid_cents: int

    @property
    def open_cents(self) -> int:
        """What is still to be paid (negative: paid too much, e.g. an end recorded after the payment)."""
        return self.due_cents - self.paid_cents

    @property
    def recover_cents(self) -> int:
        """What was paid too much and is to be recovered from the employer (0 when nothing was)."""
        return max(self.paid_cents - self.due_cents, 0)

    @property
    def part_month(self) -> bool:
        return self.days < self.days_in_month


def subsidy_period(placement: Placement) -> tuple[dt.date, dt.date] | None:
    """First and last day the wage cost subsidy runs: from the placement's start for ``subsidy_months`` months, to
    the placement's end when it ends sooner (the end date is its last day: assumption). None: no subsidy."""
    if placement.kind != "loonkostensubsidie" or not placement.subsidy_per_month or not placement.subsidy_months:
        return None
    last = add_months(placement.start, placement.subsidy_months) - dt.timedelta(days=1)
    if placement.ended_on is not None:
        last = min(last, placement.ended_on)
    return (placement.start, last) if last >= placement.start else None


def subsidy_ledger(demand: DemandSide, until: dt.date, share_pct: Callable[[dt.date], Decimal]) -> list[SubsidyMonth]:
    """Every month up to the month of ``until`` of every loonkostensubsidie placement of one case: the subsidy due
    and paid. THE derivation of the employer's subsidy (the payment run, the employer page, the monitoring figure and
    the CLI all call it).

    A full month is the recorded ``subsidy_per_month`` times the municipality's ``share_pct`` (policy
    ``placements.subsidy``, in force on the month's first day; the caller's function raises PolicyUnavailable
    without one: fail closed); a part month (start or end within it) pro rata by calendar days (assumption: the
    Participatiewet sets no rule; check the municipality's verordening loonkostensubsidie). Whole cents, half up.

    A month paid that is no longer due (the placement's end recorded after the payment run paid the months after it,
    or the subsidy's duration corrected) is listed too, with no days and nothing due: its ``open_cents`` is the
    negative amount to recover from the employer (``recover_cents``), never paid again. Recovery of a subsidy paid
    without being due: Awb art. 4:57 (assumption: the municipality's verordening loonkostensubsidie may set how,
    e.g. by offsetting against a later payment; Regie only shows the amount)."""
    out: list[SubsidyMonth] = []
    for p in demand.placements:
        period = subsidy_period(p)
        paid_months = sorted(m for pid, m in demand.subsidy_paid if pid == p.placement_id)
        if period is None:
            if p.kind == "loonkostensubsidie":  # the subsidy corrected to nothing after payments: all to recover
                out += _no_longer_due(demand, p, paid_months, set(), until, share_pct)
            continue
        first, last = period
        assert p.subsidy_per_month is not None
        monthly = to_cents(p.subsidy_per_month)
        month = first.replace(day=1)
        while month <= last and month <= until:
            end = _month_end(month)
            days = (min(end, last) - max(month, first)).days + 1
            dim = end.day
            share = Decimal(share_pct(month))
            share_num = int(share * 100)  # percent with two decimals, as an integer fraction of 10000
            due = ratio_cents(monthly * share_num, days, dim * 10000)
            key = _month_key(month)
            out.append(
                SubsidyMonth(
                    p.placement_id,
                    p.employer_id,
                    p.employer_name,
                    key,
                    days,
                    dim,
                    share,
                    due,
                    demand.subsidy_paid.get((p.placement_id, key), 0),
                )
            )
            month = add_months(month, 1)
        covered = {m.month for m in out if m.placement_id == p.placement_id}
        out += _no_longer_due(demand, p, paid_months, covered, until, share_pct)
    order = {p.placement_id: i for i, p in enumerate(demand.placements)}
    return sorted(out, key=lambda m: (order[m.placement_id], m.month))  # a month before a corrected start in place


def _no_longer_due(demand, p, paid_months, covered, until, share_pct) -> list[SubsidyMonth]:
    """The months of placement ``p`` paid but outside its subsidy period (nothing due), up to the month of ``until``."""
    out = []
    for key in paid_months:
        month = dt.date.fromisoformat(key + "-01")
        if key in covered or month > until:
            continue
        dim = _month_end(month).day
        paid = demand.subsidy_paid[(p.placement_id, key)]
        share = Decimal(share_pct(month))
        out.append(SubsidyMonth(p.placement_id, p.employer_id, p.employer_name, key, 0, dim, share, 0, paid))
    return out


def subsidy_payable(months: Iterable[SubsidyMonth], run_month: str, *, in_arrears: bool) -> list[SubsidyMonth]:
    """The months a payment run of ``run_month`` pays: not yet paid in full and, paid in arrears, before the run's
    month (the run's own month too when not in arrears); an earlier month left open (a placement recorded late) is
    paid in the next run. A month paid before is never paid again (its open amount is 0)."""
    return [
        m
        for m in months
        if m.open_cents > 0 and m.paid_cents == 0 and (m.month < run_month or (not in_arrears and m.month == run_month))
    ]
