"""Participatieladder movement between two dates, from a hand-built log."""

from __future__ import annotations

import datetime as dt

import pytest

from regie.core.kpi import ladder as L

from .test_statistics import Log

D = dt.date


def ladder_log() -> Log:
    g = Log()
    g.ev("P", "P-1", "toekenning", D(2024, 1, 1), norm_type="alleenstaande")
    g.ev("P", "P-1", "classificatie", D(2024, 5, 1), scheme="participatieladder", level="2")
    g.ev("P", "P-1", "classificatie", D(2025, 3, 1), scheme="participatieladder", level="4")  # up
    g.ev("Q", "Q-1", "toekenning", D(2024, 1, 1), norm_type="alleenstaande")
    g.ev("Q", "Q-1", "classificatie", D(2024, 2, 1), scheme="participatieladder", level="5")
    g.ev("Q", "Q-1", "uitstroom", D(2025, 5, 1), reason="werk_regulier")  # left
    g.ev("R", "R-1", "toekenning", D(2024, 1, 1), norm_type="alleenstaande", team="T2")
    g.ev("R", "R-1", "classificatie", D(2024, 3, 1), scheme="participatieladder", level="3", team="T2")  # same
    g.ev("S", "S-1", "toekenning", D(2024, 1, 1), norm_type="alleenstaande")
    g.ev("S", "S-1", "classificatie", D(2024, 3, 1), scheme="ab-stroom", level="A")  # not a ladder: unmeasured
    g.ev("T", "T-1", "toekenning", D(2024, 1, 1), norm_type="alleenstaande")
    g.ev("T", "T-1", "classificatie", D(2024, 8, 1), scheme="participatieladder", level="6")
    g.ev("T", "T-1", "classificatie", D(2025, 6, 1), scheme="participatieladder", level="1")  # down
    g.ev("T", "T-1", "classificatie", D(2025, 8, 1), scheme="participatieladder", level="6")  # after d2: ignored
    g.ev("U", "U-1", "toekenning", D(2025, 2, 1), norm_type="alleenstaande")  # not on benefit on d1
    g.ev("U", "U-1", "classificatie", D(2025, 2, 1), scheme="participatieladder", level="1")
    return g


def test_transition_matrix_by_hand():
    m = L.movement(ladder_log().frames(), D(2025, 1, 1), D(2025, 7, 1))
    assert (m["population"], m["measured"], m["unmeasured"]) == (5, 4, 1)
    assert (m["up"], m["same"], m["down"], m["left"]) == (1, 1, 1, 1)
    rows = {r["from"]: r for r in m["matrix"]}
    assert rows[2]["4"] == 1 and rows[2]["total"] == 1
    assert rows[5][L.LEFT] == 1 and rows[3]["3"] == 1 and rows[6]["1"] == 1
    assert rows[1]["total"] == rows[4]["total"] == 0
    assert sum(r["total"] for r in m["matrix"]) == m["measured"]


def test_team_filter_mapping_and_dates():
    f = ladder_log().frames()
    t1 = L.movement(f, D(2025, 1, 1), D(2025, 7, 1), team="T1")
    assert (t1["population"], t1["same"]) == (4, 0)
    # an explicit mapping can read another scheme as rungs (a municipality's documented choice)
    m = L.movement(f, D(2025, 1, 1), D(2025, 7, 1), mapping={**L.DEFAULT_MAPPING, "ab-stroom": {"A": 5}})
    assert m["unmeasured"] == 0 and m["same"] == 2
    with pytest.raises(ValueError):
        L.movement(f, D(2025, 7, 1), D(2025, 1, 1))
