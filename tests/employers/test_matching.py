"""The matching core: hard criteria, score, reasons, both directions, and properties (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from regie.core.matching import (
    ProfileTable,
    Requirement,
    Vacancy,
    VacancyTable,
    WorkProfile,
    candidates_for,
    centroid,
    reason_text,
    vacancies_for,
)

DEN_HAAG_CENTRE = "2511 AB"
DELFT = "2611 AA"
ZOETERMEER = "2711 AA"

VACANCY = Vacancy(
    "V1",
    title="Magazijnmedewerker",
    hours=24,
    postcode=DEN_HAAG_CENTRE,
    requirements=(
        Requirement("certificate", "VCA"),
        Requirement("driving_licence", "B", hard=False),
        Requirement("education", "vmbo"),
    ),
    conditions=frozenset({"tillen"}),
)


def _profile(ref, **kw):
    base = dict(
        postcode=DEN_HAAG_CENTRE,
        education_level="mbo2_4",
        certificates=frozenset({"vca"}),
        hours_available=32,
        travel_radius_km=15,
    )
    return WorkProfile(ref, **(base | kw))


def test_centroid_table_covers_the_demo_region_and_nothing_else():
    assert centroid("2511AB") is not None and centroid("2711 AA") is not None
    assert centroid("9999 ZZ") is None and centroid("") is None and centroid(None) is None


def test_each_hard_criterion_counts_and_is_explained():
    profiles = [
        _profile("all-met", driving_licences=frozenset({"B"})),
        _profile("no-vca", certificates=frozenset()),
        _profile("too-few-hours", hours_available=16),
        _profile("too-far", postcode=ZOETERMEER, travel_radius_km=5),
        _profile("restricted", restrictions=frozenset({"tillen"})),
        _profile("exempt", exempt=True),
        _profile("low-education", education_level="basis"),
    ]
    result = candidates_for(ProfileTable(profiles), VACANCY, limit=10)
    by_ref = {m.ref: m for m in result.matches}
    assert result.total == 7 and result.eligible == 1
    assert result.matches[0].ref == "all-met" and by_ref["all-met"].hard_failed == 0
    for ref in ("no-vca", "too-few-hours", "too-far", "restricted", "exempt", "low-education"):
        assert by_ref[ref].hard_failed == 1, ref
    texts = [reason_text(r) for r in by_ref["no-vca"].reasons]
    assert "Certificaat: VCA (eis, niet voldaan)" in texts
    assert any(t.startswith("Reisafstand") for t in texts)
    too_far = next(r for r in by_ref["too-far"].reasons if r.key == "distance")
    assert too_far.ok is False and too_far.p["km"] > 5
    clash = next(r for r in by_ref["restricted"].reasons if r.key == "conditions")
    assert clash.ok is False and "Tillen boven 10 kg" in reason_text(clash)


def test_a_wish_raises_the_score_but_is_no_criterion():
    with_b = _profile("b", driving_licences=frozenset({"B"}))
    without = _profile("none")
    result = candidates_for(ProfileTable([without, with_b]), VACANCY)
    assert [m.ref for m in result.matches] == ["b", "none"]
    assert all(m.hard_failed == 0 for m in result.matches)


def test_unknown_distance_and_hours_are_shown_as_unknown_not_as_failed():
    p = _profile("unknown", postcode="9999 ZZ", hours_available=None)
    (m,) = candidates_for(ProfileTable([p]), VACANCY).matches
    keys = {r.key: r for r in m.reasons}
    assert m.hard_failed == 0 and m.distance_km is None
    assert keys["distance_unknown"].ok is None and keys["hours_unknown"].ok is None


def test_policy_view_is_shown_and_not_weighted():
    close = _profile("rung-5", route="bemiddeling", level_label="5", level_rank=1, work_first=True)
    far = _profile("rung-2", route="zorg", level_label="2", level_rank=4)
    a = candidates_for(ProfileTable([close, far]), VACANCY)
    b = candidates_for(ProfileTable([far, close]), VACANCY)
    assert a.matches[0].score == a.matches[1].score == b.matches[0].score
    policy = next(r for r in a.matches[0].reasons if r.key == "policy")
    assert "niet meegewogen" in reason_text(policy)


def test_the_client_side_agrees_with_the_vacancy_side():
    vacancies = [
        VACANCY,
        Vacancy("V2", title="Schoonmaker", hours=40, postcode=DELFT),
        Vacancy("V3", title="Kok", hours=20, postcode=DEN_HAAG_CENTRE, requirements=(Requirement("skill", "koken"),)),
    ]
    p = _profile("c", skills=frozenset({"Koken"}))
    result = vacancies_for(VacancyTable(vacancies), p)
    by_ref = {m.ref: m for m in result.matches}
    assert by_ref["V2"].hard_failed == 1  # 40 hours > 32 available
    assert by_ref["V3"].hard_failed == 0
    for v in vacancies:
        (seen,) = candidates_for(ProfileTable([p]), v).matches
        assert seen.hard_failed == by_ref[v.vacancy_ref].hard_failed
        assert abs(seen.score - by_ref[v.vacancy_ref].score) < 1e-9


# --- properties -----------------------------------------------------------------------------------------------

TERMS = ["vca", "heftruck", "koken", "bhv"]
profiles_st = st.builds(
    WorkProfile,
    client_ref=st.uuids().map(str),
    postcode=st.sampled_from([DEN_HAAG_CENTRE, DELFT, ZOETERMEER, "9999 ZZ", None]),
    education_level=st.sampled_from(["", "basis", "vmbo", "mbo2_4", "hbo"]),
    skills=st.frozensets(st.sampled_from(TERMS)),
    certificates=st.frozensets(st.sampled_from(TERMS)),
    driving_licences=st.frozensets(st.sampled_from(["B", "C"])),
    hours_available=st.one_of(st.none(), st.integers(0, 40).map(float)),
    travel_radius_km=st.one_of(st.none(), st.integers(1, 40).map(float)),
    restrictions=st.frozensets(st.sampled_from(["tillen", "nachtdienst"])),
    exempt=st.booleans(),
)
requirements_st = st.lists(
    st.one_of(
        st.builds(Requirement, st.just("skill"), st.sampled_from(TERMS), st.booleans()),
        st.builds(Requirement, st.just("certificate"), st.sampled_from(TERMS), st.booleans()),
        st.builds(Requirement, st.just("driving_licence"), st.sampled_from(["B", "C"]), st.booleans()),
        st.builds(Requirement, st.just("education"), st.sampled_from(["vmbo", "mbo2_4"]), st.booleans()),
    ),
    max_size=4,
).map(tuple)
vacancy_st = st.builds(
    Vacancy,
    vacancy_ref=st.just("V"),
    hours=st.one_of(st.none(), st.integers(4, 40).map(float)),
    postcode=st.sampled_from([DEN_HAAG_CENTRE, DELFT, ZOETERMEER, "9999 ZZ"]),
    requirements=requirements_st,
    conditions=st.frozensets(st.sampled_from(["tillen", "nachtdienst", "weekendwerk"])),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(profiles_st, min_size=1, max_size=30), vacancy_st)
def test_property_no_one_failing_a_hard_criterion_ranks_above_one_meeting_them(profiles, vacancy):
    result = candidates_for(ProfileTable(profiles), vacancy, limit=len(profiles))
    failed = [m.hard_failed for m in result.matches]
    assert failed == sorted(failed)  # fewer failed criteria always first
    assert len(result.matches) == len(profiles)
    assert result.eligible == sum(1 for f in failed if f == 0)
    for m in result.matches:
        # the count of failed hard criteria is exactly what the reasons say
        assert m.hard_failed == sum(1 for r in m.reasons if r.hard and r.ok is False)


@settings(max_examples=100, deadline=None)
@given(st.lists(profiles_st, min_size=1, max_size=20), vacancy_st, st.integers(1, 5))
def test_property_the_limit_returns_the_head_of_the_full_ranking(profiles, vacancy, limit):
    table = ProfileTable(profiles)
    full = candidates_for(table, vacancy, limit=len(profiles)).matches
    head = candidates_for(table, vacancy, limit=limit).matches
    assert [m.ref for m in head] == [m.ref for m in full[:limit]]


@settings(max_examples=100, deadline=None)
@given(profiles_st, vacancy_st)
def test_property_gaining_a_required_skill_never_lowers_the_result(profile, vacancy):
    """Monotone: meeting one more requirement never adds a failed criterion or lowers the score."""
    missing = [r for r in vacancy.requirements if r.kind == "skill" and r.value not in profile.skills]
    if not missing:
        return
    better = WorkProfile(**(profile.__dict__ | {"skills": profile.skills | {missing[0].value}}))
    (before,) = candidates_for(ProfileTable([profile]), vacancy).matches
    (after,) = candidates_for(ProfileTable([better]), vacancy).matches
    assert after.hard_failed <= before.hard_failed
    assert after.score >= before.score - 1e-12


@settings(max_examples=100, deadline=None)
@given(st.lists(vacancy_st, min_size=1, max_size=15), profiles_st)
def test_property_both_directions_agree(vacancies, profile):
    vacancies = [Vacancy(**(v.__dict__ | {"vacancy_ref": f"V{i}"})) for i, v in enumerate(vacancies)]
    from_client = {m.ref: m for m in vacancies_for(VacancyTable(vacancies), profile, limit=100).matches}
    for v in vacancies:
        (m,) = candidates_for(ProfileTable([profile]), v).matches
        assert m.hard_failed == from_client[v.vacancy_ref].hard_failed
        assert abs(m.score - from_client[v.vacancy_ref].score) < 1e-9


def test_a_distance_reads_in_the_readers_language():
    """The core writes Dutch decimal commas by default; the page passes its own number format (0,0 km in the English
    UI was a hand-made comma)."""
    from django.utils import translation

    from regie.core.matching import Reason
    from regie.employers.views import _distance

    reason = Reason("distance", True, params=(("km", 2.5), ("radius", 10.0)))
    assert reason_text(reason) == "Reisafstand 2,5 km (reisbereik 10 km)"
    with translation.override("en"):
        assert reason_text(reason, translation.gettext, _distance) == "Travel distance 2.5 km (travel radius 10 km)"
    with translation.override("nl"):
        assert reason_text(reason, translation.gettext, _distance) == "Reisafstand 2,5 km (reisbereik 10 km)"
