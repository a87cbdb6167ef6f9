"""Log-in to Mijn Regie through the municipality's DigiD broker (a real OpenID Provider on loopback)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.test import Client
from django.urls import reverse

from regie.audit.models import AuditRecord
from regie.portal import services
from regie.portal.config import PortalUnavailable, broker_for
from regie.portal.session import KEY
from tests.portal.conftest import (
    BASIS,
    CODE,
    MIDDEN,
    REPRESENTATIVE_BSN,
    at_broker,
    portal_login,
    query_of,
    start_login,
)

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("portal:overview", args=[CODE])


def test_no_broker_configured_fails_closed(world, settings):
    settings.REGIE_PORTAL_BROKERS = {}
    for name in ("portal:start", "portal:login", "portal:callback"):
        r = Client().get(reverse(name, args=[CODE]))
        assert r.status_code == 503
        assert "Inloggen op Mijn Regie is voor deze gemeente nu niet mogelijk" in r.content.decode()
    assert Client().get(reverse("portal:start", args=["9999"])).status_code == 404


def test_incomplete_broker_is_refused(broker, settings):
    del settings.REGIE_PORTAL_BROKERS[CODE]["acr_min"]
    with pytest.raises(PortalUnavailable, match="acr_min"):
        broker_for(CODE)
    settings.REGIE_PORTAL_BROKERS[CODE]["acr_min"] = "laag"
    with pytest.raises(PortalUnavailable, match="acr_min"):
        broker_for(CODE)


def test_authorization_request_uses_pkce_state_and_nonce(world, broker):
    r = Client().get(reverse("portal:login", args=[CODE]))
    q = query_of(r["Location"])
    assert q["code_challenge_method"] == ["S256"] and len(q["code_challenge"][0]) >= 43
    assert q["state"][0] and q["nonce"][0] and q["response_type"] == ["code"]
    assert q["redirect_uri"] == [f"http://testserver/mijn/{CODE}/inloggen/terug/"]


def test_client_logs_in_and_sees_their_own_overview(world, broker):
    client = world.clients_a[1]
    c = portal_login(broker, client.bsn)
    r = c.get(OVERVIEW)
    assert r.status_code == 200
    body = r.content.decode()
    assert f"Welkom, {client.given_name}" in body
    assert client.bsn not in body  # the BSN is never shown
    marker = c.session[KEY]
    assert marker["acting_for"] == client.pk and marker["level"] == "midden"
    assert client.bsn not in str(dict(c.session.items()))  # and never kept in the session
    login = AuditRecord.objects.get(action="login", object_type="portal")
    assert login.actor == f"client:{client.pk}" and login.actor_role == "client"
    assert login.municipality_id == world.a.pk and "level midden" in login.detail and MIDDEN in login.detail
    assert AuditRecord.objects.filter(actor=f"client:{client.pk}", action="read", object_id=str(client.pk)).exists()


def test_level_below_minimum_is_refused_and_audited(world, broker):
    c = Client()
    at_broker(broker, world.clients_a[0].bsn, acr=BASIS)
    r = c.get(start_login(c, broker))
    assert r.status_code == 302 and "mislukt=1" in r["Location"]
    assert c.get(OVERVIEW).status_code == 302
    assert AuditRecord.objects.filter(
        action="login_failed", object_type="portal", detail__contains="assurance level basis below midden"
    ).exists()


def test_missing_or_unknown_acr_is_refused(world, broker):
    for acr in (None, "urn:example:something-else"):
        c = Client()
        at_broker(broker, world.clients_a[0].bsn, acr=acr)
        c.get(start_login(c, broker))
        assert c.get(OVERVIEW).status_code == 302
    assert AuditRecord.objects.filter(action="login_failed", detail__contains="level unknown").count() == 2


def test_higher_level_is_accepted(world, broker):
    c = portal_login(broker, world.clients_a[0].bsn, acr="urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard")
    assert c.session[KEY]["level"] == "substantieel"


def test_bsn_without_a_file_is_refused(world, broker):
    c = Client()
    at_broker(broker, REPRESENTATIVE_BSN)
    r = c.get(start_login(c, broker))
    assert r.status_code == 403 and "Wij hebben geen gegevens van u" in r.content.decode()
    assert AuditRecord.objects.filter(action="login_failed", detail__contains="no client file").exists()


def test_client_of_another_municipality_is_not_found_here(world, broker):
    c = Client()
    at_broker(broker, world.clients_b[0].bsn)  # a client of Eindhoven logs in at Den Haag's portal
    assert c.get(start_login(c, broker)).status_code == 403
    assert KEY not in c.session


def test_replayed_and_tampered_callbacks_are_refused(world, broker):
    c = Client()
    at_broker(broker, world.clients_a[0].bsn)
    callback = start_login(c, broker)
    assert c.get(callback)["Location"] == OVERVIEW
    other = Client()
    assert "mislukt=1" in other.get(callback)["Location"]  # a leaked callback in another browser
    c2 = Client()
    callback2 = start_login(c2, broker)
    assert "mislukt=1" in c2.get(callback2.replace("state=", "state=x"))["Location"]
    assert "mislukt=1" in c2.get(callback2)["Location"]  # the state was used up by the failed attempt
    c3 = Client()
    callback3 = start_login(c3, broker)
    code = query_of(callback3)["code"][0]
    assert "mislukt=1" in c3.get(callback3.replace(code, "forged"))["Location"]
    reasons = list(AuditRecord.objects.filter(action="login_failed").values_list("detail", flat=True))
    assert any("no log-in started" in d for d in reasons) and any("state does not match" in d for d in reasons)
    assert any("token exchange failed" in d for d in reasons)


def test_id_token_for_another_client_is_refused(world, broker):
    broker_op = broker
    c = Client()
    at_broker(broker_op, world.clients_a[0].bsn)
    broker_op.audience = "someone-else"
    assert "mislukt=1" in c.get(start_login(c, broker_op))["Location"]
    assert AuditRecord.objects.filter(action="login_failed", detail__contains="not for this client").exists()


def test_nonce_mismatch_is_refused(world, broker):
    c = Client()
    at_broker(broker, world.clients_a[0].bsn)
    broker.nonce_override = "another-nonce"
    assert "mislukt=1" in c.get(start_login(c, broker))["Location"]
    assert AuditRecord.objects.filter(action="login_failed", detail__contains="nonce").exists()


def test_idle_session_expires(world, broker, settings):
    c = portal_login(broker, world.clients_a[0].bsn)
    session = c.session
    session[KEY]["last_seen"] = int(time.time()) - settings.REGIE_PORTAL_IDLE_SECONDS - 1
    session.save()
    r = c.get(OVERVIEW)
    assert r.status_code == 302 and "verlopen=1" in r["Location"]
    assert c.get(OVERVIEW).status_code == 302  # flushed: logging in again is needed


def test_portal_and_staff_sessions_are_apart(world, broker):
    km = world.users_a["integrale_klantmanager"]
    c = Client()
    c.force_login(km)
    at_broker(broker, world.clients_a[0].bsn)
    c.get(start_login(c, broker))
    assert c.get(OVERVIEW).status_code == 200
    assert c.get(reverse("worklist")).status_code == 302  # the staff log-in ended; a citizen reaches no staff page
    staff = Client()
    staff.force_login(km)
    assert staff.get(OVERVIEW).status_code == 302  # and a caseworker is no citizen


def test_portal_headers(world, broker):
    c = portal_login(broker, world.clients_a[0].bsn)
    r = c.get(OVERVIEW)
    assert r["Content-Security-Policy"].startswith("default-src 'none'")
    assert "form-action 'self'" in r["Content-Security-Policy"]
    assert r["Cache-Control"] == "no-store" and r["Referrer-Policy"] == "same-origin"
    staff = Client().get(reverse("login"))
    assert staff["Content-Security-Policy"].startswith("default-src 'self'")


def test_rate_limit_per_address(world, broker, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REGIE_PORTAL_LOGIN_RATE = 3
    c = Client()
    codes = [c.get(reverse("portal:login", args=[CODE])).status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    cache.clear()


def test_logout_ends_the_session(world, broker):
    c = portal_login(broker, world.clients_a[0].bsn)
    r = c.post(reverse("portal:logout", args=[CODE]))
    assert r.status_code == 200 and "U bent uitgelogd" in r.content.decode()
    assert c.get(OVERVIEW).status_code == 302
    assert AuditRecord.objects.filter(action="logout", object_type="portal").exists()


def test_representative_acts_for_the_client_and_is_recorded_as_such(world, broker):
    client = world.clients_a[2]
    m = services.grant(
        client,
        representative_bsn=REPRESENTATIVE_BSN,
        representative_name="Bewind B.V.",
        role="bewindvoerder",
        valid_from=dt.date(2025, 1, 1),
        by=world.users_a["integrale_klantmanager"],
    )
    c = portal_login(broker, REPRESENTATIVE_BSN)
    r = c.get(OVERVIEW)
    assert r.status_code == 200 and "U handelt als vertegenwoordiger" in r.content.decode()
    actor = f"vertegenwoordiger:M{m.pk}:client:{client.pk}"
    assert AuditRecord.objects.filter(actor=actor, actor_role="vertegenwoordiger", action="login").exists()
    assert AuditRecord.objects.filter(actor=actor, action="read", object_id=str(client.pk)).exists()
    # the authorisation ends: access ends at the next click
    m.valid_until = dt.date(2025, 6, 30)
    m.save()
    assert c.get(OVERVIEW).status_code == 404
    assert c.get(OVERVIEW).status_code == 302  # logged out


def test_expired_authorisation_gives_no_access(world, broker):
    services.grant(
        world.clients_a[2],
        representative_bsn=REPRESENTATIVE_BSN,
        representative_name="Bewind B.V.",
        role="bewindvoerder",
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2024, 12, 31),
    )
    c = Client()
    at_broker(broker, REPRESENTATIVE_BSN)
    assert c.get(start_login(c, broker)).status_code == 403


def test_client_who_is_also_a_representative_switches_files(world, broker):
    own, other = world.clients_a[0], world.clients_a[2]
    services.grant(
        other, representative_bsn=own.bsn, representative_name="Zus", role="gemachtigde", valid_from=dt.date(2025, 1, 1)
    )
    c = portal_login(broker, own.bsn)
    body = c.get(OVERVIEW).content.decode()
    assert other.family_name in body
    r = c.post(reverse("portal:act_for", args=[CODE, other.pk]))
    assert r.status_code == 302
    assert f"Welkom, {other.given_name}" in c.get(OVERVIEW).content.decode()
    # a file they are not authorised for: 404, the same as one that does not exist
    assert c.post(reverse("portal:act_for", args=[CODE, world.clients_a[1].pk])).status_code == 404
    assert c.post(reverse("portal:act_for", args=[CODE, world.clients_b[0].pk])).status_code == 404
    assert c.post(reverse("portal:act_for", args=[CODE, 999999])).status_code == 404


def test_demo_login_is_off_unless_debug_and_asked_for(world, settings):
    url = reverse("portal:demo_login", args=[CODE])
    client = world.clients_a[0]
    settings.DEBUG, settings.REGIE_PORTAL_DEMO_LOGIN = False, False
    assert Client().get(url).status_code == 404
    settings.REGIE_PORTAL_DEMO_LOGIN = True  # asked for, but no DEBUG (production): still off
    assert Client().post(url, {"bsn": client.bsn}).status_code == 404
    settings.DEBUG = True
    c = Client()
    assert "geen DigiD" in c.get(url).content.decode()
    assert c.post(url, {"bsn": "999999990"}).status_code == 400  # a client of another municipality
    assert c.post(url, {"bsn": client.bsn})["Location"] == OVERVIEW
    assert AuditRecord.objects.filter(actor=f"client:{client.pk}", action="login", detail__contains="demo").exists()


def test_demo_prints_a_citizen(world):
    from regie.portal.demo import demo_citizen

    citizen = demo_citizen(world.a)
    assert citizen["bsn"] == world.clients_a[0].bsn and citizen["url"] == f"/mijn/{CODE}/demo/"
