"""Caseworkers above the caseload norm, from the event log (the dashboard's computation). Signals on single cases
are casework's (:mod:`regie.casework.signals`)."""

from __future__ import annotations

import datetime as dt

from regie.casework.signals import norms_for
from regie.core.kpi.signals import Signal, caseload_signals


def caseload_report(municipality, on: dt.date) -> dict[str, Signal]:
    """Caseworkers above the caseload norm on ``on``: the dashboard's caseload table (core.kpi.indicators.caseload on
    the municipality's frames), so the command line and the page count the same cases."""
    from regie.analytics.store import current
    from regie.core.kpi.indicators import caseload

    norms = norms_for(municipality.code, on)
    rows = caseload(current(municipality, max_age=0), on, norms.caseload_norm)
    return caseload_signals({r["caseworker"]: r["cases"] for r in rows}, norms, on)
