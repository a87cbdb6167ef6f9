"""API tokens: expiry, revocation, scopes on top of the role, applications, deactivation and role changes, the
secret never stored in clear, the token endpoint, the pages and the commands. Each refusal is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from typer.testing import CliRunner

from regie.api import tokens
from regie.api.models import ApiToken
from regie.audit.models import AuditRecord
from regie.casework.models import CaseState, Event
from tests.api.client import token_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

KM, TM, FB = "integrale_klantmanager", "teammanager", "functioneel_beheerder"


def with_secret(secret: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return c


def _token(secret: str) -> ApiToken:
    return ApiToken.objects.get(digest=tokens.digest(secret))


def _contact(case):
    return {
        "type": "contact",
        "effective_date": "2025-03-01",
        "expected_version": CaseState.objects.get(case=case).version,
    }


def test_expired_token_is_refused_and_audited(world):
    """Before: DRF tokens never expired."""
    secret = token_for(world.users_a[KM], scopes=["read"])
    assert with_secret(secret).get("/api/v1/clients/").status_code == 200
    ApiToken.objects.filter(digest=tokens.digest(secret)).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    r = with_secret(secret).get("/api/v1/clients/")
    assert r.status_code == 401 and "verlopen" in r.json()["detail"]
    rec = AuditRecord.objects.filter(object_type="api_token", action="denied", object_id=_token(secret).prefix)
    assert rec.count() == 1 and "verlopen" in rec.get().detail


def test_default_expiry_is_the_setting(world, settings):
    settings.REGIE_API_TOKEN_DAYS = 30
    token = _token(token_for(world.users_a[KM]))
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    with pytest.raises(tokens.TokenError) as exc:
        tokens.issue(world.users_a[KM], name="x", days=10_000, actor="t", origin="t")
    assert exc.value.field == "expires_in_days"


def test_revoked_token_is_refused(world):
    user = world.users_a[KM]
    secret = token_for(user)
    assert tokens.revoke(_token(secret), actor=user, origin="test")
    assert not tokens.revoke(_token(secret), actor=user, origin="test")  # once
    r = with_secret(secret).get("/api/v1/clients/")
    assert r.status_code == 401 and "ingetrokken" in r.json()["detail"]
    revoked = AuditRecord.objects.filter(object_type="api_token", action="update", detail__startswith="revoked")
    assert revoked.count() == 1


def test_read_scope_token_cannot_post(world):
    case = world.clients_a[0].cases.get()
    c = with_secret(token_for(world.users_a[KM], scopes=["read"]))
    before = Event.objects.filter(case=case).count()
    assert c.get(f"/api/v1/cases/{case.pk}/events/").status_code == 200
    r = c.post(f"/api/v1/cases/{case.pk}/events/", _contact(case), format="json")
    assert r.status_code == 403 and "events:write" in r.json()["detail"]
    assert Event.objects.filter(case=case).count() == before
    assert AuditRecord.objects.filter(
        object_type="api_token", action="denied", detail="lacks scope events:write"
    ).exists()


def test_scopes_are_per_resource(world):
    case = world.clients_a[0].cases.get()
    c = with_secret(token_for(world.users_a[KM], scopes=["events:write"]))
    assert c.get("/api/v1/clients/").status_code == 403
    assert c.get(f"/api/v1/cases/{case.pk}/").status_code == 403
    assert c.post(f"/api/v1/cases/{case.pk}/events/", _contact(case), format="json").status_code == 201


def test_token_never_grants_more_than_the_role(world):
    """A klantmanager's token with every scope still cannot review decisions; a teammanager's cannot record."""
    c = with_secret(token_for(world.users_a[KM], scopes=["write"]))
    assert c.get("/api/v1/pending-decisions/").status_code == 403
    case = world.clients_a[0].cases.get()
    r = with_secret(token_for(world.users_a[TM], scopes=["write"])).post(
        f"/api/v1/cases/{case.pk}/events/", _contact(case), format="json"
    )
    assert r.status_code == 403


def test_application_token_works_and_is_audited_as_the_application(world):
    fb = world.users_a[FB]
    app = tokens.create_application(
        name="Zaaksysteem",
        municipality=world.a,
        role=KM,
        scopes=["cases:read", "clients:read", "events:read"],
        contact="ict@example.org",
        actor=fb,
        origin="t",
    )
    assert app.user.username == "app:zaaksysteem" and not app.user.has_usable_password()
    token, secret = tokens.issue(None, application=app, name="prod", scopes=["cases:read"], actor=fb, origin="t")
    assert token.holder == "app:zaaksysteem"
    case = world.clients_a[0].cases.get()
    r = with_secret(secret).get(f"/api/v1/cases/{case.pk}/")
    assert r.status_code == 200
    assert AuditRecord.objects.filter(
        actor="app:zaaksysteem", object_type="case", action="read", object_id=case.external_id
    ).exists()
    other = world.clients_b[0].cases.get()
    assert with_secret(secret).get(f"/api/v1/cases/{other.pk}/").status_code == 404
    # the application's scopes bound its tokens
    with pytest.raises(tokens.TokenError):
        tokens.issue(None, application=app, name="more", scopes=["write"], actor=fb, origin="t")
    # stopping the application ends its tokens
    assert tokens.deactivate_application(app, actor=fb, origin="t") == 1
    assert with_secret(secret).get(f"/api/v1/cases/{case.pk}/").status_code == 401


def test_deactivated_users_token_is_refused(world):
    user = world.users_a[KM]
    secret = token_for(user)
    user.is_active = False
    user.save()
    r = with_secret(secret).get("/api/v1/clients/")
    assert r.status_code == 401 and "niet meer actief" in r.json()["detail"]


def test_role_change_invalidates(world):
    user = world.users_a[KM]
    secret = token_for(user)
    user.role = "teammanager"
    user.save()
    r = with_secret(secret).get("/api/v1/clients/")
    assert r.status_code == 401 and "rol" in r.json()["detail"]
    user.role = KM  # the role it was issued for again
    user.save()
    assert with_secret(secret).get("/api/v1/clients/").status_code == 200


def test_secret_is_never_stored_in_clear(world):
    secret = token_for(world.users_a[KM])
    token = _token(secret)
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM api_apitoken WHERE id = %s", [token.pk])
        row = cur.fetchone()
    assert row and not any(secret in str(v) or secret[len(token.prefix) :] in str(v) for v in row)
    assert token.digest == tokens.digest(secret) and secret.startswith(token.prefix)
    assert not AuditRecord.objects.filter(detail__contains=secret[len(token.prefix) :]).exists()


def test_last_use_is_recorded_at_most_once_a_minute(world):
    secret = token_for(world.users_a[KM])
    c = with_secret(secret)
    c.get("/api/v1/clients/")
    first = _token(secret).last_used_at
    assert first is not None
    c.get("/api/v1/clients/")
    assert _token(secret).last_used_at == first
    ApiToken.objects.filter(digest=tokens.digest(secret)).update(last_used_at=first - dt.timedelta(minutes=2))
    c.get("/api/v1/clients/")
    assert _token(secret).last_used_at > first


def test_unknown_token_is_401(world):
    assert with_secret("rgt_nope").get("/api/v1/clients/").status_code == 401


def test_token_endpoint_issues_read_tokens_by_default(world):
    user = world.users_a[KM]
    r = APIClient().post("/api/v1/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    body = r.json()
    token = _token(body["token"])
    assert token.user == user and body["scopes"] == sorted(f"{x}:read" for x in tokens.RESOURCES)
    assert dt.timedelta(days=89) < token.expires_at - timezone.now() <= dt.timedelta(days=90)
    assert AuditRecord.objects.filter(object_type="api_token", action="create", object_id=token.prefix).exists()
    r = APIClient().post(
        "/api/v1/token/",
        {
            "username": user.username,
            "password": PASSWORD,
            "name": "sync",
            "scopes": ["cases:write"],
            "expires_in_days": 7,
        },
        format="json",
    )
    assert r.json()["scopes"] == ["cases:read", "cases:write"]
    r = APIClient().post(
        "/api/v1/token/", {"username": user.username, "password": PASSWORD, "scopes": ["everything"]}, format="json"
    )
    assert r.status_code == 400 and list(r.json()) == ["scopes"]


def test_token_endpoint_refuses_a_role_that_needs_a_second_step(world):
    from regie.accounts import mfa

    user = world.users_a[KM]
    mfa.set_policy_roles(world.a, [KM], actor="t", origin="t")
    r = APIClient().post("/api/v1/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert r.status_code == 403 and "token" not in r.json()
    assert not ApiToken.objects.filter(user=user).exists()


def _web(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_page_lists_creates_shows_once_and_revokes(world):
    user = world.users_a[KM]
    c = _web(user)
    r = c.post(reverse("api_tokens"), {"name": "mijn script", "scopes": ["cases:read"], "days": "30"})
    assert r.status_code == 200
    token = ApiToken.objects.get(user=user, name="mijn script")
    html = r.content.decode()
    secret = html.split("<code>rgt_")[1].split("</code>")[0]
    assert _token("rgt_" + secret) == token and r["Cache-Control"] == "no-store"
    listing = c.get(reverse("api_tokens")).content.decode()
    assert token.prefix in listing and secret not in listing and "API-sleutels" in listing
    r = c.post(reverse("api_token_revoke", args=[token.pk]))
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == user.username


def test_others_tokens_cannot_be_revoked_except_by_the_functioneel_beheerder(world):
    km_token = _token(token_for(world.users_a[KM]))
    assert _web(world.users_a[TM]).post(reverse("api_token_revoke", args=[km_token.pk])).status_code == 404
    assert _web(world.users_b[FB]).post(reverse("api_token_revoke", args=[km_token.pk])).status_code == 404
    km_token.refresh_from_db()
    assert km_token.revoked_at is None
    page = _web(world.users_a[FB]).get(reverse("api_tokens")).content.decode()
    assert km_token.prefix in page and world.users_a[KM].username in page
    assert _web(world.users_a[FB]).post(reverse("api_token_revoke", args=[km_token.pk])).status_code == 302
    km_token.refresh_from_db()
    assert km_token.revoked_by == world.users_a[FB].username


def test_functioneel_beheerder_creates_an_application_and_its_token(world):
    c = _web(world.users_a[FB])
    r = c.post(
        reverse("api_application_create"),
        {"name": "Suite", "role": KM, "scopes": ["cases:read"], "contact": "beheer@example.org"},
    )
    assert r.status_code == 302
    from regie.api.models import ApiApplication

    app = ApiApplication.objects.get(name="suite")
    r = c.post(reverse("api_application_token", args=[app.pk]), {"name": "prod"})
    assert r.status_code == 200 and "<code>rgt_" in r.content.decode()
    assert app.tokens.get().scopes == ["cases:read"]
    assert (
        _web(world.users_a[KM])
        .post(reverse("api_application_create"), {"name": "x", "role": KM, "contact": "y"})
        .status_code
        == 403
    )


def test_token_commands_create_list_revoke(world):
    from regie.cli import app

    runner = CliRunner()
    user = world.users_a[KM]
    r = runner.invoke(
        app, ["token", "create", "--user", user.username, "--name", "batch", "--scopes", "cases:read", "--days", "5"]
    )
    assert r.exit_code == 0, r.output
    token = ApiToken.objects.get(user=user, name="batch")
    secret = [w for w in r.output.split() if w.startswith("rgt_") and len(w) > 40][0]
    assert _token(secret) == token
    r = runner.invoke(app, ["token", "list", "--municipality", world.a.code])
    assert r.exit_code == 0 and token.prefix in r.output and secret not in r.output
    r = runner.invoke(app, ["token", "revoke", token.prefix])
    assert r.exit_code == 0, r.output
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by.startswith("cli:")
    r = runner.invoke(app, ["token", "create", "--user", user.username, "--name", "x", "--scopes", "all"])
    assert r.exit_code == 2 and "scopes" in r.output
