"""eHerkenning log-in for provider coaches against the real local OpenID Provider (tests/security/oidc_provider.py)
acting as the provider's eHerkenning broker.

The provider puts the KvK number of the organisation in ``preferred_username`` (configured as ``kvk_claim``), the
person's pseudonymous id in ``sub`` (``subject_claim``), their e-mail in ``email`` and the level in ``acr``."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from regie.accounts.models import EHerkenningLink
from regie.audit.models import AuditRecord
from tests.security.oidc_provider import LocalProvider

pytestmark = pytest.mark.django_db

CLIENT_ID, CLIENT_SECRET = "regie-aanbieder-p1", "eherkenning-secret-for-the-test-only"
CALLBACK = "http://testserver/aanbieders/0518/P1/eherkenning/terug/"
KVK, OTHER_KVK = "12345678", "87654321"
EH3 = "urn:etoegang:core:assurance-class:loa3"
EH2 = "urn:etoegang:core:assurance-class:loa2"
PSEUDO = "ABCDEF1234567890ABCDEF1234567890@ABCDEF1234567890"


@pytest.fixture(scope="module")
def eh_op():
    op = LocalProvider(CLIENT_ID, CLIENT_SECRET, CALLBACK).start()
    yield op
    op.stop()


@pytest.fixture
def eh(eh_op, settings):
    eh_op.reset()
    meta = requests.get(f"{eh_op.issuer}/.well-known/openid-configuration", timeout=5).json()
    settings.REGIE_EHERKENNING_PROVIDERS = {
        "0518/P1": {
            "issuer": meta["issuer"],
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "authorization_endpoint": meta["authorization_endpoint"],
            "token_endpoint": meta["token_endpoint"],
            "jwks_uri": meta["jwks_uri"],
            "kvk": KVK,
            "kvk_claim": "preferred_username",
            "subject_claim": "sub",
            "email_claim": "email",
            "acr_min": "EH3",
            "scopes": "openid profile email",
        }
    }
    return eh_op


def _at_broker(op, *, kvk=KVK, sub=PSEUDO, email="coach@werkbedrijf.nl", acr=EH3):
    op.user = {"sub": sub, "preferred_username": kvk, "email": email}
    op.acr = acr


def _login(c: Client, op):
    """Start at Regie, pass the broker, come back: the callback's response."""
    r = c.get(reverse("eherkenning_start", args=["0518", "P1"]))
    assert r.status_code == 302 and r["Location"].startswith(op.endpoints["authorization_endpoint"]), r
    back = requests.get(r["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK), back.text
    parts = urlsplit(back.headers["Location"])
    return c.get(f"{parts.path}?{parts.query}")


def _logged_in_as(c: Client):
    from django.contrib.auth import get_user_model

    uid = c.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=uid) if uid else None


def test_first_login_links_the_invited_coach_and_later_logins_use_the_link(world, eh):
    coach = world.users_a["provider_coach"]
    coach.email = "Coach@Werkbedrijf.nl"
    coach.save()
    _at_broker(eh)
    c = Client()
    r = _login(c, eh)
    assert r.status_code == 302 and _logged_in_as(c) == coach
    link = EHerkenningLink.objects.get(user=coach)
    assert link.acting_subject == PSEUDO and link.kvk == KVK and link.provider == coach.provider
    line = AuditRecord.objects.get(object_type="eherkenning", action="login")
    assert "EH3" in line.detail and "linked" in line.detail and PSEUDO not in line.detail and KVK not in line.detail
    # EH3 counts as multi-factor: the coach reaches their page without Regie's second step
    assert c.get(reverse("provider:clients")).status_code == 200
    # later: the pseudonymous id alone finds the account, even with another e-mail at the broker
    _at_broker(eh, email="nieuw@werkbedrijf.nl")
    c2 = Client()
    assert _login(c2, eh).status_code == 302 and _logged_in_as(c2) == coach
    assert EHerkenningLink.objects.count() == 1


@pytest.mark.parametrize(
    ("broker_user", "reason"),
    [
        ({"kvk": OTHER_KVK}, "KvK number is not the provider's"),
        ({"acr": EH2}, "assurance level EH2 below EH3"),
        ({"acr": None}, "assurance level unknown below EH3"),
        ({"email": "vreemde@elders.nl"}, "no single invited coach account"),
    ],
)
def test_refused_logins_are_audited_and_log_in_no_one(world, eh, broker_user, reason):
    coach = world.users_a["provider_coach"]
    coach.email = "coach@werkbedrijf.nl"
    coach.save()
    _at_broker(eh, **broker_user)
    c = Client()
    r = _login(c, eh)
    assert r.status_code == 302 and r["Location"] == reverse("login") and _logged_in_as(c) is None
    assert not EHerkenningLink.objects.exists()
    line = AuditRecord.objects.get(object_type="eherkenning", action="login_failed")
    assert line.result == "denied" and reason in line.detail and line.actor == "eherkenning:anonymous"
    assert "eHerkenning is niet gelukt" in c.get(r["Location"]).content.decode()


def test_only_an_active_coach_of_that_provider_can_be_linked_or_stay_linked(world, eh):
    km = world.users_a["integrale_klantmanager"]
    km.email = "km@gemeente.nl"
    km.save()
    _at_broker(eh, email="km@gemeente.nl")  # a caseworker's e-mail: not an invited coach
    c = Client()
    assert _login(c, eh)["Location"] == reverse("login") and _logged_in_as(c) is None
    coach = world.users_a["provider_coach"]
    coach.email = "coach@werkbedrijf.nl"
    coach.save()
    _at_broker(eh)
    assert _logged_in_as(c) is None and _login(c, eh).status_code == 302 and _logged_in_as(c) == coach
    coach.is_active = False  # the municipality ends the coach's account: the link no longer logs in
    coach.save()
    c2 = Client()
    assert _login(c2, eh)["Location"] == reverse("login") and _logged_in_as(c2) is None
    assert AuditRecord.objects.filter(detail__contains="no longer an active coach").exists()


def test_no_or_incomplete_configuration_is_closed(world, eh, settings):
    settings.REGIE_EHERKENNING_PROVIDERS = {}
    assert Client().get(reverse("eherkenning_start", args=["0518", "P1"])).status_code == 404
    settings.REGIE_EHERKENNING_PROVIDERS = {"0518/P1": {"issuer": "x", "client_id": "y"}}
    assert Client().get(reverse("eherkenning_start", args=["0518", "P1"])).status_code == 404
    # another municipality's provider with the same code has no broker of its own
    assert Client().get(reverse("eherkenning_start", args=["0772", "P1"])).status_code == 404


def test_a_replayed_or_foreign_callback_is_refused(world, eh):
    coach = world.users_a["provider_coach"]
    coach.email = "coach@werkbedrijf.nl"
    coach.save()
    _at_broker(eh)
    c = Client()
    r = c.get(reverse("eherkenning_start", args=["0518", "P1"]))
    back = requests.get(r["Location"], allow_redirects=False, timeout=5)
    parts = urlsplit(back.headers["Location"])
    stranger = Client()  # a callback in a session that did not start the log-in
    assert stranger.get(f"{parts.path}?{parts.query}")["Location"] == reverse("login")
    assert _logged_in_as(stranger) is None
    assert c.get(f"{parts.path}?{parts.query}").status_code == 302 and _logged_in_as(c) == coach
    c.logout()
    assert c.get(f"{parts.path}?{parts.query}")["Location"] == reverse("login")  # the flow is used up


def test_the_log_in_page_links_each_configured_providers_eherkenning_log_in(world, eh, settings):
    from regie.accounts.models import Provider

    provider = Provider.objects.get(municipality__code="0518", code="P1")
    page = Client().get(reverse("login")).content.decode()
    start = reverse("eherkenning_start", args=["0518", "P1"])
    assert f'href="{start}"' in page and provider.name in page
    # the start link leads into the flow (to the broker), not to a 404
    assert Client().get(start).status_code == 302
    # an incomplete configuration, or one naming no known provider, shows no link (its start page is a 404)
    settings.REGIE_EHERKENNING_PROVIDERS = {"0518/P1": {"issuer": "x"}, "0518/NOPE": {"issuer": "y"}}
    page = Client().get(reverse("login")).content.decode()
    assert "eherkenning" not in page.lower()
    settings.REGIE_EHERKENNING_PROVIDERS = {}
    assert "eHerkenning" not in Client().get(reverse("login")).content.decode()
