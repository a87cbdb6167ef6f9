"""The loonkostensubsidie ledger (regie.core.placements.subsidy_ledger): pro rata part months by calendar days, the
end of the placement and of the subsidy's duration stop it, the municipality's share, what a run pays (Pw art. 10d)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from regie.core.placements import fold_demand_side, subsidy_ledger, subsidy_payable


def _events(*extra, start="2025-03-15", months=3, monthly="900.00"):
    return [
        {
            "type": "plaatsing",
            "effective_date": start,
            "payload": {
                "placement_id": "PL-1",
                "kind": "loonkostensubsidie",
                "employer_id": 7,
                "employer_name": "Bakkerij",
                "hours": 24,
                "wage_per_hour": "14.06",
                "loonwaarde_pct": 60,
                "subsidy_per_month": monthly,
                "subsidy_months": months,
            },
        },
        *extra,
    ]


def full(_first):
    return Decimal("100")


def test_part_months_pro_rata_by_calendar_days_and_the_duration_ends_it():
    rows = subsidy_ledger(fold_demand_side(_events()), dt.date(2026, 12, 31), full)
    # 15-03-2025 .. 14-06-2025: March 17/31, April and May whole, June 14/30
    assert [(m.month, m.days, m.days_in_month, m.due_cents) for m in rows] == [
        ("2025-03", 17, 31, 49355),  # 900 * 17 / 31 = 493.548... half up
        ("2025-04", 30, 30, 90000),
        ("2025-05", 31, 31, 90000),
        ("2025-06", 14, 30, 42000),
    ]
    assert rows[0].part_month and not rows[1].part_month


def test_the_end_of_the_placement_stops_the_subsidy():
    end = {
        "type": "plaatsing_einde",
        "effective_date": "2025-04-10",
        "payload": {"placement_id": "PL-1", "reason": "medisch"},
    }
    rows = subsidy_ledger(fold_demand_side(_events(end)), dt.date(2026, 12, 31), full)
    assert [(m.month, m.due_cents) for m in rows] == [("2025-03", 49355), ("2025-04", 30000)]  # 10/30 of April


def test_share_from_policy_and_until():
    rows = subsidy_ledger(fold_demand_side(_events()), dt.date(2025, 4, 1), lambda first: Decimal("62.5"))
    assert [(m.month, m.due_cents) for m in rows] == [("2025-03", 30847), ("2025-04", 56250)]  # 493.55*.625 -> 308.47


def test_a_month_paid_is_never_paid_again_and_arrears():
    paid = {
        "type": "subsidiebetaling",
        "effective_date": "2025-04-25",
        "payload": {"placement_id": "PL-1", "employer_id": 7, "month": "2025-03", "amount": "493.55"},
    }
    rows = subsidy_ledger(fold_demand_side(_events(paid)), dt.date(2025, 12, 31), full)
    assert rows[0].paid_cents == 49355 and rows[0].open_cents == 0
    assert [m.month for m in subsidy_payable(rows, "2025-05", in_arrears=True)] == ["2025-04"]
    assert [m.month for m in subsidy_payable(rows, "2025-05", in_arrears=False)] == ["2025-04", "2025-05"]


def test_other_placements_have_no_subsidy():
    events = _events()
    events[0]["payload"] |= {"kind": "regulier", "subsidy_per_month": None, "subsidy_months": None}
    assert subsidy_ledger(fold_demand_side(events), dt.date(2026, 1, 1), full) == []


def _paid(month: str, amount: str) -> dict:
    return {
        "type": "subsidiebetaling",
        "effective_date": "2025-06-25",
        "payload": {"placement_id": "PL-1", "employer_id": 7, "month": month, "amount": amount},
    }


def test_an_end_recorded_after_the_payments_leaves_an_amount_to_recover():
    """March to May paid in full, then the end on 10 April recorded: April was paid 20/30 too much and May wholly."""
    end = {
        "type": "plaatsing_einde",
        "effective_date": "2025-04-10",
        "payload": {"placement_id": "PL-1", "reason": "medisch"},
    }
    events = _events(_paid("2025-03", "493.55"), _paid("2025-04", "900.00"), _paid("2025-05", "900.00"), end)
    rows = subsidy_ledger(fold_demand_side(events), dt.date(2025, 12, 31), full)
    assert [(m.month, m.days, m.due_cents, m.paid_cents, m.recover_cents) for m in rows] == [
        ("2025-03", 17, 49355, 49355, 0),
        ("2025-04", 10, 30000, 90000, 60000),
        ("2025-05", 0, 0, 90000, 90000),  # no longer due at all: listed, nothing due
    ]
    assert subsidy_payable(rows, "2025-07", in_arrears=True) == []  # nothing paid again
    # without the end the same payments leave nothing to recover
    rows = subsidy_ledger(fold_demand_side(events[:-1]), dt.date(2025, 12, 31), full)
    assert sum(m.recover_cents for m in rows) == 0


def test_a_month_paid_after_until_is_not_listed_and_a_removed_subsidy_is_recovered_whole():
    events = _events(_paid("2025-03", "493.55"), _paid("2025-04", "900.00"))
    rows = subsidy_ledger(fold_demand_side(events), dt.date(2025, 3, 31), full)
    assert [m.month for m in rows] == ["2025-03"]
    events[0]["payload"] |= {"subsidy_per_month": None, "subsidy_months": None}  # the subsidy corrected away
    rows = subsidy_ledger(fold_demand_side(events), dt.date(2025, 12, 31), full)
    assert [(m.month, m.due_cents, m.recover_cents) for m in rows] == [("2025-03", 0, 49355), ("2025-04", 0, 90000)]
