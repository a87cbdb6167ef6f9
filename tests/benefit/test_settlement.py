"""Settlement across months, hand-calculated: nabetaling (a retroactive change that raises paid months), the
aflossing of a terugvordering within the beslagvrije voet, and the reserved holiday allowance paid out at the end of
the benefit and in the usual month.

Norms: the national table of 1 January 2025 (policies/national/norms/2025-01-01.yaml): alleenstaande € 1.345,45
(Pw art. 21 sub a), gehuwden € 1.922,07 (Pw art. 21 sub b), kostendelersnorm (40 + 30 A) / 100 A (Pw art. 22a),
vakantietoeslag 5 % (Pw art. 19 lid 3). A single of 35 without income: norm 1345.45, reserved 67.27 (5 % =
67.2725), paid monthly 1278.18. Rounding half up to cents (regie.core.benefit.money).
"""

from __future__ import annotations

import datetime as dt

from regie.core.benefit.ledger import BESLAGVRIJE_VOET_PCT, case_ledger, covered_by_month
from regie.core.benefit.norms import table_from_policy
from regie.core.policy import policy_for

BIRTH = dt.date(1990, 1, 1)


def table_on(d: dt.date):
    return table_from_policy(policy_for("den-haag", d), d)


def ev(i, t, d, **p):
    return {"id": i, "sequence": i, "type": t, "effective_date": d, "payload": p}


def ledger(events, until):
    return {ln.month: ln for ln in case_ledger(events, BIRTH, until, table_on)}


# --- nabetaling -------------------------------------------------------------------------------------------------


def _granted_with_a_cost_sharer_then_corrected():
    """Toekenning 1-1-2025 with one cost-sharer (A = 2: 1922.07 x 100 / 200 = 961.035 -> 961.04; 5 % = 48.052 ->
    48.05; paid 912.99 in January and February). In March it turns out the cost-sharer never lived there: the
    household is corrected from 1 January (herziening, Pw art. 54 lid 3): 1278.18 was due for each month."""
    return [
        ev(1, "toekenning", dt.date(2025, 1, 1), norm_type="alleenstaande", cost_sharers=1),
        ev(2, "betaling", dt.date(2025, 1, 25), month="2025-01", amount="912.99"),
        ev(3, "betaling", dt.date(2025, 2, 25), month="2025-02", amount="912.99"),
        ev(4, "wijziging_huishouden", dt.date(2025, 1, 1), norm_type="alleenstaande", cost_sharers=0),
    ]


def test_a_retroactive_raise_is_paid_in_the_next_run_as_its_own_line():
    by = ledger(_granted_with_a_cost_sharer_then_corrected(), dt.date(2025, 3, 31))
    # January and February: due 1278.18, paid 912.99: 365.19 short each
    assert [by[m].result.underpayment for m in ("2025-01", "2025-02")] == [36519, 36519]
    march = by["2025-03"]
    assert march.open and march.catch_up == (("2025-01", 36519), ("2025-02", 36519))
    # March pays its own 1278.18 plus the nabetaling 2 x 365.19 = 730.38: 2008.56
    assert march.amount == 127818 and march.payable == 200856
    labels = [(ln.label, ln.cents) for ln in march.settlement_lines]
    assert labels == [("Nabetaling over januari 2025", 36519), ("Nabetaling over februari 2025", 36519)]
    assert "nabetaling januari 2025, februari 2025" in march.reason


def test_a_nabetaling_once_paid_is_not_paid_again():
    events = _granted_with_a_cost_sharer_then_corrected()
    # the March run released 2008.56 with the nabetaling recorded on the betaling event
    events.append(
        ev(
            5,
            "betaling",
            dt.date(2025, 3, 25),
            month="2025-03",
            amount="2008.56",
            catch_up={"2025-01": "365.19", "2025-02": "365.19"},
        )
    )
    covered = covered_by_month(events)
    assert covered == {"2025-01": 127818, "2025-02": 127818, "2025-03": 127818}
    by = ledger(events, dt.date(2025, 4, 30))
    assert all(by[m].result.underpayment == 0 and by[m].result.overpayment == 0 for m in ("2025-01", "2025-03"))
    assert by["2025-04"].catch_up == () and by["2025-04"].payable == 127818


# --- aflossing --------------------------------------------------------------------------------------------------


def _with_claim(**extra):
    """A single of 35 on benefit from 1-1-2025; a terugvordering (event 10) of 150.00 to repay 100.00 a month
    from March (Pw art. 58)."""
    return [
        ev(1, "toekenning", dt.date(2025, 1, 1), norm_type="alleenstaande"),
        ev(
            10,
            "terugvordering",
            dt.date(2025, 2, 10),
            months=["2024-12"],
            amount="150.00",
            repayment_monthly="100.00",
            repayment_start="2025-03-01",
            **extra,
        ),
    ]


def pay_months(events, months):
    """Run the payment of each month in turn as the payment run does: the ledger up to the month's end, its last
    line's payable amount, and a betaling event with what it carried (regie.benefit.services.release_run)."""
    from regie.core.benefit.money import euro

    out = {}
    for i, key in enumerate(months):
        first = dt.date(int(key[:4]), int(key[5:]), 1)
        until = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        line = case_ledger(events, BIRTH, until, table_on)[-1]
        assert line.month == key and line.open
        out[key] = line
        events = events + [
            ev(900 + i, "betaling", until, month=key, amount=str(euro(line.payable)), **line.settlement_json())
        ]
    return out, events


def test_repayment_is_limited_by_the_beslagvrije_voet():
    """Rv art. 475da lid 1: 95 % of the norm stays free. Norm without its vakantietoeslag share: 1345.45 - 67.27 =
    1278.18; 95 % = 1214.271 -> 1214.27; room 1278.18 - 1214.27 = 63.91, below the 100.00 agreed."""
    assert BESLAGVRIJE_VOET_PCT == 95
    paid, events = pay_months(_with_claim(), ["2025-02", "2025-03", "2025-04", "2025-05", "2025-06"])
    assert paid["2025-02"].repayment == 0  # before repayment_start
    assert paid["2025-03"].repayment_room == 6391
    # 150.00 = 63.91 (March) + 63.91 (April) + 22.18 (May), then repaid
    assert [paid[m].repayment for m in ("2025-03", "2025-04", "2025-05", "2025-06")] == [6391, 6391, 2218, 0]
    assert paid["2025-03"].payable == 127818 - 6391
    assert paid["2025-03"].settlement_lines[-1].label == "Aflossing terugvordering"
    assert paid["2025-03"].repayments == (("10", 6391),)
    # afterwards the ledger shows each paid month with what its payment carried, none of them short or overpaid
    by = ledger(events, dt.date(2025, 6, 30))
    assert [by[m].repayment for m in ("2025-03", "2025-04", "2025-05")] == [6391, 6391, 2218]
    assert all(by[m].result.underpayment == by[m].result.overpayment == 0 for m in by)


def test_unpaid_earlier_months_do_not_use_up_the_claim():
    """Months never paid through Regie (history from the old system) get no planned deduction: only the month the
    next run pays does (the ledger's last month)."""
    by = ledger(_with_claim(), dt.date(2025, 6, 30))
    assert [by[m].repayment for m in ("2025-03", "2025-04", "2025-05")] == [0, 0, 0]
    assert by["2025-06"].repayment == 6391


def test_income_of_the_month_counts_towards_the_room():
    """March: work income 400.00 at 35, vrijlating 25 % = 100.00 (Pw art. 31 lid 2 sub n), counted 300.00: due
    1045.45, 5 % = 52.2725 -> 52.27, benefit 993.18. Income in the month 993.18 + 400.00 = 1393.18 less the
    beslagvrije voet 1214.27 = 178.91, so the full 100.00 is deducted; April deducts the rest, 50.00."""
    events = _with_claim() + [ev(20, "inkomstenopgave", dt.date(2025, 3, 20), month="2025-03", work_income="400.00")]
    paid, _ = pay_months(events, ["2025-03", "2025-04"])
    assert paid["2025-03"].amount == 99318 and paid["2025-03"].repayment_room == 17891
    assert paid["2025-03"].repayment == 10000 and paid["2025-04"].repayment == 5000


def test_a_recorded_repayment_settles_the_month_and_lowers_the_claim():
    events = _with_claim() + [
        ev(30, "betaling", dt.date(2025, 3, 25), month="2025-03", amount="1214.27", repayment={"10": "63.91"})
    ]
    by = ledger(events, dt.date(2025, 4, 30))
    # March: 1214.27 transferred + 63.91 repaid = 1278.18: neither short nor overpaid; it shows the aflossing
    assert by["2025-03"].input.paid == 127818 and by["2025-03"].result.underpayment == 0
    assert by["2025-03"].repayments == (("10", 6391),) and by["2025-03"].payable == 121427
    # left 86.09: 63.91 in April
    assert by["2025-04"].repayment == 6391


def test_a_suspended_terugvordering_is_not_deducted():
    """A voorlopige voorziening suspending the terugvordering (Awb art. 8:81) stops the aflossing meanwhile."""
    events = _with_claim() + [
        ev(
            40,
            "voorlopige_voorziening",
            dt.date(2025, 3, 1),
            decision_event=10,
            status="toegewezen",
            suspends=True,
            until="2025-03-31",
        )
    ]
    assert ledger(events, dt.date(2025, 3, 31))["2025-03"].repayment == 0  # the March run: suspended
    assert ledger(_with_claim(), dt.date(2025, 3, 31))["2025-03"].repayment == 6391  # without the suspension
    assert ledger(events, dt.date(2025, 4, 30))["2025-04"].repayment == 6391  # the April run: in force again


# --- vakantietoeslag --------------------------------------------------------------------------------------------


def test_holiday_allowance_is_paid_out_at_the_end_of_the_benefit():
    """Uitstroom on 16-03-2025 (the last day on benefit is 15 March). Reserved: January 67.27, February 67.27,
    March 15 of 31 days: 1345.45 x 15 / 31 = 651.024 -> 651.02, 5 % = 32.551 -> 32.55. The last payment: 651.02 -
    32.55 + (67.27 + 67.27 + 32.55 = 167.09) = 785.56 (Pw art. 19 lid 3: the reservation is the client's)."""
    events = [
        ev(1, "toekenning", dt.date(2025, 1, 1), norm_type="alleenstaande"),
        ev(2, "uitstroom", dt.date(2025, 3, 16), reason="werk"),
    ]
    by = ledger(events, dt.date(2025, 6, 30))
    assert list(by) == ["2025-01", "2025-02", "2025-03"]
    march = by["2025-03"]
    assert march.final and march.input.holiday_payout == 16709 and march.amount == 78556
    assert "einde uitkering" in march.reason and "vakantietoeslag" in march.reason
    # nothing is left reserved for May (the usual month): the benefit ended
    assert by["2025-02"].input.holiday_payout == 0


def test_holiday_allowance_in_the_usual_month_then_the_rest_at_the_end():
    """Benefit from 1-1-2025 to 30-06-2025 (beeindiging 1-7-2025). May (the usual month, assumption) pays January
    to April: 4 x 67.27 = 269.08; June, the last month, pays May and June: 2 x 67.27 = 134.54."""
    events = [
        ev(1, "toekenning", dt.date(2025, 1, 1), norm_type="alleenstaande"),
        ev(2, "beeindiging", dt.date(2025, 7, 1)),
    ]
    by = ledger(events, dt.date(2025, 8, 31))
    assert list(by)[-1] == "2025-06"
    assert by["2025-05"].amount == 127818 + 26908 and not by["2025-05"].final
    assert by["2025-06"].final and by["2025-06"].amount == 127818 + 13454
