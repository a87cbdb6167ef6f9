"""``regie notifications terms``: announce the terms about to expire (run daily)."""

from __future__ import annotations

import typer

from regie.platform.cli import console, django_setup

notifications_app = typer.Typer(help="In-app notifications.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    notifications_app.command("terms")(terms)
    app.add_typer(notifications_app, name="notifications")


def terms(municipality: str = typer.Argument(..., help="CBS gemeentecode")) -> None:
    """Notify caseworkers of terms that expire within a week (idempotent: each term once)."""
    django_setup()
    from regie.accounts.models import Municipality

    from .tasks import announce_terms

    muni = Municipality.objects.filter(code=municipality).first()
    if muni is None:
        console.print(f"[red]unknown municipality {municipality}[/red]")
        raise typer.Exit(1)
    sent = announce_terms.call(muni.id)
    console.print(f"{sent} notification(s)")
