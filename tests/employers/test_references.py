"""employers2: an event that names an employer or vacancy must name one that exists and is visible to the case's
municipality (its werkgeversservicepunt): the generic step form, the API and the import refuse a foreign or unknown
id with a Dutch message naming the field (casework.validation.reference_problems, regie.employers.references)."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest
from django.urls import reverse

from regie.casework.interchange import ImportRefused, validate_file
from regie.casework.models import CaseState, Event
from regie.employers.models import Employer, Region, Vacancy
from tests.api.client import api

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 3, 3)


@pytest.fixture
def employers(world):
    """Haaglanden (Den Haag) and Eindhoven's own region, an employer and a vacancy in each."""
    own = Region.objects.create(name="WSP Haaglanden")
    own.municipalities.add(world.a)
    other = Region.objects.create(name="WSP Eindhoven")
    other.municipalities.add(world.b)
    by = world.users_a["teammanager"]
    mine = Employer.objects.create(region=own, name="Bakkerij", kvk_number="12345678", sector="C", created_by=by)
    foreign = Employer.objects.create(region=other, name="Fabriek", kvk_number="87654321", sector="C", created_by=by)

    def vacancy(e):
        return Vacancy.objects.create(
            employer=e, title="Inpakker", hours=24, postcode="2511 AB", opened_on=ON, created_by=by
        )

    return mine, foreign, vacancy(mine), vacancy(foreign)


def _placement(employer_id, vacancy_id=None):
    out = {"kind": "proefplaatsing", "employer_id": employer_id, "employer_name": "Bakkerij", "hours": 24}
    return out | ({"vacancy_id": vacancy_id} if vacancy_id else {})


def test_step_form_refuses_a_foreign_or_unknown_employer_and_vacancy(world, employers, login):
    mine, foreign, my_vacancy, foreign_vacancy = employers
    case = world.clients_a[0].cases.get()
    c = login(world.users_a["integrale_klantmanager"])
    url = reverse("case_step", args=[case.pk, "plaatsing"])
    form = {"effective_date": ON.isoformat(), "kind": "proefplaatsing", "employer_name": "Bakkerij", "hours": "24"}
    for employer_id in (foreign.pk, 999999):
        r = c.post(
            url, form | {"employer_id": str(employer_id), "expected_version": CaseState.objects.get(case=case).version}
        )
        html = r.content.decode()
        assert (
            r.status_code in (200, 400) and "is geen werkgever van het werkgeversservicepunt van deze gemeente" in html
        )
        assert "Bakkerij" in html  # the form keeps what was typed
    r = c.post(url, form | {"employer_id": str(mine.pk), "vacancy_id": str(foreign_vacancy.pk)})
    assert "is geen vacature van het werkgeversservicepunt van deze gemeente" in r.content.decode()
    assert not Event.objects.filter(case=case, type="plaatsing").exists()
    url = reverse("case_step", args=[case.pk, "toestemming_delen"])
    r = c.post(url, {"effective_date": ON.isoformat(), "employer_id": str(foreign.pk)})  # the default data
    assert "is geen werkgever van het werkgeversservicepunt" in r.content.decode()
    assert not Event.objects.filter(case=case, type="toestemming_delen").exists()
    # the vacancy of another employer of the same region is refused as well; the right pair is recorded
    r = c.post(
        reverse("case_step", args=[case.pk, "plaatsing"]),
        form | {"employer_id": str(mine.pk), "vacancy_id": str(my_vacancy.pk), "motivation": "Proefplaatsing"},
    )
    assert Event.objects.filter(case=case, type="plaatsing").count() == 1, r.content.decode()[:3000]


def test_api_refuses_a_foreign_employer_naming_the_field(world, employers):
    mine, foreign, _mv, _fv = employers
    case = world.clients_a[0].cases.get()
    client = api(world.users_a["integrale_klantmanager"])
    version = CaseState.objects.get(case=case).version
    body = {
        "type": "plaatsing",
        "effective_date": ON.isoformat(),
        "payload": _placement(foreign.pk),
        "expected_version": version,
    }
    r = client.post(f"/api/v1/cases/{case.pk}/events/", body, format="json")
    assert r.status_code in (400, 422), r.content
    text = r.content.decode()
    assert "payload.employer_id" in text and "geen werkgever van het werkgeversservicepunt" in text
    body |= {"payload": _placement(mine.pk), "motivation": "Proefplaatsing"}
    r = client.post(f"/api/v1/cases/{case.pk}/events/", body, format="json")
    assert r.status_code == 201, r.content


def test_import_refuses_a_foreign_or_unknown_employer(world, employers, tmp_path):
    mine, foreign, my_vacancy, foreign_vacancy = employers

    def ev(eid, day, etype, payload):
        on = f"2025-03-{day:02d}"
        return {
            "record": "event",
            "id": eid,
            "case": "K9",
            "type": etype,
            "effective_date": on,
            "recorded_at": f"{on}T09:00:00+00:00",
            "payload": payload,
        }

    recs = [
        {"record": "header", "format": "regie-jsonl", "version": 1, "municipality": "0518",
         "municipality_name": "Den Haag"},
        {"record": "client", "id": "C9", "bsn": "100000010", "given_name": "Anna", "family_name": "Jansen",
         "birth_date": "1990-05-01", "sex": "V"},
        {"record": "case", "id": "K9", "client": "C9", "opened_on": "2025-01-06"},
        {**ev("E1", 1, "melding", {}), "effective_date": "2025-01-06"},
        ev("E2", 3, "plaatsing", _placement(foreign.pk)),
        ev("E3", 4, "plaatsing", {**_placement(mine.pk, foreign_vacancy.pk), "placement_id": "P3"}),
        ev("E4", 5, "toestemming_delen", {"employer_id": 999999}),
        ev("E5", 6, "plaatsing", {**_placement(mine.pk, my_vacancy.pk), "placement_id": "P5"}),
    ]  # fmt: skip
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in recs) + b"\n")
    with pytest.raises(ImportRefused) as exc:
        validate_file(path, "0518")
    found = {(e.line, e.field): str(e.message) for e in exc.value.errors}
    assert "geen werkgever van het werkgeversservicepunt" in found[(5, "payload.employer_id")]
    assert "geen vacature van het werkgeversservicepunt" in found[(6, "payload.vacancy_id")]
    assert (7, "payload.employer_id") in found
    assert not any(line == 8 for line, _f in found)  # the visible employer and its vacancy pass
