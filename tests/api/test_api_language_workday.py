"""The working-day, legal and employer endpoints answer in the request's language like the case endpoints: 404s,
409 conflicts, refusals, bad parameters, serializer checks and API-key refusals through the catalogue (Dutch when
no language of ours is asked), with the machine-readable keys unchanged."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from regie.api import tokens
from regie.casework.models import CaseState
from tests.api.client import api, token_for
from tests.api.test_workday import _upload

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


@pytest.fixture
def km(world):
    return world.users_a["integrale_klantmanager"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/documents/999999/",
        "/api/v1/tasks/999999/",
        "/api/v1/appointments/999999/",
        "/api/v1/cases/999999/legal/",
    ],
)
def test_not_found_in_both_languages(world, km, url):
    c = api(km)
    nl, en = c.get(url), c.get(url, **EN)
    assert nl.status_code == en.status_code == 404
    assert nl.data == {"detail": "Niet gevonden."} and en.data == {"detail": "Not found."}
    assert en["Content-Language"] == "en"


def test_a_stale_upload_conflict_is_translated_and_keeps_current_version(world, km):
    case = world.clients_a[0].cases.get()
    version = CaseState.objects.get(case=case).version
    c = api(km)
    nl = _upload(c, case, version=version - 1)
    assert nl.status_code == 409 and nl.data["current_version"] == version
    assert "intussen door iemand anders gewijzigd" in nl.data["detail"]
    c.credentials(HTTP_AUTHORIZATION=f"Token {token_for(km)}", **EN)
    en = _upload(c, case, version=version - 1)
    assert en.status_code == 409 and en.data["current_version"] == version
    assert "changed by someone else" in en.data["detail"] and "Dossier" not in en.data["detail"], en.data


def test_bad_parameters_name_the_field_in_both_languages(world, km):
    c = api(km)
    nl, en = c.get("/api/v1/tasks/?status=maybe"), c.get("/api/v1/tasks/?status=maybe", **EN)
    assert nl.status_code == en.status_code == 400
    assert nl.data == {"status": ["Status: kies open of done."]}
    assert en.data == {"status": ["Status: choose open or done."]}
    nl, en = c.get("/api/v1/appointments/?from=gisteren"), c.get("/api/v1/appointments/?from=gisteren", **EN)
    assert nl.data["from"] == ["Vanaf: geef de datum als JJJJ-MM-DD."]
    assert en.data["from"] == ["From: give the date as YYYY-MM-DD."]
    nl, en = c.get("/api/v1/tasks/?page=nul"), c.get("/api/v1/tasks/?page=nul", **EN)
    assert "paginanummer" in str(nl.data) and "page number" in str(en.data)


def test_the_sex_check_in_both_languages(world, km):
    body = {"bsn": "111222333", "given_name": "Piet", "family_name": "Puk", "birth_date": "1980-01-01", "sex": "Q"}
    c = api(km)
    nl, en = c.post("/api/v1/clients/", body, format="json"), c.post("/api/v1/clients/", body, format="json", **EN)
    assert nl.status_code == en.status_code == 400
    assert nl.data["sex"] == ["Geslacht: kies M, V of X."] and en.data["sex"] == ["Sex: choose M, V or X."]


def test_an_unknown_vacancy_in_both_languages(world):
    c = api(world.users_a["accountmanager"])
    nl, en = c.get("/api/v1/vacancies/999999/candidates/"), c.get("/api/v1/vacancies/999999/candidates/", **EN)
    assert nl.status_code == en.status_code == 404
    assert nl.data == {"detail": "Vacature niet gevonden."} and en.data == {"detail": "Vacancy not found."}


def test_a_revoked_or_invalid_key_is_refused_in_both_languages(world, km):
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token nonsense")
    assert bad.get("/api/v1/clients/").data["detail"] == "Ongeldige API-sleutel."
    assert bad.get("/api/v1/clients/", **EN).data["detail"] == "Invalid API key."
    token, secret = tokens.issue(km, name="t", scopes=["read"], actor="test", origin="test")
    token.revoked_at = timezone.now()
    token.save()
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert c.get("/api/v1/clients/").data["detail"] == "Deze API-sleutel is ingetrokken."
    assert c.get("/api/v1/clients/", **EN).data["detail"] == "This API key has been revoked."
    nope = api(km, scopes=("cases:read",))
    r = nope.get("/api/v1/tasks/", **EN)
    assert r.status_code == 403 and "does not have the scope" in r.data["detail"], r.data


def test_a_token_request_error_in_both_languages(world, km):
    from tests.conftest import PASSWORD

    body = {"username": km.username, "password": PASSWORD, "scopes": ["everything"]}
    nl = APIClient().post("/api/v1/token/", body, format="json")
    en = APIClient().post("/api/v1/token/", body, format="json", **EN)
    assert nl.status_code == en.status_code == 400
    assert set(nl.data) == set(en.data) == {"scopes"}
    assert nl.data["scopes"][0].startswith("Onbekende scope 'everything'; kies read, write of <")
    assert en.data["scopes"][0].startswith("Unknown scope 'everything'; choose read, write or <")


def test_a_case_id_beyond_the_database_is_a_bad_parameter_not_an_error(world, km):
    """Found by the API fuzz: ?case= with more digits than a bigint holds gave a 500 (SQLite cannot bind it)."""
    c = api(km)
    for raw in ("31445127161938517688320", "0", "٣"):
        r = c.get(f"/api/v1/tasks/?case={raw}")
        assert r.status_code == 400, raw
        assert r.data == {"case": ["Dossier: geef het id van een dossier."]}
