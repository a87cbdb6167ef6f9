"""``regie agenda rebuild``: rebuild the appointment projection of a municipality from the log (the journal's index:
``regie journal rebuild``)."""

from __future__ import annotations

import typer

from regie.platform.cli import console, django_setup

agenda_app = typer.Typer(help="Agenda and journal.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    agenda_app.command("rebuild")(rebuild)
    app.add_typer(agenda_app, name="agenda")


def rebuild(municipality: str = typer.Argument(..., help="CBS gemeentecode")) -> None:
    """Recompute the appointments (the calendars) from the case event log."""
    django_setup()
    from regie.accounts.models import Municipality

    from .services import rebuild_appointments

    muni = Municipality.objects.filter(code=municipality).first()
    if muni is None:
        console.print(f"[red]unknown municipality {municipality}[/red]")
        raise typer.Exit(1)
    console.print(f"{rebuild_appointments(muni.id)} appointment(s) rebuilt")
