"""Every query parameter of the list endpoints is validated (400 naming it, Dutch message) and documented in the
OpenAPI schema, so that the schema's fuzzing (tests/security/test_api_fuzz.py) reaches it."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.api.client import api

pytestmark = pytest.mark.django_db

KM, TM = "integrale_klantmanager", "teammanager"


def test_case_list_with_a_non_numeric_client_is_400_naming_client(world):
    """Before: 500 (ValueError in the queryset)."""
    r = api(world.users_a[KM]).get("/api/v1/cases/?client=abc")
    assert r.status_code == 400 and list(r.json()) == ["client"]
    assert "geheel getal" in r.json()["client"][0]


@pytest.mark.parametrize(
    "url,name",
    [
        ("/api/v1/cases/?client=-1", "client"),
        ("/api/v1/cases/?client=99999999999999999999999", "client"),
        ("/api/v1/cases/?status=open", "status"),
        ("/api/v1/cases/?mine=ja", "mine"),
        ("/api/v1/cases/?page=abc", "page"),
        ("/api/v1/cases/?page=0", "page"),
        ("/api/v1/clients/?q=" + "x" * 101, "q"),
        ("/api/v1/clients/?q=a%00b", "q"),
        ("/api/v1/clients/?page=-3", "page"),
        ("/api/v1/cases/1/events/?page=x", "page"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(world, url, name):
    url = url.replace("/cases/1/", f"/cases/{world.clients_a[0].cases.get().pk}/")
    r = api(world.users_a[KM]).get(url)
    assert r.status_code == 400, (url, r.status_code, r.content[:200])
    assert list(r.json()) == [name]


def test_bad_status_of_pending_decisions_is_400(world):
    r = api(world.users_a[TM]).get("/api/v1/pending-decisions/?status=x")
    assert r.status_code == 400 and list(r.json()) == ["status"]
    assert api(world.users_a[TM]).get("/api/v1/pending-decisions/?status=all").status_code == 200


def test_good_parameters_filter(world):
    c = api(world.users_a[KM])
    client = world.clients_a[0]
    r = c.get(f"/api/v1/cases/?client={client.pk}")
    assert r.status_code == 200 and [x["id"] for x in r.json()["results"]] == [client.cases.get().pk]
    assert c.get("/api/v1/cases/?mine=false").json()["count"] == c.get("/api/v1/cases/").json()["count"]
    assert c.get("/api/v1/cases/?status=afgesloten&mine=true").status_code == 200
    assert c.get("/api/v1/cases/?page=999").status_code == 404


def _parameters(schema, path, method="get"):
    return {(p["name"], p["in"]) for p in schema["paths"][path][method].get("parameters", [])}


def test_schema_documents_every_query_parameter():
    """Before: q, client, status and mine were missing, so schemathesis never sent them."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert {("q", "query"), ("page", "query")} <= _parameters(schema, "/api/v1/clients/")
    assert {("client", "query"), ("status", "query"), ("mine", "query"), ("page", "query")} <= _parameters(
        schema, "/api/v1/cases/"
    )
    assert {("status", "query"), ("page", "query")} <= _parameters(schema, "/api/v1/pending-decisions/")
    assert ("page", "query") in _parameters(schema, "/api/v1/cases/{id}/events/")
    case_params = {p["name"]: p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert case_params["client"]["schema"]["type"] == "integer"
    assert case_params["mine"]["schema"]["type"] == "boolean"
    assert "lopend" in case_params["status"]["schema"]["enum"]
