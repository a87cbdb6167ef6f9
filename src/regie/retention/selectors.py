"""Reads for retention: what a case's retention is computed from, the lists and holds a user may see.

The facts come from casework's own tables: the projection (``CaseState``: status and the aftercare end) and the
event log (type and effective date of each event), read for many cases in two queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from regie.accounts.tenancy import municipality_ids
from regie.casework.models import Case, CaseState, Event

from .models import DestructionList, RetentionHold


@dataclass
class CaseFacts:
    status: str = "gemeld"
    aftercare_until: dt.date | None = None
    events: list[tuple[str, dt.date]] = field(default_factory=list)


def facts_for(cases) -> dict[int, CaseFacts]:
    """Status, aftercare end and events (type, effective date) of each case, by case pk."""
    ids = [c.pk for c in cases]
    out = {pk: CaseFacts() for pk in ids}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for pk, status, snap in CaseState.objects.filter(case_id__in=chunk).values_list(
            "case_id", "status", "snapshot"
        ):
            until = (snap or {}).get("aftercare_until")
            out[pk].status = status
            out[pk].aftercare_until = dt.date.fromisoformat(until) if until else None
        for pk, type_, day in (
            Event.objects.filter(case_id__in=chunk)
            .order_by("case_id", "effective_date", "id")
            .values_list("case_id", "type", "effective_date")
        ):
            out[pk].events.append((type_, day))
    return out


def lists_for(user):
    return DestructionList.objects.filter(municipality_id__in=municipality_ids(user))


def list_for(user, list_id: int) -> DestructionList | None:
    return lists_for(user).filter(pk=list_id).first()


def holds_for(user):
    return RetentionHold.objects.filter(municipality_id__in=municipality_ids(user)).select_related("case")


def case_for(user, external_id: str) -> Case | None:
    return Case.objects.filter(municipality_id__in=municipality_ids(user), external_id=external_id).first()
