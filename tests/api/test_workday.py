"""REST API for the working day: documents, tasks, appointments, journal notes -- tenancy, roles, token scopes,
audit, expected_version, the confidentiality rule and the OpenAPI description."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from regie.agenda import services as agenda_services
from regie.audit.models import AuditRecord
from regie.casework.models import CaseState
from regie.documents import services as document_services
from regie.documents.models import Document
from regie.journal import services as journal_services
from regie.worktasks.models import Absence, Task
from tests.api.client import api
from tests.documents.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def _version(case) -> int:
    return CaseState.objects.get(case=case).version


@pytest.fixture
def case_a(world):
    return world.clients_a[0].cases.get()


@pytest.fixture
def km(world):
    return world.users_a["integrale_klantmanager"]


# --- documents -----------------------------------------------------------------------------------------------------


def _upload(client, case, *, name="loonstrook.pdf", content=None, version=None, **fields):
    data = {
        "file": SimpleUploadedFile(name, content if content is not None else pdf_bytes()),
        "kind": "loonstrook",
        "expected_version": _version(case) if version is None else version,
        **fields,
    }
    return client.post(f"/api/v1/cases/{case.pk}/documents/", data, format="multipart")


def test_upload_list_and_download_a_document(world, case_a, km):
    c = api(km)
    r = _upload(c, case_a, title="Loonstrook januari", document_date="2026-11-01")
    assert r.status_code == 201, r.data
    doc = Document.objects.get(pk=r.data["id"])
    assert doc.event.type == "document" and doc.title == "Loonstrook januari" and doc.kind == "loonstrook"
    listed = c.get(f"/api/v1/cases/{case_a.pk}/documents/")
    assert listed.status_code == 200 and [d["id"] for d in listed.data["results"]] == [doc.pk]
    assert "storage_key" not in listed.data["results"][0] and "sha256" not in listed.data["results"][0]
    f = c.get(r.data["file"])
    assert f.status_code == 200 and b"".join(f.streaming_content).startswith(b"%PDF")
    assert f["X-Content-Type-Options"] == "nosniff"
    assert AuditRecord.objects.filter(
        object_type="document", object_id=doc.document_id, action="read", detail__startswith="api download"
    ).exists()
    assert AuditRecord.objects.filter(object_type="document", action="create", detail__startswith="api").exists()


def test_upload_with_a_stale_version_is_409_and_keeps_nothing(world, case_a, km):
    r = _upload(api(km), case_a, version=_version(case_a) - 1)
    assert r.status_code == 409 and r.data["current_version"] == _version(case_a)
    assert not Document.objects.filter(case=case_a).exists()


def test_upload_refuses_bad_type_missing_fields_and_too_large(world, case_a, km, settings):
    c = api(km)
    r = _upload(c, case_a, name="x.exe", content=b"MZ\x90\x00" * 10)
    assert r.status_code == 422 and "file" in r.data
    r = c.post(f"/api/v1/cases/{case_a.pk}/documents/", {"kind": "loonstrook"}, format="multipart")
    assert r.status_code == 422 and {"file", "expected_version"} <= set(r.data)
    settings.REGIE_DOCUMENT_MAX_BYTES = 1000
    r = _upload(c, case_a, content=pdf_bytes("x" * 50, pages=20))
    assert r.status_code == 413 and "MB" in str(r.data["file"])
    assert not Document.objects.filter(case=case_a).exists()


def test_documents_of_another_municipality_are_404(world, case_a, km):
    other = world.clients_b[0].cases.get()
    doc = document_services.store_upload(
        other,
        world.users_b["integrale_klantmanager"],
        SimpleUploadedFile("b.pdf", pdf_bytes()),
        kind="loonstrook",
    )
    c = api(km)
    for url in (
        f"/api/v1/cases/{other.pk}/documents/",
        f"/api/v1/documents/{doc.pk}/",
        f"/api/v1/documents/{doc.pk}/file/",
    ):
        assert c.get(url).status_code == 404, url
    assert _upload(c, other).status_code == 404
    assert AuditRecord.objects.filter(actor=km.username, result="denied").count() >= 4


def test_a_token_without_the_documents_scope_is_refused(world, case_a, km):
    c = api(km, scopes=("cases:read",))
    r = c.get(f"/api/v1/cases/{case_a.pk}/documents/")
    assert r.status_code == 403 and "documents:read" in r.data["detail"]
    assert api(km, scopes=("documents:read",)).get(f"/api/v1/cases/{case_a.pk}/documents/").status_code == 200
    assert _upload(api(km, scopes=("documents:read",)), case_a).status_code == 403


def test_roles_without_client_files_or_recording_rights(world, case_a):
    for role in ("provider_coach", "auditor", "beleidsmedewerker"):
        assert api(world.users_a[role]).get(f"/api/v1/cases/{case_a.pk}/documents/").status_code == 403, role
    jur = api(world.users_a["juridisch_medewerker"])
    assert jur.get(f"/api/v1/cases/{case_a.pk}/documents/").status_code == 200
    assert _upload(jur, case_a).status_code == 403


# --- tasks ---------------------------------------------------------------------------------------------------------


def test_create_list_assign_and_complete_a_task(world, case_a, km):
    colleague = world.users_a["reintegratieconsulent"]
    due = timezone.localdate() + dt.timedelta(days=3)
    c = api(km)
    r = c.post("/api/v1/tasks/", {"case": case_a.pk, "title": "Loonstrook opvragen", "due_on": due.isoformat()})
    assert r.status_code == 201, r.data
    assert r.data["assignee"] == km.username and r.data["case"] == case_a.pk and r.data["overdue"] is False
    task_id = r.data["id"]
    assert [t["id"] for t in c.get("/api/v1/tasks/").data["results"]] == [task_id]
    assert [t["id"] for t in c.get(f"/api/v1/tasks/?case={case_a.pk}").data["results"]] == [task_id]
    r = c.post(f"/api/v1/tasks/{task_id}/assign/", {"assignee": colleague.username, "note": "jij kent de klant"})
    assert r.status_code == 200 and r.data["assignee"] == colleague.username
    assert c.get("/api/v1/tasks/").data["count"] == 0
    theirs = api(colleague)
    assert [t["id"] for t in theirs.get("/api/v1/tasks/").data["results"]] == [task_id]
    r = theirs.post(f"/api/v1/tasks/{task_id}/complete/")
    assert r.status_code == 200 and r.data["status"] == "done"
    assert theirs.post(f"/api/v1/tasks/{task_id}/complete/").status_code == 422
    assert [t["id"] for t in theirs.get("/api/v1/tasks/?status=done").data["results"]] == [task_id]
    assert AuditRecord.objects.filter(object_type="task", object_id=str(task_id), action="update").count() == 2


def test_a_task_for_a_colleague_on_leave_goes_to_the_substitute(world, km):
    away, substitute = world.users_a["reintegratieconsulent"], world.users_a["inkomensconsulent"]
    today = timezone.localdate()
    Absence.objects.create(
        municipality=world.a,
        user=away,
        starts_on=today,
        ends_on=today + dt.timedelta(days=5),
        substitute=substitute,
        created_by=km,
    )
    r = api(km).post("/api/v1/tasks/", {"title": "Bel de werkgever", "assignee": away.username})
    assert r.status_code == 201 and r.data["assignee"] == substitute.username


def test_task_errors_name_the_field_and_other_municipalities_are_404(world, case_a, km):
    c = api(km)
    r = c.post("/api/v1/tasks/", {"title": "x", "assignee": world.users_b["integrale_klantmanager"].username})
    assert r.status_code == 422 and "assignee" in r.data
    r = c.post("/api/v1/tasks/", {"title": "x", "due_on": "2001-01-01"})
    assert r.status_code == 422 and "due_on" in r.data
    r = c.post("/api/v1/tasks/", {"title": "x", "case": world.clients_b[0].cases.get().pk})
    assert r.status_code == 422 and "case" in r.data
    other = Task.objects.create(
        municipality=world.b,
        title="B",
        assignee=world.users_b["integrale_klantmanager"],
        created_by=world.users_b["teammanager"],
    )
    for url in (
        f"/api/v1/tasks/{other.pk}/",
        f"/api/v1/tasks/{other.pk}/complete/",
        f"/api/v1/tasks/{other.pk}/assign/",
    ):
        resp = c.get(url) if url.endswith(f"{other.pk}/") else c.post(url, {"assignee": km.username})
        assert resp.status_code == 404, url
    other.refresh_from_db()
    assert other.status == "open" and other.assignee == world.users_b["integrale_klantmanager"]
    assert api(world.users_a["juridisch_medewerker"]).get("/api/v1/tasks/").status_code == 403


# --- appointments --------------------------------------------------------------------------------------------------


def test_plan_list_and_record_an_outcome(world, case_a, km):
    today = timezone.localdate()
    c = api(km)
    r = c.post(
        f"/api/v1/cases/{case_a.pk}/appointments/",
        {
            "kind": "voortgangsgesprek",
            "date": today.isoformat(),
            "start_time": "10:00",
            "expected_version": _version(case_a),
        },
    )
    assert r.status_code == 201, r.data
    assert r.data["end_time"] == "10:30" and r.data["caseworker"] == km.username and r.data["status"] == "gepland"
    appt_id = r.data["id"]
    listed = c.get(f"/api/v1/appointments/?from={today.isoformat()}&days=1")
    assert [a["id"] for a in listed.data["results"]] == [appt_id]
    assert c.get(f"/api/v1/cases/{case_a.pk}/appointments/").data["count"] == 1
    stale = c.post(f"/api/v1/appointments/{appt_id}/outcome/", {"outcome": "gehouden", "expected_version": 0})
    assert stale.status_code == 409
    r = c.post(f"/api/v1/appointments/{appt_id}/outcome/", {"outcome": "no_show", "expected_version": _version(case_a)})
    assert r.status_code == 200 and r.data["status"] == "no_show"
    assert case_a.events.filter(type="afspraak_uitkomst").count() == 1
    assert AuditRecord.objects.filter(object_type="calendar", actor=km.username, detail__startswith="api").exists()


def test_appointment_errors(world, case_a, km):
    c = api(km)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    r = c.post(f"/api/v1/cases/{case_a.pk}/appointments/", {"kind": "feest", "date": "x", "expected_version": 0})
    assert r.status_code == 422 and {"kind", "date", "start_time"} <= set(r.data)
    appt = agenda_services.plan(case_a, km, kind="intake", date=tomorrow, start_time=dt.time(9, 0))
    r = c.post(
        f"/api/v1/appointments/{appt.pk}/outcome/", {"outcome": "gehouden", "expected_version": _version(case_a)}
    )
    assert r.status_code == 422 and "outcome" in r.data  # not before the appointment's day
    assert c.get("/api/v1/appointments/?days=400").status_code == 400
    assert c.get("/api/v1/appointments/?from=morgen").status_code == 400
    other = world.clients_b[0].cases.get()
    theirs = agenda_services.plan(
        other, world.users_b["integrale_klantmanager"], kind="intake", date=tomorrow, start_time=dt.time(9, 0)
    )
    assert c.get(f"/api/v1/appointments/{theirs.pk}/").status_code == 404
    assert (
        c.post(f"/api/v1/appointments/{theirs.pk}/outcome/", {"outcome": "gehouden", "expected_version": 1}).status_code
        == 404
    )
    assert (
        c.get(f"/api/v1/appointments/?caseworker={world.users_b['integrale_klantmanager'].username}").status_code == 404
    )
    # a teammanager opens a caseworker's calendar; a caseworker not a colleague's
    tm = api(world.users_a["teammanager"]).get(
        f"/api/v1/appointments/?caseworker={km.username}&from={tomorrow.isoformat()}"
    )
    assert tm.status_code == 200 and tm.data["count"] == 1
    assert (
        api(world.users_a["inkomensconsulent"]).get(f"/api/v1/appointments/?caseworker={km.username}").status_code
        == 404
    )


# --- notes ---------------------------------------------------------------------------------------------------------


def test_add_and_list_notes_with_the_confidentiality_rule(world, case_a, km):
    c = api(km)
    r = c.post(
        f"/api/v1/cases/{case_a.pk}/notes/",
        {"text": "Gebeld over de loonstrook", "channel": "telefoon", "expected_version": _version(case_a)},
    )
    assert r.status_code == 201 and r.data["channel"] == "telefoon" and r.data["author"] == km.username
    r = c.post(
        f"/api/v1/cases/{case_a.pk}/notes/",
        {
            "text": "Huisarts: rugklachten",
            "confidential": True,
            "confidentiality": "medisch",
            "expected_version": _version(case_a),
        },
    )
    assert r.status_code == 201
    mine = c.get(f"/api/v1/cases/{case_a.pk}/notes/").data["results"]
    assert {n["text"] for n in mine} == {"Gebeld over de loonstrook", "Huisarts: rugklachten"}
    other = api(world.users_a["reintegratieconsulent"]).get(f"/api/v1/cases/{case_a.pk}/notes/").data["results"]
    secret = next(n for n in other if n["confidential"])
    assert secret["redacted"] is True and "rugklachten" not in secret["text"]
    found = api(world.users_a["reintegratieconsulent"]).get(f"/api/v1/cases/{case_a.pk}/notes/?q=huisarts")
    assert found.data["count"] == 0  # a search never matches a note whose text the user may not read
    assert api(world.users_a["teammanager"]).get(f"/api/v1/cases/{case_a.pk}/notes/?q=huisarts").data["count"] == 1
    assert AuditRecord.objects.filter(object_type="note", detail__startswith="redacted").exists()
    assert AuditRecord.objects.filter(object_type="note", action="create", detail="api").count() == 2


def test_note_errors_and_tenancy(world, case_a, km):
    c = api(km)
    r = c.post(
        f"/api/v1/cases/{case_a.pk}/notes/",
        {"text": "x", "confidential": True, "expected_version": _version(case_a)},
    )
    assert r.status_code == 422  # confidential without a category
    r = c.post(f"/api/v1/cases/{case_a.pk}/notes/", {"text": "x", "expected_version": 0})
    assert r.status_code == 409
    other = world.clients_b[0].cases.get()
    journal_services.add_note(other, world.users_b["integrale_klantmanager"], text="Notitie van B")
    assert c.get(f"/api/v1/cases/{other.pk}/notes/").status_code == 404
    assert c.post(f"/api/v1/cases/{other.pk}/notes/", {"text": "x", "expected_version": 1}).status_code == 404
    assert (
        api(world.users_a["juridisch_medewerker"])
        .post(f"/api/v1/cases/{case_a.pk}/notes/", {"text": "x", "expected_version": _version(case_a)})
        .status_code
        == 403
    )


def test_the_openapi_schema_describes_the_workday_endpoints(world, km):
    schema = api(km).get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/cases/{id}/documents/",
        "/api/v1/documents/{id}/file/",
        "/api/v1/tasks/",
        "/api/v1/tasks/{id}/assign/",
        "/api/v1/tasks/{id}/complete/",
        "/api/v1/appointments/",
        "/api/v1/appointments/{id}/outcome/",
        "/api/v1/cases/{id}/appointments/",
        "/api/v1/cases/{id}/notes/",
    ):
        assert path in schema["paths"], path
    upload = schema["paths"]["/api/v1/cases/{id}/documents/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"201", "409", "413", "422"} <= set(upload["responses"])
