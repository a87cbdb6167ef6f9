"""The ``regie`` command line: everything the web app can do in bulk.

``DATABASE_URL`` selects the database, as for the web app and the tests.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

app = typer.Typer(help="Regie: casework, policy as code and monitoring for Work & Income.", no_args_is_help=True)
projections_app = typer.Typer(help="Derived state (projections) of the case event log.", no_args_is_help=True)
audit_app = typer.Typer(help="The access log (BIO 8.15.01).", no_args_is_help=True)
schema_app = typer.Typer(help="Published schemas.", no_args_is_help=True)
app.add_typer(projections_app, name="projections")
app.add_typer(audit_app, name="audit")
app.add_typer(schema_app, name="schema")

console = Console(stderr=True)
out = Console()

DEMO_CODE = "0518"
DEMO_NAME = "Den Haag (demo, synthetisch)"
DEMO_PASSWORD = "regie-demo-2026"


def _mount_optional(module: str, attr: str, name: str) -> None:
    """Sub-apps from the domain core (policy, kpi, …) are mounted when their module is present."""
    try:
        mod = __import__(module, fromlist=[attr])
    except ImportError:
        return
    app.add_typer(getattr(mod, attr), name=name)


_mount_optional("regie.core.policy.cli", "policy_app", "policy")
for _adapter in ("regie.monitoring.cli", "regie.equity.cli", "regie.lab_cli"):
    try:
        __import__(_adapter, fromlist=["register"]).register(app)
    except ImportError:
        pass


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings")
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


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    console.print("[green]database is up to date[/]")


@app.command()
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
    from regie.server import run

    run(host, port, workers or 2 * (os.cpu_count() or 1))


@app.command()
def synth(
    municipality: str = typer.Option(..., help="CBS gemeentecode (4 digits)"),
    clients: int = typer.Option(..., min=1, help="Number of clients"),
    seed: int = typer.Option(1, help="Random seed; same seed, same file"),
    out_path: Path = typer.Option(..., "--out", help="Output .jsonl file"),
    name: Optional[str] = typer.Option(None, help="Municipality name in the header"),
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


@app.command("import")
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="regie-jsonl file"),
    municipality: str = typer.Option(..., help="CBS gemeentecode to import into"),
) -> None:
    """Import clients, cases and events; all or nothing (docs/import-format.md)."""
    django_setup()
    from regie.casework.interchange import ImportRefused, import_file

    total = _count_clients(file)
    try:
        with progress_bar("importing clients (validate + write)", 2 * total) as advance:
            report = import_file(file, municipality, progress=advance)
    except ImportRefused as exc:
        for err in exc.errors:
            typer.echo(f"{file}:{err}", err=True)
        if exc.total > len(exc.errors):
            typer.echo(f"… and {exc.total - len(exc.errors)} more", err=True)
        typer.echo(f"import refused: {exc.total} error(s); nothing was written", err=True)
        raise typer.Exit(1)
    console.print(f"[green]imported into {report.municipality}[/]: {_counts(report.counts)}")
    _prepare_analytics(report.municipality)


def _prepare_analytics(code: str) -> None:
    """Build the analytic copy of the event log now (docs/performance.md), so the first dashboard is not slow."""
    from regie.accounts.models import Municipality
    from regie.casework.frames import refresh

    muni = Municipality.objects.filter(code=code).first()
    if muni is None:
        return
    try:
        with console.status("preparing the analytic tables (monitoring)"):
            refresh(muni, persist=True)
    except Exception as exc:  # noqa: BLE001  (the import itself succeeded; the first dashboard will build them)
        console.print(f"[yellow]analytic tables not prepared ({type(exc).__name__}); the first monitoring page "
                      f"will build them[/]")


def _count_clients(file: Path) -> int:
    n = 0
    with open(file, "rb") as fh:
        for raw in fh:
            if raw.startswith(b'{"record":"client"'):
                n += 1
    return n


@app.command()
def export(
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    out_path: Path = typer.Option(..., "--out", help="Output .jsonl file"),
) -> None:
    """Write one municipality's clients, cases and events in the interchange format."""
    django_setup()
    from regie.accounts.models import Municipality
    from regie.casework.interchange import export_file

    muni = Municipality.objects.filter(code=municipality).first()
    if muni is None:
        typer.echo(f"municipality: no municipality with code {municipality!r}", err=True)
        raise typer.Exit(1)
    total = muni.clients.count()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with progress_bar("exporting clients", total) as advance, open(out_path, "wb") as fh:
        counts = export_file(muni, fh, progress=advance)
    console.print(f"[green]wrote {out_path}[/]: {_counts(counts)}")


@app.command()
def demo(
    clients: int = typer.Option(3000, help="Clients in the demo municipality"),
    seed: int = typer.Option(2026, help="Random seed"),
) -> None:
    """Load the demo municipality once (synthetic caseload) and print the demo log-ins."""
    django_setup()
    from regie.accounts.models import Municipality, User
    from regie.casework.interchange import import_file
    from regie.settings import VAR_DIR

    muni = Municipality.objects.filter(code=DEMO_CODE).first()
    if muni is None or not muni.clients.exists():
        from regie.core.synth import generate

        path = VAR_DIR / f"demo-{DEMO_CODE}-{clients}-{seed}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            with progress_bar("synthesising demo clients", clients) as advance, open(path, "wb") as fh:
                generate(DEMO_CODE, clients, seed, fh, name=DEMO_NAME, progress=advance)
        with progress_bar("loading demo clients", 2 * clients) as advance:
            import_file(path, DEMO_CODE, progress=advance, demo_password=DEMO_PASSWORD)
        muni = Municipality.objects.get(code=DEMO_CODE)
        _prepare_analytics(muni.code)
        _seed_demo_budgets(muni)
    table = Table(title=f"Demo log-ins for {muni.name} — password for all: {DEMO_PASSWORD}")
    table.add_column("role")
    table.add_column("username")
    seen = set()
    for u in User.objects.filter(municipality=muni).order_by("id"):
        if u.role not in seen:
            seen.add(u.role)
            table.add_row(u.role_label, u.username)
    out.print(table)
    out.print("Open http://127.0.0.1:8000 and log in.")


def _seed_demo_budgets(muni) -> None:
    """Give the synthetic demo municipality W-deel and I-deel budgets so the budget page has something to show.

    Assumption (synthetic demo only): each year's W-deel is 92% of the previous year's simulated trajectory spending
    and the I-deel 101% of the previous year's simulated benefit payments (the first year uses its own spending), so
    the W-deel tends to run out before the year ends, as Maastricht's did in October (seed 002:862).
    """
    from regie.accounts.models import User
    from regie.core.kpi import budget as B
    from regie.monitoring.models import BudgetAllocation
    from regie.monitoring.selectors import frames_cached

    admin = User.objects.filter(municipality=muni, role="functioneel_beheerder").order_by("id").first()
    if admin is None:
        return
    frames = frames_cached(muni)
    dates = frames.events["effective_date"]
    if dates.len() == 0:
        return
    first, last = dates.min().year, dates.max().year
    spent = {y: (B.w_deel(frames, y, None, dt.date(y, 12, 31))["to_date"],
                 B.i_deel(frames, y, None, dt.date(y, 12, 31))["to_date"]) for y in range(first, last + 1)}
    for year in range(first, last + 1):
        w_prev, i_prev = spent.get(year - 1) or spent[year]
        BudgetAllocation.objects.update_or_create(
            municipality=muni, year=year,
            defaults={"w_deel": round(0.92 * w_prev, 2), "i_deel": round(1.01 * i_prev, 2), "updated_by": admin,
                      "source": "synthetisch demobudget (regie demo)", "assumption": True,
                      "assumption_reason": "demo: 92% van de W-deeluitgaven en 101% van de uitkeringslasten "
                                           "van het jaar ervoor"})


@projections_app.command("rebuild")
def projections_rebuild(municipality: str = typer.Option(..., help="CBS gemeentecode")) -> None:
    """Recompute every case's current state from the event log."""
    django_setup()
    from regie.accounts.models import Municipality
    from regie.casework.services import rebuild_projections

    muni = Municipality.objects.get(code=municipality)
    with progress_bar("rebuilding projections", muni.cases.count()) as advance:
        n = rebuild_projections(muni.id, progress=advance)
    console.print(f"[green]rebuilt {n} cases[/]")


@audit_app.command("export")
def audit_export(
    out_path: Path = typer.Option(..., "--out", help="CSV file"),
    municipality: Optional[str] = typer.Option(None, help="Only this municipality"),
    since: Optional[dt.datetime] = typer.Option(None, help="From this moment (ISO date/time)"),
    actor: Optional[str] = typer.Option(None, help="Only this actor"),
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


@app.command()
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

    from regie.accounts.models import Municipality, Team, User
    from regie.core.records import ROLES

    if role not in ROLES:
        typer.echo(f"role: unknown role {role!r}; choose from {', '.join(ROLES)}", err=True)
        raise typer.Exit(2)
    muni = Municipality.objects.filter(code=municipality).first()
    if muni is None:
        typer.echo(f"municipality: no municipality with code {municipality!r}", err=True)
        raise typer.Exit(2)
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


@app.command("backup")
def backup_cmd(out_path: Path = typer.Option(..., "--out", help="Backup file (SQLite copy or pg_dump custom format)")) -> None:
    """Back up the whole database with the database's own tools."""
    django_setup()
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.backup import BackupError, backup

    try:
        backup(out_path)
    except (BackupError, OSError) as exc:
        typer.echo(f"backup: {exc}", err=True)
        raise typer.Exit(1)
    log(actor=cli_actor(), action="export", object_type="database", origin=cli_origin(), detail="backup")
    console.print(f"[green]backup written to {out_path}[/] ({out_path.stat().st_size:,} bytes)")


@app.command("restore")
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
    from regie.backup import BackupError, restore

    try:
        restore(source)
    except BackupError as exc:
        typer.echo(f"restore: {exc}", err=True)
        raise typer.Exit(1)
    log(actor=cli_actor(), action="import", object_type="database", origin=cli_origin(), detail=f"restore {source.name}")
    console.print(f"[green]database restored from {source}[/]")


@schema_app.command("import-format")
def schema_import_format() -> None:
    """Print the JSON Schema of the interchange format (docs/import-format.schema.json)."""
    import json

    from regie.core.records import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
