import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from regie.audit.models import AppendOnlyError, AuditRecord
from regie.casework.models import CaseState, Event
from regie.casework.services import ConflictError, append_event, rebuild_projections
from regie.core.events import EventError

pytestmark = pytest.mark.django_db


def _case(world):
    return world.clients_a[0].cases.get()


def test_events_cannot_be_changed_or_deleted_through_the_orm(world):
    ev = Event.objects.filter(case=_case(world)).first()
    ev.type = "afwijzing"
    with pytest.raises(AppendOnlyError):
        ev.save()
    with pytest.raises(AppendOnlyError):
        ev.delete()


def test_database_refuses_update_and_delete_of_events(world):
    table = Event._meta.db_table
    for sql in (f"UPDATE {table} SET type = 'afwijzing'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql)
    assert Event.objects.filter(type="afwijzing").count() == 0


def test_database_refuses_update_of_audit_records(world):
    AuditRecord.objects.create(actor="x", action="read", object_type="client", origin="test")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"UPDATE {AuditRecord._meta.db_table} SET actor = 'someone else'")


def test_projection_follows_appended_events(world):
    case = _case(world)
    km = world.users_a["integrale_klantmanager"]
    state = CaseState.objects.get(case=case)
    assert state.status == "lopend" and state.caseworker == km and state.version == 4
    append_event(
        case,
        type="classificatie",
        effective_date=dt.date(2025, 3, 1),
        payload={"scheme": "participatieladder", "level": "4"},
        actor=km,
        decision={
            "policy_version": "den-haag@2024-01-01",
            "recommendation": {"level": "3"},
            "decided": {"level": "4"},
            "deviates": True,
            "motivation_code": "professioneel",
            "motivation": "Vrijwilligerswerk loopt al",
        },
    )
    state.refresh_from_db()
    assert state.level == "4" and state.version == 5 and state.snapshot["deviations"] == 1
    ev = Event.objects.filter(case=case, type="classificatie").get()
    assert ev.deviates and ev.policy_version == "den-haag@2024-01-01" and ev.actor_role == "integrale_klantmanager"


def test_back_dated_event_recomputes_the_fold_in_date_order(world):
    case = _case(world)
    append_event(
        case,
        type="classificatie",
        effective_date=dt.date(2025, 5, 1),
        payload={"scheme": "participatieladder", "level": "5"},
    )
    # Recorded later but effective earlier: the later-dated level 5 must stay current.
    append_event(
        case,
        type="classificatie",
        effective_date=dt.date(2025, 3, 1),
        payload={"scheme": "participatieladder", "level": "2"},
    )
    assert CaseState.objects.get(case=case).level == "5"


def test_stale_writer_gets_a_conflict_and_writes_nothing(world):
    case = _case(world)
    seen = CaseState.objects.get(case=case).version
    append_event(case, type="contact", effective_date=dt.date(2025, 3, 2), expected_version=seen)
    before = Event.objects.count()
    with pytest.raises(ConflictError, match="changed by someone else"):
        append_event(case, type="contact", effective_date=dt.date(2025, 3, 3), expected_version=seen)
    assert Event.objects.count() == before


def test_invalid_payload_writes_nothing(world):
    case = _case(world)
    before = Event.objects.count()
    with pytest.raises(EventError):
        append_event(case, type="maatregel", effective_date=dt.date(2025, 3, 3), payload={"percentage": 500})
    assert Event.objects.count() == before


def test_assignment_to_a_user_of_another_municipality_is_refused(world):
    with pytest.raises(EventError, match="payload.caseworker"):
        append_event(
            _case(world),
            type="caseworker_toewijzing",
            effective_date=dt.date(2025, 3, 3),
            payload={"caseworker": world.users_b["integrale_klantmanager"].username},
        )


def test_rebuild_reproduces_incremental_projections(world):
    case = _case(world)
    append_event(
        case,
        type="traject_start",
        effective_date=dt.date(2025, 4, 1),
        payload={"trajectory_id": "t1", "kind": "reintegratie", "provider": "P1"},
    )
    append_event(
        case,
        type="uitstroom",
        effective_date=dt.date(2025, 8, 1),
        payload={"reason": "werk_regulier", "trajectory_results": {"t1": "werk"}},
    )
    incremental = {
        s.case_id: (s.status, s.level, s.version, s.caseworker_id, s.snapshot)
        for s in CaseState.objects.filter(municipality=world.a)
    }
    assert rebuild_projections(world.a.id) == len(incremental)
    rebuilt = {
        s.case_id: (s.status, s.level, s.version, s.caseworker_id, s.snapshot)
        for s in CaseState.objects.filter(municipality=world.a)
    }
    assert rebuilt == incremental
    assert rebuilt[case.id][0] == "uitgestroomd"
