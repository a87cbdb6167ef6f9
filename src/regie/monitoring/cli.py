"""Command-line adapter of monitoring: ``regie kpi cohort``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Optional

import typer

kpi_app = typer.Typer(help="KPIs from the event log (docs/kpi-definitions.md).", no_args_is_help=True)


@kpi_app.command("cohort")
def cohort(
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    inflow_from: dt.datetime = typer.Option(..., formats=["%Y-%m-%d"], help="First day of the inflow window"),
    inflow_to: dt.datetime = typer.Option(..., formats=["%Y-%m-%d"], help="Last day of the inflow window"),
    as_of: Optional[dt.datetime] = typer.Option(None, formats=["%Y-%m-%d"], help="Ignore events after this date"),
    by: Optional[str] = typer.Option(None, help="team or caseworker"),
    trajectory_definition: str = typer.Option("instrument", help="instrument | plan_or_instrument"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The RWI cohort counts X, Y, Z, A, B, C, A1, B1 and their ratios for an inflow window."""
    from regie.cli import django_setup

    if by not in (None, "team", "caseworker"):
        typer.echo("by: choose team or caseworker", err=True)
        raise typer.Exit(2)
    if trajectory_definition not in ("instrument", "plan_or_instrument"):
        typer.echo("trajectory-definition: choose instrument or plan_or_instrument", err=True)
        raise typer.Exit(2)
    django_setup()
    from regie.accounts.models import Municipality
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.casework.frames import frames_for
    from regie.core.kpi import RATIOS, cohort_kpis

    muni = Municipality.objects.filter(code=municipality).first()
    if muni is None:
        typer.echo(f"municipality: no municipality with code {municipality!r}", err=True)
        raise typer.Exit(1)
    result = cohort_kpis(frames_for(muni), inflow_from.date(), inflow_to.date(), as_of.date() if as_of else None,
                         by=by, trajectory_definition=trajectory_definition)
    log(actor=cli_actor(), action="read", object_type="kpi", object_id=municipality, origin=cli_origin(),
        municipality_id=muni.id, detail=f"cohort {inflow_from:%Y-%m-%d}..{inflow_to:%Y-%m-%d} by={by or '-'}")
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


def register(app) -> None:
    app.add_typer(kpi_app, name="kpi")
