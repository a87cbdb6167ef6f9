"""The BRP client against a local stub serving the BRP API Personen specification's examples (brp_stub.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from regie.audit.models import AuditRecord
from regie.casework.models import Event
from regie.clientrecord import brp
from regie.clientrecord.models import BrpConnection

from .brp_stub import API_KEY, SPEC, StubServer, answer

pytestmark = pytest.mark.django_db
BSN = "000000024"  # the specification's feature scenarios' person (Jaffalaan 2, 2628 HJ)


@pytest.fixture
def stub():
    with StubServer() as server:
        yield server


@pytest.fixture
def connected(world, stub, monkeypatch):
    monkeypatch.setenv("REGIE_TEST_BRP_KEY", API_KEY)
    BrpConnection.objects.create(
        municipality=world.a, base_url=stub.base_url, api_key_env="REGIE_TEST_BRP_KEY", enabled=True, timeout_seconds=1
    )
    return stub


def _validator(schema_name: str) -> Draft202012Validator:
    # OpenAPI 3.1 schemas are JSON Schema 2020-12; the whole document is the resource the $refs point into
    resource = Resource.from_contents({**SPEC, "$schema": "https://json-schema.org/draft/2020-12/schema"})
    registry = Registry().with_resource("urn:brp", resource)
    return Draft202012Validator({"$ref": f"urn:brp#/components/schemas/{schema_name}"}, registry=registry)


@pytest.mark.parametrize(
    ("body", "schema"),
    [
        (
            {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [BSN], "fields": brp.FIELDS_PERSOON},
            "RaadpleegMetBurgerservicenummerResponse",
        ),
        (
            {
                "type": "ZoekMetPostcodeEnHuisnummer",
                "postcode": "2628HJ",
                "huisnummer": 2,
                "fields": brp.FIELDS_BEPERKT,
            },
            "ZoekMetPostcodeEnHuisnummerResponse",
        ),
    ],
)
def test_the_stub_answers_as_the_specification_says(body, schema):
    status, out = answer(body)
    assert status == 200 and out["personen"]
    _validator(schema).validate(out)
    _validator(body["type"]).validate(body)  # and Regie's questions fit the specification's query schema
    # the check can fail: a BSN of eight digits is not the specification's Burgerservicenummer
    broken = {**out, "personen": [{**out["personen"][0], "burgerservicenummer": "12345678"}]}
    assert not _validator(schema).is_valid(broken)


def test_raadpleeg_prefills_from_the_brp_and_is_audited(world, connected):
    km = world.users_a["integrale_klantmanager"]
    person = brp.raadpleeg(world.a.id, BSN, purpose="identiteit", user=km, client_ref="nieuw")
    assert person.family_name == "van der Linden" and person.given_names == "Suzanne Maria"
    assert person.birth_date == dt.date(1986, 4, 12) and person.sex == "V"
    assert person.address.as_payload() == {
        "street": "Jaffalaan",
        "house_number": 2,
        "postcode": "2628 HJ",
        "city": "Delft",
    }
    sent = connected.requests[-1]
    assert sent["type"] == "RaadpleegMetBurgerservicenummer" and sent["fields"] == brp.FIELDS_PERSOON
    record = AuditRecord.objects.filter(object_type="brp_persoon").latest("id")
    assert record.actor == km.username and "doel=identiteit" in record.detail and "personen=1" in record.detail
    assert BSN not in record.detail and BSN not in record.object_id


def test_no_purpose_no_request(world, connected):
    with pytest.raises(brp.PurposeRequired) as exc:
        brp.raadpleeg(world.a.id, BSN, purpose="", user=world.users_a["integrale_klantmanager"])
    assert "doel" in exc.value.message
    assert connected.requests == []
    assert AuditRecord.objects.filter(object_type="brp_persoon", result="denied").exists()


def test_not_configured_fails_closed(world, stub):
    with pytest.raises(brp.BrpNotConfigured) as exc:
        brp.raadpleeg(world.b.id, "999999990", purpose="controle", user=world.users_b["integrale_klantmanager"])
    assert "niet ingesteld" in exc.value.message
    BrpConnection.objects.create(municipality=world.b, base_url=stub.base_url, enabled=False)
    with pytest.raises(brp.BrpNotConfigured):
        brp.raadpleeg(world.b.id, "999999990", purpose="controle")
    assert stub.requests == []


@pytest.mark.parametrize(
    ("mode", "text"), [("503", "niet bereikbaar"), ("slow", "niet binnen 1 seconden"), ("garbage", "niet kan lezen")]
)
def test_unreachable_service_is_a_dutch_error_not_an_empty_result(world, connected, mode, text):
    connected.mode, connected.delay = mode, 2.5
    with pytest.raises(brp.BrpUnavailable) as exc:
        brp.raadpleeg(world.a.id, BSN, purpose="controle", user=world.users_a["integrale_klantmanager"])
    assert text in exc.value.message
    assert AuditRecord.objects.filter(object_type="brp_persoon", result="error").exists()


def test_wrong_key_is_refused(world, connected, monkeypatch):
    monkeypatch.setenv("REGIE_TEST_BRP_KEY", "fout")
    with pytest.raises(brp.BrpRefused) as exc:
        brp.raadpleeg(world.a.id, BSN, purpose="controle")
    assert "401" in exc.value.message and "Niet correct geauthenticeerd" in exc.value.message
    monkeypatch.delenv("REGIE_TEST_BRP_KEY")
    with pytest.raises(brp.BrpNotConfigured):
        brp.raadpleeg(world.a.id, BSN, purpose="controle")


def test_nothing_listens(world):
    BrpConnection.objects.create(municipality=world.a, base_url="http://127.0.0.1:9/brp", enabled=True)
    with pytest.raises(brp.BrpUnavailable):
        brp.raadpleeg(world.a.id, BSN, purpose="controle")


def test_postcode_search_narrowed_to_the_client(world, connected):
    found = brp.zoek_adres(
        world.a.id,
        postcode="2628 hj",
        huisnummer=2,
        geslachtsnaam="Linden",
        geboortedatum=dt.date(1986, 4, 12),
        purpose="adres",
    )
    assert [p.bsn for p in found] == [BSN]
    assert brp.parse_address_lines(found[0].address_lines).as_payload() == {
        "street": "Jaffalaan",
        "house_number": 2,
        "postcode": "2628 HJ",
        "city": "Delft",
    }
    assert connected.requests[-1]["postcode"] == "2628HJ"
    both = brp.zoek_adres(world.a.id, postcode="2628HJ", huisnummer=2, purpose="adres")
    assert len(both) == 2 and "verblijfplaats" not in connected.requests[-1]["fields"]


def test_new_client_form_prefilled_from_brp(world, login, connected):
    c = login(world.users_a["integrale_klantmanager"])
    assert "Gegevens ophalen uit de BRP" in c.get(reverse("client_new")).content.decode()
    html = c.post(reverse("brp_prefill"), {"bsn": BSN, "purpose": "identiteit"}).content.decode()
    assert 'value="van der Linden"' in html and 'value="1986-04-12"' in html and 'value="Suzanne"' in html
    html = c.post(reverse("brp_prefill"), {"bsn": BSN, "purpose": ""}).content.decode()
    assert "Kies het doel" in html and 'value="van der Linden"' not in html


def test_check_against_brp_shows_differences_and_adopts_address(world, login, connected):
    client = world.clients_a[0]
    client.bsn, client.given_name, client.family_name = BSN, "Suzanne", "van der Linden"
    client.save()
    c = login(world.users_a["integrale_klantmanager"])
    assert "Vergelijken met de BRP" in c.get(reverse("client_detail", args=[client.pk])).content.decode()
    html = c.post(reverse("brp_check", args=[client.pk]), {"purpose": "controle"}).content.decode()
    assert "Jaffalaan 2, 2628 HJ  DELFT" in html and "Adres uit de BRP overnemen" in html
    assert "01-01-1985" in html and "12-04-1986" in html  # birth dates differ
    resp = c.post(reverse("brp_adopt_address", args=[client.pk]), {})
    assert resp.status_code == 302
    event = Event.objects.get(case__client=client, type="adres_wijziging")
    assert event.payload["source"] == "brp" and event.payload["street"] == "Jaffalaan"
    client.refresh_from_db()
    assert client.postcode_key == "2628hj"


def test_address_form_lookup(world, login, connected):
    client = world.clients_a[0]
    client.given_name, client.family_name, client.birth_date = "Suzanne", "van der Linden", dt.date(1986, 4, 12)
    client.save()
    c = login(world.users_a["integrale_klantmanager"])
    html = c.post(
        reverse("brp_address_lookup", args=[client.pk]), {"postcode": "2628HJ", "huisnummer": "2", "purpose": "adres"}
    ).content.decode()
    assert 'value="Jaffalaan"' in html and 'value="Delft"' in html and 'name="source" value="brp"' in html
    html = c.post(
        reverse("brp_address_lookup", args=[client.pk]), {"postcode": "2628HJ", "huisnummer": "3", "purpose": "adres"}
    ).content.decode()
    assert "kent deze cliënt niet op dit adres" in html
