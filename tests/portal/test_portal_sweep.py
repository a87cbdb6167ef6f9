"""Tenancy sweep over every Mijn Regie URL: a second client sees nothing of the first, whatever URL they try, and a
logged-out browser or a staff user sees no file at all. The sweep fails when a portal URL is added without being
listed here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from regie.agenda import services as agenda
from regie.agenda.models import Appointment
from regie.casework.models import Event
from regie.casework.services import append_event
from regie.portal import urls as portal_urls
from tests.portal.conftest import CODE, portal_login

pytestmark = pytest.mark.django_db

# name -> (args besides the municipality code, methods to try)
SWEEP = {
    "start": ((), ("get",)),
    "login": ((), ()),  # sends the browser to the broker: no data
    "callback": ((), ("get",)),
    "logout": ((), ("post",)),
    "overview": ((), ("get",)),
    "act_for": (("victim",), ("post", "get")),
    "sign_plan": ((), ("post",)),
    "income": ((), ("get", "post")),
    "change": ((), ("get", "post")),
    "message": ((), ("get", "post")),
    "document": ((), ("get", "post")),
    "objection": ((), ("get", "post")),
    "letter": (("victim_letter",), ("get",)),
    "appointment": (("victim_appointment", "verzetten"), ("post",)),
    "access_request": ((), ("get", "post")),
    "demo_login": ((), ()),  # off unless DEBUG (test_login.test_demo_login_is_off_unless_debug_and_asked_for)
}


def test_every_portal_url_is_in_the_sweep():
    assert {p.name for p in portal_urls.urlpatterns} == set(SWEEP)


def _secret_plan(world, victim):
    agenda.plan(
        victim.cases.get(),
        world.users_a["integrale_klantmanager"],
        kind="voortgangsgesprek",
        date=dt.date.today() + dt.timedelta(days=3),
        start_time=dt.time(10, 0),
    )
    toekenning = Event.objects.get(case__client=victim, type="toekenning")
    append_event(
        toekenning.case,
        type="bekendmaking",
        effective_date=dt.date(2025, 2, 3),
        payload={"decision_event": toekenning.pk},
        actor=world.users_a["integrale_klantmanager"],
    )
    append_event(
        victim.cases.get(),
        type="plan_van_aanpak",
        effective_date=dt.date(2025, 3, 3),
        payload={"version": 1, "goal": "GEHEIM-DOEL-VAN-KLANT-EEN"},
        actor=world.users_a["integrale_klantmanager"],
    )


def _urls(victim):
    for name, (extra, methods) in SWEEP.items():
        ids = {
            "victim": victim.pk,
            "victim_letter": Event.objects.get(case__client=victim, type="toekenning").pk,
            "victim_appointment": Appointment.objects.get(case__client=victim).pk,
        }
        args = [CODE, *(ids.get(a, a) for a in extra)]
        for method in methods:
            yield name, method, reverse(f"portal:{name}", args=args)


def test_a_second_client_sees_nothing_of_the_first(world, broker):
    victim, other = world.clients_a[0], world.clients_a[1]
    _secret_plan(world, victim)
    c = portal_login(broker, other.bsn)
    for name, method, url in _urls(victim):
        if name == "logout":
            continue
        r = getattr(c, method)(url)
        body = r.content.decode() if hasattr(r, "content") else ""
        assert "GEHEIM-DOEL-VAN-KLANT-EEN" not in body, (name, method)
        assert victim.family_name not in body and victim.bsn not in body, (name, method)
        if name in ("act_for", "letter", "appointment"):
            assert r.status_code in (404, 405), (name, method, r.status_code)
    # nothing of the victim's case changed through the other client's session
    written = ["plan_ondertekend", "wijziging_gemeld", "notitie", "bezwaar_ingediend", "document"]
    assert not victim.cases.get().events.filter(type__in=written).exists()


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_without_a_portal_log_in_no_url_shows_a_file(world, broker, who):
    victim = world.clients_a[0]
    _secret_plan(world, victim)
    c = Client()
    if who == "staff":
        c.force_login(world.users_a["teammanager"])
    for name, method, url in _urls(victim):
        r = getattr(c, method)(url)
        body = r.content.decode()
        assert "GEHEIM-DOEL-VAN-KLANT-EEN" not in body and victim.family_name not in body, (name, method)
        if name not in ("start", "callback", "logout"):
            assert r.status_code in (302, 405), (name, method, r.status_code)


def test_a_client_of_another_municipality_is_404_at_this_one(world, broker):
    victim = world.clients_b[0]
    c = portal_login(broker, world.clients_a[0].bsn)
    assert c.post(reverse("portal:act_for", args=[CODE, victim.pk])).status_code == 404
    # the session of Den Haag opens nothing at Eindhoven
    assert c.get(reverse("portal:overview", args=[world.b.code])).status_code == 302
