"""REST API: tenancy per endpoint, roles, audit, validation messages, optimistic concurrency, schema."""

import pytest
from rest_framework.test import APIClient

from regie.audit.models import AuditRecord
from regie.casework.models import CaseState, Event
from tests.api.client import api

pytestmark = pytest.mark.django_db


def test_token_is_required(world):
    assert APIClient().get("/api/v1/clients/").status_code == 401


def test_client_list_is_scoped_paginated_and_masks_bsn(world):
    r = api(world.users_a["integrale_klantmanager"]).get("/api/v1/clients/")
    assert r.status_code == 200 and r.data["count"] == len(world.clients_a)
    ids = {c["id"] for c in r.data["results"]}
    assert ids == {c.pk for c in world.clients_a}
    assert all("bsn" not in c and c["bsn_masked"].startswith("******") for c in r.data["results"])
    assert AuditRecord.objects.filter(object_type="client", action="read", result="success").exists()


@pytest.mark.parametrize("url", ["/api/v1/clients/{client}/", "/api/v1/cases/{case}/", "/api/v1/cases/{case}/events/"])
def test_other_municipality_objects_are_404_and_audited(world, url):
    other = world.clients_b[0]
    user = world.users_a["integrale_klantmanager"]
    r = api(user).get(url.format(client=other.pk, case=other.cases.get().pk))
    assert r.status_code == 404
    assert other.family_name not in r.content.decode()
    assert AuditRecord.objects.filter(actor=user.username, result="denied").exists()


def test_cannot_append_event_to_other_municipality_case(world):
    other_case = world.clients_b[0].cases.get()
    before = Event.objects.filter(case=other_case).count()
    r = api(world.users_a["integrale_klantmanager"]).post(
        f"/api/v1/cases/{other_case.pk}/events/",
        {"type": "contact", "effective_date": "2025-03-01", "expected_version": 4},
        format="json",
    )
    assert r.status_code == 404
    assert Event.objects.filter(case=other_case).count() == before


def test_cannot_open_case_for_other_municipality_client(world):
    r = api(world.users_a["integrale_klantmanager"]).post(
        "/api/v1/cases/open/", {"client": world.clients_b[0].pk, "opened_on": "2025-01-01"}, format="json"
    )
    assert r.status_code == 400 and "client" in r.data


@pytest.mark.parametrize("role", ["beleidsmedewerker", "provider_coach", "auditor"])
def test_roles_without_client_access_are_refused(world, role):
    c = api(world.users_a[role])
    assert c.get("/api/v1/clients/").status_code == 403
    assert c.get(f"/api/v1/cases/{world.clients_a[0].cases.get().pk}/").status_code == 403


def test_teammanager_may_read_but_not_record(world):
    case = world.clients_a[0].cases.get()
    c = api(world.users_a["teammanager"])
    assert c.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    r = c.post(
        f"/api/v1/cases/{case.pk}/events/",
        {"type": "contact", "effective_date": "2025-03-01", "expected_version": 4},
        format="json",
    )
    assert r.status_code == 403


def test_append_event_then_stale_version_conflicts(world):
    case = world.clients_a[0].cases.get()
    c = api(world.users_a["integrale_klantmanager"])
    version = c.get(f"/api/v1/cases/{case.pk}/").data["state"]["version"]
    body = {
        "type": "classificatie",
        "effective_date": "2025-03-01",
        "payload": {"scheme": "participatieladder", "level": "3"},
        "expected_version": version,
    }
    r = c.post(f"/api/v1/cases/{case.pk}/events/", body, format="json")
    assert r.status_code == 201 and r.data["actor"] == world.users_a["integrale_klantmanager"].username
    assert CaseState.objects.get(case=case).level == "3"
    r2 = c.post(
        f"/api/v1/cases/{case.pk}/events/",
        {**body, "payload": {"scheme": "participatieladder", "level": "4"}},
        format="json",
    )
    assert r2.status_code == 409 and r2.data["current_version"] == version + 1
    assert CaseState.objects.get(case=case).level == "3"


def test_invalid_event_names_the_field(world):
    case = world.clients_a[0].cases.get()
    r = api(world.users_a["integrale_klantmanager"]).post(
        f"/api/v1/cases/{case.pk}/events/",
        {
            "type": "maatregel",
            "effective_date": "2025-03-01",
            "payload": {"obligation_type": "x", "percentage": 200, "months": 1},
            "expected_version": 4,
        },
        format="json",
    )
    assert r.status_code == 422
    assert "payload.obligation_type" in r.data and "payload.percentage" in r.data


def test_create_client_validates_bsn_and_refuses_duplicates(world):
    c = api(world.users_a["integrale_klantmanager"])
    body = {"bsn": "111222334", "given_name": "Piet", "family_name": "Puk", "birth_date": "1980-01-01", "sex": "M"}
    r = c.post("/api/v1/clients/", body, format="json")
    assert r.status_code == 400 and "elfproef" in str(r.data["bsn"])
    r = c.post("/api/v1/clients/", {**body, "bsn": world.clients_a[0].bsn}, format="json")
    assert r.status_code == 400 and "al een cliënt met dit BSN" in str(r.data["bsn"])
    r = c.post("/api/v1/clients/", {**body, "bsn": world.clients_b[0].bsn}, format="json")  # other tenant: allowed
    assert r.status_code == 201 and "bsn" not in r.data


def test_openapi_schema_and_docs_are_served(world):
    c = api(world.users_a["integrale_klantmanager"])
    r = c.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert r.status_code == 200
    import json

    schema = json.loads(r.content)
    assert schema["openapi"].startswith("3.") and "/api/v1/cases/{id}/events/" in schema["paths"]
    assert c.get("/api/docs/").status_code == 200
