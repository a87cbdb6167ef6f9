"""``between_municipalities`` recovers a known municipality variance (docs/equity.md, "Between municipalities").

One synthetic municipality (no injected caseworker effect) is split by caseworker into 11 "municipalities"
(caseworkers nested in municipalities, as in reality); the deviation outcome of every decision carrying a
recommendation is then re-drawn from a known model: logit P = -0.9 + a_m + u_cw, with fixed municipality effects
a_m evenly spaced on [-1, 1] (variance 0.44, ddof 1) and caseworker effects u_cw ~ N(0, 0.3^2), 3 caseworkers per
municipality. Over 8 other draws (seeds 3-10) tau^2 was 0.30-0.57 (mean 0.455; SE about 0.1, so the tolerance 0.2
is 2 SE), 84 of 88 municipality intervals covered the true effect (95%; one draw's count varies, so the test
pools three draws), and with a_m = 0 tau^2 was at most 0.028.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from regie.core.equity import between_municipalities
from regie.core.frames import Frames, from_jsonl
from regie.core.synth import generate

M = 11
A = np.linspace(-1.0, 1.0, M)
TAU2 = float(A.var(ddof=1))


@pytest.fixture(scope="module")
def base():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.jsonl"
        generate("0000", 6000, 5, path, caseworker_effect=0.0)
        return from_jsonl(path, normalise=False)


def split(frames: Frames, effects: np.ndarray, cw_sd: float, seed: int) -> list[Frames]:
    rng = np.random.default_rng(seed)
    asg = (
        frames.events.filter(pl.col("type") == "caseworker_toewijzing")
        .sort("effective_date")
        .unique("case_id", keep="first")
        .select("case_id", "caseworker")
    )
    cws = sorted(asg["caseworker"].unique().to_list())
    muni_of = {cw: i % M for i, cw in enumerate(cws)}
    u = dict(zip(cws, rng.normal(0.0, cw_sd, len(cws)), strict=True))
    asg = asg.with_columns(
        pl.col("caseworker").replace_strict(muni_of, return_dtype=pl.Int64).alias("m"),
        pl.col("caseworker").replace_strict(u, return_dtype=pl.Float64).alias("u"),
    )
    ev = frames.events.join(asg.select("case_id", "m", "u"), on="case_id", how="inner")
    eta = -0.9 + effects[ev["m"].to_numpy()] + ev["u"].to_numpy()
    draw = rng.random(ev.height) < 1 / (1 + np.exp(-eta))
    ev = ev.with_columns(
        pl.when(pl.col("recommendation").is_not_null()).then(pl.Series("_d", draw)).otherwise(None).alias("deviates")
    )
    out = []
    for m in range(M):
        e = ev.filter(pl.col("m") == m).drop("m", "u")
        cases = frames.cases.filter(pl.col("case_id").is_in(e["case_id"].unique().implode()))
        clients = frames.clients.filter(pl.col("client_id").is_in(cases["client_id"].unique().implode()))
        out.append(Frames(f"M{m:02d}", clients, cases, e, frames.users))
    return out


def test_known_municipality_variance_is_recovered(base):
    r = between_municipalities(split(base, A, 0.3, 1), "deviation")
    assert r["n_municipalities"] == M and r["warning"] is None
    assert abs(r["var_municipality"] - TAU2) < 0.2
    assert abs(math.sqrt(r["var_caseworker"]) - 0.3) < 0.2
    eff = np.array([m["effect"] for m in r["municipalities"]])
    assert np.corrcoef(eff, A)[0, 1] > 0.95
    # each estimate is a_m plus its caseworkers' mean effect (sd 0.3 / sqrt(3)): judged by the intervals, pooled
    # over three draws (one draw's count varies from 8 to 11 of 11; nominal 95% gives 31.4 of 33, and fewer than 28
    # happens in about 3% of pooled draws)
    covered = 0
    for seed, result in ((1, r), (3, None), (4, None)):
        result = result or between_municipalities(split(base, A, 0.3, seed), "deviation")
        covered += sum(
            m["effect_ci"][0] <= a <= m["effect_ci"][1]
            for m, a in zip(result["municipalities"], A - A.mean(), strict=True)
        )
    assert covered >= 28
    assert 0 < r["icc_municipality"] < 1 and r["icc_municipality"] > r["icc_caseworker"]


def test_no_municipality_variance_gives_small_tau2(base):
    r = between_municipalities(split(base, np.zeros(M), 0.3, 2), "deviation")
    assert r["var_municipality"] < 0.06
