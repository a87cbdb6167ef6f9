"""The "Gegevens" section of the case page and its edit forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regie.audit.models import AuditRecord
from regie.casework.models import Event

pytestmark = pytest.mark.django_db


def test_case_page_shows_the_record_and_edit_links(world, login):
    client = world.clients_a[0]
    c = login(world.users_a["integrale_klantmanager"])
    html = c.get(reverse("client_detail", args=[client.pk])).content.decode()
    assert "Gegevens" in html and "Geachte mevrouw Achternaam05180," in html
    assert reverse("record_edit", args=[client.pk, "adres"]) in html
    # a reader without record_events sees the record but no edit links
    viewer = next(u for r, u in world.users_a.items() if r == "teammanager")
    html = login(viewer).get(reverse("client_detail", args=[client.pk])).content.decode()
    assert "Gegevens" in html


def test_address_form_records_an_event_shown_in_the_timeline(world, login):
    client = world.clients_a[0]
    c = login(world.users_a["integrale_klantmanager"])
    url = reverse("record_edit", args=[client.pk, "adres"])
    page = c.get(url)
    assert page.status_code == 200
    version = client.cases.get().state.version
    assert f'name="expected_version" value="{version}"' in page.content.decode()
    assert AuditRecord.objects.filter(object_id=client.external_id, detail="client record form adres").exists()
    resp = c.post(
        url,
        {
            "kind": "woonadres",
            "postcode": "2511cv",
            "house_number": "7",
            "street": "Spui",
            "city": "Den Haag",
            "expected_version": version,
        },
    )
    assert resp.status_code == 302
    event = Event.objects.get(case__client=client, type="adres_wijziging")
    assert event.payload["postcode"] == "2511 CV" and event.actor == world.users_a["integrale_klantmanager"]
    html = c.get(reverse("client_detail", args=[client.pk])).content.decode()
    assert "Spui 7, 2511 CV  DEN HAAG" in html
    assert "Adreswijziging" in html  # the timeline entry (its label, regie.platform.labels), with who
    assert AuditRecord.objects.filter(action="update", object_id=client.external_id).exists()


def test_bad_input_keeps_what_was_typed_and_names_the_field(world, login):
    client = world.clients_a[0]
    c = login(world.users_a["integrale_klantmanager"])
    url = reverse("record_edit", args=[client.pk, "contact"])
    resp = c.post(url, {"phone": "06-123", "email": "sanne@voorbeeld.nl", "preferred_channel": "email"})
    html = resp.content.decode()
    assert resp.status_code == 400
    assert "Telefoonnummer is geen geldig telefoonnummer" in html
    assert 'value="06-123"' in html and 'value="sanne@voorbeeld.nl"' in html
    assert not Event.objects.filter(case__client=client, type="contactgegevens").exists()


def test_stale_form_is_refused_and_keeps_input(world, login):
    client = world.clients_a[0]
    c = login(world.users_a["integrale_klantmanager"])
    url = reverse("record_edit", args=[client.pk, "contact"])
    version = client.cases.get().state.version
    assert c.post(url, {"phone": "0612345678", "expected_version": version}).status_code == 302
    resp = c.post(url, {"phone": "0687654321", "expected_version": version})
    html = resp.content.decode()
    assert "Iemand anders heeft dit dossier intussen gewijzigd" in html and 'value="0687654321"' in html
    assert Event.objects.filter(case__client=client, type="contactgegevens").count() == 1


def test_contact_person_and_work_profile_forms(world, login):
    client = world.clients_a[0]
    c = login(world.users_a["integrale_klantmanager"])
    resp = c.post(
        reverse("record_edit", args=[client.pk, "contactpersoon"]),
        {
            "role": "bewindvoerder",
            "name": "J. Bakker",
            "organisation": "Bewind BV",
            "postcode": "2511 BL",
            "house_number": "1",
            "street": "Spui",
            "city": "Den Haag",
            "receives_letters": "on",
        },
    )
    assert resp.status_code == 302, resp.content.decode()
    resp = c.post(
        reverse("record_edit", args=[client.pk, "werkprofiel"]),
        {
            "education_level": "mbo2_4",
            "education": "Mbo Logistiek, 2015, diploma",
            "work": "Magazijnmedewerker bij Bol, 2016-2020\nKassamedewerker",
            "skills": "heftruck, Engels",
            "driving_licences": ["B", "C"],
        },
    )
    assert resp.status_code == 302, resp.content.decode()
    html = c.get(reverse("client_detail", args=[client.pk])).content.decode()
    assert "Bewindvoerder: J. Bakker (Bewind BV)" in html
    assert "Magazijnmedewerker bij Bol, 2016–2020" in html and "B, C" in html and "heftruck, Engels" in html
    # the form shows the profile as it is, ready to edit
    form = c.get(reverse("record_edit", args=[client.pk, "werkprofiel"])).content.decode()
    assert "Mbo Logistiek, 2015, diploma" in form and "Magazijnmedewerker bij Bol, 2016-2020" in form


def test_other_municipality_is_a_404_and_audited(world, login):
    foreign = world.clients_b[0]
    c = login(world.users_a["integrale_klantmanager"])
    assert c.get(reverse("record_edit", args=[foreign.pk, "adres"])).status_code == 404
    assert c.post(reverse("record_edit", args=[foreign.pk, "adres"]), {"street": "x"}).status_code == 404
    assert not Event.objects.filter(case__client=foreign, type="adres_wijziging").exists()


def test_without_record_rights_no_form(world, login):
    client = world.clients_a[0]
    c = login(world.users_a["beleidsmedewerker"]) if "beleidsmedewerker" in world.users_a else None
    if c is None:
        pytest.skip("no policy officer role")
    assert c.get(reverse("record_edit", args=[client.pk, "adres"])).status_code == 403


def test_an_imported_language_outside_the_list_is_kept(world, login):
    client = world.clients_a[0]
    client.language = "ku"
    client.save()
    c = login(world.users_a["integrale_klantmanager"])
    form = c.get(reverse("record_edit", args=[client.pk, "contact"])).content.decode()
    assert '<option value="ku" selected>' in form


def test_case_page_query_count_does_not_grow_with_record_events(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from regie.clientrecord import services

    client = world.clients_a[0]
    km = world.users_a["integrale_klantmanager"]
    c = login(km)
    url = reverse("client_detail", args=[client.pk])

    from regie.casework import derived

    def count():
        derived.clear()  # derive from scratch each time (the per-case memo would save queries the second time)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.record_change(client, km, event_type="contactpersoon", payload={"role": "mentor", "name": "A"})
    count()  # the first request of the session does more
    small = count()
    for i in range(10):
        services.record_change(client, km, event_type="contactgegevens", payload={"phone": f"06123456{i:02d}"})
        services.record_change(client, km, event_type="contactpersoon", payload={"role": "familie", "name": f"P{i}"})
    assert count() == small
