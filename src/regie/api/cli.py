"""``regie token create|list|revoke``: API tokens from the command line (every create and revoke audited)."""

from __future__ import annotations

import typer

from regie.platform.cli import console, django_setup

token_app = typer.Typer(help="API tokens: create (the secret is shown once), list, revoke.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")


def _fail(field: str, message: str, code: int = 2):
    typer.echo(f"{field}: {message}", err=True)
    raise typer.Exit(code)


@token_app.command("create")
def create(
    user: str | None = typer.Option(None, help="Username of the holder"),
    application: str | None = typer.Option(None, help="Name of an application (instead of --user)"),
    name: str = typer.Option(..., help="What the token is for"),
    scopes: str = typer.Option("read", help="read, write or <resource>:<read|write>, comma-separated"),
    days: int | None = typer.Option(None, help="Days valid (default REGIE_API_TOKEN_DAYS)"),
) -> None:
    """Create a token and print its secret once (Regie keeps only its hash)."""
    django_setup()
    from django.contrib.auth import get_user_model

    from regie.api import tokens
    from regie.api.models import ApiApplication
    from regie.audit.services import cli_actor, cli_origin

    if bool(user) == bool(application):
        _fail("user", "give exactly one of --user and --application")
    app_obj = holder = None
    if application:
        app_obj = ApiApplication.objects.filter(name=application).select_related("user").first()
        if app_obj is None:
            _fail("application", f"no application {application!r}")
    else:
        holder = get_user_model().objects.filter(username=user).first()
        if holder is None:
            _fail("user", f"no user {user!r}")
    try:
        token, secret = tokens.issue(
            holder, application=app_obj, name=name, scopes=scopes, days=days, actor=cli_actor(), origin=cli_origin()
        )
    except tokens.TokenError as exc:
        _fail(exc.field, exc.message)
    console.print(
        f"[green]created {token.prefix}… for {token.holder}, scopes {','.join(token.scopes)}, "
        f"valid until {token.expires_at:%Y-%m-%d}[/]"
    )
    typer.echo(secret)  # stdout: the only time the secret is shown


@token_app.command("list")
def list_tokens(
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    all_: bool = typer.Option(False, "--all", help="Also revoked and expired tokens"),
) -> None:
    """The municipality's tokens (people and applications): prefix, holder, name, scopes, expiry, last use."""
    django_setup()
    from django.utils import timezone

    from regie.accounts.cli import municipality_or_exit
    from regie.api import tokens

    muni = municipality_or_exit(municipality, exit_code=2)
    rows = tokens.tokens_of_municipality(muni.pk)
    if not all_:
        rows = rows.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
    for t in rows:
        state = "revoked" if t.revoked_at else ("expired" if t.is_expired else "active")
        last = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
        typer.echo(f"{t.prefix}\t{t.holder}\t{t.name}\t{','.join(t.scopes)}\t{t.expires_at:%Y-%m-%d}\t{last}\t{state}")


@token_app.command("revoke")
def revoke(prefix: str = typer.Argument(..., help="The token's prefix (as listed)")) -> None:
    """Revoke a token."""
    django_setup()
    from regie.api import tokens
    from regie.api.models import ApiToken
    from regie.audit.services import cli_actor, cli_origin

    found = list(ApiToken.objects.filter(prefix=prefix.rstrip("…")).select_related("user", "application")[:2])
    if len(found) != 1:
        _fail("prefix", "no such token" if not found else "more than one token has this prefix")
    if not tokens.revoke(found[0], actor=cli_actor(), origin=cli_origin()):
        _fail("prefix", "already revoked", code=1)
    console.print(f"[green]revoked {found[0].prefix}… of {found[0].holder}[/]")
