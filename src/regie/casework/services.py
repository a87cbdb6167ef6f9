"""Writes to the case event log. Every change to a case goes through :func:`append_event`.

Reads live in :mod:`regie.casework.selectors`; the import is in :mod:`regie.casework.interchange`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Iterable

from django.db import transaction
from django.utils import timezone

from regie.accounts.models import User
from regie.core.events import validate_event
from regie.core.projection import CaseSnapshot, apply, fold

from .models import Case, CaseState, Event


class ConflictError(Exception):
    """The case changed since the writer last saw it (optimistic concurrency)."""

    def __init__(self, case: Case, expected: int, actual: int):
        self.case, self.expected, self.actual = case, expected, actual
        super().__init__(
            f"case {case.external_id} was changed by someone else (you saw version {expected}, it is now {actual}); "
            "reload the case and record your change again"
        )


def _state_fields(snapshot: CaseSnapshot, caseworkers: dict[str, int | None]) -> dict:
    return {
        "status": snapshot.status,
        "caseworker_id": caseworkers.get(snapshot.caseworker) if snapshot.caseworker else None,
        "level": snapshot.level or "",
        "route": snapshot.route or "",
        "benefit_start": snapshot.benefit_start,
        "benefit_end": snapshot.benefit_end,
        "last_event_on": snapshot.last_event_on,
        "exempt": snapshot.exempt,
        "open_trajectories": len(snapshot.trajectories),
        "version": snapshot.event_count,
        "snapshot": snapshot.to_json(),
    }


def _snapshot_from_state(state: CaseState) -> CaseSnapshot:
    data = dict(state.snapshot)
    snap = CaseSnapshot()
    for key, value in data.items():
        if hasattr(snap, key):
            current = getattr(CaseSnapshot(), key)
            if value is not None and key.endswith(("_on", "_date", "_start", "_end", "_until")) and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            elif isinstance(current, dict) and value is None:
                value = {}
            setattr(snap, key, value)
    return snap


def _caseworker_ids(municipality_id: int, usernames: Iterable[str]) -> dict[str, int]:
    names = {u for u in usernames if u}
    if not names:
        return {}
    return dict(User.objects.filter(username__in=names).values_list("username", "id"))


@transaction.atomic
def append_event(
    case: Case,
    *,
    type: str,
    effective_date: dt.date,
    payload: dict | None = None,
    decision: dict | None = None,
    actor: User | None = None,
    actor_role: str | None = None,
    expected_version: int | None = None,
    external_id: str | None = None,
) -> Event:
    """Validate and append one event, then bring the case's projection up to date.

    ``expected_version`` is the case version the writer saw; if someone appended in between, ConflictError is
    raised and nothing is written. Raises :class:`regie.core.events.EventError` naming every bad field.
    """
    clean_payload, clean_decision = validate_event(type, payload, decision)
    if type == "caseworker_toewijzing":
        assignee = User.objects.filter(username=clean_payload["caseworker"]).first()
        if assignee is None or assignee.municipality_id != case.municipality_id:
            from regie.core.events import EventError

            raise EventError([("payload.caseworker", f"no user {clean_payload['caseworker']!r} in this municipality")])
    # Lock the projection row: concurrent writers of one case are serialised, and the version check is exact.
    state = CaseState.objects.select_for_update().filter(case=case).first()
    current_version = state.version if state else 0
    if expected_version is not None and expected_version != current_version:
        raise ConflictError(case, expected_version, current_version)
    event = Event(
        municipality_id=case.municipality_id,
        case=case,
        external_id=external_id or f"E-{uuid.uuid4().hex[:16]}",
        type=type,
        effective_date=effective_date,
        recorded_at=timezone.now(),
        actor=actor,
        actor_role=actor_role or (actor.role if actor else "systeem"),
        payload=clean_payload,
        decision=clean_decision,
        deviates=bool(clean_decision and clean_decision.get("deviates")),
        policy_version=(clean_decision or {}).get("policy_version") or "",
    )
    event.save()
    if state is None or (state.snapshot.get("last_event_on") and effective_date.isoformat() < state.snapshot["last_event_on"]):
        # A back-dated event changes the fold order: recompute the case from its log.
        rebuild_case(case)
    else:
        snap = _snapshot_from_state(state)
        apply(snap, type, effective_date, clean_payload, clean_decision)
        fields = _state_fields(snap, _caseworker_ids(case.municipality_id, [snap.caseworker]))
        CaseState.objects.filter(case=case).update(**fields)
    return event


def rebuild_case(case: Case) -> CaseState:
    events = Event.objects.filter(case=case).order_by("effective_date", "id").values(
        "type", "effective_date", "payload", "decision"
    )
    snap = fold(events)
    fields = _state_fields(snap, _caseworker_ids(case.municipality_id, [snap.caseworker]))
    state, _ = CaseState.objects.update_or_create(case=case, defaults={"municipality_id": case.municipality_id, **fields})
    return state


def rebuild_projections(municipality_id: int, progress=None, batch: int = 2000) -> int:
    """Recompute CaseState for every case of a municipality from its events. Returns the number of cases."""
    caseworkers = dict(User.objects.filter(municipality_id=municipality_id).values_list("username", "id"))
    case_ids = list(Case.objects.filter(municipality_id=municipality_id).order_by("id").values_list("id", flat=True))
    done = 0
    for start in range(0, len(case_ids), batch):
        chunk = case_ids[start : start + batch]
        snaps: dict[int, CaseSnapshot] = {cid: CaseSnapshot() for cid in chunk}
        rows = (
            Event.objects.filter(case_id__in=chunk)
            .order_by("case_id", "effective_date", "id")
            .values_list("case_id", "type", "effective_date", "payload", "decision")
        )
        for case_id, etype, eff, payload, decision in rows.iterator(chunk_size=5000):
            apply(snaps[case_id], etype, eff, payload or {}, decision)
        with transaction.atomic():
            CaseState.objects.filter(case_id__in=chunk).delete()
            CaseState.objects.bulk_create(
                [CaseState(case_id=cid, municipality_id=municipality_id, **_state_fields(s, caseworkers))
                 for cid, s in snaps.items()],
                batch_size=1000,
            )
        done += len(chunk)
        if progress:
            progress(len(chunk))
    return done
