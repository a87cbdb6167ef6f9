"""The deadlines that apply to a case now, from its projected state and the policy in force.

Shown on the case page; each names the rule and source behind it. The monitoring signals (issue 5) compute the
same deadlines over all cases from the event log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from regie.core.kpi.signals import add_months

from .models import Case


@dataclass
class Deadline:
    label: str
    due: dt.date
    source: str

    @property
    def overdue(self) -> bool:
        return self.due < dt.date.today()


def _d(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def deadlines_for(case: Case, on: dt.date | None = None) -> list[Deadline]:
    on = on or dt.date.today()
    state = getattr(case, "state", None)
    if state is None or state.status in ("afgewezen", "afgesloten"):
        return []
    snap = state.snapshot
    try:
        from regie.core.policy import policy_for

        policy = policy_for(case.municipality.code, on)
    except (ImportError, LookupError):
        return []
    d = policy.deadlines
    src = f"{policy.version_id}: {d.source}"
    out: list[Deadline] = []
    applied, intake = _d(snap.get("applied_on")), _d(snap.get("intake_on"))
    if applied and not intake:
        out.append(Deadline("Intake", applied + dt.timedelta(days=d.intake_days), src))
    if _d(snap.get("search_period_end")) and state.status in ("gemeld", "aangevraagd"):
        out.append(Deadline("Einde zoekperiode", _d(snap["search_period_end"]), policy.national.search_period.source))
    if state.status == "lopend":
        review = _d(snap.get("plan_review_date"))
        if review:
            out.append(Deadline("Evaluatie plan van aanpak", review, src))
        start = _d(snap.get("benefit_start"))
        if start and not snap.get("first_trajectory_on") and not snap.get("exemptions"):
            out.append(Deadline("Traject (sluitende aanpak)", add_months(start, d.trajectory_within_months), src))
        last_contact = _d(snap.get("last_contact_on")) or start
        if last_contact:
            out.append(Deadline("Volgend contact", last_contact + dt.timedelta(days=d.max_days_without_contact), src))
        for ex in (snap.get("exemptions") or {}).values():
            if ex.get("end_date"):
                out.append(Deadline(f"Einde ontheffing ({ex['ground']})", _d(ex["end_date"]), "Pw art. 9 lid 2, 9a"))
    if state.status == "uitgestroomd" and _d(snap.get("aftercare_until")):
        out.append(Deadline("Einde nazorg", _d(snap["aftercare_until"]), src))
    return sorted(out, key=lambda x: x.due)
