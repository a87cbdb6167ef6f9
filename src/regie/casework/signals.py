"""Signals on cases (the worklist, the client page, the start page, ``regie signals run``): the due dates of
:func:`regie.core.kpi.deadlines.due_dates` that passed or come soon, plus the signals that are not due dates,
computed by :func:`regie.core.kpi.signals.case_signals` from the case snapshots and -- for cases with a voornemen,
objection or appeal -- their legal state (regie.casework.legal.legal_states_for), minus the acknowledged ones.

The norms come from the municipality's policy. Without a policy in force there are no norms: that raises
:class:`regie.core.policy.PolicyUnavailable` (fail closed), which the screens show as an error.
"""

from __future__ import annotations

import datetime as dt

from regie.core.kpi.signals import Norms, Signal, case_signals

from .models import CaseState, SignalAcknowledgement


def norms_for(municipality_code: str, on: dt.date) -> Norms:
    """The norms of the municipality's policy in force on ``on``; raises PolicyUnavailable (a LookupError)."""
    return Norms.for_municipality(municipality_code, on)


def open_signals(states: list[CaseState], on: dt.date) -> dict[int, list[Signal]]:
    """Signals per case id for these case states, without the acknowledged ones (one query for all)."""
    return open_signals_light([(st.case_id, st.case.municipality.code, st.snapshot) for st in states], on)


def open_signals_light(rows: list[tuple[int, str, dict]], on: dt.date) -> dict[int, list[Signal]]:
    """The same from plain (case id, municipality code, snapshot) rows — no model objects needed."""
    if not rows:
        return {}
    from .legal import legal_states_for, warning_days_for  # legal: zienswijze and objection decision terms

    acked = set(
        SignalAcknowledgement.objects.filter(case_id__in=[r[0] for r in rows]).values_list("case_id", "code", "due")
    )
    legal = legal_states_for(r[0] for r in rows)
    norms_cache: dict[str, Norms] = {}
    warn_cache: dict[str, int] = {}
    out = {}
    for case_id, code, snapshot in rows:
        if code not in norms_cache:
            norms_cache[code] = norms_for(code, on)
        state = legal.get(case_id)
        if state is not None and code not in warn_cache:
            warn_cache[code] = warning_days_for(code, on)
        found = case_signals(snapshot, on, norms_cache[code], state, warn_cache.get(code))
        sigs = [s for s in found if (case_id, s.code, s.due) not in acked]
        if sigs:
            out[case_id] = sigs
    return out


def acknowledge(case, user, *, code: str, due: dt.date, note: str) -> SignalAcknowledgement:
    """Record that ``user`` saw signal ``code`` (due ``due``) on ``case`` and what they do about it (idempotent)."""
    ack, _ = SignalAcknowledgement.objects.get_or_create(
        municipality_id=case.municipality_id, case=case, code=code[:40], due=due, defaults={"note": note, "by": user}
    )
    return ack


# --- agenda: the signal horizon (start page and worklist) ----------------------------------------------------


def signal_horizon_days(municipality_code: str, on: dt.date) -> int:
    """Days after its due date that a signal is shown on its own row; older ones are summarised ("12 oudere
    signalen"). The policy's ``deadlines.signal_horizon_days``; a policy without it raises PolicyUnavailable
    (fail closed: no silent horizon)."""
    from regie.core.policy import PolicyUnavailable, policy_for

    policy = policy_for(municipality_code, on)
    days = policy.deadlines.signal_horizon_days
    if days is None:
        raise PolicyUnavailable(
            "Het beleid van deze gemeente zegt niet hoe lang een signaal apart getoond wordt "
            "(termijnen: signal_horizon_days). Neem contact op met de functioneel beheerder.",
            f"{policy.version_id}: deadlines.signal_horizon_days missing",
            municipality=municipality_code,
            on=on,
        )
    return days


def split_by_horizon(sigs: list[Signal], on: dt.date, horizon_days: int) -> tuple[list[Signal], list[Signal]]:
    """(recent, older): signals due within ``horizon_days`` before ``on`` (or later), and those due before."""
    limit = on - dt.timedelta(days=horizon_days)
    return [s for s in sigs if s.due >= limit], [s for s in sigs if s.due < limit]
