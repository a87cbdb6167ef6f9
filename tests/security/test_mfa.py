"""Multi-factor log-in: enforced per role per municipality, enrolment, verification, recovery codes, reset."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.accounts import mfa
from regie.accounts.models import MfaPolicy
from regie.accounts.throttle import MAX_PER_PAIR, is_throttled
from regie.audit.models import AuditRecord
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

KM = "integrale_klantmanager"


def _require(world, *roles):
    MfaPolicy.objects.create(municipality=world.a, roles=list(roles))


def _password_login(user) -> Client:
    c = Client()
    r = c.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert r.status_code == 302
    return c


def _code(device: TOTPDevice, offset: int = 0) -> str:
    """The code ``offset`` steps after the device's own clock. django-otp keeps the drift it saw at the last
    verification: when enrolment's code was computed in one 30-second step and checked in the next, the device's
    clock runs one step behind, and a code of the wall clock's next step lies two steps ahead of it, outside the
    tolerance of one (this test failed so, now and then, under load)."""
    device.refresh_from_db()
    drift = device.drift + offset
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _enrol(c: Client, user) -> tuple[TOTPDevice, list[str]]:
    r = c.get(reverse("mfa_enrol"))
    assert r.status_code == 200 and "<svg" in r.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    r = c.post(reverse("mfa_enrol"), {"code": _code(device)})
    assert r.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", r.content.decode())
    device.refresh_from_db()
    assert device.confirmed and len(codes) == mfa.RECOVERY_CODES
    return device, codes


def _enrolled_user(world, role=KM):
    """A user of a required role who has enrolled and logged out again."""
    _require(world, role)
    user = world.users_a[role]
    c = _password_login(user)
    device, codes = _enrol(c, user)
    c.post(reverse("logout"))
    return user, device, codes


def _pages(world):
    client_pk = world.clients_a[0].pk
    return [
        reverse("home"),
        reverse("worklist"),
        reverse("client_detail", args=[client_pk]),
        reverse("audit_log"),
        reverse("mfa_policy"),
        "/api/v1/clients/",
        "/monitoring/",
    ]


def test_enforced_role_reaches_no_page_before_the_second_step(world):
    _require(world, KM)
    user = world.users_a[KM]
    c = _password_login(user)
    for url in _pages(world):
        r = c.get(url)
        if url.startswith("/api/"):
            assert r.status_code == 403, url
        else:
            assert r.status_code == 302 and r["Location"].startswith(reverse("mfa_enrol")), url
    r = c.post(reverse("reveal_bsn", args=[world.clients_a[0].pk]))
    assert r.status_code == 302 and world.clients_a[0].bsn not in r.content.decode()
    # the enrolment page shows the QR code as SVG markup and no menu
    r = c.get(reverse("mfa_enrol"))
    page = r.content.decode()
    assert r.status_code == 200 and "<svg" in page and "<script>" not in page and reverse("worklist") not in page
    assert "unsafe-inline" not in r["Content-Security-Policy"]
    device, _codes = _enrol(c, user)
    assert c.get(reverse("worklist")).status_code == 200
    assert (
        AuditRecord.objects.filter(
            actor=user.username, object_type="mfa", action="create", detail__startswith="enrolled"
        ).count()
        == 1
    )


def test_enrolled_user_is_asked_for_the_code_and_the_next_page_is_kept(world):
    user, device, _codes = _enrolled_user(world)
    c = _password_login(user)
    r = c.get(reverse("worklist"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("mfa_verify"))
    # an enrolled user cannot enrol a second app to get around the code
    assert c.get(reverse("mfa_enrol"))["Location"] == reverse("mfa_verify")
    assert c.post(reverse("mfa_enrol"), {"code": "000000"}).status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 1
    r = c.post(reverse("mfa_verify"), {"code": _code(device, offset=1), "next": reverse("worklist")})
    assert r.status_code == 302 and r["Location"] == reverse("worklist")
    assert c.get(reverse("worklist")).status_code == 200
    assert AuditRecord.objects.filter(
        actor=user.username, object_type="mfa", action="login", detail="verified (authenticator app)"
    ).exists()


def test_wrong_code_is_refused_audited_and_counted_by_the_throttle(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own per-device delay off: this test is about Regie's throttle
    user, device, _codes = _enrolled_user(world)
    c = _password_login(user)
    right = _code(device, offset=1)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    origin = "127.0.0.1"
    assert not is_throttled(user.username, origin)
    n = 0
    while not is_throttled(user.username, origin):
        r = c.post(reverse("mfa_verify"), {"code": wrong})
        assert r.status_code == 400 and "niet juist" in r.content.decode()
        assert c.get(reverse("worklist")).status_code == 302
        n += 1
        assert n <= 20
    assert AuditRecord.objects.filter(actor=user.username, action="login_failed", detail__startswith="mfa").count() == n
    assert n == MAX_PER_PAIR
    # throttled: even the right code is refused now
    r = c.post(reverse("mfa_verify"), {"code": right})
    assert r.status_code == 400 and "Te veel" in r.content.decode()
    assert c.get(reverse("worklist")).status_code == 302


def test_logging_in_again_with_the_password_gives_no_new_round_of_guesses(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user, device, _codes = _enrolled_user(world)
    right = _code(device, offset=1)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _round in range(mfa.MAX_MFA_FAILURES):
        c = _password_login(user)  # a fresh log-in each time: the log-in throttle counts from the last log-in
        assert c.post(reverse("mfa_verify"), {"code": wrong}).status_code == 400
        c.post(reverse("logout"))
    c = _password_login(user)
    assert not is_throttled(user.username, "127.0.0.1")  # the password throttle alone would allow a try
    r = c.post(reverse("mfa_verify"), {"code": right})
    assert r.status_code == 400 and "Te veel" in r.content.decode()
    assert c.get(reverse("worklist")).status_code == 302
    assert AuditRecord.objects.filter(actor=user.username, action="denied", object_type="mfa").count() == 1


def test_a_recovery_code_works_once(world):
    user, _device, codes = _enrolled_user(world)
    c = _password_login(user)
    r = c.post(reverse("mfa_verify"), {"code": codes[0].upper()})
    assert r.status_code == 302
    assert c.get(reverse("worklist")).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == mfa.RECOVERY_CODES - 1
    assert (
        AuditRecord.objects.filter(
            actor=user.username, object_type="mfa", detail__startswith="recovery code used"
        ).count()
        == 1
    )
    c.post(reverse("logout"))
    c = _password_login(user)
    r = c.post(reverse("mfa_verify"), {"code": codes[0]})
    assert r.status_code == 400
    assert c.get(reverse("worklist")).status_code == 302


def test_functioneel_beheerder_resets_a_users_second_step(world):
    user, _device, _codes = _enrolled_user(world)
    fb = world.users_a["functioneel_beheerder"]
    c = _password_login(fb)  # the functioneel beheerder's own role is not required here
    page = c.get(reverse("mfa_policy"))
    assert page.status_code == 200 and user.username in page.content.decode()
    # another municipality's user cannot be reset
    other = world.users_b[KM]
    assert c.post(reverse("mfa_reset", args=[other.pk])).status_code == 404
    r = c.post(reverse("mfa_reset", args=[user.pk]))
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert (
        AuditRecord.objects.filter(
            actor=fb.username,
            object_type="mfa",
            object_id=str(user.pk),
            detail__startswith="reset by functioneel beheerder",
        ).count()
        == 1
    )
    # at the next log-in the user enrols again
    c2 = _password_login(user)
    assert c2.get(reverse("worklist"))["Location"].startswith(reverse("mfa_enrol"))
    # a caseworker cannot reach the page or reset anyone
    km_b = _password_login(world.users_b[KM])
    assert km_b.get(reverse("mfa_policy")).status_code == 403
    assert km_b.post(reverse("mfa_reset", args=[user.pk])).status_code == 403


def test_functioneel_beheerder_sets_the_roles(world):
    fb = world.users_a["functioneel_beheerder"]
    c = _password_login(fb)
    r = c.post(reverse("mfa_policy"), {"roles": ["teammanager", "auditor", "no_such_role"]})
    assert r.status_code == 302
    assert mfa.policy_roles(world.a) == ["auditor", "teammanager"]
    assert mfa.policy_roles(world.b) == []
    assert AuditRecord.objects.filter(
        actor=fb.username, object_type="mfa_policy", detail="roles=auditor,teammanager"
    ).exists()
    assert _password_login(world.users_a["teammanager"]).get(reverse("worklist")).status_code == 302
    assert _password_login(world.users_b["teammanager"]).get(reverse("worklist")).status_code == 200


def test_a_role_without_the_requirement_is_not_asked(world):
    _require(world, "auditor")
    c = _password_login(world.users_a[KM])
    assert c.get(reverse("worklist")).status_code == 200
    assert c.get(reverse("mfa_verify"))["Location"] == reverse("home")


def test_api_tokens_are_not_affected(world):
    from tests.api.client import token_for

    _require(world, KM)
    secret = token_for(world.users_a[KM])
    r = Client().get("/api/v1/clients/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert r.status_code == 200


def test_regie_mfa_command_sets_and_shows(world):
    from typer.testing import CliRunner

    from regie.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["mfa", "set", "--municipality", "0518", "--roles", "teammanager,auditor"])
    assert r.exit_code == 0, r.output
    assert mfa.policy_roles(world.a) == ["auditor", "teammanager"]
    r = runner.invoke(app, ["mfa", "show", "--municipality", "0518"])
    assert r.exit_code == 0 and "auditor" in r.output and "teammanager" in r.output
    r = runner.invoke(app, ["mfa", "set", "--municipality", "0518", "--roles", "kapitein"])
    assert r.exit_code == 2 and "kapitein" in r.output
    assert AuditRecord.objects.filter(object_type="mfa_policy", actor__startswith="cli:").count() == 1
