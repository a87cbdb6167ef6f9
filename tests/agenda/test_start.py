"""The start page: the caseworker's landing page, what it groups, signals with their clearing step and the horizon
summary, reports and decisions since last seen, terms about to expire; a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from regie.agenda import services
from regie.agenda.start import start_data
from regie.casework import derived
from regie.casework.decisions import record_step, review_pending
from regie.casework.models import Case, Client, PendingDecision
from regie.casework.services import append_event
from regie.core.bsn import complete_bsn

pytestmark = pytest.mark.django_db


def test_caseworker_lands_on_the_start_page_teammanager_on_the_worklist(world, km, login):
    c = login(km)
    assert c.get(reverse("home"))["Location"] == reverse("agenda:start")
    c = login(world.users_a["teammanager"])
    assert c.get(reverse("home"))["Location"] == reverse("worklist")


def test_worklist_is_one_click_away(world, km, login):
    body = login(km).get(reverse("agenda:start")).content.decode()
    assert f'href="{reverse("worklist")}"' in body


def test_today_appointments_and_reports(world, km, case_a, login):
    services.plan(case_a, km, kind="intake", date=timezone.localdate(), start_time=dt.time(9, 0))
    append_event(
        case_a,
        type="traject_start",
        effective_date=timezone.localdate() - dt.timedelta(days=10),
        payload={"trajectory_id": "T1", "kind": "reintegratie", "provider": "P1"},
        actor=km,
    )
    append_event(
        case_a,
        type="rapportage",
        effective_date=timezone.localdate(),
        payload={"trajectory_id": "T1", "kind": "voortgang", "summary": "Loopt goed"},
        actor=world.users_a["provider_coach"],
    )
    c = login(km)
    data = c.get(reverse("agenda:start")).context
    assert len(data["appointments"]) == 1 and len(data["reports"]) == 1
    c.post(reverse("agenda:start_seen"), {"what": "reports"})
    assert c.get(reverse("agenda:start")).context["reports"] == []


def test_signals_grouped_with_clearing_step_and_old_ones_summarised(world, km, case_a):
    # the cases of the world are on benefit since 2025-02-01 without intake, trajectory or contact: signals
    data = start_data(km)
    groups = {g["code"]: g for g in data["signal_groups"]}
    assert groups, "the fixture's cases have open signals"
    for g in groups.values():
        for r in g["rows"]:
            assert r["link"].startswith("/")
    # every signal of the fixture is far older than the policy's 90-day horizon: counted, not listed
    assert sum(g["older"] for g in groups.values()) > 0
    today = timezone.localdate()
    for g in groups.values():
        for r in g["rows"]:
            assert (today - r["due"]).days <= g["horizon"]


def test_recent_signal_has_a_row_linking_to_its_step(world, km, case_a):
    data = start_data(km, today=dt.date(2025, 3, 1))  # intake due 2025-01-15: within 90 days of that day
    rows = [r for g in data["signal_groups"] if g["code"] == "intake_late" for r in g["rows"]]
    assert rows and rows[0]["link"] == reverse("agenda:new", args=[case_a.pk]) + "?soort=intake"
    later = start_data(km, today=dt.date(2025, 6, 1))  # the same signal, now past the horizon: summarised
    group = next(g for g in later["signal_groups"] if g["code"] == "intake_late")
    assert group["rows"] == [] and group["older"] == len(rows)


def test_decisions_back_from_approval(world, km, case_a, login):
    pending = PendingDecision.objects.create(
        municipality=world.a,
        case=case_a,
        event_type="waarschuwing",
        effective_date=timezone.localdate(),
        payload={"obligation_type": "administratief"},
        decision={},
        requested_by=km,
    )
    review_pending(pending, world.users_a["teammanager"], approve=False, note="Eerst horen")
    data = login(km).get(reverse("agenda:start")).context
    assert [p.review_note for p in data["decisions"]] == ["Eerst horen"]


def test_terms_about_to_expire(world, km, case_a):
    record_step(
        case_a,
        km,
        event_type="plan_van_aanpak",
        effective_date=timezone.localdate(),
        payload={"version": 1, "review_date": (timezone.localdate() + dt.timedelta(days=5)).isoformat()},
    )
    data = start_data(km)
    assert any(t["label"] == "Evaluatie plan van aanpak" for t in data["terms"])


def _add_cases(world, km, n: int, start: int) -> None:
    k, made = start, 0
    while made < n:
        k += 1
        bsn = complete_bsn(f"{40000000 + k:08d}")
        if not bsn:
            continue
        made += 1
        cl = Client.objects.create(
            municipality=world.a,
            external_id=f"S{k}",
            bsn=bsn,
            given_name="Extra",
            family_name=f"Start{k}",
            birth_date=dt.date(1980, 1, 1),
            sex="M",
        )
        case = Case.objects.create(municipality=world.a, client=cl, external_id=f"SK{k}", opened_on=dt.date(2025, 1, 1))
        append_event(case, type="melding", effective_date=dt.date(2025, 1, 1))
        append_event(
            case, type="toekenning", effective_date=dt.date(2025, 1, 20), payload={"norm_type": "alleenstaande"}
        )
        append_event(
            case, type="caseworker_toewijzing", effective_date=dt.date(2025, 1, 20), payload={"caseworker": km.username}
        )
        services.plan(case, km, kind="voortgangsgesprek", date=timezone.localdate(), start_time=dt.time(9, made % 50))


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("agenda:start")).status_code == 200
    return len(ctx.captured_queries)


def test_start_page_queries_do_not_grow_with_the_caseload(world, km, login):
    c = login(km)
    _add_cases(world, km, 3, 0)
    _count(c)  # warm: session, policy cache
    derived.clear()  # pages: compare derivations from scratch (the per-case memo would hide them)
    few = _count(c)
    _add_cases(world, km, 30, 100)
    derived.clear()
    many = _count(c)
    assert many == few, (few, many)
    assert _count(c) < many  # unchanged cases come from the memo
    assert few <= 20
    print(f"start page: {few} queries")


def test_worklist_summarises_signals_past_the_horizon(world, km, login):
    """The fixture's signals are all older than the policy's 90 days: no badge on any row, one line counting them."""
    resp = login(km).get(reverse("worklist"))
    html = resp.content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    assert 'class="badge"' not in rows
    assert resp.context["older_signals"] > 0 and "Oudere signalen op deze pagina" in html


def test_tasks_due_this_week_on_the_start_page(world, km, case_a, login):
    from regie.worktasks.models import Task

    today = timezone.localdate()
    Task.objects.create(
        municipality=world.a, case=case_a, title="Loonstroken opvragen", assignee=km, due_on=today, created_by=km
    )
    Task.objects.create(
        municipality=world.a,
        case=case_a,
        title="Later",
        assignee=km,
        due_on=today + dt.timedelta(days=30),
        created_by=km,
    )
    body = login(km).get(reverse("agenda:start")).content.decode()
    assert "Loonstroken opvragen" in body and "Later" not in body
