"""regie.core.placements: the fold, aftercare due dates, durability, consent in force."""

from __future__ import annotations

import datetime as dt

from regie.core.placements import add_months, aftercare_due, durability, fold_demand_side

D = dt.date


def ev(t, on, **p):
    return {"type": t, "effective_date": on, "payload": p}


EVENTS = [
    ev("toestemming_delen", D(2025, 1, 1), consent_id="T1", granted=True, employer_id=7, data=["werkprofiel"]),
    ev("plaatsing", D(2025, 1, 31), placement_id="P1", kind="regulier", employer_id=7, employer_name="X", hours=24),
    ev("nazorg_contact", D(2025, 3, 5), placement_id="P1", still_working=True),
    ev("nazorg_contact", D(2025, 7, 31), placement_id="P1", still_working=True, milestone=6),
    ev("toestemming_delen", D(2025, 8, 1), consent_id="T2", granted=False, employer_id=7, data=["werkprofiel"]),
]


def test_fold_and_aftercare_due():
    ds = fold_demand_side(EVENTS)
    (p,) = ds.placements
    assert p.start == D(2025, 1, 31) and p.outflow_reason == "werk_regulier" and p.results == {6: True}
    # a contact covers every check-in due on or before it; the 6-month result is recorded; 12 months is open
    due = aftercare_due(p, [1, 3, 6, 12], [6, 12])
    assert [(a.months, a.due, a.milestone) for a in due] == [(12, D(2026, 1, 31), True)]
    (early,) = fold_demand_side(EVENTS[:3]).placements
    # before the 6-month contact: 1 month (28-02) is covered by the contact of 05-03, 3 months (30-04) is not
    due = aftercare_due(early, [1, 3, 6, 12], [6, 12])
    assert [(a.months, a.due, a.milestone) for a in due] == [
        (3, D(2025, 4, 30), False),
        (6, D(2025, 7, 31), True),
        (12, D(2026, 1, 31), True),
    ]
    p.ended_on = D(2025, 2, 10)  # ended before the 1-month check-in: none due, but the results are still asked
    assert [a.months for a in aftercare_due(p, [1, 3], [6, 12])] == [12]


def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28) and add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)


def test_durability_counts_only_placements_old_enough():
    (p,) = fold_demand_side(EVENTS).placements
    assert durability([p], 6, D(2025, 7, 30)) == {"placements": 0, "measured": 0, "durable": 0}
    assert durability([p], 6, D(2025, 8, 1)) == {"placements": 1, "measured": 1, "durable": 1}
    assert durability([p], 12, D(2026, 2, 1)) == {"placements": 1, "measured": 0, "durable": 0}


def test_the_latest_consent_decides():
    ds = fold_demand_side(EVENTS)
    assert ds.consent_for(7, None, D(2025, 6, 1)).consent_id == "T1"
    assert ds.consent_for(8, None, D(2025, 6, 1)) is None  # another employer
    assert ds.consent_for(7, None, D(2025, 8, 2)) is None  # withdrawn
    assert ds.consent_for(7, None, D(2024, 12, 31)) is None  # not yet given
