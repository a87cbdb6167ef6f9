"""The legal state derived from a case's events (regie.core.legal.lifecycle): pure, no database."""

from __future__ import annotations

import datetime as dt

from regie.core.legal.lifecycle import LegalEvent, derive, problems

D = dt.date


def ev(i, etype, on, **payload):
    return LegalEvent(i, etype, on, payload)


BASE = [
    ev(1, "toekenning", D(2026, 2, 2), norm_type="alleenstaande"),
    ev(
        2,
        "voornemen",
        D(2026, 9, 1),
        voornemen_id="VN-1",
        decision_type="maatregel",
        summary="x",
        zienswijze_until="2026-09-15",
    ),
]


def test_hearing_rule_awb_4_8():
    state = derive(BASE)
    assert state.hearing_problem("maatregel", D(2026, 9, 16))  # not heard yet
    assert state.hearing_problem("boete", D(2026, 9, 16))  # no voornemen for a boete
    assert state.hearing_problem("toekenning", D(2026, 9, 16)) is None  # not adverse
    invited = derive(
        [*BASE, ev(3, "horen", D(2026, 9, 2), voornemen_id="VN-1", status="uitgenodigd", planned_on="2026-09-08")]
    )
    assert invited.hearing_problem("maatregel", D(2026, 9, 16))
    silent = derive([*BASE, ev(3, "horen", D(2026, 9, 16), voornemen_id="VN-1", status="geen_reactie")])
    assert silent.hearing_problem("maatregel", D(2026, 9, 15))  # the term still runs
    assert silent.hearing_problem("maatregel", D(2026, 9, 16)) is None
    heard = derive([*BASE, ev(3, "horen", D(2026, 9, 8), voornemen_id="VN-1", status="gehoord", summary="z")])
    assert heard.hearing_problem("maatregel", D(2026, 9, 16)) is None
    # the voornemen is used by the decision: a second sanction needs a new voornemen
    used = derive(
        [
            *BASE,
            ev(3, "horen", D(2026, 9, 8), voornemen_id="VN-1", status="gehoord", summary="z"),
            ev(4, "maatregel", D(2026, 9, 16), obligation_type="administratief", percentage=5, months=1),
        ]
    )
    assert used.voornemens["VN-1"].used_by == 4
    assert used.hearing_problem("maatregel", D(2026, 9, 20))
    ground = derive(
        [
            ev(
                2,
                "voornemen",
                D(2026, 9, 1),
                voornemen_id="VN-2",
                decision_type="terugvordering",
                summary="x",
                no_hearing_ground="awb_4_12",
            )
        ]
    )
    assert ground.hearing_problem("terugvordering", D(2026, 9, 1)) is None


LIFE = [
    *BASE,
    ev(3, "horen", D(2026, 9, 8), voornemen_id="VN-1", status="gehoord", summary="z"),
    ev(4, "maatregel", D(2026, 9, 16), obligation_type="administratief", percentage=5, months=1),
    ev(5, "bekendmaking", D(2026, 9, 17), decision_event=4),
]


def test_objection_terms_and_state():
    state = derive(LIFE)
    assert state.decisions["4"].objection_term.end == D(2026, 10, 29)  # Thursday, six weeks (Awb 6:7, 6:8)
    open_ = state.open_terms(D(2026, 10, 1))
    assert [(o.key, o.due) for o in open_] == [("bezwaartermijn", D(2026, 10, 29))]
    state = derive(
        [*LIFE, ev(6, "bezwaar", D(2026, 10, 20), objection_id="BZ-1", decision_event=4, advisory_committee=True)]
    )
    o = state.objections["BZ-1"]
    assert o.timeliness.timely and o.decision_term().end == D(2027, 1, 21)  # 12 weeks from 30-10 (Awb 7:10, 7:13)
    assert [t.key for t in state.open_terms(D(2026, 11, 1))] == ["beslistermijn_bezwaar"]
    extended = derive(
        [
            *LIFE,
            ev(6, "bezwaar", D(2026, 10, 20), objection_id="BZ-1", decision_event=4),
            ev(7, "bezwaar_termijn", D(2026, 11, 1), objection_id="BZ-1", kind="verdaging", weeks=6),
        ]
    )
    assert extended.objections["BZ-1"].decision_term().end == D(2027, 1, 21)  # 6 + 6 weeks
    # a granted provisional measure suspends the sanction until the objection is decided
    later = [
        *LIFE,
        ev(6, "bezwaar", D(2026, 10, 20), objection_id="BZ-1", decision_event=4),
        ev(
            7,
            "voorlopige_voorziening",
            D(2026, 10, 25),
            decision_event=4,
            objection_id="BZ-1",
            status="toegewezen",
            suspends=True,
        ),
    ]
    state = derive(later)
    assert not state.suspended(4, D(2026, 10, 24)) and state.suspended(4, D(2026, 10, 26))
    decided = derive(
        [*later, ev(8, "beslissing_op_bezwaar", D(2026, 11, 20), objection_id="BZ-1", outcome="ongegrond")]
    )
    assert not decided.suspended(4, D(2026, 11, 21))
    o = decided.objections["BZ-1"]
    assert o.decided_within_term and not o.open
    assert [(t.key, t.due) for t in decided.open_terms(D(2026, 11, 21))] == [("beroepstermijn", D(2027, 1, 4))]
    revoked = derive(
        [
            *later,
            ev(
                8,
                "beslissing_op_bezwaar",
                D(2026, 11, 20),
                objection_id="BZ-1",
                outcome="gegrond",
                revoked=True,
                new_decision="geen maatregel",
            ),
        ]
    )
    assert revoked.suspended(4, D(2027, 6, 1))


def test_problems_name_the_field():
    state = derive(LIFE)
    types = {"1": "toekenning", "2": "voornemen", "3": "horen", "4": "maatregel", "5": "bekendmaking"}
    late = problems(state, "bezwaar", D(2026, 11, 5), {"objection_id": "BZ-9", "decision_event": 4}, types)
    assert [f for f, _m in late] == ["payload.late_reason"] and "6:11" in late[0][1]
    assert not problems(
        state,
        "bezwaar",
        D(2026, 11, 5),
        {"objection_id": "BZ-9", "decision_event": 4, "posted_on": "2026-10-29"},
        types,
    )
    assert [
        f for f, _m in problems(state, "bezwaar", D(2026, 10, 1), {"objection_id": "B", "decision_event": 5}, types)
    ] == ["payload.decision_event"]
    assert [
        f
        for f, _m in problems(
            state, "beslissing_op_bezwaar", D(2026, 11, 5), {"objection_id": "nope", "outcome": "ongegrond"}, types
        )
    ] == ["payload.objection_id"]
    assert [
        f
        for f, _m in problems(
            state,
            "beroep",
            D(2026, 11, 5),
            {"appeal_id": "BR-1", "court": "crvb", "stage": "ingesteld", "lower_appeal_id": "x"},
            types,
        )
    ] == ["payload.lower_appeal_id"]


def test_monitoring_counts():
    from regie.core.legal.monitoring import ObjectionRow, by_type_and_outcome, upheld_per_caseworker, within_term

    rows = [
        ObjectionRow(1, "maatregel", "gegrond", True, "km.a"),
        ObjectionRow(1, "maatregel", "ongegrond", False, "km.a"),
        ObjectionRow(1, "maatregel", None, None, "km.b"),
        ObjectionRow(1, "toekenning", "deels_gegrond", True, "km.b"),
        ObjectionRow(1, "toekenning", "ingetrokken", None, "km.b"),
    ]
    assert by_type_and_outcome(rows) == {
        "maatregel": {"gegrond": 1, "ongegrond": 1, "open": 1},
        "toekenning": {"deels_gegrond": 1, "ingetrokken": 1},
    }
    w = within_term(rows)
    assert (w.decided, w.within) == (3, 2)
    per = upheld_per_caseworker(rows)
    assert [(p.caseworker, p.decided, p.upheld) for p in per] == [("km.b", 1, 1), ("km.a", 2, 1)]
