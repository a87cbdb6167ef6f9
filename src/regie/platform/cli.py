"""Command-line plumbing shared by every app's commands (Django set-up, progress, consoles), and the platform's
own commands: ``migrate``, ``serve``, ``backup``, ``restore``."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

console = Console(stderr=True)
out = Console()


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
    import django

    django.setup()


@contextmanager
def progress_bar(description: str, total: int | None):
    """A Rich progress bar on a terminal; plain "description: n/total" lines every 10% otherwise (logs, CI)."""
    if console.is_terminal:
        columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TimeRemainingColumn()]
        with Progress(*columns, console=console) as prog:
            task = prog.add_task(description, total=total)
            yield lambda n=1: prog.advance(task, n)
        return
    state = {"done": 0, "next": 0}
    step = max(1, (total or 0) // 10)

    def advance(n: int = 1) -> None:
        state["done"] += n
        if state["done"] >= state["next"]:
            print(f"{description}: {state['done']}/{total}", file=sys.stderr, flush=True)
            state["next"] = state["done"] + step

    yield advance
    print(f"{description}: {state['done']}/{total} done", file=sys.stderr, flush=True)


def register(app: typer.Typer) -> None:
    for command in (migrate, serve, backup_cmd, restore_cmd):
        app.command(command.__name__.removesuffix("_cmd"))(command)


def migrate() -> None:
    """Create or upgrade the database schema."""
    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    console.print("[green]database is up to date[/]")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port"),
    workers: int = typer.Option(0, help="Worker processes (0: 2 × cores)"),
    dev: bool = typer.Option(False, "--dev", help="Django's auto-reloading development server"),
) -> None:
    """Start the web app."""
    django_setup()
    if dev:
        from django.core.management import call_command

        call_command("runserver", f"{host}:{port}")
        return
    from regie.platform.server import run

    run(host, port, workers or 2 * (os.cpu_count() or 1))


def backup_cmd(out_path: Path = typer.Option(..., "--out", help="Backup file (SQLite copy or pg_dump custom format)")) -> None:
    """Back up the whole database with the database's own tools."""
    django_setup()
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.platform.backup import BackupError, backup

    try:
        backup(out_path)
    except (BackupError, OSError) as exc:
        typer.echo(f"backup: {exc}", err=True)
        raise typer.Exit(1)
    log(actor=cli_actor(), action="export", object_type="database", origin=cli_origin(), detail="backup")
    console.print(f"[green]backup written to {out_path}[/] ({out_path.stat().st_size:,} bytes)")


def restore_cmd(
    source: Path = typer.Argument(..., help="A file written by regie backup"),
    yes: bool = typer.Option(False, "--yes", help="Confirm: the current database is replaced"),
) -> None:
    """Replace the whole database with a backup."""
    if not yes:
        typer.echo("restore: replaces the whole database; run again with --yes to confirm", err=True)
        raise typer.Exit(2)
    django_setup()
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.platform.backup import BackupError, restore

    try:
        restore(source)
    except BackupError as exc:
        typer.echo(f"restore: {exc}", err=True)
        raise typer.Exit(1)
    log(actor=cli_actor(), action="import", object_type="database", origin=cli_origin(), detail=f"restore {source.name}")
    console.print(f"[green]database restored from {source}[/]")
