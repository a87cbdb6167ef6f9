"""Validation on data with a known caseworker effect (docs/equity.md, "Validation").

Bounds stated here and in the docs:
- own simulation, injected sd 0.7 (logit): recovered sd within 0.25 in every run;
- no injected effect: at most 1% of caseworkers flagged over 5 seeds x 60 caseworkers (nominal 0.2%);
- synthetic municipality with ``caseworker_effect=1``: the sanction-vs-warning sd (injected 0.8) is recovered
  within 0.35 and its ICC interval excludes 0; with ``caseworker_effect=0`` at most 3% of caseworker x decision
  results are flagged and no ICC interval's lower limit is above 0.02.
"""

from __future__ import annotations

import pytest

from regie.core.equity.validation import own_simulation, synth_runs


def test_own_simulation_recovers_sd_and_null_flags_few():
    r = own_simulation(range(1, 4), 0.7)
    assert r["sd_min"] > 0.45 and r["sd_max"] < 0.95
    assert r["ci_covers"] >= 2
    null = own_simulation(range(1, 6), 0.0)
    assert null["flag_rate"] <= 0.01
    assert null["sd_max"] < 0.2


@pytest.fixture(scope="module")
def synth_effect():
    return synth_runs([11], clients=6000, effect=1.0, decisions=["sanction", "exemption_12m", "time_to_trajectory"])


@pytest.fixture(scope="module")
def synth_null():
    return synth_runs([11, 12], clients=6000, effect=0.0, decisions=["sanction", "exemption_12m", "time_to_trajectory"])


def test_synth_injected_effect_is_detected(synth_effect):
    by = {r["decision"]: r for r in synth_effect}
    s = by["sanction"]
    assert abs(s["sd"] - 0.8) < 0.35 and s["icc_ci"][0] > 0
    assert s["flagged"] >= 1
    assert by["exemption_12m"]["icc_ci"][0] > 0
    assert abs(by["time_to_trajectory"]["sd"] - 0.5) < 0.3


def test_synth_without_effect_flags_few(synth_null):
    flagged = sum(r["flagged"] for r in synth_null)
    total = sum(r["caseworkers"] for r in synth_null)
    assert flagged / total <= 0.03
    assert all(r["icc_ci"][0] <= 0.02 for r in synth_null)
