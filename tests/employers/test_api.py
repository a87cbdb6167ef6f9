"""The employer API: vacancies in (same checks as the form), candidates out only with consent, scopes, tenancy."""

from __future__ import annotations

import pytest

from regie.audit.models import AuditRecord
from regie.employers import services
from regie.employers.models import Employer, Region, Vacancy
from tests.api.client import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    region = Region.objects.create(name="WSP")
    region.municipalities.add(world.a)
    am = world.users_a["accountmanager"]
    emp = Employer.objects.create(region=region, name="Bakkerij", kvk_number="12345678", sector="C", created_by=am)
    return am, emp


def test_vacancy_in_with_named_field_errors_and_out(world, setup):
    am, emp = setup
    c = api(am)
    bad = c.post(
        "/api/v1/vacancies/",
        {"employer_id": emp.pk, "title": "Inpakker", "hours": "24", "postcode": "12"},
        format="json",
    )
    assert bad.status_code == 422 and "postcode" in bad.json()
    body = {
        "employer_id": emp.pk,
        "title": "Inpakker",
        "hours": "24",
        "postcode": "2511AB",
        "requirements": [
            {"kind": "certificate", "value": "VCA", "hard": True},
            {"kind": "driving_licence", "value": "b", "hard": False},
        ],
        "conditions": ["tillen"],
    }
    r = c.post("/api/v1/vacancies/", body, format="json")
    assert r.status_code == 201, r.json()
    v = Vacancy.objects.get()
    assert v.requirements == [
        {"kind": "certificate", "value": "VCA", "hard": True},
        {"kind": "driving_licence", "value": "B", "hard": False},
    ]
    assert v.postcode == "2511 AB" and v.conditions == ["tillen"]
    listed = c.get("/api/v1/vacancies/").json()
    assert [x["id"] for x in listed] == [v.pk]
    # another region's accountmanager: the employer does not exist for them
    other = api(world.users_b["accountmanager"])
    assert other.post("/api/v1/vacancies/", body, format="json").status_code == 404
    assert other.get("/api/v1/vacancies/").json() == []
    # a caseworker's token: no capability
    assert api(world.users_a["integrale_klantmanager"]).get("/api/v1/vacancies/").status_code == 403
    # a token without the vacancies scope
    assert api(am, scopes=("cases:read",)).get("/api/v1/vacancies/").status_code == 403


def test_candidates_out_only_with_consent(world, setup):
    am, emp = setup
    km = world.users_a["integrale_klantmanager"]
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    q.update({"title": "Inpakker", "hours": "24", "postcode": "2511 AB"})
    v = services.save_vacancy(emp, am, q)
    case = world.clients_a[0].cases.get()
    c = api(am)
    assert c.get(f"/api/v1/vacancies/{v.pk}/candidates/").json() == []
    services.record_consent(case, km, {"employer_id": emp.pk, "data": ["naam_contact", "werkprofiel"]})
    services.propose(case, km, v)
    (row,) = c.get(f"/api/v1/vacancies/{v.pk}/candidates/").json()
    client = world.clients_a[0]
    assert row["name"] == f"{client.given_name} {client.family_name}"
    assert row["hours_available"] is None  # no consent for availability
    assert AuditRecord.objects.filter(object_type="case", object_id=case.external_id, detail__contains="api").exists()
    assert c.get("/api/v1/vacancies/999999/candidates/").status_code == 404
