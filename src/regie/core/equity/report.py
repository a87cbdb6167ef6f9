"""The discretion monitor: variance split, caseworker effects, funnel flags, deviations and comparable pairs
(docs/equity.md). Shapes of the results: see the package docstring (``regie.core.equity``)."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import polars as pl

from .coding import LOGICS, code_motivation
from .data import COVARIATES, DECISIONS, EXTRA, cell_codes, decision_table, design_matrix, level_codes, prepare
from .funnel import limits
from .models import LATENT_RESIDUAL, Fit, _mu, aggregate_cells, design_cells, fit_glmm, fit_linear

SCALE = {"binary": "logit", "continuous": "units", "duration": "log_hazard"}


PROFILE_MAX_ROWS = 60_000  # ci="auto": profile-likelihood CI up to this many rows, Wald on log(sd) above
AGGREGATE_BELOW = 0.8  # GLMMs are fitted on (caseworker x covariate pattern) cells when that leaves < 80% of rows


def _one_blas_thread(fn):
    """Run ``fn`` with BLAS limited to one thread. The monitor's matrices are tall and narrow (rows x ~40): a
    second BLAS thread gains little on an idle machine, and on shared cores (a web server, other jobs) OpenBLAS's
    thread hand-offs made the same report 2-7x slower (docs/equity.md, Performance). The limit is process-wide
    while ``fn`` runs (threadpoolctl)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return wrapper


def _fit(table, ci: str) -> tuple[Fit, np.ndarray, np.ndarray, np.ndarray]:
    if ci == "auto":
        ci = "profile" if (table.kind == "continuous" or table.rows.height <= PROFILE_MAX_ROWS) else "wald"
    if table.kind == "continuous":
        X, _names, y, g, labels, off = table.design()
        return fit_linear(X, y, g, len(labels), ci=ci), y, g, labels
    # the units' design as 0/1 bytes: only the cells' design (or, without cells, the units') becomes float64
    X, _names, y, g, labels, off = table.design(dtype=np.uint8)
    family = "binomial" if table.kind == "binary" else "poisson"
    # cells of the design actually fitted (sparse levels pooled, collinear columns dropped), not of the covariate
    # strings: pooling makes more rows share a cell (deviation: 181,000 instead of 259,000 of 264,000 rows)
    dc = design_cells(X, g)
    cells, n_cells = (dc[1], len(dc[0])) if dc is not None else cell_codes(table.rows, table.covariates)
    del dc
    if n_cells < AGGREGATE_BELOW * len(y):
        # exact: the likelihood depends on the data only through per-cell counts (models.aggregate_cells)
        Xc, yc, gc, offc, trials, inv, const = aggregate_cells(X, y, g, family, off, cells=cells)
        del X, cells  # the unit-level design is not needed again (a unit's design row is its cell's)
        Xc = Xc.astype(np.float64)
        fit = fit_glmm(Xc, yc, gc, len(labels), family=family, offset=offc, ci=ci, trials=trials)
        eta = (Xc @ fit.extra["beta_glm"])[inv]
        fit.expected = _mu(family, eta if off is None else eta + off)  # per unit again
        fit.loglik += const
        fit.extra["cells"] = n_cells
        fit.method += f"; fitted on {n_cells} caseworker x covariate-pattern cells (same likelihood)"
    else:
        del cells
        fit = fit_glmm(X.astype(np.float64), y, g, len(labels), family=family, offset=off, ci=ci)
    return fit, y, g, labels


def _r(x, nd=6):
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return None
    return round(x, nd)


def analyse_decision(frames, decision: str, *, as_of=None, min_caseload: int = 20, ci: str = "auto") -> dict:
    """One entry of ``equity_report(...)["decisions"]``."""
    kind, description = DECISIONS[decision]
    table = decision_table(frames, decision, as_of=as_of)
    rows = table.rows
    out = {
        "kind": kind,
        "description": description,
        "unit": table.unit,
        "scale": SCALE[kind],
        "n": 0,
        "n_caseworkers": 0,
        "mean": None,
        "icc": None,
        "icc_ci": None,
        "var_caseworker": None,
        "sd_caseworker": None,
        "method": None,
        "caseworker_effects": [],
        "funnel_target": None,
        "funnel_v": None,
        "funnel_y": None,
        "n_flagged": 0,
        "error": None,
    }
    n_units = rows["case_id"].n_unique() if kind == "duration" else rows.height
    out["n"] = n_units
    n_cw = rows["caseworker"].n_unique()
    out["n_caseworkers"] = n_cw
    if rows.height < 30 or n_cw < 3 or rows["y"].cast(pl.Float64).std() in (None, 0.0):
        out["error"] = "too little data or no variation (at least 30 units, 3 caseworkers and both outcomes)"
        if rows.height:
            out["mean"] = _r(rows["y"].cast(pl.Float64).mean())
        return out
    fit, y, g, labels = _fit(table, ci)
    out.update(
        icc=_r(fit.icc),
        icc_ci=[_r(fit.icc_ci[0]), _r(fit.icc_ci[1])] if fit.icc_ci else None,
        var_caseworker=_r(fit.var_u),
        sd_caseworker=_r(math.sqrt(fit.var_u)),
        method=fit.method,
    )
    G = len(labels)
    O = np.bincount(g, weights=y, minlength=G)  # noqa: E741  (observed, as in O/E)
    E = np.bincount(g, weights=fit.expected, minlength=G)
    if kind == "duration":
        case_codes = rows["case_id"].to_numpy()
        n_per = np.array(
            rows.select("caseworker", "case_id")
            .unique()
            .group_by("caseworker")
            .len()
            .sort("caseworker")["len"]
            .to_numpy()
        )
        # rows are sorted by caseworker and labels come from np.unique, so both orders agree
        out["mean"] = _r(y.sum() / max(len(set(case_codes)), 1))
        target, v = 1.0, 0.0
        out["funnel_y"] = "O/E: observed over expected trajectory starts"
    else:
        n_per = np.bincount(g, minlength=G)
        out["mean"] = _r(y.mean())
        target = float(y.mean())
        if kind == "binary":
            v = float((fit.expected * (1 - fit.expected)).mean())
            out["funnel_y"] = "risk-adjusted rate: overall rate + (O - E) / n"
        else:
            v = float(fit.extra["ols_resid_var"])
            out["funnel_y"] = "adjusted mean: overall mean + (O - E) / n"
    out["funnel_target"], out["funnel_v"] = _r(target), _r(v)
    team_of = dict(rows.group_by("caseworker").agg(pl.col("team").drop_nulls().mode().first()).iter_rows())
    effects = []
    n_flagged = 0
    for j, cw in enumerate(labels):
        n = int(n_per[j])
        if kind == "duration":
            x, yv = float(E[j]), (float(O[j] / E[j]) if E[j] > 0 else None)
            observed, expected = float(O[j]), float(E[j])
        else:
            x = float(n)
            yv = target + float(O[j] - E[j]) / n if n else None
            observed, expected = float(O[j] / n), float(E[j] / n)
        lim = limits(kind, x, target, v)
        flag = None
        if yv is not None and n >= min_caseload and lim["hi998"] is not None:
            if yv > lim["hi998"]:
                flag = "above"
            elif yv < lim["lo998"]:
                flag = "below"
        n_flagged += flag is not None
        eff, sd = float(fit.blup[j]), float(fit.blup_sd[j])
        effects.append(
            {
                "caseworker": str(cw),
                "team": team_of.get(cw),
                "n": n,
                "observed": _r(observed),
                "expected": _r(expected),
                "effect": _r(eff),
                "effect_ci": [_r(eff - 1.96 * sd), _r(eff + 1.96 * sd)],
                "funnel": {"x": _r(x), "y": _r(yv), **{k: _r(val) for k, val in lim.items()}},
                "flag": flag,
            }
        )
    out["caseworker_effects"] = effects
    out["n_flagged"] = n_flagged
    return out


@_one_blas_thread
def caseworker_icc(frames, decision: str, *, as_of=None, ci: str = "wald") -> dict:
    """ICC of one decision (cheap: Wald CI on log(sd) by default; ``ci="profile"`` for the profile interval)."""
    kind = DECISIONS[decision][0]
    table = decision_table(frames, decision, as_of=as_of)
    rows = table.rows
    n = rows["case_id"].n_unique() if kind == "duration" else rows.height
    base: dict[str, Any] = {"kind": kind, "n": n, "n_caseworkers": rows["caseworker"].n_unique()}
    if rows.height < 30 or base["n_caseworkers"] < 3 or rows["y"].cast(pl.Float64).std() in (None, 0.0):
        return {
            **base,
            "icc": None,
            "icc_ci": None,
            "var_caseworker": None,
            "method": None,
            "error": "too little data or no variation",
        }
    fit, *_ = _fit(table, ci)
    return {
        **base,
        "icc": fit.icc,
        "icc_ci": list(fit.icc_ci) if fit.icc_ci else None,
        "var_caseworker": fit.var_u,
        "method": fit.method,
    }


@_one_blas_thread
def between_municipalities(frames_list: Iterable, decision: str, *, as_of=None) -> dict:
    """Variance split with municipality as a level above the caseworker.

    Caseworkers are nested in municipalities. The caseworker variance is estimated within municipalities (a
    random-intercept model with municipality fixed effects); the municipality variance by the method of moments
    from those fixed effects: tau^2 = max(0, var(a_m) - mean(se_m^2)) (DerSimonian-Laird style), on the same latent
    (or, for continuous decisions, observed) scale. ICCs: tau^2 / (tau^2 + var_cw + residual) and
    var_cw / (tau^2 + var_cw + residual). With few municipalities (< 10) tau^2 is very uncertain (``warning``).
    """
    kind = DECISIONS[decision][0]
    tables = []
    for fr in frames_list:
        t = decision_table(fr, decision, as_of=as_of)
        tables.append(
            t.rows.with_columns(
                pl.lit(fr.municipality).alias("municipality"),
                (pl.lit(fr.municipality + ":") + pl.col("caseworker")).alias("caseworker"),
            )
        )
    rows = pl.concat(tables, how="diagonal_relaxed")
    munis = sorted(rows["municipality"].unique().to_list())
    covs = list(COVARIATES) + EXTRA[decision] + (["piece"] if decision == "time_to_trajectory" else [])
    X, names, y, g, labels, off = design_matrix(rows, covs)
    # municipality dummies (reference = first municipality)
    mvals = rows["municipality"].to_numpy()
    dummies = [(mvals == m).astype(float) for m in munis[1:]]
    if dummies:
        X = np.column_stack([X] + dummies)
    if kind == "continuous":
        fit = fit_linear(X, y, g, len(labels))
        resid = fit.var_e
    else:
        fit = fit_glmm(X, y, g, len(labels), family="binomial" if kind == "binary" else "poisson", offset=off)
        resid = LATENT_RESIDUAL["binomial" if kind == "binary" else "poisson"]
    k = len(dummies)
    a = np.concatenate([[0.0], fit.beta[len(fit.beta) - k :]]) if k else np.array([0.0])
    # Standard errors of the municipality contrasts (approximation, not from the model's Hessian): a municipality's
    # effect is about the mean of its caseworkers' means, variance (var_cw + v / n_per_cw) / n_cw, with v the
    # per-unit sampling variance on the model scale (delta method: binary 1 / (p (1 - p)), duration 1 / events per
    # unit, continuous the residual variance). var_cw is ML-estimated next to M municipality fixed effects, which
    # biases it down by about (G - M) / G for G caseworkers; it is scaled back up by G / (G - M) here (the REML
    # degrees-of-freedom correction of a balanced design).
    by_m = (
        rows.group_by("municipality")
        .agg(
            pl.col("caseworker").n_unique().alias("ncw"),
            pl.len().alias("n"),
            pl.col("y").cast(pl.Float64).sum().alias("ysum"),
        )
        .sort("municipality")
    )
    n_cw, n_m, ysum = (by_m[c].to_numpy().astype(float) for c in ("ncw", "n", "ysum"))
    if kind == "binary":
        pm = np.clip(ysum / n_m, 0.5 / n_m, 1 - 0.5 / n_m)
        v_unit = 1.0 / (pm * (1 - pm))
    elif kind == "duration":
        v_unit = n_m / np.maximum(ysum, 0.5)
    else:
        v_unit = np.full(len(n_m), resid)
    G = len(labels)
    var_cw_adj = fit.var_u * G / max(G - len(munis), 1)
    se2 = (var_cw_adj + v_unit * n_cw / n_m) / n_cw
    a_c = a - a.mean()
    tau2 = max(0.0, float(a_c.var(ddof=1)) - float(se2.mean())) if len(a) > 1 else 0.0
    total = tau2 + fit.var_u + resid
    return {
        "decision": decision,
        "kind": kind,
        "n": int(rows.height),
        "n_municipalities": len(munis),
        "n_caseworkers": len(labels),
        "var_municipality": tau2,
        "var_caseworker": fit.var_u,
        "var_residual": resid,
        "icc_municipality": tau2 / total,
        "icc_caseworker": fit.var_u / total,
        "icc_caseworker_ci": list(fit.icc_ci) if fit.icc_ci else None,
        "municipalities": [
            {
                "municipality": m,
                "n": int(n_m[i]),
                "effect": float(a_c[i]),
                "effect_ci": [float(a_c[i] - 1.96 * math.sqrt(se2[i])), float(a_c[i] + 1.96 * math.sqrt(se2[i]))],
            }
            for i, m in enumerate(munis)
        ],
        "method": fit.method + "; municipality: fixed effects, variance by method of moments",
        "warning": "fewer than 10 municipalities: the municipality variance is very uncertain"
        if len(munis) < 10
        else None,
    }


def comparable_pairs(
    frames, decision: str, *, covariates: list[str] | None = None, limit: int = 50, as_of=None
) -> list[dict]:
    """Pairs of exactly matched clients (same coarsened covariates, see ``COVARIATES``; plus the decision's own
    situation, e.g. the obligation type of a violation) with different caseworkers and different decisions.

    One pair per stratum, largest strata first; for continuous decisions the highest against the lowest value.
    Durations are paired on trajectory-within-12-months. Clients are pseudonymised ids.
    """
    if decision == "time_to_trajectory":
        decision = "trajectory_12m"
    kind = DECISIONS[decision][0]
    rows = decision_table(frames, decision, as_of=as_of).rows
    covs = list(covariates) if covariates is not None else list(COVARIATES) + EXTRA[decision]
    covs = [c for c in covs if c in rows.columns]
    # the covariates as the codes of their sorted text levels (data.level_codes): the same groups and sort order as
    # the text, printed through the levels, without a 266,783-row string column per covariate (the deviation
    # step's memory peak was here) or a cast through text (a third of the pairs' time)
    levels_of, codes = {}, []
    for c in covs:
        levels_of[c], code, _ = level_codes(rows[c])
        codes.append(pl.Series(c, code, dtype=pl.UInt32))
    rows = rows.with_columns(pl.col("y").cast(pl.Float64).alias("_y"), *codes)
    strata = (
        rows.group_by(covs)
        .agg(pl.len().alias("_n"), pl.col("_y").n_unique().alias("_ny"), pl.col("caseworker").n_unique().alias("_ncw"))
        .filter((pl.col("_ny") > 1) & (pl.col("_ncw") > 1))
        .sort(["_n"] + covs, descending=[True] + [False] * len(covs))
    )
    if strata.height == 0:
        return []
    strata = strata.with_row_index("_s")  # order: largest first, then by covariate values
    cand = (
        rows.join(strata.select(covs + ["_s"]), on=covs, how="inner")
        .sort(["_s", "_y", "date", "case_id"])
        .with_row_index("_i")
    )
    # One pair per stratum, chosen as a scan would: a = the first "high" row (in the order above) that has a "low"
    # row under another caseworker, b = the first such low row. Vectorised: with lo1 the first low row and lo2 the
    # first low row of a caseworker other than lo1's, the pair is (hi1, lo1 or lo2) if lo2 exists, else (the first
    # high row not of lo1's caseworker, lo1).
    cand = cand.with_columns(pl.col("_y").max().over("_s").alias("_ymax"), pl.col("_y").min().over("_s").alias("_ymin"))
    hi = cand.filter(pl.col("_y") == pl.col("_ymax"))
    lo = cand.filter(pl.col("_y") == pl.col("_ymin"))
    lo1 = lo.group_by("_s").agg(pl.col("_i").first().alias("lo1"), pl.col("caseworker").first().alias("lo1_cw"))
    lo2 = (
        lo.join(lo1, on="_s")
        .filter(pl.col("caseworker") != pl.col("lo1_cw"))
        .group_by("_s")
        .agg(pl.col("_i").first().alias("lo2"))
    )
    hi1 = hi.group_by("_s").agg(pl.col("_i").first().alias("hi1"), pl.col("caseworker").first().alias("hi1_cw"))
    hia = (
        hi.join(lo1, on="_s")
        .filter(pl.col("caseworker") != pl.col("lo1_cw"))
        .group_by("_s")
        .agg(pl.col("_i").first().alias("hia"))
    )
    choice = (
        strata.select("_s", "_n")
        .join(lo1, on="_s", how="left")
        .join(lo2, on="_s", how="left")
        .join(hi1, on="_s", how="left")
        .join(hia, on="_s", how="left")
        .with_columns(
            pl.when(pl.col("lo2").is_not_null()).then(pl.col("hi1")).otherwise(pl.col("hia")).alias("a"),
            pl.when(pl.col("lo2").is_null() | (pl.col("hi1_cw") != pl.col("lo1_cw")))
            .then(pl.col("lo1"))
            .otherwise(pl.col("lo2"))
            .alias("b"),
        )
        .filter(pl.col("a").is_not_null())
        .sort("_s")
        .head(limit)
    )
    by_i = cand.select("_i", "client_id", "case_id", "event_id", "caseworker", "team", "date", "_y")
    a_rows = choice.select("_s", pl.col("a").alias("_i")).join(by_i, on="_i", how="left").sort("_s")
    b_rows = choice.select("_s", pl.col("b").alias("_i")).join(by_i, on="_i", how="left").sort("_s")
    keys = choice.select("_s").join(strata, on="_s", how="left").sort("_s")
    out = []
    for key, ra, rb in zip(keys.iter_rows(named=True), a_rows.iter_rows(named=True), b_rows.iter_rows(named=True)):
        out.append(
            {
                "stratum": {c: levels_of[c][key[c]] for c in covs},
                "stratum_size": int(key["_n"]),
                "a": _side(ra, kind),
                "b": _side(rb, kind),
            }
        )
    return out


def _side(r: dict, kind: str) -> dict:
    value = r["_y"] if kind == "continuous" else bool(r["_y"])
    return {
        "client": r["client_id"],
        "case": r["case_id"],
        "event": r.get("event_id"),
        "caseworker": r["caseworker"],
        "team": r.get("team"),
        "date": r["date"].isoformat() if r.get("date") else None,
        "value": value,
    }


def deviations(frames, *, as_of=None, human_codes: Mapping[str, str] | None = None, top: int = 5) -> dict:
    """Deviation rates from the policy recommendation per caseworker and team, with motivations coded by logic
    (human codes, keyed by event id, take precedence over the lexicon's first pass)."""
    rows = decision_table(frames, "deviation", as_of=as_of).rows
    human_codes = human_codes or {}
    dev = rows.filter(pl.col("y"))
    logic_of = []
    coded: dict[tuple, str | None] = {}  # the lexicon's logic per (text, code): a few dozen texts in 25,000 rows
    for r in dev.select("event_id", "motivation", "motivation_code").iter_rows():
        code = human_codes.get(r[0])
        if code is None:
            if (r[1], r[2]) not in coded:
                coded[r[1], r[2]] = code_motivation(r[1], r[2])["logic"]
            logic_of.append(coded[r[1], r[2]])
        else:
            logic_of.append(code if code in LOGICS else None)
    dev = dev.with_columns(pl.Series("logic", logic_of, dtype=pl.Utf8)).with_row_index("_i")

    def summarise(key: str) -> list[dict]:
        """Per value of ``key``: decisions, deviations by logic and the ``top`` motivations (most frequent first,
        on ties the first seen: as ``Counter.most_common`` over the rows in order)."""
        tot = dict(rows.group_by(key).len().iter_rows())
        by: dict = defaultdict(dict)
        for k, logic, n in (
            dev.group_by(key, pl.col("logic").fill_null("unclassified").alias("_logic")).len().iter_rows()
        ):
            by[k][logic] = n
        mot: dict = defaultdict(list)
        ranked = (
            dev.group_by(key, "motivation", "motivation_code", "logic")
            .agg(pl.len().alias("_n"), pl.col("_i").min().alias("_first"))
            .sort("_n", "_first", descending=[True, False])
        )
        for k, text, code, logic, n, _ in ranked.iter_rows():
            if len(mot[k]) < top:
                mot[k].append({"text": text, "code": code, "logic": logic, "n": n})
        out = []
        for k in sorted(tot, key=lambda x: (x is None, str(x))):
            nd = sum(by[k].values())
            out.append(
                {
                    key: k,
                    "n_decisions": int(tot[k]),
                    "n_deviations": nd,
                    "rate": nd / tot[k] if tot[k] else None,
                    "by_logic": {lg: by[k].get(lg, 0) for lg in (*LOGICS, "unclassified")},
                    "motivations": mot[k],
                }
            )
        return out

    all_by = Counter((lg or "unclassified") for lg in logic_of)
    n = rows.height
    overall = {
        "n_decisions": n,
        "n_deviations": dev.height,
        "rate": dev.height / n if n else None,
        "by_logic": {lg: all_by.get(lg, 0) for lg in (*LOGICS, "unclassified")},
    }
    return {"caseworkers": summarise("caseworker"), "teams": summarise("team"), "overall": overall}


@_one_blas_thread
def equity_report(
    frames,
    *,
    as_of: dt.date | None = None,
    decisions: list[str] | None = None,
    min_caseload: int = 20,
    progress: Callable[[str, int, int], None] | None = None,
    human_codes: Mapping[str, str] | None = None,
    pairs_limit: int = 20,
    ci: str = "wald",
) -> dict:
    """The whole discretion monitor for one municipality (JSON-serialisable; shape in the package docstring).

    ``progress(step_name, done, total)`` is called before each step and once at the end.

    ``ci``: the caseworker-variance interval of the yes/no and duration models. "wald" (default; on log(sd), with
    the profile-likelihood upper limit at zero variance) costs one extra gradient; "profile" refits the model
    10-20 times per decision (about half of the report's time before Wald became the default) and is what
    :func:`profile_intervals` adds afterwards (the web report's job does). The estimates are the same either way;
    linear models always get their (cheap, one-parameter) profile interval. "auto": profile up to
    ``PROFILE_MAX_ROWS`` rows.
    """
    names = list(decisions) if decisions else list(DECISIONS)
    for d in names:
        if d not in DECISIONS:
            raise ValueError(f"unknown decision {d!r}; choose from {sorted(DECISIONS)}")
    prep = prepare(frames, as_of)
    total = len(names) + 2
    step = 0

    def tick(label):
        nonlocal step
        if progress:
            progress(label, step, total)
        step += 1

    result = {
        "municipality": frames.municipality,
        "as_of": prep.as_of.isoformat(),
        "n_clients": int(prep.cases.filter(pl.col("grant").is_not_null())["client_id"].n_unique()),
        "n_caseworkers": int(prep.assignments["caseworker"].n_unique()),
        "covariates": list(COVARIATES),
        "min_caseload": min_caseload,
        "decisions": {},
        "deviations": None,
        "pairs": {},
    }
    # each decision's table serves its model, its comparable pairs (and the deviation table the deviations), then
    # is released: holding all seven until the pairs at the end was a third of the report's resident memory
    for d in names:
        tick(d)
        result["decisions"][d] = analyse_decision(frames, d, as_of=prep.as_of, min_caseload=min_caseload, ci=ci)
        if d == "deviation":
            result["deviations"] = deviations(frames, as_of=prep.as_of, human_codes=human_codes)
        if not (d == "time_to_trajectory" and "trajectory_12m" in names):
            result["pairs"][d] = comparable_pairs(frames, d, limit=pairs_limit, as_of=prep.as_of)
        for key in [k for k in prep.tables if k[1] is None and k[0] in (d, "trajectory_12m")]:
            if key[0] == d or d == "time_to_trajectory":
                del prep.tables[key]
    tick("deviations")
    if result["deviations"] is None:
        result["deviations"] = deviations(frames, as_of=prep.as_of, human_codes=human_codes)
    prep.tables.pop(("deviation", None), None)
    tick("pairs")  # computed with each decision above
    if progress:
        progress("done", total, total)
    return result


@_one_blas_thread
def profile_intervals(frames, decisions: Iterable[str], *, as_of=None) -> dict[str, dict]:
    """Profile-likelihood intervals of the caseworker variance, for a report computed with Wald intervals:
    ``{decision: {"icc_ci": [lo, hi], "method": str}}`` (decisions without a fitted model are left out). Run after
    the report (a job), never inside a web request: it refits each model 10-20 times."""
    out: dict[str, dict] = {}
    for d in decisions:
        r = caseworker_icc(frames, d, as_of=as_of, ci="profile")
        if r.get("icc_ci") is not None:
            out[d] = {"icc_ci": [_r(r["icc_ci"][0]), _r(r["icc_ci"][1])], "method": r["method"]}
    return out
