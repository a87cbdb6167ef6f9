"""Command-line adapter of the policy lab: ``register(app)`` adds ``regie lab run | compare | calibrate``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer

lab_app = typer.Typer(
    help="Policy lab: simulate a municipality's caseload under a policy (docs/lab.md).", no_args_is_help=True
)


def _progress(description: str, total: int):
    from regie.platform.cli import progress_bar

    return progress_bar(description, total)


EQUITY_HELP = (
    "Equal-treatment measure: 'icc' (regie.core.equity.caseworker_icc, a model fit per run, ~1-6 s) or "
    "'local' (rates by origin, fast; for large ensembles)"
)


LANG_HELP = "Language of the report and the printed table: nl (Dutch, the default) or en (English)"


def _lang(lang: str) -> str:
    from regie.core.lab.report import TEXTS

    if lang not in TEXTS:
        raise typer.BadParameter(" or ".join(TEXTS), param_hint="--lang")
    return lang


def _load(name_or_path: str):
    """A scenario file or the name of a shipped one (``h1-sturing``); a missing scenario, an unusable file or a
    missing policy ends the command with exit 1 and the reason (no traceback)."""
    from regie.core.lab import scenario as sc

    try:
        return sc.load(sc.resolve(name_or_path))
    except (LookupError, ValueError) as exc:  # ScenarioUnavailable, PolicyUnavailable, a file that does not validate
        typer.echo(f"scenario: {getattr(exc, 'message', None) or exc}", err=True)
        raise typer.Exit(1) from exc


def _run_scenario(
    path: str,
    runs: int | None,
    workers: int,
    scheduler: str | None,
    seed: int | None,
    kpis: bool = True,
    equity: str = "icc",
    ledger_change: dict | None = None,
):
    from regie.core.lab.ensemble import run_ensemble
    from regie.core.policy import PolicyUnavailable

    s = _load(path)
    n = runs or s.runs
    arms = {}
    arm_params = s.arm_params()
    t0 = time.perf_counter()
    with _progress(f"lab {s.name}", n * len(arm_params)) as advance:
        for i, (name, p) in enumerate(arm_params.items()):
            try:
                arms[name] = run_ensemble(
                    p,
                    n,
                    seed=s.seed if seed is None else seed,
                    workers=workers,
                    scheduler=scheduler,
                    progress=advance,
                    kpis=kpis,
                    equity=equity,
                    # I-deel from simulated ledgers; the benefit change applies to every arm but the first
                    ledger=(ledger_change or {}) if i else {},
                )
            except PolicyUnavailable as exc:
                typer.echo(f"scenario {s.name}, arm {name}: {exc.message} ({exc.detail})", err=True)
                raise typer.Exit(1) from exc
    return s, arms, time.perf_counter() - t0


def _emit(summary: dict, as_json: bool, out: Path, scenario=None, lang: str = "nl") -> None:
    """The summary as JSON, or a table of the headline measures in ``lang`` (arms by their labels)."""
    if as_json:
        typer.echo(json.dumps(summary, indent=2, ensure_ascii=False, default=str))
        return
    from rich.console import Console
    from rich.table import Table

    from regie.core.lab.report import HEADLINE, TEXTS, arm_labels, headline_label, number

    T = TEXTS[lang]  # noqa: N806
    agg = summary["aggregate"]
    shown = arm_labels(scenario, agg, lang)
    t = Table(title=T["table"] % {"title": summary.get("title") or summary["scenario"]})
    t.add_column(T["measure"])
    for a in agg:
        t.add_column(shown[a])

    def fig(x: float, k: str) -> str:  # grouped as the language writes numbers; euros whole
        return f"€ {number(round(x), lang)}" if k.startswith("ledger.") else number(x, lang)

    def cell(v: dict, k: str) -> str:
        return f"{fig(v['mean'], k)} [{fig(v['p05'], k)}–{fig(v['p95'], k)}]"

    for k, label in HEADLINE:
        t.add_row(headline_label(k, label, lang), *[cell(agg[a][k], k) if k in agg[a] else "–" for a in agg])
    Console().print(t)
    if summary.get("ledger_problem"):
        Console().print(T["ledger_missing"] % {"problem": summary["ledger_problem"]})
    Console().print(
        T["written"] % {"report": out / "report.html", "runs": out / "runs.parquet", "monthly": out / "monthly.parquet"}
    )


@lab_app.command("run")
def run(
    scenario: str = typer.Argument(..., help="Scenario YAML file, or the name of a shipped scenario (regie lab list)"),
    runs: int | None = typer.Option(None, "--runs", "-n", help="Runs per arm (default: the file's)"),
    workers: int = typer.Option(1, "--workers", "-w", help="Local worker processes"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address tcp://host:port"),
    seed: int | None = typer.Option(None, "--seed", help="Ensemble seed (default: the file's)"),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default var/lab/<name>)"),
    equity: str = typer.Option("icc", "--equity", help=EQUITY_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON"),
    lang: str = typer.Option("nl", "--lang", help=LANG_HELP),
    norm_pct: int | None = typer.Option(
        None, "--norm-pct", min=50, max=150, help="Arms after the first: bijstandsnorm as % of the national norm"
    ),
    vrijlating_pct: int | None = typer.Option(
        None, "--vrijlating-pct", min=0, max=100, help="Arms after the first: inkomstenvrijlating %"
    ),
    vrijlating_max: float | None = typer.Option(
        None, "--vrijlating-max", min=0, max=2000, help="Arms after the first: vrijlating maximum (euro a month)"
    ),
):
    """Run a scenario's ensemble: Parquet tables, summary.json and report.html in --out (with the I-deel from
    simulated ledgers, and its cost of a change to the norm or the vrijlating)."""
    from regie.core.lab.ledger import ledger_change as to_ledger_change
    from regie.core.lab.report import write

    if equity not in ("icc", "local"):
        raise typer.BadParameter("icc or local", param_hint="--equity")
    lang = _lang(lang)
    change = to_ledger_change(
        {"norm_pct": norm_pct, "vrijlating_percentage": vrijlating_pct, "vrijlating_max": vrijlating_max}
    )
    s, arms, secs = _run_scenario(scenario, runs, workers, scheduler, seed, equity=equity, ledger_change=change)
    out = out or Path("var/lab") / s.name
    problem = next((r["ledger"]["problem"] for rs in arms.values() for r in rs if "problem" in r.get("ledger", {})), "")
    meta = {"seconds": round(secs, 2), "workers": workers, "scheduler": scheduler, "out": str(out)}
    summary = write(out, s, arms, {**meta, "ledger_problem": problem, "ledger_change": change}, lang=lang)
    _emit(summary, as_json, out, s, lang)


@lab_app.command("compare")
def compare(
    scenarios: list[str] = typer.Argument(..., help="Two or more scenario files or shipped scenario names"),
    runs: int | None = typer.Option(None, "--runs", "-n"),
    workers: int = typer.Option(1, "--workers", "-w"),
    scheduler: str | None = typer.Option(None, "--scheduler"),
    seed: int | None = typer.Option(None, "--seed"),
    out: Path = typer.Option(Path("var/lab/compare"), "--out", "-o"),
    equity: str = typer.Option("icc", "--equity", help=EQUITY_HELP),
    as_json: bool = typer.Option(False, "--json"),
    lang: str = typer.Option("nl", "--lang", help=LANG_HELP),
):
    """Run several scenarios and put them side by side (arms are named scenario/arm)."""
    from regie.core.lab.report import TEXTS, write
    from regie.core.lab.scenario import Arm, Scenario, Text

    lang = _lang(lang)
    arms = {}
    shown = {}
    titles = {code: [] for code in TEXTS}
    secs = 0.0
    for path in scenarios:
        s, a, t = _run_scenario(path, runs, workers, scheduler, seed, equity=equity)
        secs += t
        for code in TEXTS:
            titles[code].append(s.title.in_(code))
        for k, v in a.items():
            key = k if k == s.name else f"{s.name}/{k}"
            arms[key] = v
            own = s.arm_label(k)
            shown[key] = Arm(
                label=Text(**{c: f"{s.title.in_(c)}: {own.in_(c) if own else k}" for c in TEXTS})
                if k != s.name
                else s.title
            )
    combo = Scenario(
        name=" vs ".join(str(p) for p in scenarios),
        title=Text(**{c: " — ".join(titles[c]) for c in TEXTS}),
        question=Text(**{c: TEXTS[c]["comparison"] for c in TEXTS}),
        arms=shown,
    )
    summary = write(out, combo, arms, {"seconds": round(secs, 2), "out": str(out)}, lang=lang)
    _emit(summary, as_json, out, combo, lang)


@lab_app.command("calibrate")
def calibrate(seed: int = typer.Option(2004, "--seed"), as_json: bool = typer.Option(False, "--json")):
    """Default parameters against the published aggregates (docs/lab-calibration.md); exit 1 on a miss."""
    from regie.core.lab.calibrate import calibration_table

    rows = calibration_table(seed)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.table import Table

        t = Table(title="Policy lab calibration (through regie.core.kpi)")
        for c in ("target", "value", "band", "simulated", "ok", "source"):
            t.add_column(c)
        for r in rows:
            t.add_row(
                r["label"],
                f"{r['target']}",
                f"{r['low']}–{r['high']}",
                f"{r['simulated']}",
                "✓" if r["ok"] else "✗",
                r["source"],
            )
        Console().print(t)
    if not all(r["ok"] for r in rows):
        sys.exit(1)


@lab_app.command("list")
def list_scenarios(lang: str = typer.Option("nl", "--lang", help="Language of the titles: nl or en")):
    """The scenarios shipped with Regie, with their titles (run one by name: regie lab run h1-sturing)."""
    from regie.core.lab import scenario as sc

    lang = _lang(lang)
    try:
        files = sc.shipped()
    except LookupError as exc:
        typer.echo(f"scenario: {exc}", err=True)
        raise typer.Exit(1) from exc
    for name, path in files.items():
        typer.echo(f"{name}\t{sc.load(path).title.in_(lang)}")


def register(app) -> None:
    app.add_typer(lab_app, name="lab")
