"""The provider portal shows a coach only the clients referred to their organisation, and only what they need."""

import datetime as dt

import pytest
from django.urls import reverse

from regie.accounts.models import Provider
from regie.casework.models import Event
from regie.casework.services import append_event

pytestmark = pytest.mark.django_db

HANDOVER = "Werkt graag met de handen; ochtenden lastig door zorg voor moeder."


@pytest.fixture
def referred(world):
    case = world.clients_a[0].cases.get()
    km = world.users_a["integrale_klantmanager"]
    append_event(
        case,
        type="plan_van_aanpak",
        effective_date=dt.date(2025, 3, 1),
        payload={"version": 1, "signed": True, "goal": "Werk in de techniek", "review_date": "2025-09-01"},
        actor=km,
    )
    append_event(
        case,
        type="traject_start",
        effective_date=dt.date(2025, 3, 10),
        payload={"trajectory_id": "TR1", "kind": "reintegratie", "provider": "P1", "handover": HANDOVER},
        actor=km,
    )
    append_event(
        case,
        type="maatregel",
        effective_date=dt.date(2025, 3, 11),
        payload={"obligation_type": "reintegratie", "percentage": 30, "months": 1},
        actor=km,
    )
    # a client referred to a different provider of the same municipality
    other_provider = Provider.objects.create(municipality=world.a, code="P2", name="Ander bedrijf")
    other_case = world.clients_a[1].cases.get()
    append_event(
        other_case,
        type="traject_start",
        effective_date=dt.date(2025, 3, 10),
        payload={"trajectory_id": "TR2", "kind": "reintegratie", "provider": other_provider.code},
        actor=km,
    )
    return case, other_case


def test_coach_sees_only_referred_clients(world, login, referred):
    case, other_case = referred
    c = login(world.users_a["provider_coach"])
    html = c.get(reverse("provider:clients")).content.decode()
    assert world.clients_a[0].family_name in html
    assert world.clients_a[1].family_name not in html and world.clients_a[2].family_name not in html
    assert c.get(reverse("provider:referral", args=[other_case.pk])).status_code == 404
    assert c.get(reverse("provider:referral", args=[world.clients_b[0].cases.get().pk])).status_code == 404


def test_referral_page_shows_handover_and_plan_but_nothing_else(world, login, referred):
    case, _ = referred
    client = world.clients_a[0]
    html = login(world.users_a["provider_coach"]).get(reverse("provider:referral", args=[case.pk])).content.decode()
    assert HANDOVER in html and "Werk in de techniek" in html and "09-04-2025" in html  # report due: start + 30 days
    for secret in (client.bsn, client.masked_bsn, "maatregel", "2022-03-01", "1400"):
        assert secret not in html, secret


def test_coach_cannot_open_casework_pages(world, login, referred):
    case, _ = referred
    c = login(world.users_a["provider_coach"])
    assert c.get(reverse("client_detail", args=[world.clients_a[0].pk])).status_code == 403
    assert c.get(reverse("case_step", args=[case.pk, "contact"])).status_code == 403
    assert c.get("/api/v1/clients/").status_code == 403


def test_coach_submits_a_report_that_lands_in_the_case(world, login, referred):
    case, _ = referred
    coach = world.users_a["provider_coach"]
    c = login(coach)
    r = c.post(
        reverse("provider:referral", args=[case.pk]),
        {"kind": "voortgang", "effective_date": "2025-04-01", "summary": "Komt afspraken na, solliciteert actief."},
    )
    assert r.status_code == 302
    ev = Event.objects.get(case=case, type="rapportage")
    assert ev.actor == coach and ev.actor_role == "provider_coach" and ev.payload["trajectory_id"] == "TR1"
    # too short a progress report is refused and keeps what was typed
    r = c.post(
        reverse("provider:referral", args=[case.pk]),
        {"kind": "voortgang", "effective_date": "2025-04-02", "summary": "ok"},
    )
    assert r.status_code == 400 and "summary" in r.content.decode()
    assert 'name="effective_date" type="date" value="2025-04-02"' in r.content.decode()  # the typed date kept
    assert Event.objects.filter(case=case, type="rapportage").count() == 1
    # the coach asks for a driegesprek; the caseworker sees it on the timeline
    c.post(
        reverse("provider:referral", args=[case.pk]),
        {"kind": "driegesprek_verzoek", "effective_date": "2025-04-03", "summary": ""},
    )
    page = login(world.users_a["integrale_klantmanager"]).get(reverse("client_detail", args=[world.clients_a[0].pk]))
    assert "Verzoek om driegesprek" in page.content.decode()  # the label, not the key (regie.platform.labels)


def test_coach_of_another_municipality_sees_nothing(world, login, referred):
    coach_b = world.users_b["provider_coach"]  # provider P1 of municipality B: same code, other tenant
    html = login(coach_b).get(reverse("provider:clients")).content.decode()
    assert world.clients_a[0].family_name not in html
    assert login(coach_b).get(reverse("provider:referral", args=[referred[0].pk])).status_code == 404


def test_ended_trajectory_is_no_longer_visible(world, login, referred):
    case, _ = referred
    append_event(
        case,
        type="traject_einde",
        effective_date=dt.date(2025, 6, 1),
        payload={"trajectory_id": "TR1", "result": "afgerond"},
    )
    c = login(world.users_a["provider_coach"])
    assert world.clients_a[0].family_name not in c.get(reverse("provider:clients")).content.decode()
    assert c.get(reverse("provider:referral", args=[case.pk])).status_code == 404
