"""The due dates of one case: the one definition the case page (Termijnen) and the signals (worklist, ``regie
signals run``) both read (plain Python; no Django).

Input is a case snapshot (``core.projection.CaseSnapshot`` or its JSON form, as stored in the CaseState projection),
the day to judge on, and the policy's norms. Rules and sources: docs/kpi-definitions.md, "Due dates".
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..events import WORK_OUTFLOW_REASONS


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
    search_period_source: str = "Pw art. 41 lid 4"

    @classmethod
    def from_policy(cls, policy) -> Norms:
        d = policy.deadlines
        monthly = next((r.every_days for r in d.report_intervals if r.max_trajectory_months >= 6), 30)
        return cls(
            d.intake_days,
            d.plan_review_months,
            d.trajectory_within_months,
            d.max_days_without_contact,
            monthly,
            policy.caseload_norm.value,
            f"{policy.version_id}: {d.source}",
            policy.national.search_period.source,
        )

    @classmethod
    def for_municipality(cls, municipality_code: str, on: dt.date) -> Norms:
        """The norms of the policy in force; a municipality without one raises ``LookupError`` (no silent default)."""
        from ..policy import policy_for

        return cls.from_policy(policy_for(municipality_code, on))


@dataclass(frozen=True)
class DueDate:
    key: str  # intake, search_period_end, plan_review, trajectory, contact, report, exemption_end, aftercare_end
    label: str  # Dutch, as the case page shows it
    due: dt.date
    source: str
    overdue: bool  # due before the day judged on
    detail: str = ""  # exemption_end: the exemption's ground


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _d(v) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(v)


def intake_due(applied: dt.date, norms: Norms) -> dt.date:
    return applied + dt.timedelta(days=norms.intake_days)


def full_exemption_on(exemptions: Mapping[str, Mapping], on: dt.date) -> bool:
    """A full exemption (scope ``volledig``; a missing scope is full, as in the projection) runs on ``on``: started on
    or before it and its end date, if any, not passed. A partial exemption (``gedeeltelijk``) never counts: it lifts
    some of the Pw art. 9 lid 1 obligations, not the work obligation itself (docs/kpi-definitions.md, "Due dates")."""
    for e in exemptions.values():
        if e.get("scope", "volledig") != "volledig":
            continue
        start, end = _d(e.get("start")), _d(e.get("end_date"))
        if (start is None or start <= on) and (end is None or end >= on):
            return True
    return False


def due_dates(snap: Mapping, on: dt.date, norms: Norms, legal=None) -> list[DueDate]:
    """The due dates that apply to the case on ``on``, earliest first (snapshot keys as in CaseSnapshot.to_json).

    ``legal`` (a ``regie.core.legal.lifecycle.LegalState``, derived from the case's events) adds every open legal
    term: zienswijze, bezwaar, beslistermijn bezwaar, beroep, hoger beroep (keys as ``OpenTerm.key``; ``detail``
    names the voornemen, decision, objection or appeal)."""
    out: list[DueDate] = []
    if legal is not None:  # legal
        out += [DueDate(t.key, t.label, t.due, t.source, t.overdue, t.ref) for t in legal.open_terms(on)]

    def add(key: str, label: str, due: dt.date, source: str, detail: str = "") -> None:
        out.append(DueDate(key, label, due, source, due < on, detail))

    status = snap.get("status")
    src = norms.source
    applied, intake = _d(snap.get("applied_on")), _d(snap.get("intake_on"))
    if applied and intake is None and status in ("aangevraagd", "lopend"):
        add("intake", "Intake", intake_due(applied, norms), src + "; seed 000:688-696")
    spe = _d(snap.get("search_period_end"))
    if spe and status in ("gemeld", "aangevraagd"):
        add("search_period_end", "Einde zoekperiode", spe, norms.search_period_source)
    if status == "lopend":
        start = _d(snap.get("benefit_start"))
        exemptions = snap.get("exemptions") or {}
        review = _d(snap.get("plan_review_date"))
        if review:
            add("plan_review", "Evaluatie plan van aanpak", review, src)
        if start and not snap.get("first_trajectory_on") and not full_exemption_on(exemptions, on):
            add(
                "trajectory",
                "Traject (sluitende aanpak)",
                add_months(start, norms.trajectory_within_months),
                src + "; seed 001:1602-1692; Pw art. 9 lid 1 onder b",
            )
        last_contact = _d(snap.get("last_contact_on")) or start
        if last_contact:
            add("contact", "Volgend contact", last_contact + dt.timedelta(days=norms.max_days_without_contact), src)
        trajectories = snap.get("trajectories") or {}
        if trajectories:
            earliest = min((d for t in trajectories.values() if (d := _d(t["start"])) is not None), default=None)
            last = max(filter(None, (_d(snap.get("last_report_on")), earliest)))
            add(
                "report",
                "Rapportage aanbieder",
                last + dt.timedelta(days=norms.report_every_days),
                src + "; seed 003:506, 001:1006",
            )
        for ex in exemptions.values():
            end = _d(ex.get("end_date"))
            if end:
                add(
                    "exemption_end",
                    f"Einde ontheffing ({ex.get('ground')})",
                    end,
                    "Pw art. 9 lid 2, 9a",
                    str(ex.get("ground")),
                )
    if status == "uitgestroomd" and snap.get("outflow_reason") in WORK_OUTFLOW_REASONS:
        until = _d(snap.get("aftercare_until"))
        if until:
            add("aftercare_end", "Einde nazorg", until, "seed 003:368, 001:451-467")
    return sorted(out, key=lambda x: (x.due, x.key))
