"""The audit commands: ``audit export``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from regie.platform.cli import console, django_setup

audit_app = typer.Typer(help="The access log (BIO 8.15.01).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    audit_app.command("export")(audit_export)
    app.add_typer(audit_app, name="audit")


def audit_export(
    out_path: Path = typer.Option(..., "--out", help="CSV file"),
    municipality: str | None = typer.Option(None, help="Only this municipality"),
    since: dt.datetime | None = typer.Option(None, help="From this moment (ISO date/time)"),
    actor: str | None = typer.Option(None, help="Only this actor"),
) -> None:
    """Export audit records as CSV."""
    django_setup()
    from regie.audit.selectors import search, write_csv
    from regie.audit.services import cli_actor, cli_origin, log

    rows = search(municipality_code=municipality, since=since, actor=actor)
    with open(out_path, "w", newline="", encoding="utf-8") as fh:
        n = write_csv(rows, fh)
    log(actor=cli_actor(), action="export", object_type="auditlog", origin=cli_origin(), detail=f"{n} records")
    console.print(f"[green]wrote {n} audit records to {out_path}[/]")
