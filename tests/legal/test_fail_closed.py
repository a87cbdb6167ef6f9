"""Fail closed: a policy without legal decision rights closes the legal steps to every role; a policy without an
objections section refuses what needs it (PolicyUnavailable), never a permissive default."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from regie.accounts.models import Municipality, Team, User
from regie.casework.decisions import DecisionRefused, record_step
from regie.casework.models import Case, Client
from regie.casework.services import append_event
from regie.core.policy import PolicyUnavailable, may_decide
from regie.core.policy.loader import PACKAGED_DIR

pytestmark = pytest.mark.django_db
ON = dt.date.today() - dt.timedelta(days=3)


@pytest.fixture
def bare(tmp_path, monkeypatch):
    root = tmp_path / "policies"
    shutil.copytree(PACKAGED_DIR, root)
    (root / "test-bare").mkdir()
    (root / "test-bare" / "2015-01-01.yaml").write_text(
        "extends: national-default\nid: test-bare\nname: Testgemeente Kaal\n"
        'municipality_code: "9902"\nvalid_from: 2015-01-01\n'
        'decision_rights:\n  model: integral\n  roles: {}\n  source: "test: no legal rights"\n'
        "objections: null\n"
    )
    monkeypatch.setenv("REGIE_POLICY_DIR", str(root))
    muni = Municipality.objects.create(code="9902", name="Testgemeente Kaal")
    team = Team.objects.create(municipality=muni, code="T1", name="Team 1")
    users = {
        role: User.objects.create_user(username=f"{role}.9902", password="x", municipality=muni, role=role, team=team)
        for role in ("integrale_klantmanager", "juridisch_medewerker")
    }
    client = Client.objects.create(
        municipality=muni,
        external_id="C1",
        bsn="123456782",
        given_name="A",
        family_name="B",
        birth_date=dt.date(1980, 1, 1),
        sex="V",
    )
    case = Case.objects.create(municipality=muni, client=client, external_id="K1", opened_on=dt.date(2025, 1, 6))
    append_event(case, type="melding", effective_date=dt.date(2025, 1, 6))
    return case, users


def test_no_rights_entry_closes_the_legal_steps(bare):
    case, users = bare
    assert not may_decide("9902", "juridisch_medewerker", "bezwaar", ON)
    assert not may_decide("9902", "integrale_klantmanager", "voornemen", ON)
    assert may_decide("9902", "integrale_klantmanager", "contact", ON)  # other steps keep today's rule
    with pytest.raises(DecisionRefused):
        record_step(
            case,
            users["integrale_klantmanager"],
            event_type="voornemen",
            effective_date=ON,
            payload={"decision_type": "maatregel", "summary": "x"},
        )


def test_no_objections_policy_refuses_the_zienswijze_term(bare):
    case, _users = bare
    with pytest.raises(PolicyUnavailable, match="bezwaar"):
        append_event(case, type="voornemen", effective_date=ON, payload={"decision_type": "maatregel", "summary": "x"})
    # a ground not to hear needs no term, and a term given by the writer needs no policy
    append_event(
        case,
        type="voornemen",
        effective_date=ON,
        payload={"decision_type": "maatregel", "summary": "x", "no_hearing_ground": "awb_4_11_a"},
    )
    ev = append_event(
        case,
        type="voornemen",
        effective_date=ON,
        payload={"decision_type": "boete", "summary": "x", "zienswijze_days": 10},
    )
    assert ev.payload["zienswijze_until"]
