"""The per-case memo of derivations (regie.casework.derived) behind the worklist, start page and case page: it
follows the event log (a new event is seen on the next request), is skipped inside a transaction, and spares the
queries of unchanged cases. (A test's own transaction counts as outside a transaction; its values live only as
long as that test.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from regie.casework import derived
from regie.casework.legal import legal_state
from regie.casework.models import Case
from regie.casework.services import append_event
from regie.casework.signals import open_signals_light

pytestmark = pytest.mark.django_db


def _report(case, km, provider):
    append_event(
        case,
        type="traject_start",
        effective_date=timezone.localdate() - dt.timedelta(days=10),
        payload={"trajectory_id": "T1", "kind": "reintegratie", "provider": "P1"},
        actor=km,
    )
    append_event(
        case,
        type="rapportage",
        effective_date=timezone.localdate(),
        payload={"trajectory_id": "T1", "kind": "voortgang", "summary": "Loopt goed"},
        actor=provider,
    )


def test_start_page_sees_a_new_report_after_the_memo_was_filled(world, km, case_a, login):
    derived.clear()
    c = login(km)
    assert c.get(reverse("agenda:start")).context["reports"] == []
    assert case_a.pk in derived._memo["start_events"]  # filled outside a transaction
    _report(case_a, km, world.users_a["provider_coach"])
    reports = c.get(reverse("agenda:start")).context["reports"]
    assert [e.type for e in reports] == ["rapportage"] and reports[0].case_id == case_a.pk


def test_an_unchanged_caseload_costs_fewer_queries_the_second_time(world, km, login):
    derived.clear()
    c = login(km)
    with CaptureQueriesContext(connection) as first:
        c.get(reverse("agenda:start"))
    with CaptureQueriesContext(connection) as again:
        c.get(reverse("agenda:start"))
    reads_of_log = [q for q in again.captured_queries if 'FROM "casework_event"' in q["sql"]]
    assert len(again.captured_queries) < len(first.captured_queries)
    assert reads_of_log == []  # nothing new: no event is read at all (no reports, no legal events)


def test_worklist_signals_follow_a_new_event(world, km, case_a, login):
    derived.clear()
    state = case_a.state
    row = [(case_a.pk, case_a.municipality.code, None, state.version)]
    today = timezone.localdate()
    open_signals_light(row, today)
    assert derived._memo["signals"][case_a.pk][0][1] == state.version
    _report(case_a, km, world.users_a["provider_coach"])
    state.refresh_from_db()
    code = case_a.municipality.code
    after = open_signals_light([(case_a.pk, code, None, state.version)], today).get(case_a.pk, [])
    plain = open_signals_light([(case_a.pk, code, None, None)], today).get(case_a.pk, [])  # not memoised
    assert {s.code for s in after} == {s.code for s in plain}
    assert "no_trajectory_12m" not in {s.code for s in after}  # the trajectory started: that signal is gone
    # the same as derived without the memo, and the memo holds the new version
    assert derived._memo["signals"][case_a.pk][0][1] == state.version


def test_legal_state_memo_follows_a_voornemen(world, km, case_a):
    derived.clear()
    case = Case.objects.select_related("state").get(pk=case_a.pk)
    first = legal_state(case)
    append_event(
        case_a,
        type="voornemen",
        effective_date=timezone.localdate(),
        payload={"decision_type": "maatregel", "summary": "Voornemen tot verlaging"},
        actor=km,
    )
    case = Case.objects.select_related("state").get(pk=case_a.pk)
    assert legal_state(case) != first
    assert legal_state(case) == legal_state(Case.objects.get(pk=case_a.pk))  # memo equals the plain derivation


def test_inside_a_transaction_nothing_is_memoised(world, km, case_a):
    derived.clear()
    with transaction.atomic():
        case = Case.objects.select_related("state").get(pk=case_a.pk)
        legal_state(case)
    assert "legal_state" not in derived._memo
