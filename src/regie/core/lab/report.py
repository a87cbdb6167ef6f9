"""Ensemble outputs: Parquet tables (polars) and a self-contained HTML report with plots (matplotlib → inline SVG)
showing the mean and the 90% band (5th-95th percentile over runs) of each arm."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from ..dates import nl_date
from .ensemble import aggregate, flatten

HEADLINE = [
    ("outflow_to_work_per_year_pct", "Uitstroom naar werk per jaar (% bestand)"),
    ("outflow_per_year_pct", "Uitstroom per jaar (% bestand)"),
    ("mean_duration_months", "Gemiddelde duur (maanden)"),
    ("cost_per_success", "Kosten per geslaagd traject (€)"),
    ("trajectory_rate_ratio", "Gelijke behandeling: trajecten laagste/hoogste herkomstgroep"),
    ("equal_treatment.icc", "Gelijke behandeling: verschil tussen klantmanagers (ICC trajectkans)"),
    ("deviation_rate", "Afwijkingen van de aanbeveling (aandeel besluiten)"),
    ("caseworker_sd_trajectory_rate", "Verschil tussen klantmanagers (sd trajectkans)"),
    ("stock_end_graniet_share", "Aandeel 'granieten' bestand aan het eind"),
    ("cohort.langdurigheid", "RWI langdurigheid Y/X"),
    ("cohort.sluiting", "RWI sluiting A/Z"),
    # benefit (h/benefit2): I-deel from simulated ledgers (ledger.lab_ledger)
    ("ledger.total", "I-deel volgens de uitkeringsberekening (€, hele periode)"),
    ("ledger.vrijlating_total", "Waarvan inkomstenvrijlating (€, hele periode)"),
]


# The report's own text in its two languages (the core has no Django catalogue: the adapter passes ``lang``). The
# headline labels above are the Dutch ones (the CLI prints them); their English is here. Sources and code
# references are kept apart (SOURCES) and shown only behind the "Bron" disclosure.
TEXTS = {
    "nl": {
        "title": "Beleidslab",
        "question": "Vraag.",
        "answer": "Antwoord (verschepte run).",
        "runs": "%(n)s runs; gemiddelde met 90%%-band over runs (5e tot 95e percentiel).",
        "simulated": "Gesimuleerd: de uitkomsten volgen uit het model van het beleidslab en zijn aannames, "
        "geen metingen.",
        "source": "Bron",
        "months_since": "maanden sinds %(date)s",
        "months": "maand",
        "stock": "Bestand (gemiddelde en 90%-band)",
        "outflow_work": "Uitstroom naar werk per maand",
        "w_spent": "W-deel uitgaven per maand (€)",
        "i_ledger": "I-deel volgens de uitkeringsberekening per maand (€)",
        # the command line's table (regie lab run / compare)
        "table": "%(title)s — gemiddelde [5%%–95%%] over de runs",
        "measure": "maat",
        "ledger_missing": "I-deel volgens de uitkeringsberekening ontbreekt: %(problem)s",
        "written": "rapport: %(report)s  tabellen: %(runs)s, %(monthly)s",
        "comparison": "Vergelijking van scenario's",
    },
    "en": {
        "title": "Policy lab",
        "question": "Question.",
        "answer": "Answer (shipped run).",
        "runs": "%(n)s runs; mean with the 90%% band over runs (5th to 95th percentile).",
        "simulated": "Simulated: the outcomes follow from the policy lab's model and its assumptions, not from "
        "measurements.",
        "source": "Source",
        "months_since": "months since %(date)s",
        "months": "month",
        "stock": "Caseload (mean and 90% band)",
        "outflow_work": "Outflow to work per month",
        "w_spent": "W-deel spending per month (€)",
        "i_ledger": "I-deel from the benefit calculation per month (€)",
        "table": "%(title)s — mean [5%%–95%%] over runs",
        "measure": "measure",
        "ledger_missing": "I-deel from the benefit calculation is missing: %(problem)s",
        "written": "report: %(report)s  tables: %(runs)s, %(monthly)s",
        "comparison": "Comparison of scenarios",
    },
}
HEADLINE_EN = {
    "outflow_to_work_per_year_pct": "Outflow to work per year (% of caseload)",
    "outflow_per_year_pct": "Outflow per year (% of caseload)",
    "mean_duration_months": "Mean duration (months)",
    "cost_per_success": "Cost per successful trajectory (€)",
    "trajectory_rate_ratio": "Equal treatment: trajectories, lowest/highest origin group",
    "equal_treatment.icc": "Equal treatment: difference between caseworkers (ICC of the trajectory chance)",
    "deviation_rate": "Deviations from the recommendation (share of decisions)",
    "caseworker_sd_trajectory_rate": "Difference between caseworkers (sd of the trajectory chance)",
    "stock_end_graniet_share": "Share of 'granite' caseload at the end",
    "cohort.langdurigheid": "RWI long-term share Y/X",
    "cohort.sluiting": "RWI closure A/Z",
    "ledger.total": "I-deel from the benefit calculation (€, whole period)",
    "ledger.vrijlating_total": "Of which earnings disregard (€, whole period)",
}
# where a figure comes from: shown only inside the "Bron" disclosure
SOURCES = [
    "docs/lab.md (rules and assumptions of the model)",
    "equal_treatment.icc: regie.core.equity.caseworker_icc (docs/equity.md)",
    "cohort.*: RWI cohort indicators (docs/kpi-definitions.md)",
]


# The adapter's number formatting (regie.lab.apps registers Django's localisation at start-up): (value, decimals,
# language) -> text. The core stays Django-free; without an adapter (the core used on its own) the fallback below
# writes the same grouping and decimal marks.
NUMBER_FORMATTER: Callable[[float, int, str], str] | None = None


def number(value: float, lang: str = "nl") -> str:
    """A figure in the report's language: grouped thousands, fewer decimals for larger numbers (presentation
    choice: whole numbers from 1,000, one decimal from 10, else three)."""
    v = float(value)
    decimals = 0 if isinstance(value, int) or abs(v) >= 1000 else 1 if abs(v) >= 10 else 3
    if NUMBER_FORMATTER is not None:
        return NUMBER_FORMATTER(v, decimals, lang)
    text = f"{v:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def headline_label(key: str, dutch: str, lang: str) -> str:
    return HEADLINE_EN.get(key, dutch) if lang == "en" else dutch


def check_language(lang: str) -> str:
    """``lang`` if the report has texts in it; ValueError naming the languages otherwise."""
    if lang not in TEXTS:
        raise ValueError(f"report language {lang!r}: one of {sorted(TEXTS)}")
    return lang


def arm_labels(scenario, arms, lang: str) -> dict[str, str]:
    """Each arm's shown name in ``lang``: the scenario file's label, else the arm's name."""
    label = getattr(scenario, "arm_label", None)
    out = {}
    for a in arms:
        text = label(a) if label is not None else None
        out[a] = text.in_(lang) if text is not None else a
    return out


def _text(value, lang: str) -> str:
    """A scenario text (``Text``) in ``lang``; '' when the scenario has none."""
    return value.in_(lang) if value is not None else ""


def tables(arms: dict[str, list[dict]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    runs = pl.DataFrame([{"arm": a, **flatten(r)} for a, rs in arms.items() for r in rs], infer_schema_length=None)
    rows = []
    for a, rs in arms.items():
        for r in rs:
            m = r["monthly"]
            for t in range(len(m["stock"])):
                rows.append({"arm": a, "run": r["run"], "month": t, **{k: float(v[t]) for k, v in m.items()}})
    return runs, pl.DataFrame(rows)


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    s = buf.getvalue()
    return s[s.find("<svg") :]


def _band_plot(
    monthly: pl.DataFrame,
    key: str,
    title: str,
    start: dt.date | None,
    *,
    xlabel: str | None = None,
    arm_labels: dict[str, str] | None = None,
) -> str:
    """A band plot of one monthly series per arm. ``xlabel`` and ``arm_labels`` (arm -> shown name) let an adapter
    draw the chart's text in the reader's language; the defaults are the report's Dutch."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    for arm, part in monthly.group_by("arm", maintain_order=True):
        g = (
            part.group_by("month")
            .agg(
                pl.col(key).mean().alias("m"),
                pl.col(key).quantile(0.05).alias("lo"),
                pl.col(key).quantile(0.95).alias("hi"),
            )
            .sort("month")
        )
        x = g["month"].to_numpy()
        ax.plot(x, g["m"].to_numpy(), label=str((arm_labels or {}).get(arm[0], arm[0])))
        ax.fill_between(x, g["lo"].to_numpy(), g["hi"].to_numpy(), alpha=0.25)
    ax.set_title(title)
    ax.set_xlabel(xlabel if xlabel is not None else "maand" + (f" (0 = {start.isoformat()})" if start else ""))
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _svg(fig)


def _bars(agg: dict[str, dict], key: str, title: str, *, arm_labels: dict[str, str] | None = None) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    arms = [a for a in agg if key in agg[a]]
    if not arms:
        return ""
    m = np.array([agg[a][key]["mean"] for a in arms])
    lo = m - np.array([agg[a][key]["p05"] for a in arms])
    hi = np.array([agg[a][key]["p95"] for a in arms]) - m
    fig, ax = plt.subplots(figsize=(4.2, 2.6))
    ax.bar(range(len(arms)), m, yerr=[lo, hi], capsize=4, color="#01689b")
    ax.set_xticks(range(len(arms)), [str((arm_labels or {}).get(a, a)) for a in arms], fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3, axis="y")
    return _svg(fig)


def write(
    out: str | Path, scenario, arms: dict[str, list[dict]], meta: dict | None = None, *, lang: str = "nl"
) -> dict:
    """The tables, ``summary.json`` and ``report.html`` in ``lang`` ("nl", the default, or "en"): the report's
    own text and the scenario's title, question, answer and arm labels in that language; the scenario's
    ``source`` only behind the "Bron" disclosure."""
    T = TEXTS[check_language(lang)]  # noqa: N806
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    runs, monthly = tables(arms)
    runs.write_parquet(out / "runs.parquet")
    monthly.write_parquet(out / "monthly.parquet")
    agg = {a: aggregate(rs) for a, rs in arms.items()}
    summary = {
        "scenario": scenario.name,
        "title": _text(scenario.title, lang),
        "question": _text(scenario.question, lang),
        "answer": _text(scenario.answer, lang),
        "language": lang,
        "runs": {a: len(rs) for a, rs in arms.items()},
        "aggregate": agg,
        **(meta or {}),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    start = None
    try:
        start = dt.date.fromisoformat(str((scenario.population or {}).get("start")))
    except ValueError:
        pass
    xlabel = T["months_since"] % {"date": nl_date(start)} if start else T["months"]
    shown = arm_labels(scenario, arms, lang)
    plot = {"xlabel": xlabel, "arm_labels": shown}
    plots = [
        _band_plot(monthly, "stock", T["stock"], start, **plot),
        _band_plot(monthly, "outflow_work", T["outflow_work"], start, **plot),
        _band_plot(monthly, "w_spent", T["w_spent"], start, **plot),
    ]
    if "i_ledger" in monthly.columns:  # benefit (h/benefit2)
        plots.append(_band_plot(monthly, "i_ledger", T["i_ledger"], start, **plot))
    headline = [(k, headline_label(k, t, lang)) for k, t in HEADLINE]
    bars = [_bars(agg, k, t, arm_labels=shown) for k, t in headline]

    def cell(a, k):
        if k not in agg[a]:
            return "<td>–</td>"
        v = agg[a][k]
        return (
            f"<td>{number(v['mean'], lang)} <small>[{number(v['p05'], lang)} – {number(v['p95'], lang)}]</small></td>"
        )

    rows = "".join(f"<tr><th>{html.escape(t)}</th>" + "".join(cell(a, k) for a in arms) + "</tr>" for k, t in headline)
    own = [" ".join(scenario.source.split())] if getattr(scenario, "source", "") else []
    sources = "".join(f"<li>{html.escape(s)}</li>" for s in [*own, *SOURCES])
    title = html.escape(_text(scenario.title, lang) or scenario.name)
    question = _text(scenario.question, lang) or _text(scenario.description, lang)
    answer = _text(scenario.answer, lang)
    texts = "\n".join(
        f"<p><strong>{T[k]}</strong> {html.escape(v)}</p>" for k, v in (("question", question), ("answer", answer)) if v
    )
    page = f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{T["title"]}: {title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}}
.grid{{display:flex;flex-wrap:wrap;gap:1rem}} svg{{max-width:100%;height:auto}}</style></head><body>
<h1>{T["title"]}: {title}</h1>
{texts}
<p>{T["runs"] % {"n": number(sum(len(r) for r in arms.values()), lang)}}
{T["simulated"]}</p>
<details><summary>{T["source"]}</summary><ul>{sources}</ul></details>
<table><tr><th></th>{"".join(f"<th>{html.escape(str(shown[a]))}</th>" for a in arms)}</tr>{rows}</table>
{"".join(f"<figure>{p}</figure>" for p in plots)}
<div class="grid">{"".join(f"<figure>{b}</figure>" for b in bars if b)}</div>
</body></html>"""
    (out / "report.html").write_text(page, encoding="utf-8")
    return summary
