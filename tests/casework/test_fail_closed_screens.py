"""A municipality without a policy: the screens say so and record nothing (fail closed, visibly).

Before, the client page and the worklist computed signals with the national default norms, the step form offered
every step to every caseworker role, and a new client's melding took a hard-coded search period.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.accounts.models import Municipality, Team, User
from regie.casework.models import Case, Client, Event
from regie.casework.services import append_event

pytestmark = pytest.mark.django_db

NO_POLICY = "9998"  # no policy file is shipped for this CBS code


@pytest.fixture
def orphan(db):
    muni = Municipality.objects.create(code=NO_POLICY, name="Gemeente zonder beleid")
    team = Team.objects.create(municipality=muni, code="T1", name="Team 1")
    km = User.objects.create_user(
        username="km.9998", password="x" * 12, municipality=muni, role="integrale_klantmanager", team=team
    )
    client = Client.objects.create(
        municipality=muni,
        external_id="C1",
        bsn="111222333",
        given_name="Ada",
        family_name="Zonderbeleid",
        birth_date=dt.date(1980, 5, 1),
        sex="V",
    )
    case = Case.objects.create(municipality=muni, client=client, external_id="K1", opened_on=dt.date(2025, 1, 6))
    append_event(case, type="melding", effective_date=dt.date(2025, 1, 6), actor=km)
    append_event(
        case,
        type="caseworker_toewijzing",
        effective_date=dt.date(2025, 1, 6),
        payload={"caseworker": km.username},
        actor=km,
    )
    return km, client, case


def test_client_page_and_worklist_say_the_policy_is_missing(orphan, login):
    km, client, _ = orphan
    c = login(km)
    for url in (reverse("client_detail", args=[client.pk]), reverse("worklist")):
        r = c.get(url)
        assert r.status_code == 503, url
        html = r.content.decode()
        assert "Beleid niet beschikbaar" in html and "functioneel beheerder" in html


def test_step_form_refuses_and_keeps_the_input(orphan, login):
    km, _, case = orphan
    c = login(km)
    form = c.get(reverse("case_step", args=[case.pk, "maatregel"]))
    assert form.status_code == 200 and "functioneel beheerder" in form.content.decode()
    before = Event.objects.filter(case=case).count()
    r = c.post(
        reverse("case_step", args=[case.pk, "maatregel"]),
        {
            "expected_version": "2",
            "effective_date": "2025-03-01",
            "obligation_type": "reintegratie",
            "category": "2",
            "percentage": "100",
            "months": "1",
            "motivation": "typed by the caseworker",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "functioneel beheerder" in html and "typed by the caseworker" in html
    assert Event.objects.filter(case=case).count() == before


def test_new_client_is_not_registered_without_policy(orphan, login):
    km, _, _ = orphan
    r = login(km).post(
        reverse("client_new"),
        {
            "bsn": "222333443",
            "given_name": "Bo",
            "family_name": "Nieuw",
            "birth_date": "2001-04-01",
            "sex": "X",
            "melding_date": "2025-01-06",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "functioneel beheerder" in html and 'value="Nieuw"' in html
    assert not Client.objects.filter(family_name="Nieuw").exists()
