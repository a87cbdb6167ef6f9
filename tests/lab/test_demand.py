"""The lab's demand side (regie.core.lab.demand, rules D1-D4): vacancies, placements, wage subsidy, durability."""

from __future__ import annotations

import numpy as np
import pytest

from regie.core.lab import demand, scenario
from regie.core.lab.model import EV, simulate
from regie.core.lab.params import LabParams

SMALL = {"clients": 3000, "caseworkers": 24, "months": 36}


def run(seed=3, **d):
    return simulate(LabParams().with_overrides({**SMALL, "demand": d} if d else SMALL), seed)


def test_off_by_default_leaves_no_trace():
    r = run()
    assert "demand" not in r.summary
    assert "demand" not in r.params
    assert not any(k.startswith("demand_") for k in r.monthly)
    assert demand.params({}) is None
    assert demand.params({"accountmanagers": 0}) is None


def test_more_accountmanagers_more_vacancies_and_placements_with_saturation():
    d4, d8 = demand.params({"accountmanagers": 4}), demand.params({"accountmanagers": 8})
    v4, v8 = demand.recruited(d4, 8000, 1.0), demand.recruited(d8, 8000, 1.0)
    assert v4 < v8 < 2 * v4  # more, but each further accountmanager finds fewer
    assert v8 < d8["ceiling_per_1000"] * 8  # never above the region's ceiling
    few, many = run(accountmanagers=2), run(accountmanagers=6)
    a, b = few.summary["demand"], many.summary["demand"]
    assert b["vacancies"] > a["vacancies"] > 0
    assert b["placements"] > a["placements"] > 0
    assert many.summary["outflow_to_work_per_year_pct"] > few.summary["outflow_to_work_per_year_pct"]


def test_lower_wage_subsidy_fewer_subsidised_placements_and_less_spend():
    d = demand.params({"accountmanagers": 4})
    assert demand.takeup(d, 50) == pytest.approx(0.6)
    assert demand.takeup(d, 30) < demand.takeup(d, 50) < demand.takeup(d, 70) <= 1
    assert demand.takeup(d, 0) == 0
    hi = run(accountmanagers=4, subsidy_pct=50).summary["demand"]
    lo = run(accountmanagers=4, subsidy_pct=20).summary["demand"]
    none = run(accountmanagers=4, subsidy_pct=0).summary["demand"]
    assert hi["placements_subsidised"] > lo["placements_subsidised"] > none["placements_subsidised"] == 0
    assert hi["subsidy_spent"] > lo["subsidy_spent"] > none["subsidy_spent"] == 0
    assert none["subsidy_per_durable_placement"] is None


def test_placements_leave_benefit_to_work_and_broken_ones_come_back():
    r = run(seed=5, accountmanagers=6)
    dm = r.summary["demand"]
    lg = r.log
    work_exits = int(((lg["type"] == EV["uitstroom"]) & np.isin(lg["a"], [0, 1])).sum())
    assert 0 < dm["placements"] <= work_exits
    subsidised_work = int(((lg["type"] == EV["uitstroom"]) & (lg["a"] == 1)).sum())
    assert dm["placements_subsidised"] <= subsidised_work
    # durability near the parameters (regular 0.75 / 0.60, subsidised 0.80 / 0.65), within sampling error
    assert 0.65 < dm["durable_6_share"] < 0.88
    assert 0.48 < dm["durable_12_share"] < 0.75
    assert dm["durable_12"] <= dm["placements"]
    # the subsidy is booked against the I-deel: the monthly series carry it
    assert r.monthly["demand_subsidy_spent"].sum() == pytest.approx(dm["subsidy_spent"], abs=1)
    assert (r.monthly["i_spent"] >= r.monthly["demand_subsidy_spent"]).all()


def test_a_run_with_the_demand_side_is_reproducible():
    a, b = run(seed=9, accountmanagers=3), run(seed=9, accountmanagers=3)
    assert a.summary == b.summary
    assert np.array_equal(a.log["type"], b.log["type"])


def test_bad_parameters_are_refused_naming_them():
    with pytest.raises(demand.DemandParamsError, match="subsidy_pct"):
        demand.params({"accountmanagers": 2, "subsidy_pct": 80})
    with pytest.raises(demand.DemandParamsError, match="vacatures_per_maand"):
        demand.params({"accountmanagers": 2, "vacatures_per_maand": 3})
    with pytest.raises(demand.DemandParamsError, match="durable_12"):
        demand.params({"accountmanagers": 2, "durable_6": [0.5, 0.5], "durable_12": [0.6, 0.4]})


@pytest.mark.parametrize(
    "name,key,values",
    [
        ("meer-accountmanagers", "accountmanagers", (4, 8)),
        ("lagere-loonkostensubsidie", "subsidy_pct", (50, 30)),
    ],
)
def test_shipped_demand_scenarios_differ_in_their_lever(name, key, values):
    sc = scenario.load(scenario.resolve(name))
    arms = sc.arm_params()
    assert [a.demand[key] for a in arms.values()] == list(values)
    assert sc.answer and "ANSWER" not in sc.answer
    for arm in arms.values():  # every parameter known (fails closed on a typo)
        assert demand.params(arm.demand) is not None
