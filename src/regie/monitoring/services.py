"""Signals for cases in the database: the policy's norms, the CaseState snapshots, minus acknowledged ones; caseworkers
above the caseload norm from the event log (the dashboard's computation)."""

from __future__ import annotations

import datetime as dt

from regie.casework.models import CaseState
from regie.core.kpi.signals import Norms, Signal, case_signals, caseload_signals

from .models import SignalAcknowledgement


def norms_for(municipality_code: str, on: dt.date) -> Norms:
    """The policy's norms; without a policy in force, the national defaults (marked as an assumption in their
    source). The case page's deadlines do not fall back: they raise LookupError (regie.casework.deadlines)."""
    try:
        return Norms.for_municipality(municipality_code, on)
    except LookupError:
        return Norms()


def open_signals(states: list[CaseState], on: dt.date) -> dict[int, list[Signal]]:
    """Signals per case id for these case states, without the acknowledged ones (one query for all)."""
    return open_signals_light([(st.case_id, st.case.municipality.code, st.snapshot) for st in states], on)


def open_signals_light(rows: list[tuple[int, str, dict]], on: dt.date) -> dict[int, list[Signal]]:
    """The same from plain (case id, municipality code, snapshot) rows — no model objects needed."""
    if not rows:
        return {}
    acked = set(SignalAcknowledgement.objects.filter(case_id__in=[r[0] for r in rows])
                .values_list("case_id", "code", "due"))
    norms_cache: dict[str, Norms] = {}
    out = {}
    for case_id, code, snapshot in rows:
        if code not in norms_cache:
            norms_cache[code] = norms_for(code, on)
        sigs = [s for s in case_signals(snapshot, on, norms_cache[code]) if (case_id, s.code, s.due) not in acked]
        if sigs:
            out[case_id] = sigs
    return out


def caseload_report(municipality, on: dt.date) -> dict[str, Signal]:
    """Caseworkers above the caseload norm on ``on``: the dashboard's caseload table (core.kpi.indicators.caseload on
    the municipality's frames), so the command line and the page count the same cases."""
    from regie.analytics.store import current
    from regie.core.kpi.indicators import caseload

    norms = norms_for(municipality.code, on)
    rows = caseload(current(municipality, max_age=0), on, norms.caseload_norm)
    return caseload_signals({r["caseworker"]: r["cases"] for r in rows}, norms, on)
