"""A lab run's I-deel from simulated ledgers: the same benefit computation as the casework (batch path)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from regie.core.benefit import MonthInput, NormUnavailable, entitlement
from regie.core.benefit.norms import table_from_policy
from regie.core.lab.ledger import i_deel_from_ledgers, on_benefit, sanction_bp
from regie.core.lab.model import simulate
from regie.core.lab.params import LabParams
from regie.core.policy import policy_for

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def table_for(d: dt.date):
    return table_from_policy(policy_for("den-haag", d), d)


@pytest.fixture(scope="module")
def run():
    return simulate(LabParams(clients=300, months=12, start=dt.date(2025, 1, 1)), 3)


def test_stock_and_cost_of_a_norm_change(run):
    base = i_deel_from_ledgers(run, table_for)
    assert base["stock"] == [int(x) for x in run.monthly["stock"][:12]]  # the same people on benefit as the run
    assert base["total"] > 0
    up = i_deel_from_ledgers(run, table_for, norm_factor=1.10)
    assert up["total"] / base["total"] == pytest.approx(1.10, abs=1e-4)  # +10 % norm: +10 % I-deel


def test_a_month_equals_the_single_case_computation(run):
    t = 7  # August 2025: the table of 1 July 2025
    on = on_benefit(run.log, len(run.clients["household"]), run.months)[:, t]
    bp = sanction_bp(run.log, len(run.clients["household"]), run.months)[:, t]
    table = table_for(dt.date(2025, 8, 1))
    types = ("alleenstaande", "alleenstaande_ouder", "gehuwden")
    total = 0
    for i in np.flatnonzero(on):
        hh, age = int(run.clients["household"][i]), int(np.floor(run.clients["age"][i]))
        m = MonthInput(
            types[hh],
            age=age,
            partner_age=age if hh == 2 else None,
            has_children=hh == 1,
            sanction_bp=int(bp[i]),
        )
        total += entitlement(m, table).due
    assert i_deel_from_ledgers(run, table_for)["i_spent"][t] == total / 100


def test_no_norm_table_fails_closed():
    r = simulate(LabParams(clients=50, months=2, start=dt.date(2026, 12, 1)), 1)  # January 2027: no table yet
    with pytest.raises(NormUnavailable):
        i_deel_from_ledgers(r, table_for)
