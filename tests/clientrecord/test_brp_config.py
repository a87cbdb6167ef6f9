"""The BRP connection on a page for the functioneel beheerder: endpoint, the key's reference (never the key),
purposes; the rules of the form; and the configured connection working against the BRP stub, only for the
purposes chosen."""

from __future__ import annotations

import pytest

from regie.audit.models import AuditRecord
from regie.clientrecord import brp
from regie.clientrecord.models import PURPOSE_CODES, BrpConnection

from .brp_stub import API_KEY, StubServer

pytestmark = pytest.mark.django_db
BSN = "000000024"
URL = "/beheer/brp/"


@pytest.fixture
def stub():
    with StubServer() as server:
        yield server


def _form(url, **over):
    data = {
        "base_url": url,
        "api_key_env": "REGIE_TEST_BRP_KEY",
        "api_key_header": "X-API-KEY",
        "timeout_seconds": "2",
        "purposes": ["identiteit", "adres"],
        "enabled": "on",
    }
    data.update(over)
    return data


def test_the_purpose_codes_agree():
    assert set(PURPOSE_CODES) == set(brp.PURPOSES)


def test_only_the_functioneel_beheerder_opens_the_page(world, login):
    for role in ("integrale_klantmanager", "teammanager", "auditor"):
        assert login(world.users_a[role]).get(URL).status_code == 403, role
    assert login(world.users_a["functioneel_beheerder"]).get(URL).status_code == 200


def test_configure_then_ask_the_stub_for_the_chosen_purposes_only(world, login, stub, monkeypatch):
    monkeypatch.setenv("REGIE_TEST_BRP_KEY", API_KEY)
    fb = world.users_a["functioneel_beheerder"]
    c = login(fb)
    resp = c.post(URL, _form(stub.base_url))
    assert resp.status_code == 302
    conn = BrpConnection.objects.get(municipality=world.a)
    assert conn.enabled and conn.purposes == ["identiteit", "adres"] and conn.updated_by == fb
    rec = AuditRecord.objects.filter(object_type="brp_connection", action="update").latest("id")
    assert "base_url" in rec.detail and API_KEY not in rec.detail and stub.base_url not in rec.detail
    page = c.get(URL).content.decode()
    assert API_KEY not in page and "De server heeft deze sleutel." in page and "REGIE_TEST_BRP_KEY" in page
    km = world.users_a["integrale_klantmanager"]
    person = brp.raadpleeg(world.a.id, BSN, purpose="identiteit", user=km, client_ref="nieuw")
    assert person is not None and person.surname == "Linden"
    asked = len(stub.requests)
    with pytest.raises(brp.PurposeRequired):
        brp.raadpleeg(world.a.id, BSN, purpose="controle", user=km, client_ref="nieuw")
    assert len(stub.requests) == asked  # nothing was asked for a purpose the municipality does not have
    assert AuditRecord.objects.filter(object_type="brp_persoon", result="denied", detail__contains="doel=controle")
    # the caseworker's forms offer only the municipality's purposes
    form = login(km).get("/clienten/nieuw/").content.decode()
    assert "Vaststellen van identiteit" in form and "Controle van de gegevens" not in form


def test_the_page_says_when_the_server_lacks_the_key(world, login, stub, monkeypatch):
    monkeypatch.delenv("REGIE_TEST_BRP_KEY", raising=False)
    c = login(world.users_a["functioneel_beheerder"])
    assert c.post(URL, _form(stub.base_url)).status_code == 302
    assert "De server heeft deze sleutel niet" in c.get(URL).content.decode()
    with pytest.raises(brp.BrpNotConfigured):
        brp.raadpleeg(world.a.id, BSN, purpose="identiteit", user=world.users_a["integrale_klantmanager"])


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"base_url": "http://brp.example.nl/api"}, "base_url"),  # plain http to another machine
        ({"base_url": "https://brp.example.nl/api/personen"}, "base_url"),
        ({"base_url": "geen adres"}, "base_url"),
        ({"api_key_env": "sk-12345 geheim"}, "api_key_env"),  # the key itself pasted instead of its variable
        ({"purposes": []}, "purposes"),
        ({"purposes": ["alles"]}, "purposes"),
        ({"timeout_seconds": "600"}, "timeout_seconds"),
        ({"client_key_file": "/etc/regie/brp.key"}, "client_cert_file"),
        ({"client_cert_file": "certs/brp.pem"}, "client_cert_file"),
        ({"api_key_env": "", "enabled": "on"}, "enabled"),
    ],
)
def test_bad_input_names_the_field_keeps_the_form_and_saves_nothing(world, login, over, field):
    resp = login(world.users_a["functioneel_beheerder"]).post(URL, _form("https://brp.example.nl/api", **over))
    assert resp.status_code == 400
    assert f'href="#id_{field}"' in resp.content.decode()
    assert resp.context["values"]["timeout_seconds"] == over.get("timeout_seconds", "2")  # what was typed stays
    assert not BrpConnection.objects.exists()
