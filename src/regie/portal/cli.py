"""The portal's commands: ``portal register-objections`` (older online objections into the legal process)."""

from __future__ import annotations

import typer

from regie.platform.cli import console, django_setup

portal_app = typer.Typer(help="Mijn Regie, the client's portal.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    portal_app.command("register-objections")(register_objections)
    app.add_typer(portal_app, name="portal")


def register_objections(
    municipality: str = typer.Argument(..., help="CBS gemeentecode"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list what would be registered"),
) -> None:
    """Register every objection lodged online before Mijn Regie recorded the bezwaar itself (bezwaar_ingediend
    without a bezwaar), with its own receipt date; late or refused ones are listed for the legal reviewer."""
    django_setup()
    from regie.accounts.models import Municipality

    from .services import register_legacy_objections

    muni = Municipality.objects.filter(code=municipality).first()
    if muni is None:
        console.print(f"[red]Unknown municipality {municipality}[/red]")
        raise typer.Exit(2)
    rows = register_legacy_objections(muni, dry_run=dry_run)
    for row in rows:
        console.print(f"{row['case']}\t{row['event']}\t{row['result']}\t{row['reason']}")
    console.print(f"{sum(r['result'] == 'registered' for r in rows)} registered, {len(rows)} online objections seen")
