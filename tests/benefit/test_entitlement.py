"""Hand-calculated households: each expected amount is written out from the cited article and norm.

Norms: the national norm table of 1 January 2025 (policies/national/norms/2025-01-01.yaml): Pw art. 21
alleenstaande € 1.345,45, gehuwden € 1.922,07; Pw art. 20 jong_alleenstaande € 332,17, one partner 18-20
€ 1.293,21; vakantietoeslag share 5 % (Pw art. 19 lid 3); inkomstenvrijlating 25 %, at most € 276 (Pw art. 31
lid 2 sub n). Rounding: half up to cents at each line (regie.core.benefit.money).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from regie.core.benefit import MonthInput, NormUnavailable, entitlement, fine_amount, sanction_amounts
from regie.core.benefit.ledger import case_ledger
from regie.core.benefit.norms import table_from_policy
from regie.core.policy import policy_for

ON = dt.date(2025, 3, 1)


def table_on(d: dt.date):
    return table_from_policy(policy_for("den-haag", d), d)


@pytest.fixture(scope="module")
def table():
    return table_on(ON)


def pay(m: MonthInput, table) -> Decimal:
    return entitlement(m, table).amount


def test_table_amounts(table):
    assert table.label == "2025-01-01"
    assert table.adult == {"alleenstaande": 134545, "alleenstaande_ouder": 134545, "gehuwden": 192207}
    assert table.vrijlating.max_cents == 27600 and table.holiday_share == (1, 20)


def test_single(table):
    # norm 1345.45 (Pw art. 21 sub a); vakantietoeslag 5 % = 67.2725 -> 67.27; to pay 1345.45 - 67.27
    assert pay(MonthInput("alleenstaande", age=35), table) == Decimal("1278.18")


def test_couple(table):
    # 1922.07 (Pw art. 21 sub b); 5 % = 96.1035 -> 96.10; 1922.07 - 96.10
    assert pay(MonthInput("gehuwden", age=40, partner_age=38), table) == Decimal("1825.97")


def test_single_parent(table):
    # since 2015 as the single norm: 1345.45 - 67.27
    assert pay(MonthInput("alleenstaande_ouder", age=30, has_children=True), table) == Decimal("1278.18")


@pytest.mark.parametrize(
    ("sharers", "expected", "norm"),
    [
        # A = 2: (40 + 60) / 200 x 1922.07 = 961.035 -> 961.04; 5 % = 48.052 -> 48.05; 961.04 - 48.05
        (1, "912.99", "961.04"),
        # A = 3: (40 + 90) / 300 x 1922.07 = 832.897 -> 832.90; 5 % = 41.645 -> 41.65 (half up); 832.90 - 41.65
        (2, "791.25", "832.90"),
        # A = 4: (40 + 120) / 400 x 1922.07 = 768.828 -> 768.83; 5 % = 38.4415 -> 38.44; 768.83 - 38.44
        (3, "730.39", "768.83"),
    ],
)
def test_single_with_cost_sharers(table, sharers, expected, norm):
    result = entitlement(MonthInput("alleenstaande", age=45, cost_sharers=sharers), table)
    assert result.amount == Decimal(expected)
    assert result.as_json()["norm"] == norm
    assert any(ln.article == "Pw art. 22a" for ln in result.lines)


def test_couple_with_a_cost_sharer(table):
    # A = 3, per person 130 / 300 x 1922.07 = 832.897 -> 832.90, two persons 1665.80; 5 % = 83.29; 1665.80 - 83.29
    assert pay(MonthInput("gehuwden", age=50, partner_age=50, cost_sharers=1), table) == Decimal("1582.51")


def test_youth_norm_has_no_cost_sharers(table):
    # 19 years: Pw art. 20 lid 1 sub a 332.17; the kostendelersnorm does not apply below 21 (art. 22a);
    # 5 % = 16.6085 -> 16.61; 332.17 - 16.61
    result = entitlement(MonthInput("alleenstaande", age=19, cost_sharers=2), table)
    assert result.amount == Decimal("315.56")
    assert result.lines[0].article.startswith("Pw art. 20 lid 1")


def test_couple_one_partner_young(table):
    # client 23, partner 20, no children: Pw art. 20 lid 1 sub c 1293.21; 5 % = 64.6605 -> 64.66; 1228.55
    assert pay(MonthInput("gehuwden", age=23, partner_age=20), table) == Decimal("1228.55")


def test_part_time_income_with_vrijlating(table):
    # work 800.00; vrijlating 25 % = 200.00 (below the maximum 276.00); counted 600.00; due 1345.45 - 600.00 =
    # 745.45; 5 % = 37.2725 -> 37.27; to pay 708.18
    result = entitlement(MonthInput("alleenstaande", age=30, income_work=80000, vrijlating_month=True), table)
    assert result.vrijlating == 20000 and result.amount == Decimal("708.18")
    assert any(ln.article == "Pw art. 31 lid 2 sub n" for ln in result.lines)


def test_vrijlating_capped(table):
    # work 1200.00; 25 % = 300.00 > maximum 276.00; counted 924.00; due 421.45; 5 % = 21.0725 -> 21.07; 400.38
    assert pay(MonthInput("alleenstaande", age=30, income_work=120000, vrijlating_month=True), table) == Decimal(
        "400.38"
    )


def test_no_vrijlating_under_27(table):
    # 26 years: no vrijlating (from 27); due 1345.45 - 800.00 = 545.45; 5 % = 27.2725 -> 27.27; 518.18
    assert pay(MonthInput("alleenstaande", age=26, income_work=80000, vrijlating_month=True), table) == Decimal(
        "518.18"
    )


def test_income_above_norm_no_benefit(table):
    assert pay(MonthInput("alleenstaande", age=40, income_other=150000), table) == Decimal("0.00")


def test_sanction(table):
    # maatregel 20 % (Pw art. 18 lid 2): 0.20 x 1345.45 = 269.09; due 1076.36; 5 % = 53.818 -> 53.82; 1022.54
    assert pay(MonthInput("alleenstaande", age=30, sanction_bp=2000), table) == Decimal("1022.54")
    # the measure's amounts: 269.09 a month, for 3 months 807.27
    assert sanction_amounts(MonthInput("alleenstaande", age=30), table, 20, 3) == (26909, 80727)


def test_sanction_with_cost_sharer(table):
    # norm 961.04 (A = 2); 100 % for one month
    assert sanction_amounts(MonthInput("alleenstaande", age=30, cost_sharers=1), table, 100, 1) == (96104, 96104)


def test_pro_rata_first_month(table):
    # benefit from 15 February 2025: 14 of 28 days: 1345.45 x 14 / 28 = 672.725 -> 672.73; 5 % = 33.6365 ->
    # 33.64; 639.09
    assert pay(MonthInput("alleenstaande", age=30, days=14, mdays=28), table) == Decimal("639.09")


def test_overpayment(table):
    # paid 1278.18, then income 400.00 was reported: due 945.45; 5 % = 47.2725 -> 47.27; to pay 898.18; overpaid
    # 380.00
    r = entitlement(MonthInput("alleenstaande", age=30, income_other=40000, paid=127818), table)
    assert r.to_pay == 89818 and r.overpayment == 38000


@pytest.mark.parametrize("on", [dt.date(2024, 6, 1), dt.date(2027, 1, 1)])
def test_no_table_fails_closed(on):
    with pytest.raises(NormUnavailable):
        table_on(on)


def test_fine_by_blame():
    # Pw art. 18a; Boetebesluit: grove schuld 75 % of a benefit damage of 1000.01 = 750.0075 -> 750.01
    assert fine_amount(100001, "grove_schuld") == 75001
    assert fine_amount(100000, "opzet") == 100000


def ev(t, d, **p):
    return {"type": t, "effective_date": d, "payload": p}


def test_ledger_from_events():
    """Toekenning 15-01-2025, a cost-sharer from February, a 20 % measure in March, part-time work in April with
    vrijlating, January paid 700.00; May pays out the holiday allowance reserved in January to April."""
    events = [
        ev("toekenning", dt.date(2025, 1, 15), norm_type="alleenstaande", cost_sharers=0),
        ev("betaling", dt.date(2025, 1, 31), month="2025-01", amount="700.00"),
        ev("wijziging_huishouden", dt.date(2025, 2, 1), norm_type="alleenstaande", cost_sharers=1),
        ev("maatregel", dt.date(2025, 3, 3), obligation_type="arbeidsverplichting", percentage=20.0, months=1),
        ev("inkomstenopgave", dt.date(2025, 5, 5), month="2025-04", work_income="400.00"),
    ]
    lines = case_ledger(events, dt.date(1990, 5, 1), dt.date(2025, 6, 30), table_on)
    by = {ln.month: ln for ln in lines}
    assert list(by) == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    # January: 17 of 31 days: 1345.45 x 17 / 31 = 737.827 -> 737.83; 5 % = 36.8915 -> 36.89; 700.94; paid 700.00
    assert by["2025-01"].amount == 70094 and by["2025-01"].result.underpayment == 94
    # February: A = 2: 961.04; 5 % = 48.05; 912.99
    assert by["2025-02"].amount == 91299
    # March: 20 % of 961.04 = 192.208 -> 192.21; due 768.83; 5 % = 38.4415 -> 38.44; 730.39
    assert by["2025-03"].sanctions == 19221 and by["2025-03"].amount == 73039
    # April: work 400.00, vrijlating 100.00, counted 300.00; due 661.04; 5 % = 33.052 -> 33.05; 627.99
    assert by["2025-04"].deductions == 30000 and by["2025-04"].amount == 62799
    # May: 912.99 + the vakantietoeslag reserved in January to April (36.89 + 48.05 + 38.44 + 33.05 = 156.43)
    assert by["2025-05"].amount == 91299 + 15643
    assert by["2025-06"].amount == 91299


def test_measure_suspended_by_voorlopige_voorziening_or_revoked():
    """A 20 % measure for March-May; a voorlopige voorziening suspends it from 10 April until 30 April; in May it is
    back, until the objection revokes it from 20 May (Awb art. 8:81, 7:11)."""
    events = [
        {"id": 1, **ev("toekenning", dt.date(2025, 1, 1), norm_type="alleenstaande")},
        {"id": 2, **ev("maatregel", dt.date(2025, 3, 1), percentage=20.0, months=4)},
        {"id": 3, **ev("bezwaar", dt.date(2025, 3, 20), objection_id="B1", decision_event=2)},
        {
            "id": 4,
            **ev(
                "voorlopige_voorziening",
                dt.date(2025, 4, 10),
                decision_event=2,
                status="toegewezen",
                suspends=True,
                until="2025-04-30",
            ),
        },
        {"id": 5, **ev("beslissing_op_bezwaar", dt.date(2025, 6, 2), objection_id="B1", revoked=True)},
    ]
    lines = {ln.month: ln for ln in case_ledger(events, dt.date(1980, 1, 1), dt.date(2025, 6, 30), table_on)}
    # 20 % of 1345.45 = 269.09 in March and May; April suspended; June revoked from 2 June
    assert [lines[m].sanctions for m in ("2025-03", "2025-04", "2025-05", "2025-06")] == [26909, 0, 26909, 0]
