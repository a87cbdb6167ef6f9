"""Security settings that users and auditors depend on."""

import logging

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from regie.accounts.throttle import MAX_PER_USERNAME
from regie.audit.models import AuditRecord
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_security_headers_on_pages(world, login):
    r = login(world.users_a["integrale_klantmanager"]).get(reverse("worklist"))
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin" and r["Cache-Control"] == "no-store"


def test_csrf_is_enforced(world):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(world.users_a["integrale_klantmanager"])
    r = c.post(reverse("reveal_bsn", args=[world.clients_a[0].pk]))
    assert r.status_code == 403 and world.clients_a[0].bsn not in r.content.decode()


def test_session_and_cookie_settings():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.REGIE_IDLE_SECONDS <= 3600
    assert settings.SESSION_COOKIE_AGE <= 10 * 3600


def test_idle_session_ends(world, login, monkeypatch):
    import time as _time

    c = login(world.users_a["integrale_klantmanager"])
    assert c.get(reverse("worklist")).status_code == 200
    real = _time.time
    monkeypatch.setattr(_time, "time", lambda: real() + 3601)
    r = c.get(reverse("worklist"))
    assert r.status_code == 302 and reverse("login") in r["Location"]


def test_passwords_are_hashed_with_a_slow_hasher_in_production(world):
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        from regie.accounts.models import User

        u = User.objects.create_user(username="hash.test", password="a-long-passphrase")
        assert identify_hasher(u.password).algorithm == "pbkdf2_sha256"
        assert "a-long-passphrase" not in u.password


def test_login_is_throttled_after_repeated_failures(world, client):
    user = world.users_a["integrale_klantmanager"]
    for _ in range(MAX_PER_USERNAME):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    r = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert r.status_code == 200 and "Te veel mislukte inlogpogingen" in r.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditRecord.objects.filter(action="denied", detail="login throttled").exists()
    # another user from another address is not affected
    other = world.users_a["teammanager"]
    r = client.post(reverse("login"), {"username": other.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 302


def test_no_personal_data_in_application_logs(world, login, caplog):
    caplog.set_level(logging.DEBUG)
    c = login(world.users_a["integrale_klantmanager"])
    cl = world.clients_a[0]
    c.get(reverse("client_detail", args=[cl.pk]))
    c.get(reverse("worklist"), {"q": cl.bsn})
    c.get(reverse("client_detail", args=[world.clients_b[0].pk]))  # a 404 is logged by Django
    text = caplog.text
    for secret in (cl.bsn, cl.family_name, world.clients_b[0].bsn, world.clients_b[0].family_name):
        assert secret not in text
