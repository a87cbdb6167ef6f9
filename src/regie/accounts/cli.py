"""The account commands: ``createuser``."""

from __future__ import annotations

from typing import Optional

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


def createuser(
    username: str = typer.Argument(...),
    role: str = typer.Option(..., help="Role id, e.g. integrale_klantmanager, auditor"),
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    team: Optional[str] = typer.Option(None, help="Team code"),
    provider: Optional[str] = typer.Option(None, help="Provider code (for provider_coach users)"),
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
        validate_password(password)
    except ValidationError as exc:
        typer.echo("password: " + " ".join(exc.messages), err=True)
        raise typer.Exit(2)
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
    User.objects.create_user(username=username, password=password, municipality=muni, role=role, team=team_obj,
                             provider=provider_obj)
    console.print(f"[green]created {username} ({role}) in {muni}[/]")
