"""Single sign-on against a real OpenID Provider on loopback (tests/security/oidc_provider.py).

The browser is Django's test client for Regie and ``requests`` for the provider; Regie itself calls the provider's
token, JWKS and userinfo endpoints over HTTP, as in production.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from regie.accounts import mfa
from regie.accounts.models import MfaPolicy
from regie.audit.models import AuditRecord
from tests.security.oidc_provider import LocalProvider

pytestmark = pytest.mark.django_db

CLIENT_ID, CLIENT_SECRET = "regie-test", "s3cret-for-the-test-only"
CALLBACK = "http://testserver/inloggen/organisatie/terug/"
KM = "integrale_klantmanager"


@pytest.fixture(scope="module")
def provider():
    op = LocalProvider(CLIENT_ID, CLIENT_SECRET, CALLBACK).start()
    yield op
    op.stop()


@pytest.fixture
def sso(provider, settings):
    provider.reset()
    meta = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    settings.REGIE_OIDC_ENABLED = True
    settings.REGIE_OIDC_ISSUER = meta["issuer"]
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = meta["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = meta["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = meta["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = meta["jwks_uri"]
    return provider


def _at_provider(provider, user, **claims):
    provider.user = {"sub": f"sub-{user.username}", "preferred_username": user.username, "email": user.email}
    for k, v in claims.items():
        setattr(provider, k, v)


def _start(c: Client, provider) -> str:
    """Regie sends the browser to the provider, which sends it back with a code: the callback URL (path + query)."""
    r = c.get(reverse("oidc_authenticate"))
    assert r.status_code == 302 and r["Location"].startswith(provider.endpoints["authorization_endpoint"])
    query = parse_qs(urlsplit(r["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"][0] and query["state"][0]
    back = requests.get(r["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK), back.text
    parts = urlsplit(back.headers["Location"])
    return f"{parts.path}?{parts.query}"


def _logged_in(c: Client) -> bool:
    return c.get(reverse("worklist")).status_code == 200


def test_login_page_offers_sso_only_when_configured(sso, settings):
    assert "Inloggen via uw organisatie" in Client().get(reverse("login")).content.decode()
    settings.REGIE_OIDC_ENABLED = False
    assert "Inloggen via uw organisatie" not in Client().get(reverse("login")).content.decode()
    assert Client().get(reverse("oidc_authenticate")).status_code == 404
    assert Client().get(reverse("oidc_callback") + "?code=x&state=y").status_code == 404


def test_full_flow_logs_in_the_matching_user(world, sso):
    user = world.users_a[KM]
    _at_provider(sso, user)
    c = Client()
    callback = _start(c, sso)
    r = c.get(callback)
    assert r.status_code == 302 and r["Location"] == "/"
    assert _logged_in(c)
    assert sso.token_requests >= 1
    rec = AuditRecord.objects.filter(actor=user.username, action="login", object_type="sso").get()
    assert rec.result == "success" and rec.municipality_id == world.a.pk


def test_unknown_user_is_refused_and_audited(world, sso):
    sso.user = {"sub": "sub-nobody", "preferred_username": "niet.bekend", "email": "x@example.org"}
    c = Client()
    r = c.get(_start(c, sso))
    assert r.status_code == 302 and r["Location"] == reverse("login")
    assert not _logged_in(c)
    assert AuditRecord.objects.filter(
        actor="niet.bekend", action="login_failed", object_type="sso", detail__contains="no active Regie user"
    ).exists()


def test_inactive_user_is_refused(world, sso):
    user = world.users_a[KM]
    user.is_active = False
    user.save()
    _at_provider(sso, user)
    c = Client()
    c.get(_start(c, sso))
    assert not _logged_in(c)


def test_replayed_callback_is_refused(world, sso):
    user = world.users_a[KM]
    _at_provider(sso, user)
    c = Client()
    callback = _start(c, sso)
    assert c.get(callback).status_code == 302 and _logged_in(c)
    # the same callback in another browser (a leaked URL): no state in that session
    other = Client()
    other.get(reverse("login"))
    other.get(callback)
    assert not _logged_in(other)
    # and in the same browser after logging out: the state was used up
    c.post(reverse("logout"))
    r = c.get(callback)
    assert r.status_code == 302 and not _logged_in(c)
    assert AuditRecord.objects.filter(action="login_failed", object_type="sso").count() >= 2


def test_tampered_state_or_code_is_refused(world, sso):
    user = world.users_a[KM]
    _at_provider(sso, user)
    c = Client()
    callback = _start(c, sso)
    query = parse_qs(urlsplit(callback).query)
    code, state = query["code"][0], query["state"][0]
    base = reverse("oidc_callback")
    r = c.get(f"{base}?code={code}&state={state}x")  # state not issued by this session
    assert r.status_code == 302 and not _logged_in(c)
    assert AuditRecord.objects.filter(action="login_failed", object_type="sso", detail__contains="state").exists()
    c2 = Client()
    callback2 = _start(c2, sso)
    state2 = parse_qs(urlsplit(callback2).query)["state"][0]
    c2.get(f"{base}?code=forged-code&state={state2}")  # the provider refuses the code
    assert not _logged_in(c2)
    assert AuditRecord.objects.filter(
        action="login_failed", object_type="sso", detail__contains="provider error"
    ).exists()


def test_wrong_nonce_in_the_id_token_is_refused(world, sso):
    _at_provider(sso, world.users_a[KM], nonce_override="not-the-nonce-regie-sent")
    c = Client()
    c.get(_start(c, sso))
    assert not _logged_in(c)
    assert AuditRecord.objects.filter(action="login_failed", object_type="sso", detail__contains="Nonce").exists()


def test_id_token_for_another_client_is_refused(world, sso):
    _at_provider(sso, world.users_a[KM], audience="some-other-application")
    c = Client()
    c.get(_start(c, sso))
    assert not _logged_in(c)
    assert AuditRecord.objects.filter(
        action="login_failed", object_type="sso", detail__contains="not for this client"
    ).exists()


def test_sso_without_mfa_assertion_still_needs_regies_second_step(world, sso):
    MfaPolicy.objects.create(municipality=world.a, roles=[KM])
    user = world.users_a[KM]
    _at_provider(sso, user, amr=["pwd"])
    c = Client()
    c.get(_start(c, sso))
    r = c.get(reverse("worklist"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("mfa_enrol"))
    c.get(reverse("mfa_enrol"))
    device = user.totpdevice_set.get(confirmed=False)
    c.post(reverse("mfa_enrol"), {"code": f"{totp(device.bin_key):06d}"})
    assert _logged_in(c)


def test_sso_with_mfa_asserted_by_the_provider_counts(world, sso, settings):
    MfaPolicy.objects.create(municipality=world.a, roles=[KM, "teammanager"])
    _at_provider(sso, world.users_a[KM], amr=["pwd", "otp"])
    c = Client()
    c.get(_start(c, sso))
    assert _logged_in(c)
    assert c.session[mfa.SESSION_KEY] == mfa.IDP
    assert AuditRecord.objects.filter(object_type="sso", detail__contains="provider asserted multi-factor").exists()
    # acr per setting
    settings.REGIE_OIDC_MFA_ACR = ["urn:gemeente:loa:substantieel"]
    _at_provider(sso, world.users_a["teammanager"], amr=None, acr="urn:gemeente:loa:substantieel")
    c = Client()
    c.get(_start(c, sso))
    assert _logged_in(c)
    # an acr that is not configured does not count
    sso.reset()
    _at_provider(sso, world.users_a["teammanager"], acr="urn:gemeente:loa:laag")
    c = Client()
    c.get(_start(c, sso))
    r = c.get(reverse("worklist"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("mfa_enrol"))
