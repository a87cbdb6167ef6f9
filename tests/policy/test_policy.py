"""Policy files and the engine: every seed municipality validates and its distinctive rule holds (seed lines in
the docstrings); dated versions; errors with file, line and field; cannot-decide; batch equals single."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from regie.core.policy import (
    CaseFacts,
    PolicyError,
    load_dir,
    load_file,
    policy_for,
    recommend,
    recommend_batch,
    sanction_for,
    table_from_facts,
)
from regie.core.policy.loader import PACKAGED_DIR
from regie.policy.cli import policy_app

D = dt.date(2010, 1, 1)
TODAY = dt.date(2026, 1, 1)


def facts(**kw) -> CaseFacts:
    base = dict(
        age=35,
        expected_months_to_work=12,
        n_children=0,
        has_partner=False,
        health_limitation=False,
        medical_claim=False,
        requested_trajectory=False,
        care_duties=False,
        childcare_arranged=True,
    )
    return CaseFacts(**{**base, **kw})


def level(code: str, on: dt.date = D, **kw) -> str:
    return recommend(policy_for(code, on), facts(**kw), on).classification.value["level"]


def test_all_seed_municipalities_validate():
    ps = load_dir()
    required = {
        "national-default",
        "den-haag",
        "eindhoven",
        "sittard-geleen",
        "leidschendam-voorburg",
        "weert",
        "goes",
        "maastricht",
        "tilburg",
        "helmond",
        "amsterdam",
    }
    assert required <= set(ps.by_id)
    for versions in ps.by_id.values():
        for p in versions:
            for rule in p.routing.rules + p.trajectories.rules:
                assert rule.source and (not rule.assumption or rule.assumption_reason)


def test_den_haag_uses_the_participatieladder():
    """seed 000:715: Den Haag works with exactly the participatieladder."""
    p = policy_for("0518", D)
    assert p.scheme.id == "participatieladder" and [lv.id for lv in p.scheme.levels] == ["6", "5", "4", "3", "2", "1"]


def test_eindhoven_six_months_sittard_geleen_two_years():
    """seed 000:717-719: a-stroom within 6 months (Eindhoven) versus within 2 years (Sittard-Geleen)."""
    assert level("0772", expected_months_to_work=6) == "A" and level("0772", expected_months_to_work=7) == "B"
    assert level("1883", expected_months_to_work=24) == "A" and level("1883", expected_months_to_work=25) == "B"


def test_leidschendam_voorburg_three_tiers_work_first_rules_steered():
    """seed 000:721 (three tiers, work within 3 months), 000:680-686 (Work First), 000:756-768 (rules, protocol)."""
    p = policy_for("1916", D)
    assert [lv.id for lv in p.scheme.levels] == ["direct", "work_first", "participatie"]
    assert level("1916", expected_months_to_work=3) == "direct"
    r = recommend(p, facts(expected_months_to_work=10), D)
    assert r.classification.value["level"] == "work_first" and r.work_first.value["applies"]
    assert r.work_first.value["hours_per_week"] == 20 and r.work_first.value["max_weeks"] == 20
    assert level("1916", expected_months_to_work=10, health_limitation=True) == "participatie"
    assert p.steering.mode == "rules" and p.scheme.transitions == "up_only"


def test_weert_six_groups_no_work_first_performance_steered():
    """seed 000:1241-1246 (six groups), 000:760-778 (steered on performance)."""
    p = policy_for("0988", D)
    assert len(p.scheme.levels) == 6 and p.scheme.levels[5].label == "Inkomenswaarborg"
    assert not p.work_first.enabled and p.steering.mode == "performance"
    assert level("0988", expected_months_to_work=4) == "1"


def test_goes_sits_in_between():
    """seed 000:770-782: Goes is between Leidschendam-Voorburg (rules) and Weert (performance)."""
    goes, lv, weert = (policy_for(c, D) for c in ("0664", "1916", "0988"))
    assert goes.steering.mode == "performance" and not goes.steering.targets and weert.steering.targets
    assert lv.steering.mode == "rules"


def test_maastricht_versions_and_the_october_2004_age_rule():
    """seed 002:746-775 (werkladder), 002:933-949 (no trajectory for 46+ from Oct 2004 unless asked),
    002:975-1000 (transferium A1/A2/B1/B2, payment by result from 1 July 2005)."""
    assert policy_for("0935", dt.date(2004, 9, 30)).scheme.id == "werkladder"
    assert policy_for("0935", dt.date(2005, 7, 1)).scheme.id == "transferium"
    assert policy_for("0935", dt.date(2005, 7, 1)).provider_payment.model == "no_cure_less_pay"
    older = facts(age=50)

    def eligible(on, f):
        return recommend(policy_for("0935", on), f, on).trajectory.value["eligible"]

    assert eligible(dt.date(2004, 9, 30), older) is True
    assert eligible(dt.date(2004, 10, 1), older) is False
    assert eligible(dt.date(2004, 10, 1), facts(age=50, requested_trajectory=True)) is True
    assert eligible(dt.date(2004, 10, 1), facts(age=45)) is True
    assert eligible(dt.date(2006, 1, 1), older) is False  # kept in the transferium version


def test_tilburg_and_helmond_distance_bands_and_activation_norm():
    """seed 003:191 (Helmond 6 months-2 years), 003:201 (Tilburg <1 year, 1-3 years), 003:328 (three half-days)."""
    assert level("0855", TODAY, expected_months_to_work=11) == "binnen_1_jaar"
    assert level("0855", TODAY, expected_months_to_work=30) == "1_tot_3_jaar"
    assert level("0794", TODAY, expected_months_to_work=12) == "6_maanden_2_jaar"
    assert policy_for("0855", TODAY).activation_norm_half_days.value == 3
    assert policy_for("0794", TODAY).caseload_norm.value == 30


def test_amsterdam_2019_caseload_and_no_targets():
    """seed 004:97: 50-60 clients per caseworker; no targets."""
    p = policy_for("0363", dt.date(2019, 6, 1))
    assert 50 <= p.caseload_norm.value <= 60 and p.steering.targets == {}


def test_national_law_follows_the_date_asked():
    """Pw (2015) replaces the WWB layer for a 2008 municipal policy without a new municipal file."""
    assert policy_for("0518", dt.date(2010, 1, 1)).national.child_exemption.source.startswith("WWB")
    assert policy_for("0518", TODAY).national.child_exemption.source.startswith("Pw")
    with pytest.raises(LookupError):
        policy_for("0518", dt.date(2001, 1, 1))


def test_exemptions_single_parent_child_under_5_and_childcare():
    """Pw art. 9a; seed 002:714-717 (work obligation only with childcare arranged for children up to 12)."""
    p = policy_for("0518", TODAY)

    def grounds(**kw):
        return {g["ground"] for g in recommend(p, facts(**kw), TODAY).exemptions.value}

    assert "kind_onder_5" in grounds(n_children=1, youngest_child_age=3)
    assert "kind_onder_5" not in grounds(n_children=1, youngest_child_age=3, has_partner=True)
    assert "kind_onder_5" not in grounds(n_children=1, youngest_child_age=6)
    assert "geen_kinderopvang" in grounds(n_children=1, youngest_child_age=10, childcare_arranged=False)
    assert grounds() == set()


def test_search_period_for_under_27s():
    """Pw art. 41 lid 4: four weeks for applicants under 27."""
    p = policy_for("0518", TODAY)
    assert recommend(p, facts(age=26.9), TODAY).search_period.value == {"applies": True, "weeks": 4}
    assert recommend(p, facts(age=27), TODAY).search_period.value["applies"] is False


def test_sanctions_by_type_category_and_repeat():
    """Pw art. 18 lid 4-5 (work obligations 100%, repeat longer) and the model ordinance categories."""
    p = policy_for("0518", TODAY)
    assert sanction_for(p, "arbeidsverplichting", None, 1, None).value == {
        "percentage": 100,
        "months": 1,
        "repeat_step": 1,
    }
    assert sanction_for(p, "arbeidsverplichting", None, 2, None).value["months"] == 3
    assert sanction_for(p, "reintegratie", 2, 1, None).value["percentage"] == 30
    assert not sanction_for(p, "reintegratie", 9, 1, None).decided


def test_missing_fact_gives_cannot_decide_never_a_default():
    p = policy_for("0772", TODAY)
    r = recommend(p, CaseFacts(age=30), TODAY)
    assert not r.classification.decided and r.classification.missing == ["expected_months_to_work"]
    assert r.as_dict()["classification"]["cannot_decide"] == ["missing expected_months_to_work"]
    assert recommend(p, CaseFacts(), TODAY).search_period.missing == ["age"]


def test_explanations_name_rule_source_and_inputs():
    r = recommend(policy_for("0772", TODAY), facts(expected_months_to_work=4), TODAY).as_dict()
    e = r["classification"]["explanation"][0]
    assert e["rule_id"] == "ehv-a" and "seed 000:717" in e["source"] and e["inputs"] == {"expected_months_to_work": 4}


def test_invalid_policy_is_refused_with_file_line_and_field(tmp_path):
    root = tmp_path / "policies"
    (root / "national").mkdir(parents=True)
    (root / "x").mkdir()
    (root / "national" / "2015-01-01.yaml").write_text((PACKAGED_DIR / "national/2015-01-01.yaml").read_text())
    bad = (
        (PACKAGED_DIR / "leidschendam-voorburg/2008-01-01.yaml").read_text().replace("extends: national-default\n", "")
    )
    (root / "x" / "2008-01-01.yaml").write_text(
        "extends: lv\n" + "id: x\nname: X\nvalid_from: 2016-01-01\nwork_first:\n  enabled: maybe\n  source: s s s\n"
    )
    (root / "lv").mkdir()
    (root / "lv" / "2008-01-01.yaml").write_text(
        (PACKAGED_DIR / "national-default/2015-01-01.yaml").read_text().replace("id: national-default", "id: lv")
    )
    with pytest.raises(PolicyError) as exc:
        load_file(root / "x" / "2008-01-01.yaml")
    p = [q for q in exc.value.problems if q.field == "work_first.enabled"][0]
    assert p.file.endswith("x/2008-01-01.yaml") and p.line == 6 and "bool" in p.message
    (root / "y").mkdir()
    (root / "y" / "2016-01-01.yaml").write_text(
        "extends: lv\nid: y\nname: Y\nvalid_from: 2016-01-01\nrouting:\n  source: s s s\n  rules:\n"
        "    - {id: r1, when: {shoe_size: {gt: 40}}, level: '5', route: x, source: s s s}\n"
    )
    with pytest.raises(PolicyError) as exc:
        load_file(root / "y" / "2016-01-01.yaml")
    assert any(q.line == 8 and "unknown fact 'shoe_size'" in q.message for q in exc.value.problems)
    assert bad  # keeps the LV file readable in the fixture


FACT_STRATEGY = st.builds(
    CaseFacts,
    age=st.none() | st.floats(18, 70),
    expected_months_to_work=st.none() | st.sampled_from([0, 2, 3, 4, 6, 7, 11, 12, 23, 24, 25, 30, 36, 37, 60]),
    youngest_child_age=st.none() | st.floats(0, 17),
    n_children=st.none() | st.integers(0, 3),
    has_partner=st.none() | st.booleans(),
    childcare_arranged=st.none() | st.booleans(),
    medical_claim=st.none() | st.booleans(),
    health_limitation=st.none() | st.booleans(),
    care_duties=st.none() | st.booleans(),
    requested_trajectory=st.none() | st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(
    cases=st.lists(FACT_STRATEGY, min_size=1, max_size=40),
    code=st.sampled_from(["0518", "0772", "1883", "1916", "0988", "0664", "0935", "0855", "0794", "0363"]),
    on=st.sampled_from([dt.date(2004, 9, 30), dt.date(2004, 10, 1), dt.date(2010, 1, 1), dt.date(2020, 1, 1)]),
)
def test_batch_equals_single(cases, code, on):
    try:
        policy = policy_for(code, on)
    except LookupError:
        return
    batch = recommend_batch(policy, table_from_facts(cases), on)
    for i, f in enumerate(cases):
        r = recommend(policy, f, on)
        assert batch.level[i] == (r.classification.value["level"] if r.classification.decided else None)
        assert batch.route[i] == (r.classification.value["route"] if r.classification.decided else None)
        if r.trajectory.decided:
            assert batch.trajectory_eligible[i] == float(r.trajectory.value["eligible"])
        else:
            assert np.isnan(batch.trajectory_eligible[i])
        assert bool(batch.work_first[i]) == r.work_first.value["applies"]
        granted = {g["ground"] for g in r.exemptions.value or []}
        for ground, arr in batch.exemption_grounds.items():
            if ground in granted:
                assert arr[i] == 1.0, (ground, f)
            elif ground in r.exemptions.undecided:
                assert np.isnan(arr[i]), (ground, f)
            else:
                assert arr[i] == 0.0, (ground, f)
        if r.search_period.decided:
            assert batch.search_period[i] == float(r.search_period.value["applies"])
        else:
            assert np.isnan(batch.search_period[i])


def test_cli_list_explain_diff(tmp_path):
    runner = CliRunner()
    out = runner.invoke(policy_app, ["list", "--json"])
    assert out.exit_code == 0 and any(r["id"] == "maastricht" for r in json.loads(out.output))
    case = tmp_path / "case.json"
    case.write_text(
        json.dumps(
            {
                "age": 50,
                "expected_months_to_work": 30,
                "n_children": 0,
                "has_partner": False,
                "requested_trajectory": False,
                "health_limitation": False,
                "medical_claim": False,
                "care_duties": False,
            }
        )
    )
    out = runner.invoke(
        policy_app, ["explain", "--municipality", "0935", "--date", "2004-11-01", "--case", str(case), "--json"]
    )
    rec = json.loads(out.output)
    assert rec["trajectory"]["value"]["eligible"] is False
    assert rec["trajectory"]["explanation"][0]["rule_id"] == "mt-traj-46plus"
    out = runner.invoke(
        policy_app, ["diff", "--municipality", "maastricht", "--from", "2004-09-01", "--to", "2004-11-01", "--json"]
    )
    d = json.loads(out.output)
    assert d["differences"]["age 50, far from work, no request"]["trajectory"] == {"from": True, "to": False}
    out = runner.invoke(
        policy_app, ["diff", "--municipality", "0772", "--other", "1883", "--date", "2010-01-01", "--json"]
    )
    assert json.loads(out.output)["differences"]["single, work within 12 months"]["level"] == {"from": "B", "to": "A"}
    bad = tmp_path / "bad.json"
    bad.write_text('{"age": "old"}')
    out = runner.invoke(policy_app, ["explain", "--municipality", "0935", "--date", "2004-11-01", "--case", str(bad)])
    assert out.exit_code == 2 and "age" in out.output


def test_published_policy_schema_matches_the_models():
    from pathlib import Path

    from regie.core.policy import Policy

    published = json.loads(Path("docs/policy-schema.json").read_text())
    assert published == json.loads(json.dumps(Policy.model_json_schema())), (
        "run: regie policy schema > docs/policy-schema.json"
    )


def test_kader_2_4_sanctions_rise_with_the_rung():
    """seed 001:673-699 (Kader 2.4): re-integration 0-20% for care up to 80-100% for paid-work trajectories,
    at most one month; administrative breaches without damage get no measure."""
    p = policy_for("hoogwaardige-handhaving", dt.date(2005, 1, 1))
    care = sanction_for(p, "reintegratie", None, 1, level_rank=6).value
    work = sanction_for(p, "reintegratie", None, 1, level_rank=1).value
    assert care["percentage"] <= 20 and work["percentage"] >= 80 and work["months"] <= 1 and care["months"] <= 1
    assert sanction_for(p, "administratief", None, 1, level_rank=3).value["percentage"] == 0
    assert not sanction_for(p, "reintegratie", None, 1, level_rank=None).decided  # the rung is needed


def test_work_obligation_follows_the_exemption_grounds():
    """Pw art. 9: work obligations apply unless an exemption ground applies."""
    p = policy_for("0518", TODAY)
    assert recommend(p, facts(), TODAY).obligations.value["work_obligation"] == "full"
    r = recommend(p, facts(n_children=1, youngest_child_age=2), TODAY)
    assert (
        r.obligations.value["work_obligation"] == "exemption_possible"
        and "kind_onder_5" in r.obligations.value["full_grounds"]
    )
    assert recommend(p, facts(care_duties=True), TODAY).obligations.value["work_obligation"] == "reduced"
    assert not recommend(p, CaseFacts(age=30), TODAY).obligations.decided
