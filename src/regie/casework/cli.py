"""The casework commands: ``synth``, ``import``, ``export``, ``projections rebuild``, ``schema import-format``."""

from __future__ import annotations

from pathlib import Path

import typer

from regie.accounts.cli import municipality_or_exit
from regie.platform.cli import console, django_setup, progress_bar

projections_app = typer.Typer(help="Derived state (projections) of the case event log.", no_args_is_help=True)
schema_app = typer.Typer(help="Published schemas.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command()(synth)
    app.command("import")(import_)
    app.command()(export)
    projections_app.command("rebuild")(projections_rebuild)
    schema_app.command("import-format")(schema_import_format)
    app.add_typer(projections_app, name="projections")
    app.add_typer(schema_app, name="schema")


def synth(
    municipality: str = typer.Option(..., help="CBS gemeentecode (4 digits)"),
    clients: int = typer.Option(..., min=1, help="Number of clients"),
    seed: int = typer.Option(1, help="Random seed; same seed, same file"),
    out_path: Path = typer.Option(..., "--out", help="Output .jsonl file"),
    name: str | None = typer.Option(None, help="Municipality name in the header"),
) -> None:
    """Generate a synthetic municipality as a regie-jsonl file (docs/synthetic-data.md)."""
    from regie.core.synth import generate

    out_path.parent.mkdir(parents=True, exist_ok=True)
    with progress_bar("synthesising clients", clients) as advance, open(out_path, "wb") as fh:
        stats = generate(municipality, clients, seed, fh, name=name, progress=advance)
    console.print(f"[green]wrote {out_path}[/]: {_counts(stats)}")


def _counts(stats) -> str:
    counts = getattr(stats, "records", None) or getattr(stats, "counts", None) or stats
    if isinstance(counts, dict):
        return ", ".join(f"{v:,} {k}" for k, v in counts.items())
    return str(stats)


def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="regie-jsonl file"),
    municipality: str = typer.Option(..., help="CBS gemeentecode to import into"),
) -> None:
    """Import clients, cases and events; all or nothing (docs/import-format.md)."""
    django_setup()
    from regie.casework.interchange import ImportRefused, import_file
    from regie.casework.interchange.importer import import_work

    try:
        # bytes validated and written, then the index build, the projections and the planner statistics
        with progress_bar("importing (validate + write, then indexes and projections)", import_work(file)) as advance:
            report = import_file(file, municipality, progress=advance)
    except ImportRefused as exc:
        for err in exc.errors:
            typer.echo(f"{file}:{err}", err=True)
        if exc.total > len(exc.errors):
            typer.echo(f"… and {exc.total - len(exc.errors)} more", err=True)
        typer.echo(f"import refused: {exc.total} error(s); nothing was written", err=True)
        raise typer.Exit(1) from exc
    console.print(f"[green]imported into {report.municipality}[/]: {_counts(report.counts)}")


def export(
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    out_path: Path = typer.Option(..., "--out", help="Output .jsonl file"),
) -> None:
    """Write one municipality's clients, cases and events in the interchange format."""
    django_setup()
    from regie.casework.interchange import export_file

    muni = municipality_or_exit(municipality)
    total = muni.clients.count()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with progress_bar("exporting clients", total) as advance, open(out_path, "wb") as fh:
        counts = export_file(muni, fh, progress=advance)
    console.print(f"[green]wrote {out_path}[/]: {_counts(counts)}")


def projections_rebuild(municipality: str = typer.Option(..., help="CBS gemeentecode")) -> None:
    """Recompute every case's current state from the event log."""
    django_setup()
    from regie.accounts.models import Municipality
    from regie.casework.services import rebuild_projections

    muni = Municipality.objects.get(code=municipality)
    with progress_bar("rebuilding projections", muni.cases.count()) as advance:
        n = rebuild_projections(muni.id, progress=advance)
    console.print(f"[green]rebuilt {n} cases[/]")


def schema_import_format() -> None:
    """Print the JSON Schema of the interchange format (docs/import-format.schema.json)."""
    import json

    from regie.core.records import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
