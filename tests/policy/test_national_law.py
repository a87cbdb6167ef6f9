"""National law (h/law): the norm tables, the dated national layers and the legal errors fixed, each test naming
the article or seed line it checks."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from regie.core.policy import (
    CaseFacts,
    PolicyError,
    PolicyUnavailable,
    advise_step,
    load_dir,
    norms_on,
    policy_for,
    recommend,
    sanction_for,
)
from regie.core.policy.loader import PACKAGED_DIR, load_norm_tables
from regie.policy.cli import policy_app

ON = dt.date(2026, 3, 2)


def facts(**kw) -> CaseFacts:
    base = dict(age=35, expected_months_to_work=12, n_children=0, has_partner=False, medical_claim=False)
    base.update(health_limitation=False, care_duties=False, requested_trajectory=False)
    return CaseFacts(**(base | kw))


# --- norm tables --------------------------------------------------------------------------------------------------


def test_every_norm_table_is_complete_dated_and_consistent():
    """Pw art. 19-22, 22a: each table holds from 1 January or 1 July; couples above singles, youth below adults,
    pension age above working age; the Pw single norm is 70 % of the couple norm (art. 21), the WWB one 50 %; the
    vakantietoeslag share is 5 %; every unverified or derived amount is said so."""
    tables = load_norm_tables(PACKAGED_DIR)
    assert tables, "no norm tables shipped"
    for t in tables:
        assert (t.valid_from.month, t.valid_from.day) in ((1, 1), (7, 1))
        assert t.gehuwden > t.alleenstaande and t.aow_gehuwden > t.aow_alleenstaande
        assert t.jong_alleenstaande < t.alleenstaande and t.jong_gehuwden_beiden_jong < t.gehuwden
        assert t.jong_gehuwden_een_jong < t.gehuwden and t.jong_gehuwden_een_jong_kinderen < t.gehuwden
        assert t.aow_alleenstaande > t.alleenstaande and t.aow_gehuwden > t.gehuwden
        assert t.holiday_allowance_share == Decimal("0.05")
        assert t.asset_limit_family == 2 * t.asset_limit_single
        share = Decimal("0.70") if t.law == "Pw" else Decimal("0.50")
        assert abs(t.alleenstaande - share * t.gehuwden) <= Decimal("0.01"), t.valid_from
        if t.law == "Pw":
            assert t.alleenstaande_ouder == t.alleenstaande and t.cost_sharer is not None
        assert t.source.url.startswith("https://")
        for field, how in t.derived.items():
            assert how and field in type(t).model_fields
        if t.derived:
            assert t.assumption, f"{t.valid_from}: derived amounts need an assumption text"


def test_norm_tables_leave_no_gap_from_2025():
    """Every half year from the first verified table to the last has a table (no stale amount across a gap)."""
    dates = [t.valid_from for t in load_norm_tables(PACKAGED_DIR) if t.valid_from >= dt.date(2025, 1, 1)]
    expected, d = [], dt.date(2025, 1, 1)
    while d <= dates[-1]:
        expected.append(d)
        d = dt.date(d.year + (d.month == 7), 1 if d.month == 7 else 7, 1)
    assert dates == expected


def test_published_amounts_spot_checked():
    """Spot values against the cited pages: 1 January 2025 (gemeentewestland.nl normenoverzicht: 1345.45 single,
    1922.07 couple, 332.17 youth, 2053.48 pension-age couple); 1 July 2025 (berekenuwrechtplus.nl: 1369.06,
    1955.80, 1530.21, 2094.98)."""
    jan, jul = norms_on(dt.date(2025, 1, 1)), norms_on(dt.date(2025, 12, 31))
    assert (jan.alleenstaande, jan.gehuwden, jan.jong_alleenstaande, jan.aow_gehuwden) == tuple(
        Decimal(x) for x in ("1345.45", "1922.07", "332.17", "2053.48")
    )
    assert (jul.alleenstaande, jul.gehuwden, jul.aow_alleenstaande, jul.aow_gehuwden) == tuple(
        Decimal(x) for x in ("1369.06", "1955.80", "1530.21", "2094.98")
    )
    assert jul.verified is False  # three youth norms derived, asset limits not read


def test_kostendelersnorm_per_pw_22a():
    """Pw art. 22a lid 1: (40 + A x 30) / (A x 100) x the couple norm; velsen.nl 1 July 2024 publishes 934.61 for
    A = 2 and 809.99 for A = 3 of 1869.21 (the same formula, rounded half up)."""
    t = norms_on(dt.date(2025, 3, 1))
    assert t.cost_sharer_norm("alleenstaande", 2) == Decimal("961.04")  # 50 % of 1922.07
    assert t.cost_sharer_norm("alleenstaande", 3) == (Decimal(130) / 300 * t.gehuwden).quantize(Decimal("0.01"))
    assert t.cost_sharer_norm("aow_alleenstaande", 2) == Decimal("1026.74")  # 50 % of 2053.48
    assert t.without_holiday_allowance(t.alleenstaande) == Decimal("1278.18")


def test_no_norm_after_the_last_table():
    """Fail closed: a date more than six months after the last table has no norms (never a stale amount)."""
    last = load_norm_tables(PACKAGED_DIR)[-1].valid_from
    with pytest.raises(PolicyUnavailable) as exc:
        norms_on(dt.date(last.year + 1, last.month, 1))
    assert "bijstandsnormen" in exc.value.message


# --- the legal errors ---------------------------------------------------------------------------------------------


def test_childcare_up_to_and_including_12_covers_the_year_after_the_12th_birthday():
    """seed 002:714-717: availability for work only with suitable childcare "voor kinderen tm 12 jaar" — tot en met
    12: a child of 12.5 is 12, so the ground holds until the 13th birthday (it ended on the 12th before)."""
    p = policy_for("0518", ON)
    grounds = {g["ground"] for g in recommend(p, facts(n_children=1, youngest_child_age=12.5, childcare_arranged=False), ON).exemptions.value}
    assert "geen_kinderopvang" in grounds
    grounds13 = {g["ground"] for g in recommend(p, facts(n_children=1, youngest_child_age=13.0, childcare_arranged=False), ON).exemptions.value}
    assert "geen_kinderopvang" not in grounds13


def _policy_dir(tmp_path, municipal: str):
    root = tmp_path / "policies"
    shutil.copytree(PACKAGED_DIR, root)
    (root / "testgemeente").mkdir()
    (root / "testgemeente" / "2020-01-01.yaml").write_text(municipal, encoding="utf-8")
    return root


LOW_WORK_RULE = """extends: national-default
id: testgemeente
name: Testgemeente
municipality_code: "9990"
valid_from: 2020-01-01
sanctions:
  - {id: tg-work, obligation_type: arbeidsverplichting, percentage: 20, months: 1, source: "verordening art. 5"}
  - {id: tg-cat1, obligation_type: reintegratie, percentage: 5, months: 1, source: "verordening art. 6"}
"""


def test_ordinance_below_the_national_work_obligation_measure_is_rejected(tmp_path):
    """Pw art. 18 lid 4: breaching a uniform work obligation is met with 100 % for 1 to 3 months; an
    afstemmingsverordening advising 20 % is invalid (before, it passed validation and was followed)."""
    root = _policy_dir(tmp_path, LOW_WORK_RULE)
    with pytest.raises(PolicyError) as exc:
        load_dir(root)
    (problem,) = exc.value.problems
    assert problem.file.endswith("testgemeente/2020-01-01.yaml") and problem.field == "sanctions.0"
    assert "tg-work" in problem.message and "art. 18 lid 4" in problem.message and problem.line == 7
    result = CliRunner().invoke(policy_app, ["validate", "--dir", str(root)])
    assert result.exit_code == 1 and "tg-work" in result.output


def test_older_ordinance_gets_the_national_measure_from_2015(tmp_path):
    """Pw art. 18 lid 4 prevails over a WWB-era ordinance: its derived 2015+ version advises 100 % with the reason."""
    text = LOW_WORK_RULE.replace("2020-01-01", "2010-01-01").replace("extends: national-default\n", "extends: national-default\n")
    root = tmp_path / "policies"
    shutil.copytree(PACKAGED_DIR, root)
    (root / "testgemeente").mkdir()
    (root / "testgemeente" / "2010-01-01.yaml").write_text(text, encoding="utf-8")
    ps = load_dir(root)
    old = ps.in_force("9990", dt.date(2012, 1, 1))
    assert sanction_for(old, "arbeidsverplichting", None, 1, None, dt.date(2012, 1, 1)).value["percentage"] == 20
    new = ps.in_force("9990", ON)
    out = sanction_for(new, "arbeidsverplichting", None, 1, None, ON)
    assert out.value["percentage"] == 100 and out.explanation[-1].rule_id == "pw.art18.lid4"


def test_information_obligation_is_recovery_and_a_fine_not_a_cut():
    """Pw art. 17 lid 1: a breach leads to revision and recovery (art. 54 lid 3, art. 58) and a fine scaled to blame
    (art. 18a), not to a 20 % measure."""
    advice = advise_step("0518", "maatregel", {"obligation_type": "inlichtingen", "birth_date": "1990-01-01"}, ON)
    assert advice["values"] == {} and not advice["missing"]
    (e,) = advice["explanation"]
    assert e["say"] == {"key": "information_obligation", "events": ["terugvordering", "boete"]}
    assert "art. 18a" in e["source"] and "art. 58" in e["source"]
    assert "boete (art. 18a) naar verwijtbaarheid" in e["text"]


def test_information_obligation_before_the_fraudewet_still_a_measure():
    """Before 1 January 2013 (Fraudewet) the WWB afstemmingsverordening set a measure (hoogwaardige handhaving,
    seed 001:695-699)."""
    raw = {"obligation_type": "inlichtingen", "category": "2", "birth_date": "1970-01-01"}
    assert advise_step("hoogwaardige-handhaving", "maatregel", raw, dt.date(2010, 6, 1))["values"]["percentage"] == 100
    assert advise_step("hoogwaardige-handhaving", "maatregel", raw, dt.date(2013, 6, 1))["values"] == {}


def test_single_parent_norm_needs_a_child_under_18():
    """Pw art. 4 lid 1: an alleenstaande ouder cares for a child ten laste (under 18); an adult child at home makes
    no single parent (it is a possible cost-sharer, art. 22a)."""
    base = {"has_partner": False, "birth_date": "1970-01-01"}
    adult = advise_step("0518", "toekenning", base | {"children_birth_dates": ["2005-01-01"]}, ON)
    assert adult["values"]["norm_type"] == "alleenstaande"
    minor = advise_step("0518", "toekenning", base | {"children_birth_dates": ["2005-01-01", "2010-05-01"]}, ON)
    assert minor["values"]["norm_type"] == "alleenstaande_ouder"
    birthday = advise_step("0518", "toekenning", base | {"children_birth_dates": ["2008-03-02"]}, ON)
    assert birthday["values"]["norm_type"] == "alleenstaande"  # 18 on the day asked


def test_art_9a_exempts_work_and_tegenprestatie_not_reintegration():
    """Pw art. 9a lid 1: the exemption covers the obligations of art. 9 lid 1 sub a (work) and c (tegenprestatie);
    the re-integration duty (sub b) remains: the client counts as exempt from the work obligation (cohort Y - Z)
    and a trajectory is still expected."""
    p = policy_for("0518", ON)
    rec = recommend(p, facts(n_children=1, youngest_child_age=3, childcare_arranged=True), ON)
    assert rec.obligations.value["work_obligation"] == "exemption_possible"
    assert rec.obligations.value["remaining_duties"] == ["reintegratie"]
    assert rec.trajectory.value["eligible"] is True
    assert p.national.child_exemption.lifts == ["arbeidsverplichtingen", "tegenprestatie"]
