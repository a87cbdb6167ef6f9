"""``regie journal rebuild``: rebuild the journal's search index of a municipality from the log."""

from __future__ import annotations

import typer

from regie.platform.cli import console, django_setup

journal_app = typer.Typer(help="The case journal.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    journal_app.command("rebuild")(rebuild)
    app.add_typer(journal_app, name="journal")


def rebuild(municipality: str = typer.Argument(..., help="CBS gemeentecode")) -> None:
    """Recompute the journal's search index from the case event log."""
    django_setup()
    from regie.accounts.models import Municipality

    from .services import rebuild_notes

    muni = Municipality.objects.filter(code=municipality).first()
    if muni is None:
        console.print(f"[red]unknown municipality {municipality}[/red]")
        raise typer.Exit(1)
    console.print(f"{rebuild_notes(muni.id)} note(s) indexed")
