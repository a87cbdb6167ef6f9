"""The account commands: ``createuser``."""

from __future__ import annotations

import typer

from regie.platform.cli import console, django_setup


def municipality_or_exit(code: str, exit_code: int = 1):
    """The municipality with CBS code ``code``, or the command ends with ``exit_code`` naming the option."""
    from regie.accounts.models import Municipality

    muni = Municipality.objects.filter(code=code).first()
    if muni is None:
        typer.echo(f"municipality: no municipality with code {code!r}", err=True)
        raise typer.Exit(exit_code)
    return muni


def register(app: typer.Typer) -> None:
    app.command()(createuser)
    app.add_typer(mfa_app, name="mfa")


mfa_app = typer.Typer(
    help="Multi-factor log-in: which roles of a municipality must use it; reset a user's.", no_args_is_help=True
)


def createuser(
    username: str = typer.Argument(...),
    role: str = typer.Option(..., help="Role id, e.g. integrale_klantmanager, auditor"),
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    team: str | None = typer.Option(None, help="Team code"),
    provider: str | None = typer.Option(None, help="Provider code (for provider_coach users)"),
) -> None:
    """Create a user of a municipality."""
    django_setup()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from regie.accounts.models import Team, User
    from regie.core.records import ROLES

    if role not in ROLES:
        typer.echo(f"role: unknown role {role!r}; choose from {', '.join(ROLES)}", err=True)
        raise typer.Exit(2)
    muni = municipality_or_exit(municipality, exit_code=2)
    try:
        # The user's own data (username, municipality) counts as guessable (regie.accounts.validators).
        validate_password(password, user=User(username=username, municipality=muni, role=role))
    except ValidationError as exc:
        typer.echo("password: " + " ".join(exc.messages), err=True)
        raise typer.Exit(2) from None
    from regie.accounts.models import Provider

    team_obj = Team.objects.filter(municipality=muni, code=team).first() if team else None
    provider_obj = Provider.objects.filter(municipality=muni, code=provider).first() if provider else None
    if provider and provider_obj is None:
        typer.echo(f"provider: no provider {provider!r} in {municipality}", err=True)
        raise typer.Exit(2)
    if role == "provider_coach" and provider_obj is None:
        typer.echo("provider: a provider_coach needs --provider", err=True)
        raise typer.Exit(2)
    if User.objects.filter(username=username).exists():
        typer.echo(f"username: {username!r} is already taken", err=True)
        raise typer.Exit(2)
    User.objects.create_user(
        username=username, password=password, municipality=muni, role=role, team=team_obj, provider=provider_obj
    )
    console.print(f"[green]created {username} ({role}) in {muni}[/]")


@mfa_app.command("show")
def mfa_show(municipality: str = typer.Option(..., help="CBS gemeentecode")) -> None:
    """Show which roles must log in with a second step, and how many of their users have set one up."""
    django_setup()
    from regie.accounts import mfa
    from regie.accounts.models import User
    from regie.core.records import ROLES

    muni = municipality_or_exit(municipality)
    required = set(mfa.policy_roles(muni))
    enrolled = set(User.objects.filter(municipality=muni, totpdevice__confirmed=True).values_list("pk", flat=True))
    for role in ROLES:
        users = list(User.objects.filter(municipality=muni, role=role, is_active=True).values_list("pk", flat=True))
        done = sum(1 for pk in users if pk in enrolled)
        mark = "required" if role in required else "optional"
        console.print(f"{role:24} {mark:9} {done}/{len(users)} users set up")


@mfa_app.command("set")
def mfa_set(
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    roles: str = typer.Option(..., help="Comma-separated role ids that must use MFA; empty string: none"),
) -> None:
    """Set which roles must log in with a second step (audited; applies from each user's next log-in)."""
    django_setup()
    from regie.accounts import mfa
    from regie.audit.services import cli_actor, cli_origin
    from regie.core.records import ROLES

    muni = municipality_or_exit(municipality, exit_code=2)
    chosen = [r.strip() for r in roles.split(",") if r.strip()]
    unknown = [r for r in chosen if r not in ROLES]
    if unknown:
        typer.echo(f"roles: unknown role {', '.join(unknown)}; choose from {', '.join(ROLES)}", err=True)
        raise typer.Exit(2)
    stored = mfa.set_policy_roles(muni, chosen, actor=cli_actor(), origin=cli_origin())
    console.print(f"[green]{muni}: MFA required for {', '.join(stored) or 'no role'}[/]")


@mfa_app.command("reset")
def mfa_reset(username: str = typer.Argument(...)) -> None:
    """Remove a user's authenticator app and recovery codes (audited); they set it up again at the next log-in."""
    django_setup()
    from regie.accounts import mfa
    from regie.accounts.models import User
    from regie.audit.services import cli_actor, cli_origin

    user = User.objects.filter(username=username).first()
    if user is None:
        typer.echo(f"username: no user {username!r}", err=True)
        raise typer.Exit(2)
    n = mfa.reset(user, actor=cli_actor(), origin=cli_origin())
    console.print(f"[green]{username}: {n} MFA device(s) removed[/]")
