"""The provider register and the referral form's choice from it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.accounts.models import Provider
from regie.casework.models import Event

pytestmark = pytest.mark.django_db


def test_register_page_adds_and_changes_providers(world, login):
    c = login(world.users_a["functioneel_beheerder"])
    url = reverse("provider_register")
    assert c.get(url).status_code == 200
    resp = c.post(
        url,
        {
            "code": "P2",
            "name": "Taalhuis",
            "kind": "opleiding",
            "capacity": "20",
            "modules": "taal: Taaltraject\nnt2: NT2 intensief",
            "contact_name": "Mieke de Boer",
            "contact_email": "Mieke@Taalhuis.nl",
            "contact_phone": "070 123 4567",
            "contract_start": "2025-01-01",
        },
    )
    assert resp.status_code == 302
    p2 = Provider.objects.get(municipality=world.a, code="P2")
    assert p2.capacity == 20 and p2.modules[1] == {"code": "nt2", "name": "NT2 intensief"}
    assert p2.contact_email == "mieke@taalhuis.nl" and p2.contact_phone == "0701234567"
    # bad input: kept, field named, nothing saved
    html = c.post(url, {"code": "P3", "name": "", "capacity": "veel", "contract_start": "2025-13-01"}).content.decode()
    assert "Naam is verplicht" in html and "Capaciteit is geen heel getal" in html and 'value="veel"' in html
    assert not Provider.objects.filter(code="P3").exists()
    # change: the form shows the provider; the code stays
    form = c.get(url, {"code": "P2"}).content.decode()
    assert "taal: Taaltraject" in form
    c.post(url, {"original_code": "P2", "code": "P2", "name": "Taalhuis Den Haag", "capacity": "25"})
    assert Provider.objects.get(municipality=world.a, code="P2").name == "Taalhuis Den Haag"
    # another municipality's provider is not there
    assert c.get(url, {"code": "P-none"}).status_code == 404


def test_register_needs_the_capability(world, login):
    assert login(world.users_a["integrale_klantmanager"]).get(reverse("provider_register")).status_code == 403


def test_referral_offers_contracted_providers_with_modules(world, login):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    Provider.objects.filter(municipality=world.a, code="P1").update(contract_end=yesterday)
    Provider.objects.create(
        municipality=world.a, code="P2", name="Taalhuis", capacity=20, modules=[{"code": "taal", "name": "Taaltraject"}]
    )
    case = world.clients_a[0].cases.get()
    c = login(world.users_a["integrale_klantmanager"])
    html = c.get(reverse("case_step", args=[case.pk, "traject_start"])).content.decode()
    assert "Taalhuis (P2 · 20 plaatsen · Taaltraject)" in html
    assert "Werkbedrijf" not in html
    assert 'value="taal"' in html
    resp = c.post(
        reverse("case_step", args=[case.pk, "traject_start"]),
        {
            "effective_date": dt.date.today().isoformat(),
            "kind": "scholing",
            "provider": "P1",
            "expected_version": case.state.version,
        },
    )
    assert "geen lopend contract" in resp.content.decode()
    assert not Event.objects.filter(case=case, type="traject_start").exists()


def test_demo_register(world):
    from regie.clientrecord.demo import seed_demo

    assert seed_demo(world.a) == 1
    p1 = Provider.objects.get(municipality=world.a, code="P1")
    assert p1.modules and p1.capacity and p1.contracted_on(dt.date.today())
    assert seed_demo(world.a) == 0
