"""Provider scores on the six criteria of seed 002:1564-1655, from a hand-built log with hand-computed values."""

from __future__ import annotations

import datetime as dt

from regie.core.kpi import indicators as I
from regie.core.kpi import providers as P

from .test_statistics import Log

D = dt.date


def provider_log() -> Log:
    g = Log()
    # P1 / T1: 6 planned months (report every 30 days), 181 days -> 6 reports due, 3 received; work, durable
    g.ev("X", "X-1", "toekenning", D(2024, 6, 1), norm_type="alleenstaande")
    g.ev(
        "X",
        "X-1",
        "traject_start",
        D(2025, 1, 1),
        trajectory_id="TR1",
        kind="bemiddeling",
        provider="P1",
        module="m1",
        planned_end=D(2025, 7, 1),
        price=5000.0,
    )
    for m in (2, 3, 4):
        g.ev("X", "X-1", "rapportage", D(2025, m, 1), role="provider_coach", trajectory_id="TR1", kind="voortgang")
    g.ev("X", "X-1", "rapportage", D(2025, 4, 10), role="provider_coach", trajectory_id="TR1", kind="no_show")
    g.ev("X", "X-1", "driegesprek", D(2025, 3, 1), trajectory_id="TR1")
    g.ev("X", "X-1", "traject_einde", D(2025, 7, 1), trajectory_id="TR1", result="werk", cost=5000.0)
    g.ev("X", "X-1", "uitstroom", D(2025, 7, 5), reason="werk_regulier")
    # P1 / T2: planned under 3 months (weekly), 42 days -> 6 due, none received; drop-out; price counts as cost
    g.ev("Y", "Y-1", "toekenning", D(2024, 6, 1), norm_type="alleenstaande")
    g.ev(
        "Y",
        "Y-1",
        "traject_start",
        D(2025, 2, 1),
        trajectory_id="TR1",
        kind="bemiddeling",
        provider="P1",
        module="m1",
        planned_end=D(2025, 3, 1),
        price=2000.0,
    )
    g.ev("Y", "Y-1", "traject_einde", D(2025, 3, 15), trajectory_id="TR1", result="voortijdig_gestopt")
    # P1 / T5: no planned end, 142 days (monthly) -> 4 due, none; subsidised work, but the client is back in Sept.
    g.ev("V", "V-1", "toekenning", D(2024, 1, 1), norm_type="alleenstaande")
    g.ev(
        "V",
        "V-1",
        "traject_start",
        D(2025, 1, 10),
        trajectory_id="TR1",
        kind="reintegratie",
        provider="P1",
        module="m2",
    )
    g.ev("V", "V-1", "traject_einde", D(2025, 6, 1), trajectory_id="TR1", result="werk_gesubsidieerd", cost=3000.0)
    g.ev("V", "V-1", "uitstroom", D(2025, 6, 5), reason="werk_gesubsidieerd")
    g.ev("V", "V-2", "toekenning", D(2025, 9, 1), norm_type="alleenstaande")
    # P5: two diagnoses; one followed by a classification within 30 days (team T1), one not (team T2)
    g.ev("Z", "Z-1", "toekenning", D(2024, 6, 1), norm_type="alleenstaande")
    g.ev("Z", "Z-1", "traject_start", D(2025, 3, 1), trajectory_id="TR1", kind="diagnose", provider="P5", price=1000.0)
    g.ev("Z", "Z-1", "traject_einde", D(2025, 4, 30), trajectory_id="TR1", result="afgerond")
    g.ev("Z", "Z-1", "rapportage", D(2025, 5, 5), role="provider_coach", trajectory_id="TR1", kind="eind")
    g.ev("Z", "Z-1", "classificatie", D(2025, 5, 20), scheme="participatieladder", level="3")
    g.ev("W", "W-1", "toekenning", D(2024, 6, 1), norm_type="alleenstaande", team="T2")
    g.ev(
        "W",
        "W-1",
        "traject_start",
        D(2025, 3, 1),
        trajectory_id="TR1",
        kind="diagnose",
        provider="P5",
        price=1000.0,
        team="T2",
    )
    g.ev("W", "W-1", "traject_einde", D(2025, 5, 1), trajectory_id="TR1", result="afgerond", team="T2")
    g.ev("W", "W-1", "classificatie", D(2025, 7, 1), scheme="participatieladder", level="2", team="T2")
    # ended before the period: not counted
    g.ev("Y", "Y-1", "traject_start", D(2024, 7, 1), trajectory_id="TR0", kind="scholing", provider="P4")
    g.ev("Y", "Y-1", "traject_einde", D(2024, 12, 1), trajectory_id="TR0", result="afgerond")
    return g


PERIOD = (D(2025, 1, 1), D(2026, 1, 1))


def test_six_criteria_per_provider_by_hand():
    rows = {r["provider"]: r for r in P.scores(provider_log().frames(), *PERIOD, as_of=D(2026, 6, 30))}
    assert set(rows) == {"P1", "P5"}
    p1 = rows["P1"]
    assert (p1["trajecten"], p1["naar_werk"]) == (3, 2)
    assert p1["uitstroom"] == round(2 / 3, 4)
    assert p1["rapportage"] == round(3 / 16, 4)  # due 6 + 6 + 4, on record 3 + 0 + 0
    assert p1["bejegening"] == round(1 - 1 / 3, 4) and p1["no_shows_per_traject"] == round(1 / 3, 3)
    assert p1["diagnostiek"] is None
    assert p1["netwerk"] == 0.5  # X off benefit 6 months later, V back on benefit
    assert p1["communicatie"] == round(1 / 3, 4)
    assert (p1["kosten"], p1["kosten_per_succes"]) == (10000.0, 5000.0)
    p5 = rows["P5"]
    assert (p5["trajecten"], p5["uitstroom"], p5["diagnostiek"], p5["netwerk"], p5["kosten_per_succes"]) == (
        2,
        0.0,
        0.5,
        None,
        None,
    )
    # under 3 months: weekly reports (national-default); 60 and 61 days -> 8 + 8 due, 1 received
    assert p5["rapportage"] == round(1 / 16, 4)


def test_team_filter_and_durability_horizon():
    f = provider_log().frames()
    t1 = {r["provider"]: r for r in P.scores(f, *PERIOD, team="T1", as_of=D(2026, 6, 30))}
    assert t1["P5"]["trajecten"] == 1 and t1["P5"]["diagnostiek"] == 1.0
    # as of end 2025 the 6-month horizon of X (Dec 28) is observable but V's (Nov 28) too: same; as of 1 Dec only V's
    early = {r["provider"]: r for r in P.scores(f, *PERIOD, as_of=D(2025, 12, 1))}
    assert early["P1"]["netwerk"] == 0.0


def test_results_per_provider_and_module_match_the_existing_indicator_and_filter_by_team():
    f = provider_log().frames()
    assert P.results_by_provider_module(f, *PERIOD) == I.trajectory_results(f, *PERIOD)
    rows = {(r["provider"], r["module"]): r for r in P.results_by_provider_module(f, *PERIOD)}
    assert rows[("P1", "m1")] == {
        "provider": "P1",
        "module": "m1",
        "ended": 2,
        "successful": 1,
        "cost": 7000.0,
        "success_rate": 0.5,
        "cost_per_success": 7000.0,
    }
    assert [r["ended"] for r in P.results_by_provider_module(f, *PERIOD, team="T2")] == [1]
