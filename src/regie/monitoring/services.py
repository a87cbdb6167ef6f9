"""Signals for cases in the database: the policy's norms, the CaseState snapshots, minus acknowledged ones."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from regie.casework.models import CaseState
from regie.core.kpi.signals import Norms, Signal, case_signals, caseload_signals

from .models import SignalAcknowledgement


def norms_for(municipality_code: str, on: dt.date) -> Norms:
    try:
        from regie.core.policy import policy_for

        return Norms.from_policy(policy_for(municipality_code, on))
    except (ImportError, LookupError):
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
    counts = Counter(CaseState.objects.filter(municipality=municipality, status__in=("aangevraagd", "lopend"),
                                              caseworker__isnull=False)
                     .values_list("caseworker__username", flat=True))
    return caseload_signals(counts, norms_for(municipality.code, on), on)
