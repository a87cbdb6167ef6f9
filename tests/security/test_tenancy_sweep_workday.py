"""The working day's API (documents, tasks, appointments, journal notes) × every role × GET and POST, with
municipality B's objects in every path parameter, by session and by API token: no response shows B's objects
and nothing of B changes. The routes come from the resolver (every ``api-`` route of ``api/views_workday.py``), so
a new endpoint there is swept too; one whose parameter this test cannot fill fails it.

Also the confidentiality rule on the same endpoints: a confidential document of A is a 404 and a confidential
note's text is absent for every role of A that ``casework.confidential.may_read_confidential`` refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from regie.api import views_workday
from regie.casework.confidential import may_read_confidential
from regie.core.records import ROLES
from regie.documents import services as documents
from regie.journal.services import add_note
from tests.api.client import token_for

from .test_tenancy_sweep import _routes
from .test_tenancy_sweep_objects import SECRET, _objects_of_b, _state_of_b

pytestmark = pytest.mark.django_db


def _workday_routes() -> list[tuple[str, str]]:
    return [(p, n) for p, n in _routes() if n and n.startswith("api-") and _view_module(p) == views_workday.__name__]


def _view_module(pattern: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        view = resolve("/" + pattern.replace("<int:pk>", "1")).func
    except Resolver404:  # a pattern with a converter this test does not fill (not one of the workday's)
        return ""
    return getattr(getattr(view, "view_class", None), "__module__", "")


def _fill(pattern: str, fill: dict[str, list[int]]) -> list[str]:
    if "<int:pk>" not in pattern:
        return ["/" + pattern]
    if pattern.startswith("api/v1/cases/"):
        key = "case_id"
    elif pattern.startswith("api/v1/documents/"):
        key = "document_id"
    elif pattern.startswith("api/v1/tasks/"):
        key = "task_id"
    elif pattern.startswith("api/v1/appointments/"):
        key = "appointment_id"
    else:
        raise AssertionError(f"no ids for {pattern}")
    return ["/" + pattern.replace("<int:pk>", str(i)) for i in fill[key]]


def _body(resp) -> str:
    if resp.streaming:
        return b"".join(resp.streaming_content).decode("latin-1")
    return resp.content.decode(errors="replace")


def test_no_workday_endpoint_shows_or_changes_another_municipality(world, client):
    ids = _objects_of_b(world)
    fill = {**ids, "case_id": [world.clients_b[0].cases.get().pk]}
    routes = _workday_routes()
    assert len(routes) == 12, routes
    before = _state_of_b(world)
    attempts, shown = 0, []
    for role in ROLES:
        user = world.users_a[role]
        token_client = APIClient()
        token_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        client.force_login(user)
        for pattern, _name in routes:
            for path in _fill(pattern, fill):
                for c in (client, token_client):
                    for method in ("get", "post"):
                        resp = getattr(c, method)(path, {} if method == "post" else None)
                        attempts += 1
                        body = _body(resp)
                        if SECRET in body or SECRET.lower() in body:
                            shown.append((role, method, path, resp.status_code))
    assert shown == [], shown[:10]
    assert _state_of_b(world) == before
    # the detection works: B's own caseworker sees the same objects through the same endpoints
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.users_b['integrale_klantmanager'])}")
    case_b = fill["case_id"][0]
    assert SECRET in _body(c.get(f"/api/v1/cases/{case_b}/documents/"))
    assert SECRET in _body(c.get(f"/api/v1/tasks/{ids['task_id'][0]}/"))
    assert SECRET in _body(c.get(f"/api/v1/appointments/{ids['appointment_id'][0]}/"))
    assert SECRET in _body(c.get(f"/api/v1/cases/{case_b}/notes/"))
    print(f"workday API sweep: {attempts} attempts over {len(routes)} routes x {len(ROLES)} roles, 0 shown")


def test_confidential_notes_and_documents_through_the_api_for_every_role(world):
    case = world.clients_a[0].cases.get()
    km = world.users_a["integrale_klantmanager"]
    secret = "MEDISCHX"
    doc = documents.store_upload(
        case,
        km,
        SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n% " + secret.encode() + b"\n%%EOF\n"),
        kind="medische_informatie",
        title=f"Brief {secret}",
    )
    add_note(
        case, km, text=f"Notitie {secret}", confidential=True, confidentiality="medisch", effective_date=dt.date.today()
    )
    checked = 0
    for role in ROLES:
        user = world.users_a[role]
        may = may_read_confidential(user, author_id=km.pk, caseworker_id=km.pk)
        c = APIClient()
        c.force_authenticate(user)
        for path in (f"/api/v1/documents/{doc.pk}/", f"/api/v1/documents/{doc.pk}/file/"):
            resp = c.get(path)
            assert (resp.status_code == 200) is may, (role, path, resp.status_code)
            assert (secret in _body(resp)) is may, (role, path)
        for path in (f"/api/v1/cases/{case.pk}/documents/", f"/api/v1/cases/{case.pk}/notes/"):
            resp = c.get(path)
            assert resp.status_code in (200, 403), (role, path)
            assert (secret in _body(resp)) is (may and resp.status_code == 200), (role, path)
        checked += 1
    assert checked == len(ROLES)
