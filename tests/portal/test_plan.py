"""The client signs the plan van aanpak in Mijn Regie: one event through the decision gate, recorded as theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.audit.models import AuditRecord
from regie.casework.models import CaseState, Event
from regie.casework.services import append_event
from regie.portal import services
from tests.portal.conftest import CODE, REPRESENTATIVE_BSN, portal_login

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("portal:overview", args=[CODE])
SIGN = reverse("portal:sign_plan", args=[CODE])


def _plan(world, client, version=1):
    case = client.cases.get()
    append_event(
        case,
        type="plan_van_aanpak",
        effective_date=dt.date(2025, 3, 3),
        payload={"version": version, "goal": "Binnen een jaar werk in de zorg", "review_date": "2025-09-01"},
        actor=world.users_a["integrale_klantmanager"],
    )
    return case


def test_client_sees_and_signs_their_plan(world, broker):
    client = world.clients_a[0]
    case = _plan(world, client)
    c = portal_login(broker, client.bsn)
    body = c.get(OVERVIEW).content.decode()
    assert "Binnen een jaar werk in de zorg" in body and "03-03-2025" in body and "01-09-2025" in body
    assert "Plan ondertekenen" in body
    # without ticking "akkoord" nothing is recorded, and the message says what to do
    r = c.post(SIGN, {"version": "1"})
    assert r.status_code == 400 and "Zet een vinkje" in r.content.decode()
    assert not Event.objects.filter(case=case, type="plan_ondertekend").exists()
    r = c.post(SIGN, {"version": "1", "akkoord": "ja"})
    assert r.status_code == 302
    event = Event.objects.get(case=case, type="plan_ondertekend")
    assert event.actor_role == "client" and event.actor.username == f"mijnregie.{CODE}"
    assert event.payload == {"version": 1, "signed_by": "client", "assurance": "midden"}  # no machtiging
    assert CaseState.objects.get(case=case).snapshot["plan_signed"] is True
    assert "U heeft dit plan ondertekend" in c.get(OVERVIEW).content.decode()
    assert AuditRecord.objects.filter(
        actor=f"client:{client.pk}", action="create", object_type="event", object_id=str(event.pk)
    ).exists()
    # signing twice is refused
    assert c.post(SIGN, {"version": "1", "akkoord": "ja"}).status_code == 400
    assert Event.objects.filter(case=case, type="plan_ondertekend").count() == 1


def test_a_changed_plan_must_be_read_again(world, broker):
    client = world.clients_a[0]
    case = _plan(world, client)
    c = portal_login(broker, client.bsn)
    c.get(OVERVIEW)
    append_event(case, type="plan_van_aanpak", effective_date=dt.date(2025, 4, 1), payload={"version": 2})
    r = c.post(SIGN, {"version": "1", "akkoord": "ja"})  # the form showed version 1
    assert r.status_code == 400 and "Het plan is intussen veranderd" in r.content.decode()
    assert not Event.objects.filter(case=case, type="plan_ondertekend").exists()


def test_portal_account_cannot_log_in(world):
    user = services.portal_actor(world.a)
    assert not user.is_active and not user.has_usable_password()


def test_representative_signs_under_their_machtiging(world, broker):
    client = world.clients_a[1]
    case = _plan(world, client)
    m = services.grant(
        client,
        representative_bsn=REPRESENTATIVE_BSN,
        representative_name="Bewind B.V.",
        role="bewindvoerder",
        valid_from=dt.date(2025, 1, 1),
    )
    c = portal_login(broker, REPRESENTATIVE_BSN)
    assert c.post(SIGN, {"version": "1", "akkoord": "ja"}).status_code == 302
    event = Event.objects.get(case=case, type="plan_ondertekend")
    assert event.payload["signed_by"] == "vertegenwoordiger" and event.payload["machtiging_id"] == m.pk
    assert AuditRecord.objects.filter(
        actor=f"vertegenwoordiger:M{m.pk}:client:{client.pk}", action="create", object_type="event"
    ).exists()


def test_second_client_does_not_see_the_first_clients_plan(world, broker):
    _plan(world, world.clients_a[0])
    c = portal_login(broker, world.clients_a[1].bsn)
    body = c.get(OVERVIEW).content.decode()
    assert "Binnen een jaar werk in de zorg" not in body and world.clients_a[0].family_name not in body
    assert c.post(SIGN, {"version": "1", "akkoord": "ja"}).status_code == 400  # no plan of their own
    assert not Event.objects.filter(type="plan_ondertekend").exists()
