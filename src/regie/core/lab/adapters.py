"""One function per concurrent dependency of the lab, so wiring a changed API in is a one-line change here.

- policy engine (``regie.core.policy``): ``policy_for``, ``recommend_batch``, ``sanction_for``
- cohort KPIs and indicators (``regie.core.kpi``): ``cohort_kpis``, ``stock_and_flows``, ``trajectory_results``
- synthetic population (``regie.core.synth.params``): ``population_params``
- equal treatment (``regie.core.equity``): ``equal_treatment`` = ``caseworker_icc`` on the decision
  "trajectory started within 12 months"; :func:`local_equal_treatment` (rates by origin) remains as the fast
  fallback for large ensembles (``method="local"``, docs/lab.md).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import polars as pl


# --- policy engine ------------------------------------------------------------------------------------------
def policy_for(code: str, on: dt.date):
    from regie.core.policy import policy_for as _pf

    return _pf(code, on)


def recommend_batch(policy, table: dict, on: dt.date):
    from regie.core.policy import recommend_batch as _rb

    return _rb(policy, table, on)


def sanction_for(policy, obligation_type: str, category: int | None, repeat_step: int, level_rank: int | None):
    from regie.core.policy import sanction_for as _sf

    return _sf(policy, obligation_type, category, repeat_step, level_rank)


# --- KPIs ---------------------------------------------------------------------------------------------------
def cohort_kpis(frames, inflow_from: dt.date, inflow_to: dt.date, as_of: dt.date | None = None, by=None) -> dict:
    from regie.core.kpi import cohort_kpis as _ck

    return _ck(frames, inflow_from, inflow_to, as_of=as_of, by=by)


def stock_and_flows(frames, start: dt.date, end: dt.date) -> dict:
    from regie.core.kpi.indicators import stock_and_flows as _sf

    return _sf(frames, start, end)


def trajectory_results(frames, start: dt.date, end: dt.date) -> list[dict]:
    from regie.core.kpi.indicators import trajectory_results as _tr

    return _tr(frames, start, end)


# --- synthetic population -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def population_params() -> dict:
    """Attribute distributions of the synthetic generator (seed 000 Tabel 2.1-2.3 and its documented assumptions)."""
    from regie.core.synth import params as P

    return {
        "age_bands": list(P.STOCK_AGE_BANDS),
        "inflow_age_shift": P.INFLOW_AGE_SHIFT,
        "share_female_other": P.SHARE_FEMALE_OTHER,
        "single_parent_female": P.SINGLE_PARENT_FEMALE,
        "origin": dict(P.ORIGIN),
        "household": dict(P.HOUSEHOLD),
        "education": dict(P.EDUCATION),
        "duration_types": {k: (v[0], v[1], v[3]) for k, v in P.DURATION_TYPES.items()},
        "work_share": dict(P.WORK_SHARE),
        "other_reasons": dict(P.OTHER_REASONS),
        "work_reasons": dict(P.WORK_REASONS),
        "reentry": dict(P.REENTRY),
        "ask_9a": P.ASK_9A,
    }


# --- equal treatment ----------------------------------------------------------------------------------------
EQUITY_DECISION = "trajectory_12m"  # regie.core.equity.DECISIONS: trajectory started within 12 months of benefit start


def equal_treatment(frames, start: dt.date, end: dt.date, method: str = "icc") -> dict:
    """Equal treatment between caseworkers, measured by the equity monitor's code:
    ``regie.core.equity.caseworker_icc`` —
    the share of the variance in a decision that lies between caseworkers after adjusting for client
    characteristics (random-intercept model; 0 = caseworkers treat comparable clients alike) — for the decision
    ``EQUITY_DECISION``, as of the end of the run. ``method="local"``: the fast fallback
    :func:`local_equal_treatment` (rates by origin), for ensembles where the model fit is too slow."""
    if method == "local":
        return local_equal_treatment(frames, start, end)
    from regie.core.equity import caseworker_icc

    base = {"decision": EQUITY_DECISION, "implementation": "regie.core.equity.caseworker_icc"}
    try:
        out = caseworker_icc(frames, EQUITY_DECISION, as_of=end - dt.timedelta(days=1))
    except Exception as exc:  # a fit that fails is reported, not fatal for the run
        return {**base, "icc": None, "error": f"{type(exc).__name__}: {exc}"[:300]}
    ci = out.get("icc_ci") or [None, None]
    return {
        **base,
        "icc": out.get("icc"),
        "icc_lo": ci[0],
        "icc_hi": ci[1],
        "n": out.get("n"),
        "n_caseworkers": out.get("n_caseworkers"),
        "method": out.get("method"),
        "error": out.get("error"),
    }


def local_equal_treatment(frames, start: dt.date, end: dt.date) -> dict:
    """LOCAL implementation (until ``regie.core.equity`` exists): per origin group, trajectories and sanctions per
    100 client-years on benefit in [start, end), and the ratio of the lowest to the highest trajectory rate."""
    ev = frames.events
    st = ev.filter(pl.col("type") == "toekenning").select("case_id", "client_id", pl.col("effective_date").alias("s"))
    en = ev.filter(pl.col("type") == "uitstroom").group_by("case_id").agg(pl.col("effective_date").max().alias("e"))
    sp = (
        st.join(en, on="case_id", how="left")
        .with_columns(
            pl.max_horizontal(pl.col("s"), pl.lit(start)).alias("a"),
            pl.min_horizontal(pl.col("e").fill_null(end), pl.lit(end)).alias("b"),
        )
        .filter(pl.col("b") > pl.col("a"))
        .with_columns(((pl.col("b") - pl.col("a")).dt.total_days() / 365.25).alias("years"))
        .join(frames.clients.select("client_id", "origin"), on="client_id", how="left")
    )
    exposure = sp.group_by("origin").agg(pl.col("years").sum())
    win = ev.filter(pl.col("effective_date").is_between(start, end, closed="left"))
    out = {}
    for t, name in (("traject_start", "trajectories"), ("maatregel", "sanctions")):
        n = (
            win.filter(pl.col("type") == t)
            .join(frames.clients.select("client_id", "origin"), on="client_id")
            .group_by("origin")
            .len()
        )
        g = exposure.join(n, on="origin", how="left").with_columns(pl.col("len").fill_null(0))
        out[name] = {o: round(100 * k / y, 3) if y else None for o, y, k in g.sort("origin").iter_rows()}
    rates = [v for v in out["trajectories"].values() if v]
    out["trajectory_rate_ratio"] = round(min(rates) / max(rates), 4) if rates else None
    out["implementation"] = "local"
    return out
