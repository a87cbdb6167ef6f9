"""Maastricht from October 2004: no trajectory for clients of 46 and older unless they ask for one (seed
002:933-934). The referral form asks whether the client asked; before, no form had the field and the advice could
only say it cannot decide."""

from __future__ import annotations

import datetime as dt

import pytest

from regie.accounts.models import Municipality, Team, User
from regie.casework import recommend, steps
from regie.casework.models import Case, Client
from regie.casework.services import append_event

pytestmark = pytest.mark.django_db
ON = dt.date(2005, 9, 1)


@pytest.fixture
def older_client_in_maastricht(db):
    muni = Municipality.objects.create(code="0935", name="Maastricht")
    team = Team.objects.create(municipality=muni, code="T1", name="Team 1")
    km = User.objects.create_user(
        username="km.0935", password="x" * 12, municipality=muni, role="integrale_klantmanager", team=team
    )
    client = Client.objects.create(
        municipality=muni,
        external_id="C1",
        bsn="111222333",
        given_name="Jo",
        family_name="Ouder",
        birth_date=dt.date(1955, 3, 1),
        sex="M",
    )
    case = Case.objects.create(municipality=muni, client=client, external_id="K1", opened_on=dt.date(2005, 6, 1))
    append_event(case, type="melding", effective_date=dt.date(2005, 6, 1), actor=km)
    append_event(
        case, type="aanvraag", effective_date=dt.date(2005, 6, 3), payload={"norm_type": "alleenstaande"}, actor=km
    )
    append_event(
        case, type="toekenning", effective_date=dt.date(2005, 7, 1), payload={"norm_type": "alleenstaande"}, actor=km
    )
    append_event(
        case,
        type="intake",
        effective_date=dt.date(2005, 7, 5),
        payload={"expected_months_to_work": 8, "medical_claim": False},
        actor=km,
    )
    return Case.objects.select_related("client", "municipality", "state").get(pk=case.pk)


def test_the_referral_form_asks_whether_the_client_asked():
    assert "requested_trajectory" in [f.name for f in steps.fields_for("traject_start")]


def test_advice_for_46_plus_follows_whether_the_client_asked(older_client_in_maastricht):
    case = older_client_in_maastricht
    asked = recommend.advice_for(case, "traject_start", ON, extra={"requested_trajectory": True})
    not_asked = recommend.advice_for(case, "traject_start", ON, extra={"requested_trajectory": False})
    assert asked.values.get("kind") not in (None, "geen traject")
    assert not_asked.values.get("kind") == "geen traject"
    unknown = recommend.advice_for(case, "traject_start", ON)
    assert not unknown.values and unknown.cannot_decide
