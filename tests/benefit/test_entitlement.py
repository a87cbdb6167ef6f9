"""Hand-calculated households: each expected amount is written out from the cited article and norm.

Norms: the national layer's 2025 amounts (policies/national/2015-01-01.yaml, Pw art. 21: alleenstaande
€ 1.401,50, gehuwden € 2.002,14). Youth norms (Pw art. 20) and the vrijlating maximum (Pw art. 31 lid 2 sub n) are
not in that layer: the tests add them as test values (marked below), the arithmetic is the law's.
Rounding: half up to cents at each line (regie.core.benefit.money).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from regie.core.benefit import MonthInput, NormUnavailable, Vrijlating, entitlement, fine_amount, sanction_amounts
from regie.core.benefit.ledger import case_ledger
from regie.core.benefit.norms import table_from_policy
from regie.core.policy import policy_for

ON = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def table():
    t = table_from_policy(policy_for("den-haag", ON), ON)
    # Test values for what the 2025 layer lacks (not real amounts): youth norms and the vrijlating maximum.
    return dataclasses.replace(
        t,
        youth={
            "alleenstaande": 30000,
            "alleenstaande_ouder": 30000,
            "gehuwden_beiden_jong": 60000,
            "gehuwden_een_jong": 130000,
            "gehuwden_beiden_jong_kinderen": 90000,
            "gehuwden_een_jong_kinderen": 160000,
        },
        vrijlating=Vrijlating(max_cents=26438),
    )


def pay(m: MonthInput, table) -> Decimal:
    return entitlement(m, table).amount


def test_layer_amounts(table):
    assert table.adult == {"alleenstaande": 140150, "alleenstaande_ouder": 140150, "gehuwden": 200214}


def test_single(table):
    # norm 1401.50 (Pw art. 21 sub a); holiday 5 % = 70.075 -> 70.08; to pay 1401.50 - 70.08
    assert pay(MonthInput("alleenstaande", age=35), table) == Decimal("1331.42")


def test_couple(table):
    # 2002.14 (Pw art. 21 sub b); holiday 100.107 -> 100.11; 2002.14 - 100.11
    assert pay(MonthInput("gehuwden", age=40, partner_age=38), table) == Decimal("1902.03")


def test_single_parent(table):
    # since 2015 as the single norm: 1401.50 - 70.08
    assert pay(MonthInput("alleenstaande_ouder", age=30, has_children=True), table) == Decimal("1331.42")


@pytest.mark.parametrize(
    ("sharers", "expected", "norm"),
    [
        # A = 2: (40 + 60) / 200 x 2002.14 = 1001.07; holiday 50.0535 -> 50.05; 1001.07 - 50.05
        (1, "951.02", "1001.07"),
        # A = 3: (40 + 90) / 300 x 2002.14 = 867.594 -> 867.59; holiday 43.3795 -> 43.38; 867.59 - 43.38
        (2, "824.21", "867.59"),
        # A = 4: (40 + 120) / 400 x 2002.14 = 800.856 -> 800.86; holiday 40.043 -> 40.04; 800.86 - 40.04
        (3, "760.82", "800.86"),
    ],
)
def test_single_with_cost_sharers(table, sharers, expected, norm):
    result = entitlement(MonthInput("alleenstaande", age=45, cost_sharers=sharers), table)
    assert result.amount == Decimal(expected)
    assert result.as_json()["norm"] == norm
    assert any(ln.article == "Pw art. 22a" for ln in result.lines)


def test_couple_with_a_cost_sharer(table):
    # A = 3, two persons: 2 x (40 + 90) / 300 x 2002.14 = 1735.188 -> 1735.19; holiday 86.7595 -> 86.76
    assert pay(MonthInput("gehuwden", age=50, partner_age=50, cost_sharers=1), table) == Decimal("1648.43")


def test_youth_norm_has_no_cost_sharers(table):
    # 19 years: the youth norm (Pw art. 20 lid 1, test value 300.00), the kostendelersnorm does not apply (art. 22a
    # from 21); holiday 15.00
    result = entitlement(MonthInput("alleenstaande", age=19, cost_sharers=2), table)
    assert result.amount == Decimal("285.00")
    assert result.lines[0].article.startswith("Pw art. 20 lid 1")


def test_couple_one_partner_young(table):
    # partner 20, client 23: Pw art. 20 lid 1 (one partner under 21, test value 1300.00); holiday 65.00
    assert pay(MonthInput("gehuwden", age=23, partner_age=20), table) == Decimal("1235.00")


def test_part_time_income_with_vrijlating(table):
    # work 800.00; vrijlating 25 % = 200.00 (below the maximum 264.38); counted 600.00; due 1401.50 - 600.00 =
    # 801.50; holiday 40.075 -> 40.08; to pay 761.42
    m = MonthInput("alleenstaande", age=30, income_work=80000, vrijlating_month=True)
    result = entitlement(m, table)
    assert result.vrijlating == 20000 and result.amount == Decimal("761.42")
    assert any(ln.article == "Pw art. 31 lid 2 sub n" for ln in result.lines)


def test_vrijlating_capped(table):
    # work 1200.00; 25 % = 300.00 > maximum 264.38; counted 935.62; due 465.88; holiday 23.294 -> 23.29; 442.59
    m = MonthInput("alleenstaande", age=30, income_work=120000, vrijlating_month=True)
    assert pay(m, table) == Decimal("442.59")


def test_no_vrijlating_under_27(table):
    # 26 years: no vrijlating (Pw art. 31 lid 2 sub n from 27); due 1401.50 - 800.00 = 601.50; holiday 30.075 ->
    # 30.08; 571.42
    assert pay(MonthInput("alleenstaande", age=26, income_work=80000, vrijlating_month=True), table) == Decimal(
        "571.42"
    )


def test_income_above_norm_no_benefit(table):
    assert pay(MonthInput("alleenstaande", age=40, income_other=150000), table) == Decimal("0.00")


def test_sanction(table):
    # maatregel 20 % (Pw art. 18 lid 2): 0.20 x 1401.50 = 280.30; due 1121.20; holiday 56.06; 1065.14
    assert pay(MonthInput("alleenstaande", age=30, sanction_bp=2000), table) == Decimal("1065.14")
    # the measure's amounts: 280.30 a month, for 3 months 840.90
    assert sanction_amounts(MonthInput("alleenstaande", age=30), table, 20, 3) == (28030, 84090)


def test_sanction_with_cost_sharer(table):
    # norm 1001.07 (A = 2); 100 % for one month = 1001.07
    assert sanction_amounts(MonthInput("alleenstaande", age=30, cost_sharers=1), table, 100, 1) == (100107, 100107)


def test_pro_rata_first_month(table):
    # benefit from 15 February 2025: 14 of 28 days: 1401.50 x 14 / 28 = 700.75; holiday 35.0375 -> 35.04; 665.71
    assert pay(MonthInput("alleenstaande", age=30, days=14, mdays=28), table) == Decimal("665.71")


def test_overpayment(table):
    # paid 1331.42 and then income 400.00 was reported: due 1001.50; holiday 50.075 -> 50.08; to pay 951.42;
    # overpaid 380.00
    r = entitlement(MonthInput("alleenstaande", age=30, income_other=40000, paid=133142), table)
    assert r.to_pay == 95142 and r.overpayment == 38000


def test_missing_youth_norm_fails_closed():
    t = table_from_policy(policy_for("den-haag", ON), ON)
    with pytest.raises(NormUnavailable):
        entitlement(MonthInput("alleenstaande", age=18), t)


def test_no_norms_for_another_year():
    with pytest.raises(NormUnavailable):
        table_from_policy(policy_for("den-haag", dt.date(2024, 6, 1)), dt.date(2024, 6, 1))


def test_fine_by_blame():
    # Pw art. 18a; Boetebesluit: grove schuld 75 % of a benefit damage of 1000.01 = 750.0075 -> 750.01
    assert fine_amount(100001, "grove_schuld") == 75001
    assert fine_amount(100000, "opzet") == 100000


def ev(t, d, **p):
    return {"type": t, "effective_date": d, "payload": p}


def test_ledger_from_events(table):
    """A case: toekenning 15-01-2025, a cost-sharer from February, a 20 % measure in March, part-time work from
    April with vrijlating, paid January in full; June pays out the holiday allowance reserved."""
    events = [
        ev("toekenning", dt.date(2025, 1, 15), norm_type="alleenstaande", cost_sharers=0),
        ev("betaling", dt.date(2025, 1, 31), month="2025-01", amount="730.00"),
        ev("wijziging_huishouden", dt.date(2025, 2, 1), norm_type="alleenstaande", cost_sharers=1),
        ev("maatregel", dt.date(2025, 3, 3), obligation_type="arbeidsverplichting", percentage=20.0, months=1),
        ev("inkomstenopgave", dt.date(2025, 5, 5), month="2025-04", work_income="400.00"),
    ]
    lines = case_ledger(events, dt.date(1990, 5, 1), dt.date(2025, 6, 30), lambda d: table)
    by = {ln.month: ln for ln in lines}
    assert list(by) == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    # January: 17 of 31 days: 1401.50 x 17 / 31 = 768.564.. -> 768.56; holiday 38.428 -> 38.43; 730.13; paid 730.00
    assert by["2025-01"].amount == 73013 and by["2025-01"].result.underpayment == 13
    # February: A = 2: 1001.07; holiday 50.05; 951.02
    assert by["2025-02"].amount == 95102
    # March: 20 % of 1001.07 = 200.214 -> 200.21; due 800.86; holiday 40.043 -> 40.04; 760.82
    assert by["2025-03"].sanctions == 20021 and by["2025-03"].amount == 76082
    # April: work 400.00, vrijlating 100.00, counted 300.00; due 701.07; holiday 35.0535 -> 35.05; 666.02
    assert by["2025-04"].deductions == 30000 and by["2025-04"].amount == 66602
    # June: 951.02 + the reserved holiday allowance of January to May (38.43 + 50.05 + 40.04 + 35.05 + 50.05)
    assert by["2025-06"].amount == 95102 + 3843 + 5005 + 4004 + 3505 + 5005
