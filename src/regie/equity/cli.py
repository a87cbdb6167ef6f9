"""Command-line adapter of the equity app: ``regie equity report`` (docs/equity.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from regie.accounts.cli import municipality_or_exit

equity_app = typer.Typer(help="Equal treatment: the discretion monitor (docs/equity.md).", no_args_is_help=True)


@equity_app.command("report")
def report(
    municipality: str = typer.Option(..., help="CBS gemeentecode"),
    as_of: dt.datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="Ignore events after this date"),
    decision: list[str] | None = typer.Option(None, "--decision", help="Decision(s) to analyse (default: all)"),
    min_caseload: int = typer.Option(20, help="Flag caseworkers only with at least this many decisions"),
    svg: Path | None = typer.Option(None, "--svg", help="Write one funnel plot per decision into this directory"),
    as_json: bool = typer.Option(False, "--json"),
    ci: str = typer.Option(
        "wald", "--ci", help="Interval of the caseworker variance: wald (fast) or profile (profile likelihood, slower)"
    ),
) -> None:
    """Caseworker variation per decision type: ICC with CI, caseworker effects, funnel flags, deviations, pairs."""
    if ci not in ("wald", "profile"):
        typer.echo(f"--ci: unknown {ci!r}; choose wald or profile", err=True)
        raise typer.Exit(2)
    from regie.core.equity import DECISIONS, equity_report, funnel_svg
    from regie.platform.cli import django_setup

    for d in decision or []:
        if d not in DECISIONS:
            typer.echo(f"decision: unknown {d!r}; choose from {', '.join(DECISIONS)}", err=True)
            raise typer.Exit(2)
    django_setup()
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from regie.analytics.store import current_cut
    from regie.audit.services import cli_actor, cli_origin, log
    from regie.core.equity import report_events

    muni = municipality_or_exit(municipality)
    err = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("frames", total=None)
        # only the columns and events the report reads (a tenth of the log; docs/performance.md)
        frames, last = current_cut(muni, report_events)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        result = equity_report(
            frames,
            as_of=as_of.date() if as_of else last,
            decisions=decision or None,
            min_caseload=min_caseload,
            progress=progress,
            ci=ci,
        )
    log(
        actor=cli_actor(),
        action="read",
        object_type="equity",
        object_id=municipality,
        origin=cli_origin(),
        municipality_id=muni.id,
        detail=f"equity report as_of={result['as_of']} decisions={','.join(result['decisions'])}"[:500],
    )
    if svg is not None:
        svg.mkdir(parents=True, exist_ok=True)
        for name, res in result["decisions"].items():
            if res.get("error") is None:
                (svg / f"funnel_{name}.svg").write_text(funnel_svg(res), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    _table(muni.name, result, svg)


def _table(name: str, result: dict, svg: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console()
    out.print(
        f"[bold]{name}[/bold] ({result['municipality']}) as of {result['as_of']}: "
        f"{result['n_clients']} clients, {result['n_caseworkers']} caseworkers"
    )
    t = Table("decision", "kind", "n", "caseworkers", "mean", "ICC", "95% CI", "sd", "flagged")

    def f(x, p=3):
        return "-" if x is None else f"{x:.{p}f}"

    for d, r in result["decisions"].items():
        ci = "-" if not r["icc_ci"] else f"{f(r['icc_ci'][0])}-{f(r['icc_ci'][1])}"
        flagged = r["error"] or str(r["n_flagged"])
        t.add_row(
            d,
            r["kind"],
            str(r["n"]),
            str(r["n_caseworkers"]),
            f(r["mean"]),
            f(r["icc"]),
            ci,
            f(r["sd_caseworker"]),
            flagged,
        )
    out.print(t)
    flagged = [(d, e) for d, r in result["decisions"].items() for e in r["caseworker_effects"] if e["flag"]]
    if flagged:
        ft = Table("decision", "caseworker", "team", "n", "observed", "expected", "flag")
        for d, e in flagged:
            ft.add_row(
                d, e["caseworker"], str(e["team"] or "-"), str(e["n"]), f(e["observed"]), f(e["expected"]), e["flag"]
            )
        out.print("Caseworkers outside the 99.8% funnel limits:")
        out.print(ft)
    dev = result["deviations"]
    if dev:
        o = dev["overall"]
        out.print(
            f"Deviations from the recommendation: {o['n_deviations']} of {o['n_decisions']} decisions "
            f"({f(o['rate'], 3)}); by logic: " + ", ".join(f"{k} {v}" for k, v in o["by_logic"].items())
        )
        tt = Table("team", "decisions", "deviations", "rate", "professional", "bureaucratic", "market", "unclassified")
        for r in dev["teams"]:
            tt.add_row(
                str(r["team"]),
                str(r["n_decisions"]),
                str(r["n_deviations"]),
                f(r["rate"]),
                *(str(r["by_logic"][k]) for k in ("professional", "bureaucratic", "market", "unclassified")),
            )
        out.print(tt)
    out.print(
        "Comparable-client pairs with different decisions: "
        + ", ".join(f"{d} {len(p)}" for d, p in result["pairs"].items())
    )
    if svg is not None:
        out.print(f"Funnel plots written to {svg}")


@equity_app.command("between")
def between(
    municipality: list[str] = typer.Option(..., "--municipality", help="CBS gemeentecode; give two or more"),
    decision: str = typer.Option("trajectory_12m", help="Decision type"),
    as_of: dt.datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="Ignore events after this date"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """How much of a decision's variation lies between municipalities and how much between caseworkers within them."""
    from regie.core.equity import DECISIONS, between_municipalities
    from regie.platform.cli import django_setup

    if decision not in DECISIONS:
        typer.echo(f"decision: unknown {decision!r}; choose from {', '.join(DECISIONS)}", err=True)
        raise typer.Exit(2)
    if len(set(municipality)) < 2:
        typer.echo("municipality: give at least two different municipalities", err=True)
        raise typer.Exit(2)
    django_setup()
    from regie.analytics.store import current
    from regie.audit.services import cli_actor, cli_origin, log

    munis = []
    for code in dict.fromkeys(municipality):
        m = municipality_or_exit(code)
        munis.append(m)
    result = between_municipalities(
        [current(m, max_age=0) for m in munis], decision, as_of=as_of.date() if as_of else None
    )
    for m in munis:
        log(
            actor=cli_actor(),
            action="read",
            object_type="equity_between",
            object_id=decision,
            origin=cli_origin(),
            municipality_id=m.id,
            detail=",".join(x.code for x in munis),
        )
    if as_json:
        typer.echo(json.dumps(result, default=float, indent=2))
        return
    typer.echo(
        f"{decision}: {result['n']} observations, {result['n_municipalities']} municipalities, "
        f"{result['n_caseworkers']} caseworkers"
    )
    typer.echo(
        f"  between municipalities: variance {result['var_municipality']:.4f}, share {result['icc_municipality']:.4f}"
    )
    typer.echo(
        f"  between caseworkers:     variance {result['var_caseworker']:.4f}, share {result['icc_caseworker']:.4f}"
    )
    for r in result["municipalities"]:
        lo, hi = r["effect_ci"]
        typer.echo(f"  {r['municipality']}: effect {r['effect']:+.3f} [{lo:+.3f}, {hi:+.3f}] (n = {r['n']})")
    if result.get("warning"):
        typer.echo(f"  warning: {result['warning']}")


def register(app) -> None:
    from .vignette_cli import vignettes_app

    equity_app.add_typer(vignettes_app, name="vignettes")
    app.add_typer(equity_app, name="equity")
