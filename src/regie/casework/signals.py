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
    return open_signals_light([(st.case_id, st.case.municipality.code, st.snapshot, st.version) for st in states], on)


def open_signals_light(rows: list[tuple], on: dt.date) -> dict[int, list[Signal]]:
    """The same from plain (case id, municipality code, snapshot) rows — no model objects needed. A row may carry
    the case's version as a fourth element (CaseState.version): then the case's signals on ``on`` are memoised per
    version (regie.casework.derived) and its snapshot may be None (read only when the case is derived anew)."""
    if not rows:
        return {}
    from .derived import per_case, snapshots_of

    acked = set(
        SignalAcknowledgement.objects.filter(case_id__in=[r[0] for r in rows]).values_list("case_id", "code", "due")
    )
    code_of = {r[0]: r[1] for r in rows}
    snap_of = {r[0]: r[2] for r in rows if r[2] is not None}
    versions = {r[0]: r[3] for r in rows if len(r) > 3 and r[3] is not None}

    def derive(ids: list[int]) -> dict[int, list[Signal]]:
        return _case_signals(ids, code_of, snap_of, versions, on, snapshots_of)

    found = per_case("signals", versions, derive, extra=policy_key(set(code_of.values()), on), default=[])
    rest = [cid for cid in code_of if cid not in versions]
    if rest:
        found.update(derive(rest))
    out = {}
    for case_id in code_of:
        sigs = [s for s in found.get(case_id, []) if (case_id, s.code, s.due) not in acked]
        if sigs:
            out[case_id] = sigs
    return out


def policy_key(codes: set[str], on: dt.date) -> tuple:
    """What a derivation on ``on`` depends on besides the case: the day and the policies in force (the loaded
    objects: a changed policy directory loads new ones)."""
    from regie.core.policy import default_set, policy_for

    # the content digest of the set, not id(): the key is shared by the web workers (derived.shared_memo); which
    # version is in force is named per code, so a code without a policy still raises PolicyUnavailable here
    return (on, default_set().token, tuple(sorted((code, policy_for(code, on).valid_from) for code in codes)))


def _case_signals(ids, code_of, snap_of, versions, on, snapshots_of) -> dict[int, list[Signal]]:
    from .legal import legal_states_for, warning_days_for  # legal: zienswijze and objection decision terms

    need = [cid for cid in ids if cid not in snap_of]
    if need:
        snap_of.update(snapshots_of(need))
    legal = legal_states_for(ids, versions)
    norms_cache: dict[str, Norms] = {}
    warn_cache: dict[str, int] = {}
    out: dict[int, list[Signal]] = {}
    for case_id in ids:
        code = code_of[case_id]
        if code not in norms_cache:
            norms_cache[code] = norms_for(code, on)
        state = legal.get(case_id)
        if state is not None and code not in warn_cache:
            warn_cache[code] = warning_days_for(code, on)
        out[case_id] = case_signals(snap_of.get(case_id) or {}, on, norms_cache[code], state, warn_cache.get(code))
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
