"""Reads of the legal life: the case section, the objections worklist, one objection. Everything is derived from
the case's events by regie.core.legal.lifecycle (through regie.casework.legal.legal_state)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from regie.accounts.tenancy import municipality_ids
from regie.casework.legal import CaseLegal, case_legal, legal_state, warning_days, warnings_of
from regie.casework.models import Case, Event
from regie.core.kpi.signals import warns
from regie.core.legal.lifecycle import ObjectionState
from regie.core.policy import PolicyUnavailable

__all__ = ["CaseLegal", "case_legal", "case_for", "objection_worklist", "warnings_of"]


@dataclass
class WorklistRow:
    case: Case
    objection: ObjectionState
    due: dt.date
    days_left: int
    warn: bool


def objection_worklist(user, on: dt.date | None = None, *, include_closed: bool = False) -> list[WorklistRow]:
    """Every objection of the user's municipalities, open ones first, by the last day of their decision term."""
    on = on or dt.date.today()
    case_ids = (
        Event.objects.filter(type="bezwaar", municipality_id__in=municipality_ids(user))
        .values_list("case_id", flat=True)
        .distinct()
    )
    rows: list[WorklistRow] = []
    cases = Case.objects.filter(pk__in=list(case_ids)).select_related("client", "municipality")
    horizon: dict[int, int] = {}
    for case in cases:
        state = legal_state(case)
        if case.municipality_id not in horizon:
            try:
                horizon[case.municipality_id] = warning_days(case, on)
            except PolicyUnavailable:
                horizon[case.municipality_id] = -1  # no warning without a policy (the page says so)
        for o in state.objections.values():
            if not o.open and not include_closed:
                continue
            due = o.decision_term().end
            left = (due - on).days
            days = horizon[case.municipality_id]
            rows.append(WorklistRow(case, o, due, left, o.open and days >= 0 and warns(due, on, days)))
    return sorted(rows, key=lambda r: (not r.objection.open, r.due, r.case.pk))


def case_for(user, case_id: int) -> Case | None:
    return (
        Case.objects.filter(pk=case_id, municipality_id__in=municipality_ids(user))
        .select_related("client", "municipality", "state")
        .first()
    )


def objection_letters(case: Case, objection_id: str) -> list[Event]:
    """The events of this objection that get a letter (ontvangstbevestiging, uitnodiging hoorzitting, beslissing op
    bezwaar), oldest first; the page shows each letter and whether it was sent (regie.letters)."""
    from regie.letters.registry import letter_type_for

    events = Event.objects.filter(
        case=case, type__in=("bezwaar", "bezwaar_horen", "beslissing_op_bezwaar"), payload__objection_id=objection_id
    ).order_by("effective_date", "id")
    return [e for e in events if letter_type_for(e.type, e.payload) is not None]
