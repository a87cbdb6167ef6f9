"""Validation of the discretion monitor on data with a known caseworker effect (docs/equity.md, "Validation").

Run ``python -m regie.core.equity.validation [--seeds 5] [--clients 6000]`` for the figures in the docs:

1. own simulation: a random-intercept logistic model with a known caseworker sd (0 and 0.7 on the logit scale),
   60 caseworkers x 80 decisions, covariates; recovered sd / ICC and the share of caseworkers flagged;
2. the synthetic municipality (``regie.core.synth``) with ``caseworker_effect`` 0 and 1: the injected sds are
   0.8 (sanction vs warning), 0.5 (exemption), 0.5 (trajectory hazard) and 0.6 (classification deviation) on the
   logit / log-hazard scale (``synth/params.py`` ``CASEWORKER_SD``).
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from .funnel import limits
from .models import fit_glmm


def simulate_binary(seed: int, *, groups: int = 60, per: int = 80, sd: float = 0.7):
    rng = np.random.default_rng(seed)
    n = groups * per
    g = np.repeat(np.arange(groups), per)
    x = rng.normal(size=(n, 2))
    X = np.column_stack([np.ones(n), x, rng.random(n) < 0.3])
    u = rng.normal(0, sd, groups)
    eta = -0.8 + 0.6 * x[:, 0] - 0.4 * x[:, 1] + 0.5 * X[:, 3] + u[g]
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    return X, y, g, groups, u


def funnel_flags(y, expected, g, groups, *, min_n: int = 20) -> int:
    """Number of groups outside the 99.8% funnel limits (the same rule as ``equity_report``)."""
    target = float(y.mean())
    v = float((expected * (1 - expected)).mean())
    O = np.bincount(g, weights=y, minlength=groups)  # noqa: E741  (observed, as in O/E)
    E = np.bincount(g, weights=expected, minlength=groups)
    n = np.bincount(g, minlength=groups)
    flagged = 0
    for j in range(groups):
        if n[j] < min_n:
            continue
        lim = limits("binary", float(n[j]), target, v)
        yv = target + (O[j] - E[j]) / n[j]
        flagged += yv > lim["hi998"] or yv < lim["lo998"]
    return flagged


def own_simulation(seeds, sd: float, **kw) -> dict:
    sds, flags, total, covered = [], 0, 0, 0
    for s in seeds:
        X, y, g, G, _ = simulate_binary(s, sd=sd, **kw)
        fit = fit_glmm(X, y, g, G, family="binomial", ci="wald")
        sds.append(math.sqrt(fit.var_u))
        flags += funnel_flags(y, fit.expected, g, G)
        total += G
        true_icc = sd**2 / (sd**2 + math.pi**2 / 3)
        assert fit.icc_ci is not None  # ci="wald" always sets the interval
        covered += fit.icc_ci[0] <= true_icc <= fit.icc_ci[1]
    return {
        "sd_true": sd,
        "sd_mean": float(np.mean(sds)),
        "sd_min": float(np.min(sds)),
        "sd_max": float(np.max(sds)),
        "flagged": flags,
        "caseworkers": total,
        "flag_rate": flags / total,
        "ci_covers": covered,
        "runs": len(seeds),
    }


SYNTH_DECISIONS = {"sanction": 0.8, "exemption_12m": 0.5, "time_to_trajectory": 0.5, "deviation": None}


def synth_runs(seeds, *, clients: int = 6000, effect: float = 1.0, decisions=None) -> list[dict]:
    from regie.core.frames import from_jsonl
    from regie.core.synth import generate

    from .report import analyse_decision

    out = []
    for s in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "m.jsonl"
            generate("0000", clients, s, path, caseworker_effect=effect)
            frames = from_jsonl(path, normalise=False)
        for d in decisions or SYNTH_DECISIONS:
            r = analyse_decision(frames, d, ci="wald")
            out.append(
                {
                    "seed": s,
                    "effect": effect,
                    "decision": d,
                    "n": r["n"],
                    "caseworkers": r["n_caseworkers"],
                    "sd": r["sd_caseworker"],
                    "icc": r["icc"],
                    "icc_ci": r["icc_ci"],
                    "flagged": r["n_flagged"],
                    "injected_sd": None if (sd := SYNTH_DECISIONS.get(d)) is None else sd * effect,
                }
            )
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--clients", type=int, default=6000)
    args = ap.parse_args(argv)
    seeds = list(range(1, args.seeds + 1))
    t = time.time()
    for sd in (0.0, 0.7):
        r = own_simulation(seeds, sd)
        print(
            f"own simulation sd={sd}: recovered sd mean {r['sd_mean']:.3f} (min {r['sd_min']:.3f}, max "
            f"{r['sd_max']:.3f}); true ICC inside the 95% CI in {r['ci_covers']}/{r['runs']} runs; flagged "
            f"{r['flagged']}/{r['caseworkers']} caseworkers ({r['flag_rate']:.2%})"
        )
    for effect in (0.0, 1.0):
        rows = synth_runs(seeds, clients=args.clients, effect=effect)
        df = pl.DataFrame(rows)
        summary = df.group_by("decision", maintain_order=True).agg(
            pl.col("injected_sd").first(),
            pl.col("sd").mean().alias("sd_mean"),
            pl.col("sd").min().alias("sd_min"),
            pl.col("sd").max().alias("sd_max"),
            pl.col("flagged").sum(),
            pl.col("caseworkers").sum(),
        )
        print(f"\nsynth caseworker_effect={effect}, {args.clients} clients, seeds {seeds}:")
        for r in summary.iter_rows(named=True):
            print(
                f"  {r['decision']:<20} injected sd {r['injected_sd']}  recovered sd mean {r['sd_mean']:.3f} "
                f"[{r['sd_min']:.3f}, {r['sd_max']:.3f}]  flagged {r['flagged']}/{r['caseworkers']} "
                f"({r['flagged'] / r['caseworkers']:.2%})"
            )
    print(f"\n{time.time() - t:.0f} s")


if __name__ == "__main__":
    main()
