"""A medical claim alone is no exemption: it suspends the intake until a medical advice (seed 000:694-696).

Before the fix the national default advised a full medical exemption of 12 months on the claim alone
(``nd-ex-medical`` read only ``medical_claim``); every municipality extending national-default inherited it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from regie.core.policy import advise_step, policy_for, recommend, recommend_batch, table_from_facts

ON = dt.date(2025, 3, 3)
CLAIM = {"age": 40, "n_children": 0, "has_partner": False, "medical_claim": True, "care_duties": False}
MUNICIPALITIES = ("national-default", "0518", "0772", "1916", "0935", "0363", "0855", "0794", "0988", "1883", "0664")


@pytest.mark.parametrize("code", MUNICIPALITIES)
def test_a_medical_claim_alone_gives_no_medical_exemption_seed_000_694_696(code):
    """seed 000:694-696: "als een klant aangeeft om medische redenen niet te kunnen werken, ... wordt de procedure
    verder opgeschort ... er dient eerst een medische keuring plaats te vinden"."""
    policy = policy_for(code, ON)
    rec = recommend(policy, CLAIM, ON)
    grounds = [g["ground"] for g in rec.exemptions.value or []]
    assert "medisch" not in grounds, f"{policy.version_id}: a claim alone gave {rec.exemptions.value}"
    assert "medisch" in rec.exemptions.undecided  # it waits for the advice: cannot decide, not "no"
    assert policy.route_rules.medical_claim.action == "medisch_advies_aanvragen"
    assert policy.route_rules.medical_claim.suspends_intake is True


def test_the_advice_on_an_exemption_asks_for_a_medical_advice_first():
    out = advise_step("0518", "ontheffing_start", {"birth_date": "1985-01-01", "medical_claim": True}, ON)
    assert out["values"] == {"ground": "medisch_advies_aanvragen"}
    assert any(e["say"]["key"] == "medical_advice_first" for e in out["explanation"])
    assert "seed 000:694-696" in " ".join(e["source"] for e in out["explanation"])


@pytest.mark.parametrize(
    ("advice", "ground", "scope"),
    [
        ("niet_arbeidsgeschikt", "medisch", "volledig"),
        ("gedeeltelijk_arbeidsgeschikt", "medisch", "gedeeltelijk"),
        ("volledig_arbeidsgeschikt", None, None),
    ],
)
def test_the_medical_advice_decides_the_exemption(advice, ground, scope):
    facts = {"birth_date": "1985-01-01", "medical_claim": True, "medical_advice": advice, "children_birth_dates": [],
             "care_duties": False}
    out = advise_step("0518", "ontheffing_start", facts, ON)
    if ground:
        assert out["values"] == {"ground": ground, "scope": scope}
    else:
        assert out["values"] == {"ground": "geen ontheffing"}


def test_batch_engine_agrees_a_claim_alone_is_undecided():
    policy = policy_for("0518", ON)
    res = recommend_batch(
        policy,
        table_from_facts([CLAIM, {**CLAIM, "medically_unfit": True, "medically_partly_fit": False}]),
        ON,
    )
    medisch = res.exemption_grounds["medisch"]
    assert str(medisch[0]) == "nan" and medisch[1] == 1.0
