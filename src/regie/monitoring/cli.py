"""Command-line adapter of monitoring: ``regie kpi cohort``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from regie.accounts.cli import municipality_or_exit

kpi_app = typer.Typer(help="KPIs from the event log (docs/kpi-definitions.md).", no_args_is_help=True)


@kpi_app.command("cohort")
def cohort(
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    inflow_from: dt.datetime = typer.Option(..., formats=["%Y-%m-%d"], help="First day of the inflow window"),
    inflow_to: dt.datetime = typer.Option(..., formats=["%Y-%m-%d"], help="Last day of the inflow window"),
    as_of: dt.datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="Ignore events after this date"),
    by: str | None = typer.Option(None, help="team or caseworker"),
    trajectory_definition: str = typer.Option("instrument", help="instrument | plan_or_instrument"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The RWI cohort counts X, Y, Z, A, B, C, A1, B1 and their ratios for an inflow window."""
    from regie.platform.cli import django_setup

    if by not in (None, "team", "caseworker"):
        typer.echo("by: choose team or caseworker", err=True)
        raise typer.Exit(2)
    if trajectory_definition not in ("instrument", "plan_or_instrument"):
        typer.echo("trajectory-definition: choose instrument or plan_or_instrument", err=True)
        raise typer.Exit(2)
    django_setup()
    from regie.analytics.store import current
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.core.kpi import RATIOS, cohort_kpis

    muni = municipality_or_exit(municipality)
    result = cohort_kpis(
        current(muni, max_age=0),
        inflow_from.date(),
        inflow_to.date(),
        as_of.date() if as_of else None,
        by=by,
        trajectory_definition=trajectory_definition,
    )
    log(
        actor=cli_actor(),
        action="read",
        object_type="kpi",
        object_id=municipality,
        origin=cli_origin(),
        municipality_id=muni.id,
        detail=f"cohort {inflow_from:%Y-%m-%d}..{inflow_to:%Y-%m-%d} by={by or '-'}",
    )
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"{muni.name}: inflow {result['inflow_from']} .. {result['inflow_to']} (as of {result['as_of']})")
    typer.echo("  " + "  ".join(f"{k}={result[k]}" for k in ("X", "Y", "Z", "A", "B", "C", "A1", "B1")))
    for k in RATIOS:
        v = result[k]
        typer.echo(f"  {k:<26} {'n/a' if v is None else f'{v:.1%}'}")
    if not result["complete"]:
        typer.echo("  (incomplete: as-of is before the end of the first half of year 2)")


signals_app = typer.Typer(help="Signals per case from the policy in force.", no_args_is_help=True)


@signals_app.command("run")
def signals_run(
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    as_of: dt.datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="Evaluate deadlines on this date"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Every open signal of the municipality's cases (and caseworkers above the caseload norm)."""
    from regie.platform.cli import django_setup

    django_setup()
    from collections import Counter

    from regie.audit.services import cli_actor, cli_origin, log
    from regie.casework.models import CaseState
    from regie.casework.signals import open_signals
    from regie.monitoring.services import caseload_report

    muni = municipality_or_exit(municipality)
    on = as_of.date() if as_of else dt.date.today()
    states = list(
        CaseState.objects.filter(municipality=muni)
        .exclude(status__in=("afgewezen", "afgesloten"))
        .select_related("case__municipality", "case")
    )
    found = open_signals(states, on)
    ext = {st.case_id: st.case.external_id for st in states}
    caseload = caseload_report(muni, on)
    log(
        actor=cli_actor(),
        action="read",
        object_type="signals",
        object_id=municipality,
        origin=cli_origin(),
        municipality_id=muni.id,
        detail=f"{sum(map(len, found.values()))} signals",
    )
    result = {
        "municipality": municipality,
        "as_of": on.isoformat(),
        "cases_with_signals": len(found),
        "by_code": dict(Counter(s.code for sigs in found.values() for s in sigs)),
        "cases": {ext[cid]: [s.as_dict() for s in sigs] for cid, sigs in found.items()},
        "caseworkers_above_norm": {cw: s.as_dict() for cw, s in caseload.items()},
    }
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"{muni.name} on {on}: {len(found)} cases with signals")
    for code, n in sorted(result["by_code"].items(), key=lambda t: -t[1]):
        typer.echo(f"  {code:<22} {n}")
    typer.echo(f"  caseworkers above the caseload norm: {len(caseload)}")


stats_app = typer.Typer(
    help="Monthly CBS statistics records (BUS, SRG) from the event log (docs/statistics.md).", no_args_is_help=True
)


def _stats(kind: str, municipality: str, month: str, out: Path | None, fmt: str) -> None:
    from regie.core.kpi import statistics as S
    from regie.platform.cli import django_setup

    if fmt not in ("csv", "jsonl"):
        typer.echo("format: choose csv or jsonl", err=True)
        raise typer.Exit(2)
    try:
        S.month_bounds(month)
    except ValueError as exc:
        typer.echo(f"month: {exc}", err=True)
        raise typer.Exit(2) from exc
    django_setup()
    from regie.analytics.store import current
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.platform.exports import csv_string

    muni = municipality_or_exit(municipality)
    rows = S.records(current(muni, max_age=0), kind, month)
    problems = S.validate(rows, kind)
    if fmt == "csv":
        cols, body = S.table(rows, kind)
        text = csv_string(body, header=cols, delimiter=";")
    else:
        text = S.to_jsonl(rows, kind)
    log(
        actor=cli_actor(),
        action="export",
        object_type="statistics",
        object_id=municipality,
        origin=cli_origin(),
        municipality_id=muni.id,
        detail=f"{kind} {month}: {len(rows)} records, {len(problems)} problems",
    )
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}: {len(rows)} {kind.upper()} records for {month}", err=True)
    else:
        typer.echo(text, nl=False)
    for p in problems[:50]:
        typer.echo(f"invalid: {p}", err=True)
    if problems:
        typer.echo(f"{len(problems)} problems in {len({p.record for p in problems})} records", err=True)
        raise typer.Exit(1)


@stats_app.command("bus")
def stats_bus(
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    month: str = typer.Option(..., help="Reporting month YYYY-MM"),
    out: Path | None = typer.Option(None, help="Write to this file instead of standard output"),
    fmt: str = typer.Option("csv", "--format", help="csv (semicolon-separated) or jsonl"),
) -> None:
    """BUS: one record per benefit running in the month (validated; exit 1 when a record is invalid)."""
    _stats("bus", municipality, month, out, fmt)


@stats_app.command("srg")
def stats_srg(
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    month: str = typer.Option(..., help="Reporting month YYYY-MM"),
    out: Path | None = typer.Option(None, help="Write to this file instead of standard output"),
    fmt: str = typer.Option("csv", "--format", help="csv (semicolon-separated) or jsonl"),
) -> None:
    """SRG: one record per re-integration provision running in the month (validated; exit 1 when invalid)."""
    _stats("srg", municipality, month, out, fmt)


@stats_app.command("validate")
def stats_validate(
    kind: str = typer.Argument(..., help="bus or srg"),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A csv or jsonl file written by regie stats"),
) -> None:
    """Check a BUS or SRG file against the record layout and code lists: record number, field and problem."""
    import orjson

    from regie.core.kpi import statistics as S

    if kind not in ("bus", "srg"):
        typer.echo("kind: choose bus or srg", err=True)
        raise typer.Exit(2)
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".jsonl":
        rows = [orjson.loads(line) for line in text.splitlines() if line.strip()]
    else:
        rows = S.read_csv(text)
    problems = S.validate(rows, kind)
    for p in problems:
        typer.echo(str(p))
    typer.echo(f"{len(rows)} records, {len(problems)} problems", err=True)
    if problems:
        raise typer.Exit(1)


def register(app) -> None:
    app.add_typer(kpi_app, name="kpi")
    app.add_typer(signals_app, name="signals")
    app.add_typer(stats_app, name="stats")
