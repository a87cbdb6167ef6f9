"""Fail closed: without a policy Regie gives no advice and records no decision.

Before, a missing policy directory, an empty ``REGIE_POLICY_DIR`` or a municipality without a policy file gave an
empty policy set: no advice, ``may_decide`` allowed every step and a rules-steered municipality was treated as
performance-steered — a klantmanager could impose a sanction the policy reserves for the inkomensconsulent.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import checks
from typer.testing import CliRunner

from regie.core.policy import PolicyUnavailable, policy_for
from regie.core.policy.loader import PACKAGED_DIR, default_set
from regie.policy.cli import policy_app

LV = "1916"  # Leidschendam-Voorburg: rules-steered, sanctions reserved for inkomensconsulent and teammanager
ON = dt.date(2025, 3, 1)
SANCTION = {"obligation_type": "reintegratie", "category": 2, "percentage": 100, "months": 1}


def _policy_errors(databases=None):
    return [m for m in checks.run_checks(tags=["regie_policy"], databases=databases) if m.level >= checks.ERROR]


@pytest.fixture
def partial_policy_dir(tmp_path, monkeypatch):
    """A valid policy directory with only the national layers and the national default: no policy for 1916."""
    for sub in ("national", "national-default"):
        (tmp_path / sub).mkdir()
        for f in (PACKAGED_DIR / sub).glob("*.yaml"):
            (tmp_path / sub / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("REGIE_POLICY_DIR", str(tmp_path))
    return tmp_path


def test_shipped_policies_are_found_inside_the_package(monkeypatch):
    monkeypatch.delenv("REGIE_POLICY_DIR", raising=False)
    assert PACKAGED_DIR.parts[-4:] == ("regie", "core", "policy", "policies")
    assert policy_for(LV, ON).steering.mode == "rules"
    assert default_set().root == PACKAGED_DIR
    assert _policy_errors() == []


@pytest.mark.parametrize("kind", ["empty directory", "empty value", "missing directory"])
def test_unusable_policy_dir_is_an_error_not_an_empty_policy_set(kind, tmp_path, monkeypatch):
    value = {"empty directory": str(tmp_path), "empty value": "", "missing directory": str(tmp_path / "nope")}[kind]
    monkeypatch.setenv("REGIE_POLICY_DIR", value)
    with pytest.raises(PolicyUnavailable) as exc:
        policy_for(LV, ON)
    assert "beleid" in exc.value.message and "functioneel beheerder" in exc.value.message
    assert exc.value.detail and "REGIE_POLICY_DIR" in str(exc.value) or str(tmp_path) in exc.value.detail
    errors = _policy_errors()
    assert [e.id for e in errors] == ["casework.E001"]
    assert errors[0].msg == exc.value.message and errors[0].hint == exc.value.detail


def test_unreadable_or_invalid_policy_file_makes_the_policy_unavailable(partial_policy_dir):
    (partial_policy_dir / "x").mkdir()
    (partial_policy_dir / "x" / "2020-01-01.yaml").write_bytes(b"id: x\nname: \xff\xfe\n")
    with pytest.raises(PolicyUnavailable) as exc:
        policy_for("national-default", ON)
    assert "gelezen" in exc.value.message and "2020-01-01.yaml" in exc.value.detail
    (partial_policy_dir / "x" / "2020-01-01.yaml").write_text(
        "extends: national-default\nid: x\nname: X\nvalid_from: 2020-01-01\nsteering: {mode: maybe}\n"
    )
    with pytest.raises(PolicyUnavailable) as exc:
        policy_for("national-default", ON)
    assert "ongeldig" in exc.value.message and any(p.field.startswith("steering") for p in exc.value.problems)
    assert [e.id for e in _policy_errors()] == ["casework.E001"]


def test_no_version_in_force_on_the_date():
    with pytest.raises(PolicyUnavailable) as exc:
        policy_for(LV, dt.date(2000, 1, 1))
    assert exc.value.municipality == LV and exc.value.on == dt.date(2000, 1, 1) and "01-01-2000" in exc.value.message


def _lv_case():
    from regie.accounts.models import Municipality, Team, User
    from regie.casework.models import Case, Client
    from regie.casework.services import append_event

    muni = Municipality.objects.create(code=LV, name="Leidschendam-Voorburg")
    team = Team.objects.create(municipality=muni, code="T", name="Team")
    km = User.objects.create_user(
        username="km.lv", password="x" * 12, municipality=muni, role="integrale_klantmanager", team=team
    )
    client = Client.objects.create(
        municipality=muni,
        external_id="C1",
        bsn="111222333",
        given_name="Lisa",
        family_name="Regelvast",
        birth_date=dt.date(1990, 1, 1),
        sex="V",
    )
    case = Case.objects.create(municipality=muni, client=client, external_id="K1", opened_on=dt.date(2025, 1, 6))
    for t, p in (
        ("melding", {}),
        ("aanvraag", {"norm_type": "alleenstaande"}),
        ("toekenning", {"norm_type": "alleenstaande"}),
        ("caseworker_toewijzing", {"caseworker": km.username}),
    ):
        append_event(case, type=t, effective_date=dt.date(2025, 1, 20), payload=p)
    return case, km


def _no_sanction(case):
    from regie.casework.models import Event, PendingDecision

    return (
        not Event.objects.filter(case=case, type="maatregel").exists()
        and not PendingDecision.objects.filter(case=case).exists()
    )


def test_with_its_policy_the_klantmanager_may_not_impose_the_sanction(db, monkeypatch):
    """The control: Leidschendam-Voorburg's policy reserves sanctions for others (seed 001:737-743)."""
    from regie.casework.decisions import record_step

    monkeypatch.delenv("REGIE_POLICY_DIR", raising=False)
    case, km = _lv_case()
    from regie.casework.decisions import DecisionRefused

    with pytest.raises(DecisionRefused, match="geen maatregel vastleggen") as refused:
        record_step(case, km, event_type="maatregel", effective_date=ON, payload=SANCTION, motivation="Niet verschenen")
    assert refused.value.rule == "leidschendam-voorburg.decision_rights.maatregel"
    assert _no_sanction(case)


def test_municipality_without_policy_gets_no_advice_and_no_decision(db, partial_policy_dir):
    from regie.casework import recommend
    from regie.casework.decisions import record_step

    case, km = _lv_case()
    for ask in (
        lambda: recommend.advice_for(case, "maatregel", ON, extra=SANCTION),
        lambda: recommend.steering_mode(case, ON),
        lambda: recommend.may_decide(km, "maatregel", case, ON),
        lambda: recommend.scheme_for(case, ON),
    ):
        with pytest.raises(PolicyUnavailable) as exc:
            ask()
        assert exc.value.municipality == LV
    with pytest.raises(PolicyUnavailable):
        record_step(case, km, event_type="maatregel", effective_date=ON, payload=SANCTION, motivation="Niet verschenen")
    assert _no_sanction(case)
    # the start-up checks: the directory loads, the municipality in the database has no policy
    errors = _policy_errors(databases=["default"])
    assert [(e.id, e.obj) for e in errors] == [("casework.E002", f"{LV} Leidschendam-Voorburg")]
    assert _policy_errors() == []  # without a database only the directory is checked


def test_policy_validate_exits_non_zero_on_a_missing_or_empty_policy_dir(tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.delenv("REGIE_POLICY_DIR", raising=False)
    ok = runner.invoke(policy_app, ["validate"])
    assert ok.exit_code == 0 and "ok (" in ok.output
    monkeypatch.setenv("REGIE_POLICY_DIR", str(tmp_path))
    for args in (["validate"], ["list"], ["validate", "--dir", str(tmp_path / "nope")]):
        out = runner.invoke(policy_app, args)
        assert out.exit_code == 1, (args, out.output)
        assert "beleid" in out.output
    # a relative name: the error box wraps a long absolute path (a test process's own temporary directory)
    monkeypatch.chdir(tmp_path)
    missing = runner.invoke(policy_app, ["validate", "nope.yaml"])
    assert missing.exit_code != 0 and "nope.yaml" in missing.output
