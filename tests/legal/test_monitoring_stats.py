"""Objections upheld per caseworker: the share's Wilson interval and the flag against the colleagues' share."""

from __future__ import annotations

from regie.core.legal.monitoring import MIN_DECIDED, ObjectionRow, upheld_per_caseworker, wilson


def _rows(cw: str, upheld: int, other: int) -> list[ObjectionRow]:
    return [ObjectionRow(1, "maatregel", "gegrond", True, cw) for _ in range(upheld)] + [
        ObjectionRow(1, "maatregel", "ongegrond", True, cw) for _ in range(other)
    ]


def test_wilson_matches_the_textbook_values():
    lo, hi = wilson(6, 6)  # 6 of 6: the interval does not reach 1 from below the way a normal one would
    assert round(lo, 3) == 0.610 and hi == 1.0
    lo, hi = wilson(1, 10)
    assert round(lo, 3) == 0.018 and round(hi, 3) == 0.404


def test_flagged_only_above_the_colleagues_and_with_enough_objections():
    rows = _rows("km.hard", 6, 0) + _rows("km.a", 1, 9) + _rows("km.b", 1, 9) + _rows("km.few", 3, 0)
    per = {r.caseworker: r for r in upheld_per_caseworker(rows)}
    hard = per["km.hard"]
    assert hard.share == 1.0 and hard.others_share == 5 / 23 and hard.flagged  # 0.61 > 0.22
    assert not per["km.a"].flagged  # below the others
    few = per["km.few"]
    assert few.decided < MIN_DECIDED and not few.flagged  # 3 of 3 upheld, too few to say anything
    # withdrawn and open objections do not count
    extra = [
        ObjectionRow(1, "maatregel", "ingetrokken", None, "km.a"),
        ObjectionRow(1, "maatregel", None, None, "km.a"),
    ]
    assert {r.caseworker: r.decided for r in upheld_per_caseworker(rows + extra)}["km.a"] == 10
