"""W-deel spending with the depletion forecast and the I-deel balance, from hand-built logs; the budget page."""

from __future__ import annotations

import datetime as dt

import pytest

from regie.core.kpi import budget as B

from .test_statistics import Log

D = dt.date


def maastricht_like() -> Log:
    """120,000 a month of new trajectories in January-March 2004 against a W-deel of 1.2 million."""
    g = Log("0935")
    for i, m in enumerate((1, 2, 3)):
        c = f"c{i}"
        g.ev(c, f"{c}-1", "toekenning", D(2003, 6, 1), norm_type="alleenstaande", monthly_amount=1000.0)
        g.ev(
            c,
            f"{c}-1",
            "traject_start",
            D(2004, m, 10),
            trajectory_id="TR1",
            kind="reintegratie",
            provider="P1",
            price=120000.0,
        )
    # a trajectory that ended cheaper than its price counts at its cost; one from 2003 does not count
    g.ev(
        "c0", "c0-1", "traject_start", D(2004, 2, 1), trajectory_id="TR2", kind="scholing", provider="P4", price=5000.0
    )
    g.ev("c0", "c0-1", "traject_einde", D(2004, 3, 1), trajectory_id="TR2", result="afgerond", cost=0.0)
    g.ev("c1", "c1-1", "traject_start", D(2003, 12, 1), trajectory_id="TR0", kind="scholing", provider="P4", price=9e5)
    return g


def test_w_deel_depletion_forecast_by_hand():
    w = B.w_deel(maastricht_like().frames(), 2004, 1_200_000.0, D(2004, 3, 31))
    elapsed = 91 / 366 * 12  # 2004 is a leap year; 1 January to 31 March inclusive
    rate = 360_000 / elapsed
    assert w["to_date"] == 360_000.0 and w["remaining"] == 840_000.0 and w["trajectories"] == 4
    assert w["elapsed_months"] == round(elapsed, 3) and w["per_month"] == round(rate, 2)
    at = elapsed + 840_000 / rate  # 9.94 months: runs out in October, as Maastricht's did (seed 002:862)
    assert 9 < at <= 10 and w["forecast_depletion_month"] == 10 and w["depleted_month"] is None
    assert w["forecast_year_end"] == round(360_000 + rate * (12 - elapsed), 2)
    s = {r["month"]: r for r in w["series"]}
    assert (s["2004-02"]["amount"], s["2004-03"]["cumulative"], s["2004-04"]["cumulative"]) == (
        120_000.0,
        360_000.0,
        None,
    )
    assert s["2004-04"]["forecast_cumulative"] == round(360_000 + rate * (4 - elapsed), 2)
    # as of the end of the year with a smaller budget: actually depleted in February
    done = B.w_deel(maastricht_like().frames(), 2004, 200_000.0, D(2004, 12, 31))
    assert done["depleted_month"] == 2 and done["forecast_depletion_month"] is None
    # no budget recorded: spending and burn rate only
    nob = B.w_deel(maastricht_like().frames(), 2004, None, D(2004, 3, 31))
    assert nob["remaining"] is None and nob["forecast_depletion_month"] is None and nob["to_date"] == 360_000.0
    # the team filter applies to the spending
    assert B.w_deel(maastricht_like().frames(), 2004, None, D(2004, 3, 31), team="T9")["to_date"] == 0


def i_log() -> Log:
    g = Log()
    # A: 1,000 a month all of 2025 Q1; a 30% sanction for 2 months from 10 February
    g.ev("A", "A-1", "toekenning", D(2024, 1, 1), norm_type="alleenstaande", monthly_amount=1000.0)
    g.ev("A", "A-1", "maatregel", D(2025, 2, 10), obligation_type="inlichtingen", percentage=30, months=2)
    # B: starts 16 January (16 of 31 days), leaves 1 March (last day on benefit 28 February)
    g.ev("B", "B-1", "toekenning", D(2025, 1, 16), norm_type="gehuwden", monthly_amount=1550.0)
    g.ev("B", "B-1", "uitstroom", D(2025, 3, 1), reason="werk_regulier")
    # C: no amount recorded
    g.ev("C", "C-1", "toekenning", D(2025, 3, 1), norm_type="alleenstaande")
    return g


def test_i_deel_payments_and_balance_by_hand():
    f = i_log().frames()
    p = {r["m"]: r for r in B.benefit_payments(f, 2025, D(2025, 3, 31)).to_dicts()}
    assert p[1]["paid"] == pytest.approx(1000 + 1550 * 16 / 31)
    assert p[2]["paid"] == pytest.approx(1000 + 1550 - 300)
    assert p[3]["paid"] == pytest.approx(1000 - 300) and p[3]["without_amount"] == 1 and p[3]["cases"] == 2
    i = B.i_deel(f, 2025, 12_000.0, D(2025, 3, 31))
    paid = 1000 + 1550 * 16 / 31 + 2250 + 700
    assert i["to_date"] == round(paid, 2) and i["reductions"] == 600.0
    elapsed = 90 / 365 * 12
    assert i["forecast_year_end"] == round(paid / elapsed * 12, 2)
    assert i["forecast_balance"] == round(12_000 - paid / elapsed * 12, 2)
    # mid-month: only the days so far are paid
    mid = B.benefit_payments(f, 2025, D(2025, 1, 15)).to_dicts()
    assert len(mid) == 1 and mid[0]["paid"] == pytest.approx(1000 * 15 / 31)
