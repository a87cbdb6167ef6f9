"""The operator's commands: ``migrate``, ``serve`` (with a job worker), ``worker``, ``backup``, ``restore``.

Entry points like the CLI itself: they run the platform (server, job worker, backup in regie.platform) and write
to the access log (backup and restore are audited), so they sit above every app.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from regie.platform.cli import console, django_setup


def register(app: typer.Typer) -> None:
    for command in (migrate, serve, worker, backup_cmd, restore_cmd):
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
    no_worker: bool = typer.Option(
        False, "--no-worker", help="Do not start a job worker beside the server (run `regie worker` elsewhere)"
    ),
) -> None:
    """Start the web app, and one background-job worker beside it (`regie worker`) unless --no-worker.

    The system checks run first, with the database: a server whose policies do not load, or with a municipality
    that has no policy in force, refuses to start (fail closed)."""
    django_setup()
    import subprocess
    import sys

    from regie.platform.server import run, start_worker, stop_worker

    # In a child process: the checks load libraries (polars) whose thread pools a forked gunicorn worker would
    # inherit without their threads, which kept the workers from exiting on SIGTERM.
    check = subprocess.run(
        [sys.executable, "-m", "django", "check", "--database", "default", "--fail-level", "ERROR"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]},
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        typer.echo(f"serve: refused to start\n{check.stderr or check.stdout}", err=True)
        raise typer.Exit(1)

    job_worker = None if no_worker else start_worker()
    owner = os.getpid()  # gunicorn forks its workers inside run(): only this process stops the job worker
    try:
        if dev:
            from django.core.management import call_command

            call_command("runserver", f"{host}:{port}")
            return
        run(host, port, workers or 2 * (os.cpu_count() or 1))
    finally:
        if os.getpid() == owner:
            stop_worker(job_worker)


def worker(
    batch: bool = typer.Option(False, "--batch", help="Run the jobs waiting now, then exit"),
    max_jobs: int | None = typer.Option(None, "--max-jobs", help="Exit after this many jobs"),
    interval: float = typer.Option(1.0, help="Seconds between looks at the queue when it is empty"),
    worker_id: str | None = typer.Option(None, "--worker-id", help="Unique name of this worker (default: random)"),
) -> None:
    """Run background jobs (equity reports, lab runs, analytic copies) from the database queue. Run as many as
    wanted, on any machine with the same DATABASE_URL: each job is claimed by exactly one worker."""
    django_setup()
    from django.core.management import call_command

    opts = {"queue_name": "*", "interval": interval, "batch": batch, "reload": False, "verbosity": 1}
    if max_jobs:
        opts["max_tasks"] = max_jobs
    if worker_id:
        opts["worker_id"] = worker_id
    call_command("db_worker", **opts)


def backup_cmd(
    out_path: Path = typer.Option(..., "--out", help="Backup file (SQLite copy or pg_dump custom format)"),
) -> None:
    """Back up the whole database with the database's own tools."""
    django_setup()
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.platform.backup import BackupError, backup

    try:
        backup(out_path)
    except (BackupError, OSError) as exc:
        typer.echo(f"backup: {exc}", err=True)
        raise typer.Exit(1) from exc
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
        raise typer.Exit(1) from exc
    log(
        actor=cli_actor(), action="import", object_type="database", origin=cli_origin(), detail=f"restore {source.name}"
    )
    console.print(f"[green]database restored from {source}[/]")
