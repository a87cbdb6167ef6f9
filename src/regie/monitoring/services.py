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
    if not states:
        return {}
    acked = set(SignalAcknowledgement.objects.filter(case_id__in=[s.case_id for s in states])
                .values_list("case_id", "code", "due"))
    norms_cache: dict[int, Norms] = {}
    out = {}
    for st in states:
        code = st.case.municipality.code if hasattr(st, "case") else None
        if st.municipality_id not in norms_cache:
            norms_cache[st.municipality_id] = norms_for(code or "", on)
        sigs = [s for s in case_signals(st.snapshot, on, norms_cache[st.municipality_id])
                if (st.case_id, s.code, s.due) not in acked]
        if sigs:
            out[st.case_id] = sigs
    return out


def caseload_report(municipality, on: dt.date) -> dict[str, Signal]:
    counts = Counter(CaseState.objects.filter(municipality=municipality, status__in=("aangevraagd", "lopend"),
                                              caseworker__isnull=False)
                     .values_list("caseworker__username", flat=True))
    return caseload_signals(counts, norms_for(municipality.code, on), on)
