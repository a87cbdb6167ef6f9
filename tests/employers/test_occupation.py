"""employers2: matching on the ISCO-08 occupation code itself: the same unit group, minor group (3 digits) or
sub-major group (2) as graded reasons, a wish unless the vacancy requires the occupation; the work profile takes
codes with a title, validated against the ISCO-08 structure."""

from __future__ import annotations

import pytest

from regie.core.events import EventError, validate_event
from regie.core.matching import (
    ProfileTable,
    Vacancy,
    VacancyTable,
    WorkProfile,
    candidates_for,
    isco_problem,
    reason_text,
    vacancies_for,
)

CODES = {"unit": "9329", "minor": "9321", "sub_major": "9313", "none": "5131"}


def _profiles():
    return ProfileTable(
        [WorkProfile(ref, postcode="2511 AB", occupation_codes=frozenset({c})) for ref, c in CODES.items()]
        + [WorkProfile("nothing", postcode="2511 AB")]
    )


def _occupation(match):
    return next(r for r in match.reasons if r.key == "occupation")


def test_graded_as_a_wish_unit_before_minor_before_sub_major():
    result = candidates_for(_profiles(), Vacancy("v", occupation_code="9329", postcode="2511 AB"))
    assert [m.ref for m in result.matches][:4] == ["unit", "minor", "sub_major", "none"]
    assert result.eligible == 5  # a wish: nobody fails a hard criterion
    texts = {m.ref: reason_text(_occupation(m)) for m in result.matches}
    assert texts["unit"] == "Beroep: zelfde beroepsgroep (ISCO-08 9329) (wens)"
    assert texts["minor"] == "Beroep: verwant beroep 9321 (zelfde subgroep ISCO-08 932) (wens)"
    assert texts["sub_major"] == "Beroep: 9313 in dezelfde beroepsklasse (ISCO-08 93) (wens)"
    assert texts["none"] == "Beroep: geen beroep in of bij ISCO-08 9329 vastgelegd (wens)"
    assert [_occupation(m).ok for m in result.matches][:4] == [True, True, True, False]


def test_required_occupation_is_a_hard_criterion():
    result = candidates_for(
        _profiles(), Vacancy("v", occupation_code="9329", postcode="2511 AB", occupation_required=True)
    )
    assert result.eligible == 1 and result.matches[0].ref == "unit" and result.matches[0].hard_failed == 0
    assert all(m.hard_failed == 1 for m in result.matches[1:])
    assert reason_text(_occupation(result.matches[1])).endswith("(eis)")


def test_vacancies_for_a_client_by_the_same_grades():
    table = VacancyTable([Vacancy(ref, occupation_code=c, postcode="2511 AB") for ref, c in CODES.items()])
    client = WorkProfile("c", postcode="2511 AB", occupation_codes=frozenset({"9329"}))
    result = vacancies_for(table, client)
    assert [m.ref for m in result.matches] == ["unit", "minor", "sub_major", "none"]
    required = VacancyTable([Vacancy("r", occupation_code="9321", occupation_required=True, postcode="2511 AB")])
    assert vacancies_for(required, client).matches[0].hard_failed == 1


def test_codes_are_validated_against_the_isco_structure():
    assert isco_problem("9329") is None and isco_problem("0110") is None
    assert isco_problem("9999") and isco_problem("932") and isco_problem("15ab")
    payload, _ = validate_event(
        "werkprofiel_aanvulling", {"occupation_codes": [{"code": "9329", "label": "Inpakker"}]}, None
    )
    assert payload["occupation_codes"] == [{"code": "9329", "label": "Inpakker"}]
    with pytest.raises(EventError) as exc:
        validate_event("werkprofiel_aanvulling", {"occupation_codes": [{"code": "9999", "label": "X"}]}, None)
    (field, message), *_ = exc.value.errors
    assert field == "payload.occupation_codes.0.code" and "ISCO-08" in str(message)


@pytest.mark.django_db
def test_work_profile_form_takes_codes_and_the_vacancy_page_shows_the_grade(world, login):
    from django.urls import reverse

    from regie.employers.models import Employer, Region
    from regie.employers.models import Vacancy as VacancyRow

    region = Region.objects.create(name="WSP Haaglanden")
    region.municipalities.add(world.a)
    am, km = world.users_a["accountmanager"], world.users_a["integrale_klantmanager"]
    emp = Employer.objects.create(region=region, name="Bakkerij", kvk_number="12345678", sector="C", created_by=am)
    c = login(am)
    r = c.post(
        reverse("employers:vacancy_new", args=[emp.pk]),
        {"title": "Inpakker", "hours": "20", "postcode": "2511 AB", "occupation_code": "9999"},
    )
    assert "Beroepscode: vier cijfers van ISCO-08" in r.content.decode()
    r = c.post(
        reverse("employers:vacancy_new", args=[emp.pk]),
        {"title": "Inpakker", "hours": "20", "postcode": "2511 AB", "occupation_required": "1"},
    )
    assert "Beroep vereist: vul eerst de beroepscode in" in r.content.decode()
    c.post(
        reverse("employers:vacancy_new", args=[emp.pk]),
        {"title": "Inpakker", "hours": "20", "postcode": "2511 AB", "occupation_code": "9321"},
    )
    vacancy = VacancyRow.objects.get()
    case = world.clients_a[0].cases.get()
    c = login(km)
    url = reverse("employers:case_work", args=[case.pk])
    r = c.post(url, {"form": "profile", "occupation_codes": "9329 Productiemedewerker\n9999 Onbekend"})
    assert r.status_code == 200 and "ISCO-08-beroepsgroep" in r.content.decode()
    r = c.post(url, {"form": "profile", "hours_available": "32", "occupation_codes": "9329 Productiemedewerker"})
    assert r.status_code == 302
    html = c.get(reverse("employers:vacancy", args=[vacancy.pk])).content.decode()
    assert "Beroep: verwant beroep 9329 (zelfde subgroep ISCO-08 932) (wens)" in html


@pytest.mark.django_db
def test_api_takes_the_occupation_code_and_whether_it_is_required(world):
    from regie.employers.models import Employer, Region
    from tests.api.client import api

    region = Region.objects.create(name="WSP")
    region.municipalities.add(world.a)
    am = world.users_a["accountmanager"]
    emp = Employer.objects.create(region=region, name="Bakkerij", kvk_number="12345678", sector="C", created_by=am)
    body = {"employer_id": emp.pk, "title": "Inpakker", "hours": "24", "postcode": "2511AB", "occupation_code": "9999"}
    bad = api(am).post("/api/v1/vacancies/", body, format="json")
    assert bad.status_code == 422 and "ISCO-08" in bad.json()["occupation_code"][0]
    r = api(am).post(
        "/api/v1/vacancies/", body | {"occupation_code": "9329", "occupation_required": True}, format="json"
    )
    assert r.status_code == 201 and r.json()["occupation_required"] is True
