"""Tasks: by hand and from a signal, a provider report or an approval (pre-filled), Mijn taken, cover during leave,
the team view, bulk reassignment (all or nothing), tenancy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from regie.casework.models import CaseState, Event, PendingDecision
from regie.casework.services import append_event
from regie.worktasks import services
from regie.worktasks.models import Absence, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(world):
    return world.clients_a[0].cases.get()


def today():
    return timezone.localdate()


def test_a_task_by_hand_from_the_case_page(world, login, case_a):
    km = world.users_a["integrale_klantmanager"]
    c = login(km)
    page = c.get(f"/clienten/{case_a.client_id}/").content.decode()
    assert f"/taken/nieuw/?case={case_a.pk}" in page
    form = c.get(f"/taken/nieuw/?case={case_a.pk}").content.decode()
    assert f'<option value="{km.pk}" selected>' in form  # the case's caseworker
    due = (today() + dt.timedelta(days=7)).isoformat()
    resp = c.post(
        "/taken/nieuw/",
        {"case": case_a.pk, "title": "Loonstrook opvragen", "assignee": km.pk, "due_on": due, "source": "manual"},
    )
    assert resp.status_code == 302
    task = Task.objects.get()
    assert task.case == case_a and task.assignee == km and task.due_on.isoformat() == due
    assert task.history.get().reason == "created"
    assert "Loonstrook opvragen" in c.get("/taken/").content.decode()
    assert "Loonstrook opvragen" in c.get(f"/clienten/{case_a.client_id}/").content.decode()


def test_bad_input_is_named_and_kept(world, login, case_a):
    c = login(world.users_a["integrale_klantmanager"])
    resp = c.post("/taken/nieuw/", {"case": case_a.pk, "title": "", "assignee": "", "due_on": "2001-01-01"})
    body = resp.content.decode()
    assert resp.status_code == 400
    assert "Titel: vul een titel in." in body and "Toegewezen aan: kies een medewerker of een team." in body
    assert "Uiterste datum: ligt in het verleden (01-01-2001)." in body and 'value="2001-01-01"' in body
    # a user of another municipality cannot be chosen
    other = world.users_b["integrale_klantmanager"]
    resp = c.post("/taken/nieuw/", {"case": case_a.pk, "title": "x", "assignee": other.pk})
    assert resp.status_code == 400 and not Task.objects.exists()


def test_make_task_from_a_signal_prefills_title_and_due(world, login, case_a):
    from regie.worktasks import selectors

    km = world.users_a["integrale_klantmanager"]
    sigs = selectors.sources_for(case_a)["signals"]
    assert sigs, "the fixture case has open signals"
    sig = sigs[0]
    ref = f"{sig.code}:{sig.due.isoformat()}"
    c = login(km)
    page = c.get(f"/clienten/{case_a.client_id}/").content.decode()
    assert "source=signal" in page
    form = c.get(f"/taken/nieuw/?case={case_a.pk}&source=signal&ref={ref}").content.decode()
    assert str(sig.label) in form and max(sig.due, today()).isoformat() in form
    assert 'name="source" value="signal"' in form
    # the rule's source (a legal citation, in English in the policy file) is not put into the task's text
    values = selectors.prefill(km, case_a, "signal", ref)
    assert sig.source and str(sig.source) not in values["description"]
    assert values["description"].startswith("Signaal, uiterlijk ") and str(sig.label) in values["description"]


def test_make_task_from_a_report_and_an_approval(world, login, case_a):
    km = world.users_a["integrale_klantmanager"]
    ev = append_event(
        case_a,
        type="rapportage",
        effective_date=today(),
        payload={"kind": "no_show", "summary": "Niet verschenen op de intake bij de aanbieder"},
        actor=km,
    )
    pending = PendingDecision.objects.create(
        municipality=world.a,
        case=case_a,
        event_type="maatregel",
        effective_date=today(),
        payload={},
        decision={"motivation": "Derde keer niet verschenen"},
        requested_by=km,
    )
    c = login(km)
    form = c.get(f"/taken/nieuw/?case={case_a.pk}&source=provider_report&ref={ev.pk}").content.decode()
    assert "niet verschenen" in form and "Niet verschenen op de intake bij de aanbieder" in form
    form = c.get(f"/taken/nieuw/?case={case_a.pk}&source=approval&ref={pending.pk}").content.decode()
    assert "Afwijkend besluit beoordelen: Maatregel" in form and "Derde keer niet verschenen" in form
    # a reference of another case is not used
    other = world.clients_a[1].cases.get()
    form = c.get(f"/taken/nieuw/?case={other.pk}&source=provider_report&ref={ev.pk}").content.decode()
    assert "Niet verschenen op de intake" not in form


def test_cover_during_leave(world, login, case_a):
    km = world.users_a["integrale_klantmanager"]
    sub = world.users_a["reintegratieconsulent"]
    tm = world.users_a["teammanager"]
    old = services.create(tm, case=case_a, title="Bestaande taak", assignee=km)
    c = login(km)
    resp = c.post(
        "/taken/afwezigheid/",
        {
            "starts_on": today().isoformat(),
            "ends_on": (today() + dt.timedelta(days=14)).isoformat(),
            "substitute": sub.pk,
        },
    )
    assert resp.status_code == 302
    new = services.create(tm, case=case_a, title="Nieuwe taak tijdens verlof", assignee=km)
    assert new.assignee == sub and [h.reason for h in new.history.all()] == ["created", "cover"]
    mine = login(sub).get("/taken/").content.decode()
    assert "Nieuwe taak tijdens verlof" in mine and "Bestaande taak" in mine and "Vervanging voor" in mine
    # when the absence ends, the old task is the user's own again (it never moved)
    Absence.objects.update(ends_on=today() - dt.timedelta(days=1), starts_on=today() - dt.timedelta(days=5))
    old.refresh_from_db()
    assert old.assignee == km and "Bestaande taak" not in login(sub).get("/taken/").content.decode()
    # a substitute who is away too: the chain is followed, and does not loop
    Absence.objects.create(
        municipality=world.a, user=km, starts_on=today(), ends_on=today(), substitute=sub, created_by=km
    )
    Absence.objects.create(
        municipality=world.a, user=sub, starts_on=today(), ends_on=today(), substitute=km, created_by=sub
    )
    assert services.covering(km) == sub


def test_absence_input_is_checked(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    resp = c.post("/taken/afwezigheid/", {"starts_on": "2026-05-10", "ends_on": "2026-05-01", "substitute": ""})
    body = resp.content.decode()
    assert resp.status_code == 400 and "Laatste dag: ligt vóór de eerste dag." in body and "Vervanger:" in body


def test_team_view_shows_who_has_what_and_overdue(world, login, case_a):
    km = world.users_a["integrale_klantmanager"]
    tm = world.users_a["teammanager"]
    t = services.create(tm, case=case_a, title="Te laat", assignee=km, due_on=today())
    Task.objects.filter(pk=t.pk).update(due_on=today() - dt.timedelta(days=3))
    services.create(tm, case=case_a, title="Op tijd", assignee=km, due_on=today() + dt.timedelta(days=3))
    page = login(tm).get("/taken/team/").content.decode()
    assert "Te laat" in page and "Op tijd" in page and km.username in page
    assert login(km).get("/taken/team/").status_code == 403


def test_bulk_reassignment_moves_cases_and_tasks_all_or_nothing(world, login):
    km = world.users_a["integrale_klantmanager"]
    other = world.users_a["reintegratieconsulent"]
    tm = world.users_a["teammanager"]
    for client in world.clients_a:
        services.create(tm, case=client.cases.get(), title=f"Taak {client.external_id}", assignee=km)
    assert CaseState.objects.filter(caseworker=km).count() == 3
    c = login(tm)
    confirm = c.get(f"/taken/team/herverdelen/?source={km.pk}&target={other.pk}").content.decode()
    assert "3 dossiers en 3 open taken" in confirm
    # the caseload changed since the counts were shown: nothing moves
    services.create(tm, case=world.clients_a[0].cases.get(), title="Erbij", assignee=km)
    resp = c.post(
        "/taken/team/herverdelen/", {"source": km.pk, "target": other.pk, "cases": 3, "tasks": 3, "confirm": "1"}
    )
    assert resp.status_code == 400 and "intussen veranderd" in resp.content.decode()
    assert CaseState.objects.filter(caseworker=km).count() == 3
    resp = c.post(
        "/taken/team/herverdelen/", {"source": km.pk, "target": other.pk, "cases": 3, "tasks": 4, "confirm": "1"}
    )
    assert resp.status_code == 302
    assert CaseState.objects.filter(caseworker=other).count() == 3 and not CaseState.objects.filter(caseworker=km)
    assert Task.objects.filter(assignee=other, status="open").count() == 4
    ev = Event.objects.filter(type="caseworker_toewijzing", actor=tm, effective_date=today())
    assert ev.count() == 3 and all(e.payload == {"caseworker": other.username, "reason": "herverdeling"} for e in ev)
    assert all(t.history.last().reason == "bulk" for t in Task.objects.all())
    assert login(km).get(f"/taken/team/herverdelen/?source={km.pk}&target={other.pk}").status_code == 403


def test_tasks_of_another_municipality_are_404(world, login):
    b_case = world.clients_b[0].cases.get()
    task = services.create(
        world.users_b["teammanager"], case=b_case, title="GEHEIM B", assignee=world.users_b["integrale_klantmanager"]
    )
    c = login(world.users_a["teammanager"])
    assert c.get(f"/taken/{task.pk}/").status_code == 404
    assert c.post(f"/taken/{task.pk}/", {"action": "done"}).status_code == 404
    assert c.get(f"/taken/nieuw/?case={b_case.pk}").status_code == 404
    assert "GEHEIM B" not in c.get("/taken/team/").content.decode()
    task.refresh_from_db()
    assert task.status == "open"


def test_done_and_reassign_from_the_task_page(world, login, case_a):
    km = world.users_a["integrale_klantmanager"]
    other = world.users_a["inkomensconsulent"]
    task = services.create(km, case=case_a, title="Bellen", assignee=km)
    c = login(km)
    assert (
        c.post(f"/taken/{task.pk}/", {"action": "reassign", "assignee": other.pk, "note": "inkomen"}).status_code == 302
    )
    task.refresh_from_db()
    assert task.assignee == other
    assert c.post(f"/taken/{task.pk}/", {"action": "done"}).status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.done_by == km
    assert [h.reason for h in task.history.all()] == ["created", "reassigned", "done"]


def test_the_assignee_is_notified(world, case_a):
    from regie.notifications.models import Notification

    km = world.users_a["integrale_klantmanager"]
    sub = world.users_a["reintegratieconsulent"]
    tm = world.users_a["teammanager"]
    task = services.create(tm, case=case_a, title="Bellen over loonstrook", assignee=km)
    n = Notification.objects.get(user=km)
    assert n.kind == "task" and n.message == "task_new" and n.link == f"/taken/{task.pk}/"
    assert n.params == {"title": "Bellen over loonstrook"} and n.shown == "Nieuwe taak: Bellen over loonstrook"
    Absence.objects.create(
        municipality=world.a, user=km, starts_on=today(), ends_on=today(), substitute=sub, created_by=km
    )
    services.create(tm, case=case_a, title="Tijdens verlof", assignee=km)
    assert Notification.objects.filter(user=sub, params__title="Tijdens verlof").exists()
    assert not Notification.objects.filter(user=km, params__title="Tijdens verlof").exists()
