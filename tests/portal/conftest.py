"""Mijn Regie against the real local OpenID Provider (tests/security/oidc_provider.py) acting as the DigiD broker.

The provider puts the BSN in ``preferred_username`` (the municipality's configured ``bsn_claim``) and the DigiD
level in ``acr``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from tests.security.oidc_provider import LocalProvider

CLIENT_ID, CLIENT_SECRET = "mijnregie-0518", "portal-secret-for-the-test-only"
CODE = "0518"
CALLBACK = f"http://testserver/mijn/{CODE}/inloggen/terug/"
MIDDEN = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"
BASIS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
REPRESENTATIVE_BSN = "200000007"


@pytest.fixture(scope="session")
def broker_op():
    op = LocalProvider(CLIENT_ID, CLIENT_SECRET, CALLBACK).start()
    yield op
    op.stop()


@pytest.fixture
def broker(broker_op, settings):
    broker_op.reset()
    meta = requests.get(f"{broker_op.issuer}/.well-known/openid-configuration", timeout=5).json()
    settings.REGIE_PORTAL_BROKERS = {
        CODE: {
            "issuer": meta["issuer"],
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "authorization_endpoint": meta["authorization_endpoint"],
            "token_endpoint": meta["token_endpoint"],
            "jwks_uri": meta["jwks_uri"],
            "bsn_claim": "preferred_username",
            "acr_min": "midden",
            "scopes": "openid profile",
        }
    }
    return broker_op


def at_broker(op, bsn: str, acr: str | None = MIDDEN) -> None:
    """The person is logged in at DigiD (the broker) with this BSN and level."""
    op.user = {"sub": f"digid-{bsn}", "preferred_username": bsn}
    op.acr = acr


def start_login(c: Client, op) -> str:
    """Regie sends the browser to the broker, which sends it back with a code: the callback path and query."""
    r = c.get(reverse("portal:login", args=[CODE]))
    assert r.status_code == 302 and r["Location"].startswith(op.endpoints["authorization_endpoint"]), r
    back = requests.get(r["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK), back.text
    parts = urlsplit(back.headers["Location"])
    return f"{parts.path}?{parts.query}"


def portal_login(op, bsn: str, acr: str | None = MIDDEN) -> Client:
    c = Client()
    at_broker(op, bsn, acr)
    r = c.get(start_login(c, op))
    assert r.status_code == 302 and r["Location"] == reverse("portal:overview", args=[CODE]), r
    return c


def query_of(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limits count in Django's cache: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def letters_world(world):
    """The world with Den Haag's letterhead and an address for its clients (as tests/letters does)."""
    from regie.letters import services
    from tests.letters.conftest import LETTERHEAD, give_address

    services.save_letterhead(world.a, LETTERHEAD, world.users_a["functioneel_beheerder"], expected_version=0)
    for c in world.clients_a:
        give_address(c)
    return world
