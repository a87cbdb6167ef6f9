"""Signals per case from its current state and the policy in force (plain Python; no Django).

Each signal names its rule and source. Input is a case snapshot (``core.projection.CaseSnapshot`` or its JSON form,
as stored in the CaseState projection) and the policy's deadlines; the caseload signal works per caseworker.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..events import WORK_OUTFLOW_REASONS


@dataclass(frozen=True)
class Signal:
    code: str
    label: str
    due: dt.date
    source: str
    detail: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "due": self.due.isoformat(), "source": self.source,
                "detail": self.detail}


@dataclass(frozen=True)
class Norms:
    """The deadlines and norms a municipality's policy sets (regie.core.policy: Policy.deadlines, caseload_norm)."""

    intake_days: int = 7
    plan_review_months: int = 6
    trajectory_within_months: int = 12
    max_days_without_contact: int = 90
    report_every_days: int = 30
    caseload_norm: float = 100
    source: str = "national-default (assumption)"

    @classmethod
    def from_policy(cls, policy) -> "Norms":
        d = policy.deadlines
        monthly = next((r.every_days for r in d.report_intervals if r.max_trajectory_months >= 6), 30)
        return cls(d.intake_days, d.plan_review_months, d.trajectory_within_months, d.max_days_without_contact,
                   monthly, policy.caseload_norm.value, f"{policy.version_id}: {d.source}")


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _d(v) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(v)


def case_signals(snap: Mapping, on: dt.date, norms: Norms) -> list[Signal]:
    """Signals of one case on ``on`` (snapshot keys as in CaseSnapshot.to_json)."""
    out: list[Signal] = []
    status = snap.get("status")
    src = norms.source
    applied, intake = _d(snap.get("applied_on")), _d(snap.get("intake_on"))
    if applied and status in ("aangevraagd", "lopend"):
        due = applied + dt.timedelta(days=norms.intake_days)
        if (intake is None and due < on) or (intake is not None and intake > due and on - intake <= dt.timedelta(days=30)):
            out.append(Signal("intake_late", "Intake later dan een week na de aanvraag", due, src + "; seed 000:688-696"))
    spe = _d(snap.get("search_period_end"))
    if spe and spe < on and status in ("gemeld", "aangevraagd"):
        out.append(Signal("search_period_over", "Zoekperiode voorbij, aanvraag nog niet beslist", spe, "Pw art. 41 lid 4"))
    if status == "lopend":
        start = _d(snap.get("benefit_start"))
        exemptions = snap.get("exemptions") or {}
        full_exempt = any(e.get("scope", "volledig") == "volledig" for e in exemptions.values())
        if start and not snap.get("first_trajectory_on") and not full_exempt:
            due = add_months(start, norms.trajectory_within_months)
            if due < on:
                out.append(Signal("no_trajectory_12m", "Geen traject binnen 12 maanden na instroom (sluitende aanpak)",
                                  due, src + "; seed 001:1602-1692"))
        review = _d(snap.get("plan_review_date"))
        if review and review < on:
            out.append(Signal("plan_review_due", "Evaluatie plan van aanpak verlopen", review, src))
        last_contact = _d(snap.get("last_contact_on")) or start
        if last_contact and last_contact + dt.timedelta(days=norms.max_days_without_contact) < on:
            out.append(Signal("no_contact", "Te lang geen contact", last_contact + dt.timedelta(days=norms.max_days_without_contact), src))
        if snap.get("trajectories"):
            last = _d(snap.get("last_report_on"))
            earliest = min(_d(t["start"]) for t in snap["trajectories"].values())
            due = max(filter(None, (last, earliest))) + dt.timedelta(days=norms.report_every_days)
            if due < on:
                out.append(Signal("report_overdue", "Rapportage aanbieder te laat", due, src + "; seed 003:506, 001:1006"))
        for ex in exemptions.values():
            end = _d(ex.get("end_date"))
            if end and on <= end <= on + dt.timedelta(days=30):
                out.append(Signal("exemption_ending", f"Ontheffing ({ex.get('ground')}) eindigt binnen 30 dagen", end,
                                  "Pw art. 9 lid 2, 9a"))
            elif end and end < on:
                out.append(Signal("exemption_ended", f"Ontheffing ({ex.get('ground')}) verlopen zonder vervolg", end,
                                  "Pw art. 9 lid 2, 9a"))
        last_event = _d(snap.get("last_event_on"))
        if start and add_months(start, 12) < on and last_event and add_months(last_event, 12) < on:
            out.append(Signal("no_action", "Lang in de uitkering zonder enige actie", add_months(last_event, 12),
                              "seed 001:2047 (tijdig opgepakt)"))
    if status == "uitgestroomd" and snap.get("outflow_reason") in WORK_OUTFLOW_REASONS:
        until = _d(snap.get("aftercare_until"))
        if until and on <= until <= on + dt.timedelta(days=30):
            out.append(Signal("aftercare_ending", "Nazorg eindigt binnen 30 dagen", until, "seed 003:368, 001:451-467"))
    return sorted(out, key=lambda s: s.due)


def caseload_signals(caseloads: Mapping[str, int], norms: Norms, on: dt.date) -> dict[str, Signal]:
    """Caseworkers whose number of open cases is above the norm."""
    return {cw: Signal("caseload_above_norm", f"Caseload {n} boven de norm van {norms.caseload_norm:g}", on,
                       norms.source + "; seed 001:1213, 003:466-484")
            for cw, n in caseloads.items() if n > norms.caseload_norm}


def run(snapshots: Iterable[tuple[str, Mapping]], on: dt.date, norms: Norms) -> dict[str, list[Signal]]:
    """Signals for many cases: {case id: [signals]} (cases without signals are left out)."""
    result = {}
    for case_id, snap in snapshots:
        s = case_signals(snap, on, norms)
        if s:
            result[case_id] = s
    return result
