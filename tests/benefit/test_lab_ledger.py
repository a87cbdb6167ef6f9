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


# --- part-time work and the inkomstenvrijlating (h/benefit2) ------------------------------------------------------


def test_the_vrijlating_shows_its_cost(run):
    """Half the clients work part-time (400.00 net from their fourth month in a spell); 25 % of 400.00 = 100.00 is
    left to them for six months from 27 (Pw art. 31 lid 2 sub n; maximum 276.00 in 2025, not reached)."""
    from regie.core.lab.ledger import VRIJLATING_MONTHS, parttime_clients, spell_months

    base = i_deel_from_ledgers(run, table_for, parttime_share=0.5)
    none = i_deel_from_ledgers(run, table_for, parttime_share=0.5, vrijlating_percentage=0)
    double = i_deel_from_ledgers(run, table_for, parttime_share=0.5, vrijlating_percentage=50)
    # by hand: 100.00 for every client on benefit in months 4-9 of a spell, 27 or older
    n = len(run.clients["household"])
    on = on_benefit(run.log, n, run.months)
    k = spell_months(on) - 3
    age = np.floor(run.clients["age"]).astype(int)[:, None] + np.arange(run.months)[None, :] // 12
    in_period = parttime_clients(n, 0.5)[:, None] & (k >= 1) & (k <= VRIJLATING_MONTHS) & (age >= 27)
    assert base["vrijlating_total"] == in_period.sum() * 100.0 > 0
    assert none["vrijlating_total"] == 0 and none["total"] < base["total"]
    assert double["vrijlating_total"] == 2 * base["vrijlating_total"]  # 50 % of 400.00 = 200.00, below the maximum
    # the vrijlating is the only difference, except where a measure of 100 % leaves nothing to pay either way
    bp = sanction_bp(run.log, n, run.months)
    lost = (in_period & (bp == 10000) & on).sum() * 100.0
    assert base["total"] - none["total"] == pytest.approx(base["vrijlating_total"] - lost, abs=0.01)
    assert base["months_without_vrijlating"] == 0


def test_the_lab_hook_fails_closed_without_norms():
    from regie.core.lab.ledger import lab_ledger

    r = simulate(LabParams(clients=50, months=2, start=dt.date(2026, 12, 1)), 1)  # January 2027: no table yet
    out = lab_ledger(r, {})
    assert set(out) == {"problem"} and "bijstandsnormen" in out["problem"]


def test_run_one_reports_the_ledger_and_a_norm_change():
    from regie.core.lab.ensemble import flatten, run_one

    p = LabParams(clients=200, caseworkers=4, months=6, start=dt.date(2025, 1, 1)).as_dict()
    base = run_one(p, 3, 0, kpis=False, ledger={})
    up = run_one(p, 3, 0, kpis=False, ledger={"norm_factor": 1.05})
    assert len(base["monthly"]["i_ledger"]) == 6 and base["ledger"]["total"] > 0
    assert flatten(base)["ledger.total"] == base["ledger"]["total"]
    assert up["ledger"]["total"] > base["ledger"]["total"]
    assert "ledger" not in run_one(p, 3, 0, kpis=False)  # without the hook: as before
