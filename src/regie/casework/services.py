"""Writes to the case event log. Every change to a case goes through :func:`append_event`; decisions get there
through the decision gate (:mod:`regie.casework.decisions`), which computes the policy's advice first.

Reads live in :mod:`regie.casework.selectors`; the import is in :mod:`regie.casework.interchange`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from regie.accounts.models import User
from regie.core.dates import nl_date
from regie.core.events import Message, validate_event
from regie.core.projection import CaseSnapshot, apply, fold

from . import bulk
from .models import Case, CaseState, Client, Event


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


STATE_COLUMNS = (
    "status",
    "caseworker_id",
    "level",
    "route",
    "benefit_start",
    "benefit_end",
    "last_event_on",
    "exempt",
    "open_trajectories",
    "version",
    "snapshot",
)


def _snapshot_from_state(state: CaseState) -> CaseSnapshot:
    data = dict(state.snapshot)
    snap = CaseSnapshot()
    for key, value in data.items():
        if hasattr(snap, key):
            current = getattr(CaseSnapshot(), key)
            if (
                value is not None
                and key.endswith(("_on", "_date", "_start", "_end", "_until"))
                and isinstance(value, str)
            ):
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

    Every writer gets the same checks (regie.casework.validation): the payload schema and plausible dates (core),
    then the case's context (not before the melding, ends after starts, the municipality's providers, the search
    period). What the server decides is set here: trajectory and exemption ids when the writer gives none, and the
    melding's end of the search period (:func:`melding_payload`). An ``uitstroom`` must give a result for every
    open trajectory in ``trajectory_results``; each of them is ended with that result (a ``traject_einde`` on the
    outflow date, before the uitstroom), so the provider and the KPIs see the trajectory closed.

    ``expected_version`` is the case version the writer saw; if someone appended in between, ConflictError is
    raised and nothing is written. Raises :class:`regie.core.events.EventError` naming every bad field, in the
    active language.
    """
    from regie.core.events import EventError

    from . import route, validation

    try:
        # trajectory and exemption numbers: the schema gives one when the writer does not (events.new_id)
        clean_payload, clean_decision = validate_event(
            type, payload, decision, effective_date=effective_date, today=timezone.localdate()
        )
        if type == "melding":
            clean_payload = melding_payload(case, effective_date, clean_payload)
        if type in route.SERVER_FILLED:  # route: hersteltermijn, intrekking's from_date, rustplan's end
            clean_payload = route.server_payload(case, type, effective_date, clean_payload)
        from .legal import legal_payload  # legal: zienswijze term, decision type, advisory committee

        clean_payload = legal_payload(case, type, effective_date, clean_payload)
        errors = validation.check_in_case(case, type, effective_date, clean_payload)
        if type == "caseworker_toewijzing":
            assignee = User.objects.filter(username=clean_payload["caseworker"]).first()
            if assignee is None or assignee.municipality_id != case.municipality_id:
                errors.append(
                    (
                        "payload.caseworker",
                        Message("Klantmanager %(name)s werkt niet bij deze gemeente", name=clean_payload["caseworker"]),
                    )
                )
        if errors:
            raise EventError(errors)
    except EventError as exc:
        raise validation.localise(exc) from None
    # Lock the projection row: concurrent writers of one case are serialised, and the version check is exact.
    state = CaseState.objects.select_for_update().filter(case=case).first()
    current_version = state.version if state else 0
    if expected_version is not None and expected_version != current_version:
        raise ConflictError(case, expected_version, current_version)
    if type == "uitstroom":
        for trajectory_id, result in sorted(clean_payload.get("trajectory_results", {}).items()):
            _insert(
                case,
                state,
                type="traject_einde",
                effective_date=effective_date,
                payload={"trajectory_id": trajectory_id, "result": result},
                decision=None,
                actor=actor,
                actor_role=actor_role,
                external_id=None,
            )
            state = CaseState.objects.filter(case=case).first()
    event = _insert(
        case,
        state,
        type=type,
        effective_date=effective_date,
        payload=clean_payload,
        decision=clean_decision,
        actor=actor,
        actor_role=actor_role,
        external_id=external_id,
    )
    if type == "adres_wijziging":  # the client's postcode search key follows the record, whatever the path
        from .search import refresh_postcode

        refresh_postcode(case.client)
    return event


def _insert(
    case: Case,
    state: CaseState | None,
    *,
    type: str,
    effective_date: dt.date,
    payload: dict,
    decision: dict | None,
    actor: User | None,
    actor_role: str | None,
    external_id: str | None,
) -> Event:
    event = Event(
        municipality_id=case.municipality_id,
        case=case,
        external_id=external_id or f"E-{uuid.uuid4().hex[:16]}",
        type=type,
        effective_date=effective_date,
        recorded_at=timezone.now(),
        actor=actor,
        actor_role=actor_role or (actor.role if actor else "systeem"),
        payload=payload,
        decision=decision,
        deviates=bool(decision and decision.get("deviates")),
        policy_version=(decision or {}).get("policy_version") or "",
    )
    event.save()
    last = state.snapshot.get("last_event_on") if state is not None else None
    if state is None or (last and effective_date.isoformat() < last):
        # A back-dated event changes the fold order: recompute the case from its log.
        rebuild_case(case)
    else:
        snap = _snapshot_from_state(state)
        apply(snap, type, effective_date, payload, decision)
        fields = _state_fields(snap, _caseworker_ids(case.municipality_id, [snap.caseworker]))
        CaseState.objects.filter(case=case).update(**fields)
    return event


def rebuild_case(case: Case) -> CaseState:
    events = (
        Event.objects.filter(case=case)
        .order_by("effective_date", "id")
        .values("type", "effective_date", "payload", "decision")
    )
    snap = fold(events)
    fields = _state_fields(snap, _caseworker_ids(case.municipality_id, [snap.caseworker]))
    state, _ = CaseState.objects.update_or_create(
        case=case, defaults={"municipality_id": case.municipality_id, **fields}
    )
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
            rows = []
            for cid, snap in snaps.items():
                f = _state_fields(snap, caseworkers)
                rows.append([cid, municipality_id, *(f[c] for c in STATE_COLUMNS)])
            bulk.insert(CaseState._meta.db_table, ["case_id", "municipality_id", *STATE_COLUMNS], rows)
        done += len(chunk)
        if progress:
            progress(len(chunk))
    return done


# --- clients and cases -------------------------------------------------------------------------------------------


class DuplicateClient(Exception):
    """A client with this BSN already exists in the municipality."""


def register_client(municipality_id: int, *, bsn: str, external_id: str | None = None, **fields) -> Client:
    """Create a client of ``municipality_id``; the BSN is unique per municipality (:class:`DuplicateClient`)."""
    client_problems(fields, raise_error=True)
    try:
        with transaction.atomic():
            return Client.objects.create(
                municipality_id=municipality_id,
                bsn=bsn,
                external_id=external_id or f"C-{uuid.uuid4().hex[:12]}",
                **fields,
            )
    except IntegrityError as exc:
        raise DuplicateClient(bsn) from exc


def client_problems(fields: dict, *, raise_error: bool = False) -> list[tuple[str, str]]:
    """Plausibility of a client's fields, the same as the import's client record: names within NAME_MAX, a birth
    date in the past and not before 1900. Raises EventError (localised) when ``raise_error``."""
    from regie.core.events import NAME_MAX, EventError, birth_date_problem, label

    from . import validation

    errors: list[tuple[str, str]] = []
    for name in ("given_name", "family_name"):
        if len(fields.get(name) or "") > NAME_MAX:
            errors.append(
                (name, Message("%(field)s is te lang: hoogstens %(max)s tekens", field=label(name), max=NAME_MAX))
            )
    born = fields.get("birth_date")
    if isinstance(born, dt.date) and (problem := birth_date_problem(born, timezone.localdate())):
        errors.append(("birth_date", problem))
    if errors and raise_error:
        raise validation.localise(EventError(errors))
    return errors


def open_case(client: Client, opened_on: dt.date, *, team=None, external_id: str | None = None) -> Case:
    """Open a case (dossier) for ``client``; its first event is the melding (:func:`record_melding`)."""
    return Case.objects.create(
        municipality_id=client.municipality_id,
        client=client,
        opened_on=opened_on,
        team=team,
        external_id=external_id or f"K-{uuid.uuid4().hex[:12]}",
    )


def melding_payload(case: Case, melding_date: dt.date, payload: dict | None = None) -> dict:
    """The melding's payload with what the server computes: the end of the search period (zoekperiode) for a
    client under the national layer's age limit on the melding date (Pw art. 41 lid 4; limit and length from
    ``policies/national``, :func:`regie.casework.validation.search_period_end`). A writer may not set another end
    (EventError); without a national layer in force the melding is refused (PolicyUnavailable, fail closed)."""
    from regie.core.events import EventError

    from .validation import search_period_end

    payload = dict(payload or {})
    expected = search_period_end(case.client.birth_date, melding_date)
    given = payload.get("search_period_end")
    if given and (expected is None or str(given) != expected.isoformat()):
        raise EventError(
            [
                (
                    "payload.search_period_end",
                    Message(
                        "Einde zoekperiode wordt door Regie bepaald uit de wet (%(expected)s); laat het veld leeg",
                        expected=nl_date(expected) if expected else Message("geen zoekperiode"),
                    ),
                )
            ]
        )
    if expected is not None:
        payload["search_period_end"] = expected.isoformat()
    return payload


def age_on(born: dt.date, on: dt.date) -> int:
    """Age in whole years on ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def record_melding(
    case: Case, melding_date: dt.date, actor: User, *, channel: str = "balie", assign_to: User | None = None
) -> Event:
    """The melding (first event of the route), then the assignment to ``assign_to`` (default: the actor).

    Without a policy of the municipality in force the route cannot start (PolicyUnavailable, fail closed: no advice
    could be given on any later step); the search period itself is national law (:func:`melding_payload`)."""
    from regie.core.policy import policy_for

    policy_for(case.municipality.code, melding_date)
    event = append_event(case, type="melding", effective_date=melding_date, payload={"channel": channel}, actor=actor)
    append_event(
        case,
        type="caseworker_toewijzing",
        effective_date=melding_date,
        payload={"caseworker": (assign_to or actor).username},
        actor=actor,
    )
    return event


def register_melding(actor: User, *, client_fields: dict, melding_date: dt.date, channel: str = "balie") -> Client:
    """A new client and their melding in one transaction: client, case, melding, assignment to the actor."""
    with transaction.atomic():
        client = register_client(actor.municipality_id, **client_fields)
        case = open_case(client, melding_date, team=actor.team)
        record_melding(case, melding_date, actor, channel=channel)
    return client
