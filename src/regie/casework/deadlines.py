"""The deadlines that apply to a case now (the case page's Termijnen): an adapter around
:func:`regie.core.kpi.deadlines.due_dates`, the list the worklist signals are views of.

A municipality without a policy in force raises ``LookupError`` (from ``regie.core.policy.policy_for``): the page
must say so, not show an empty list as if nothing were due.
"""

from __future__ import annotations

import datetime as dt

from regie.core.kpi.deadlines import DueDate, Norms, add_months, due_dates

from .models import Case

Deadline = DueDate  # the name the case page used

__all__ = ["Deadline", "DueDate", "add_months", "deadlines_for"]


def deadlines_for(case: Case, on: dt.date | None = None) -> list[DueDate]:
    on = on or dt.date.today()
    state = getattr(case, "state", None)
    if state is None:
        return []
    from .legal import legal_state  # legal: the open terms of voornemens, objections and appeals

    return due_dates(state.snapshot, on, Norms.for_municipality(case.municipality.code, on), legal_state(case))
