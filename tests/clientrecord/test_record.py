"""The client record: derived from events recorded through the decision gate, shown with who and when."""

from __future__ import annotations

import datetime as dt

import pytest

from regie.casework.models import Event
from regie.casework.services import ConflictError
from regie.clientrecord import services
from regie.clientrecord.selectors import record_for
from regie.core.events import EventError

pytestmark = pytest.mark.django_db


def _rename(client, given, family, sex="V"):
    client.given_name, client.family_name, client.sex = given, family, sex
    client.save()
    return client


def test_salutation_and_address_from_events(world):
    client = _rename(world.clients_a[0], "Sanne", "van der Linden")
    km = world.users_a["integrale_klantmanager"]
    record = record_for(client)
    assert record.address_lines == []
    assert record.salutation == "Geachte mevrouw Van der Linden,"
    services.record_change(
        client,
        km,
        event_type="adres_wijziging",
        payload={
            "street": "Laan van Meerdervoort",
            "house_number": "12",
            "house_letter": "a",
            "postcode": "2517ab",
            "city": "Den Haag",
        },
    )
    services.record_change(
        client,
        km,
        event_type="contactgegevens",
        payload={
            "email": "S.vdLinden@Example.nl",
            "phone": "+31 6 1234 5678",
            "preferred_channel": "email",
            "language": "nl",
            "salutation": "naam",
        },
    )
    record = record_for(client)
    assert record.address_lines == ["Laan van Meerdervoort 12A", "2517 AB  DEN HAAG"]
    assert record.salutation == "Geachte Sanne van der Linden,"
    assert record.email == "s.vdlinden@example.nl"
    assert record.phone == "0612345678"
    assert record.preferred_channel == "email"
    assert [c.type for c in record.history] == ["adres_wijziging", "contactgegevens"]
    assert record.history[0].actor == km.username
    # in the log, with who: an event through the gate, never an in-place edit of the client row
    event = Event.objects.filter(case__client=client, type="adres_wijziging").get()
    assert event.actor == km and event.decision is None
    client.refresh_from_db()
    assert client.contact == {} and client.postcode_key == "2517ab"


def test_heer_and_x(world):
    client = _rename(world.clients_a[1], "Ahmet", "Öztürk", sex="M")
    assert record_for(client).salutation == "Geachte heer Öztürk,"
    assert record_for(client).addressee == "De heer A. Öztürk"
    client = _rename(world.clients_a[2], "Kim", "de Jong", sex="X")
    assert record_for(client).salutation == "Geachte Kim de Jong,"


def test_briefadres_wins_for_letters_and_can_end(world):
    client = world.clients_a[0]
    km = world.users_a["integrale_klantmanager"]
    services.record_change(
        client,
        km,
        event_type="adres_wijziging",
        payload={
            "street": "Kerkstraat",
            "house_number": 3,
            "addition": "bis",
            "postcode": "2511 CV",
            "city": "Den Haag",
        },
    )
    services.record_change(
        client,
        km,
        event_type="adres_wijziging",
        payload={
            "kind": "briefadres",
            "street": "Postbus",
            "house_number": 100,
            "postcode": "2500 AA",
            "city": "Den Haag",
        },
    )
    assert record_for(client).address_lines == ["Postbus 100", "2500 AA  DEN HAAG"]
    services.record_change(client, km, event_type="adres_wijziging", payload={"kind": "briefadres", "ended": True})
    assert record_for(client).address_lines == ["Kerkstraat 3-bis", "2511 CV  DEN HAAG"]


def test_bewindvoerder_gets_a_copy(world):
    client = world.clients_a[0]
    km = world.users_a["integrale_klantmanager"]
    services.record_change(
        client,
        km,
        event_type="contactpersoon",
        payload={
            "contact_id": "CP-1",
            "role": "bewindvoerder",
            "name": "J. Bakker",
            "organisation": "Bewind & Co",
            "street": "Spui",
            "house_number": 1,
            "postcode": "2511 BL",
            "city": "Den Haag",
            "receives_letters": True,
        },
    )
    record = record_for(client)
    assert record.bewindvoerder.name == "J. Bakker"
    assert record.letter_copies[0].address_lines == ["Spui 1", "2511 BL  DEN HAAG"]
    services.record_change(client, km, event_type="contactpersoon", payload={"contact_id": "CP-1", "ended": True})
    assert record_for(client).contact_persons == []


@pytest.mark.parametrize(
    ("event_type", "payload", "field", "text"),
    [
        (
            "adres_wijziging",
            {"street": "A", "house_number": 1, "postcode": "0123 AB", "city": "X"},
            "postcode",
            "Postcode",
        ),
        ("adres_wijziging", {"street": "A", "house_number": 1, "postcode": "1234 SS", "city": "X"}, "", "SS"),
        ("adres_wijziging", {"street": "A", "postcode": "1234 AB", "city": "X"}, "", "Huisnummer is verplicht"),
        (
            "adres_wijziging",
            {"street": "A", "house_number": 0, "postcode": "1234 AB", "city": "X"},
            "house_number",
            "Huisnummer",
        ),
        ("contactgegevens", {"phone": "12345"}, "", "Telefoonnummer is geen geldig"),
        ("contactgegevens", {"email": "geen-adres"}, "email", "E-mailadres"),
        ("contactgegevens", {"preferred_channel": "email"}, "", "e-mailadres"),
        ("contactpersoon", {"role": "bewindvoerder"}, "", "Naam is verplicht"),
        ("werkprofiel", {"driving_licences": ["Z"]}, "driving_licences", "Rijbewijzen"),
    ],
)
def test_bad_input_names_the_field_in_dutch(world, event_type, payload, field, text):
    client = world.clients_a[0]
    with pytest.raises(EventError) as exc:
        services.record_change(client, world.users_a["integrale_klantmanager"], event_type=event_type, payload=payload)
    fields = [f for f, _m in exc.value.errors]
    assert any(field in f for f in fields)
    assert any(text in m for _f, m in exc.value.errors), exc.value.errors
    assert not Event.objects.filter(case__client=client, type=event_type).exists()


def test_stale_version_is_refused(world):
    client = world.clients_a[0]
    km = world.users_a["integrale_klantmanager"]
    version = client.cases.get().state.version
    services.record_change(
        client, km, event_type="contactgegevens", payload={"phone": "070 123 4567"}, expected_version=version
    )
    with pytest.raises(ConflictError):
        services.record_change(
            client, km, event_type="contactgegevens", payload={"phone": "0701234568"}, expected_version=version
        )
    assert record_for(client).phone == "0701234567"


def test_import_data_is_the_start_and_events_win(world):
    client = world.clients_a[0]
    client.contact = {"street": "Dorpsstraat 4", "postcode": "1234 AB", "city": "Ergens", "phone": "0201234567"}
    client.save()
    record = record_for(client)
    assert record.address_lines == ["Dorpsstraat 4", "1234 AB  ERGENS"] and record.phone == "0201234567"
    services.record_change(
        client,
        world.users_a["integrale_klantmanager"],
        event_type="contactgegevens",
        payload={"phone": "0611111111"},
        effective_date=dt.date.today(),
    )
    assert record_for(client).phone == "0611111111"
