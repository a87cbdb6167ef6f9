"""Placements, their aftercare and the demand-side figures, derived from a case's events (one function each).

A placement starts with a ``plaatsing`` event, ends with ``plaatsing_einde`` and is followed by ``nazorg_contact``
check-ins at the months the municipality's policy sets (``placements.check_in_months``); its result after 6 and 12
months (``placements.durable_months``, a ``nazorg_contact`` with ``milestone``) says whether it was durable (seed
003:336-366: aftercare after every kind of placement). Consent (``toestemming_delen``) and referrals
(``verwijzing``, ``verwijzing_uitkomst``) are folded here too. Plain Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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
