"""Legal terms around weekends and Atw holidays (Algemene termijnenwet art. 1-3; Awb 6:7-6:9, 7:10)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regie.core.legal import terms as t

D = dt.date


def test_atw_calendar_differs_from_the_library_where_the_law_does():
    # Goede Vrijdag counts (Atw art. 3 lid 2); 5 May counts every year, not only every fifth (art. 3 lid 1).
    assert "Atw art. 3 lid 2" in t.atw_holiday(D(2026, 4, 3))
    assert t.atw_holiday(D(2026, 5, 5)) is not None  # a Tuesday, no lustrum year
    assert t.atw_holiday(D(2027, 5, 5)) is not None
    # Equated days (art. 3 lid 3): Friday after Ascension 2026, 2 January 2026.
    assert "art. 3 lid 3" in t.atw_holiday(D(2026, 5, 15))
    assert "art. 3 lid 3" in t.atw_holiday(D(2026, 1, 2))
    # Koningsdag moves off a Sunday: 26 April 2025 (Saturday), 27 April 2026; Koninginnedag 29 April 2006.
    assert t.atw_holiday(D(2025, 4, 26)) and not t.atw_holiday(D(2025, 4, 27))
    assert t.atw_holiday(D(2026, 4, 27))
    assert t.atw_holiday(D(2006, 4, 29)) and not t.atw_holiday(D(2006, 4, 30))
    assert t.atw_holiday(D(2013, 4, 30)) and not t.atw_holiday(D(2014, 4, 30))
    # An ordinary working day and 1 May are not holidays.
    assert t.atw_holiday(D(2026, 5, 1)) is None
    assert not t.is_atw_rest_day(D(2026, 12, 1))


@pytest.mark.parametrize(
    ("made_known", "end", "why"),
    [
        (D(2026, 10, 20), D(2026, 12, 1), "ordinary Tuesday: six weeks later, same weekday"),
        (D(2026, 10, 24), D(2026, 12, 7), "ends on a Saturday -> Monday"),
        (D(2025, 3, 7), D(2025, 4, 22), "Goede Vrijdag, weekend, tweede Paasdag -> Tuesday"),
        (D(2025, 11, 14), D(2025, 12, 29), "tweede Kerstdag, weekend -> Monday"),
        (D(2025, 11, 20), D(2026, 1, 5), "Nieuwjaarsdag, 2 January equated, weekend -> Monday"),
        (D(2025, 3, 15), D(2025, 4, 28), "Koningsdag on Saturday 26 April 2025, Sunday -> Monday"),
        (D(2026, 3, 16), D(2026, 4, 28), "Koningsdag Monday 27 April 2026 -> Tuesday"),
        (D(2026, 3, 24), D(2026, 5, 6), "5 May 2026 (no lustrum) -> Wednesday"),
        (D(2026, 4, 2), D(2026, 5, 18), "Hemelvaartsdag, equated Friday, weekend -> Monday"),
        (D(2026, 4, 13), D(2026, 5, 26), "tweede Pinksterdag -> Tuesday"),
        (D(2026, 11, 24), D(2027, 1, 5), "year end: 5 January 2027 is a Tuesday"),
        (D(2026, 11, 13), D(2026, 12, 28), "Christmas 2026: 25 Friday, 26 Saturday, Sunday -> Monday 28"),
    ],
)
def test_objection_term(made_known, end, why):
    term = t.objection_term(made_known)
    assert term.start == made_known + dt.timedelta(days=1)  # Awb 6:8
    assert term.nominal_end == made_known + dt.timedelta(weeks=6)  # Awb 6:7
    assert term.end == end, why
    assert "Awb art. 6:7" in term.articles
    assert bool(term.notes) == (term.end != term.nominal_end)


def test_atw_art_2_two_working_days_in_a_short_term():
    # Sent on Christmas Eve 2025 with three days: 25, 26 Dec (holidays), 27 Sat -> art. 1: Monday 29; only one
    # working day in the term -> art. 2: Tuesday 30 December.
    term = t.zienswijze_term(D(2025, 12, 24), 3, source="assumption")
    assert term.end == D(2025, 12, 30)
    assert any("art. 2" in n for n in term.notes)


def test_objection_timely_awb_6_9():
    made_known = D(2026, 10, 20)  # term ends 1 December 2026
    assert t.objection_timely(made_known, D(2026, 12, 1)).timely
    late = t.objection_timely(made_known, D(2026, 12, 2))
    assert not late.timely and "6:11" in late.article
    posted = t.objection_timely(made_known, D(2026, 12, 8), posted_on=D(2026, 12, 1))
    assert posted.timely and posted.article == "Awb art. 6:9 lid 2"
    assert not t.objection_timely(made_known, D(2026, 12, 9), posted_on=D(2026, 12, 1)).timely
    assert not t.objection_timely(made_known, D(2026, 12, 3), posted_on=D(2026, 12, 2)).timely


def test_objection_decision_term_awb_7_10():
    objection_end = D(2026, 1, 5)
    six = t.objection_decision_term(objection_end, advisory_committee=False)
    assert six.start == D(2026, 1, 6) and six.end == D(2026, 2, 16)
    twelve = t.objection_decision_term(objection_end, advisory_committee=True)
    assert twelve.end == D(2026, 3, 30) and "Awb art. 7:13" in twelve.articles
    extended = t.objection_decision_term(objection_end, advisory_committee=False, extension_weeks=6)
    assert extended.end == D(2026, 3, 30) and "Awb art. 7:10 lid 3" in extended.articles
    with pytest.raises(ValueError, match="7:10 lid 3"):
        t.objection_decision_term(objection_end, advisory_committee=False, extension_weeks=7)
    postponed = t.objection_decision_term(
        objection_end, advisory_committee=False, extension_weeks=6, postponed_until=D(2026, 4, 25)
    )
    # 25 April 2026 is a Saturday, then Sunday, then Monday 27 April Koningsdag: Tuesday 28 April.
    assert postponed.end == D(2026, 4, 28) and "Awb art. 7:10 lid 4" in postponed.articles
    late = t.objection_decision_term(objection_end, advisory_committee=False, received_on=D(2026, 1, 20))
    assert late.start == D(2026, 1, 21) and late.assumptions


def test_other_terms_cite_their_articles():
    assert t.appeal_term(D(2026, 10, 20)).end == D(2026, 12, 1)
    assert "Awb art. 8:1" in t.appeal_term(D(2026, 10, 20)).articles
    assert "Awb art. 8:104" in t.higher_appeal_term(D(2026, 10, 20)).articles
    assert t.application_decision_term(D(2026, 10, 6)).end == D(2026, 12, 1)
    assert t.advance_payment_term(D(2026, 11, 3)).end == D(2026, 12, 1)
    assert "Pw art. 52 lid 1" in t.advance_payment_term(D(2026, 11, 3)).articles
    assert t.repair_term(D(2026, 11, 17), 14, source="assumption").end == D(2026, 12, 1)
    with pytest.raises(ValueError):
        t.repair_term(D(2026, 11, 17), 0, source="assumption")


def test_unknown_equating_decree_is_an_assumption():
    assert t.objection_term(D(2029, 3, 1)).assumptions
    assert not t.objection_term(D(2026, 3, 2)).assumptions


TERMS = [
    t.objection_term,
    t.appeal_term,
    t.higher_appeal_term,
    t.application_decision_term,
    t.advance_payment_term,
    lambda d: t.zienswijze_term(d, 14, source="assumption"),
    lambda d: t.repair_term(d, 3, source="assumption"),
    lambda d: t.objection_decision_term(d, advisory_committee=True),
]


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2035, 12, 31)), st.sampled_from(TERMS))
def test_a_term_never_ends_on_a_rest_day(day, make):
    term = make(day)
    assert not t.is_atw_rest_day(term.end)
    assert term.nominal_end <= term.end <= term.nominal_end + dt.timedelta(days=12)
    if (term.nominal_end - term.start).days >= 2:  # Atw art. 2
        working = [term.start + dt.timedelta(days=i) for i in range((term.end - term.start).days + 1)]
        assert sum(not t.is_atw_rest_day(w) for w in working) >= 2
