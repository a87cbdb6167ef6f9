"""Validation at the gate, API path: the same refusals as the web form, 422 (events) or 400 (clients) naming the
field with a Dutch message."""

import datetime as dt

import pytest

from regie.casework.models import Case, CaseState, Client, Event
from regie.casework.services import append_event
from tests.api.client import api

pytestmark = pytest.mark.django_db

NEXT_YEAR = dt.date.today().replace(month=1, day=15) + dt.timedelta(days=366)


def post_event(user, case, event_type, effective_date, payload=None):
    return api(user).post(
        f"/api/v1/cases/{case.pk}/events/",
        {
            "type": event_type,
            "effective_date": str(effective_date),
            "payload": payload or {},
            "expected_version": getattr(CaseState.objects.filter(case=case).first(), "version", 0),
        },
        format="json",
    )


def _client(user, **overrides):
    return api(user).post(
        "/api/v1/clients/",
        {
            "bsn": "222333443",
            "given_name": "Sam",
            "family_name": "Api",
            "birth_date": "1990-04-01",
            "sex": "X",
            **overrides,
        },
        format="json",
    )


def _young_case(world):
    client = Client.objects.create(
        municipality=world.a,
        external_id="C-young",
        bsn="999999990",
        given_name="Jo",
        family_name="Jong",
        birth_date=dt.date(2003, 4, 1),
        sex="V",
    )
    return Case.objects.create(
        municipality=world.a, client=client, external_id="K-young", opened_on=dt.date(2025, 1, 6)
    )


def test_birth_date_in_the_future_is_refused(world):
    r = _client(world.users_a["integrale_klantmanager"], birth_date="2030-05-01")
    assert r.status_code == 400 and "Geboortedatum ligt in de toekomst" in str(r.data["birth_date"])
    r = _client(world.users_a["integrale_klantmanager"], birth_date="1890-05-01")
    assert r.status_code == 400 and "vóór 01-01-1900" in str(r.data["birth_date"])


def test_a_3000_character_name_is_refused(world):
    r = _client(world.users_a["integrale_klantmanager"], given_name="A" * 3000)
    assert r.status_code == 400 and "200" in str(r.data["given_name"])
    assert not Client.objects.filter(family_name="Api").exists()


def test_melding_in_the_future_is_refused(world):
    km = world.users_a["integrale_klantmanager"]
    case = _young_case(world)
    r = post_event(km, case, "melding", "2028-03-01")
    assert r.status_code == 422 and "Ingangsdatum ligt in de toekomst (01-03-2028)" in r.data["effective_date"][0]


@pytest.mark.parametrize("day", ["1890-01-01", "2099-01-01"])
def test_events_dated_1890_and_2099_are_refused(world, day):
    case = world.clients_a[0].cases.get()
    r = post_event(world.users_a["integrale_klantmanager"], case, "contact", day)
    assert r.status_code == 422 and r.data["effective_date"][0].startswith("Ingangsdatum ligt")
    assert not Event.objects.filter(case=case, type="contact").exists()


def test_decision_dated_too_far_ahead_is_refused(world):
    case = world.clients_a[0].cases.get()
    r = post_event(
        world.users_a["integrale_klantmanager"],
        case,
        "traject_start",
        dt.date.today() + dt.timedelta(days=200),
        {"kind": "reintegratie", "provider": "P1"},
    )
    assert r.status_code == 422 and "te ver in de toekomst" in r.data["effective_date"][0]


def test_provider_report_dated_next_year_is_refused(world):
    case = world.clients_a[0].cases.get()
    append_event(
        case,
        type="traject_start",
        effective_date=dt.date(2025, 3, 1),
        payload={"trajectory_id": "T1", "kind": "reintegratie", "provider": "P1"},
    )
    r = post_event(
        world.users_a["integrale_klantmanager"],
        case,
        "rapportage",
        NEXT_YEAR,
        {"trajectory_id": "T1", "summary": "Voortgang"},
    )
    assert r.status_code == 422 and "Ingangsdatum ligt in de toekomst" in r.data["effective_date"][0]


def test_end_of_aftercare_before_the_case_began_is_refused(world):
    case = world.clients_a[0].cases.get()
    append_event(case, type="uitstroom", effective_date=dt.date(2025, 6, 1), payload={"reason": "werk_regulier"})
    r = post_event(world.users_a["integrale_klantmanager"], case, "nazorg_einde", "2019-01-06")
    assert r.status_code == 422 and "Ingangsdatum (06-01-2019)" in r.data["effective_date"][0]


def test_end_of_a_trajectory_before_its_start_is_refused(world):
    case = world.clients_a[0].cases.get()
    append_event(
        case,
        type="traject_start",
        effective_date=dt.date(2025, 3, 1),
        payload={"trajectory_id": "T1", "kind": "reintegratie", "provider": "P1"},
    )
    r = post_event(
        world.users_a["integrale_klantmanager"],
        case,
        "traject_einde",
        "2025-02-10",
        {"trajectory_id": "T1", "result": "afgerond"},
    )
    assert r.status_code == 422 and "ligt vóór de start van T1 (01-03-2025)" in r.data["effective_date"][0]
    r = post_event(
        world.users_a["integrale_klantmanager"],
        case,
        "traject_einde",
        "2025-04-10",
        {"trajectory_id": "T9", "result": "afgerond"},
    )
    assert r.status_code == 422 and "geen traject met dit nummer" in r.data["payload.trajectory_id"][0]


def test_provider_name_instead_of_a_provider_is_refused(world):
    case = world.clients_a[0].cases.get()
    km = world.users_a["integrale_klantmanager"]
    r = post_event(km, case, "traject_start", "2025-03-01", {"kind": "reintegratie", "provider": "Werkbedrijf"})
    assert r.status_code == 422 and "geen aanbieder van deze gemeente" in r.data["payload.provider"][0]
    r = post_event(km, case, "traject_start", "2025-03-01", {"kind": "reintegratie", "provider": "P1"})
    assert r.status_code == 201, r.data
    assert r.data["payload"]["trajectory_id"].startswith("TR-")  # generated by the server


def test_provider_of_another_municipality_is_refused(world):
    case = world.clients_b[0].cases.get()
    from regie.accounts.models import Provider

    Provider.objects.create(municipality=world.a, code="PA", name="Alleen in A")
    r = post_event(
        world.users_b["integrale_klantmanager"],
        case,
        "traject_start",
        "2025-03-01",
        {"kind": "reintegratie", "provider": "PA"},
    )
    assert r.status_code == 422 and "payload.provider" in r.data


def test_outflow_must_give_the_result_of_each_open_trajectory(world):
    case = world.clients_a[0].cases.get()
    km = world.users_a["integrale_klantmanager"]
    append_event(
        case,
        type="traject_start",
        effective_date=dt.date(2025, 3, 1),
        payload={"trajectory_id": "T1", "kind": "reintegratie", "provider": "P1"},
    )
    r = post_event(km, case, "uitstroom", "2025-06-01", {"reason": "werk_regulier"})
    assert r.status_code == 422 and "(T1)" in r.data["payload.trajectory_results"][0]
    r = post_event(
        km, case, "uitstroom", "2025-06-01", {"reason": "werk_regulier", "trajectory_results": {"T1": "werk"}}
    )
    assert r.status_code == 201, r.data
    assert Event.objects.get(case=case, type="traject_einde").payload == {"trajectory_id": "T1", "result": "werk"}
    assert CaseState.objects.get(case=case).snapshot["trajectories"] == {}


def test_melding_gets_the_search_period_and_aanvraag_inside_it_needs_an_exception(world):
    km = world.users_a["integrale_klantmanager"]
    case = _young_case(world)
    r = post_event(km, case, "melding", "2025-01-06", {"search_period_end": "2025-01-13"})
    assert r.status_code == 422 and "03-02-2025" in r.data["payload.search_period_end"][0]
    r = post_event(km, case, "melding", "2025-01-06")
    assert r.status_code == 201 and r.data["payload"]["search_period_end"] == "2025-02-03"  # Pw art. 41 lid 4
    r = post_event(km, case, "aanvraag", "2025-01-20", {"norm_type": "alleenstaande"})
    assert r.status_code == 422 and "Uitzondering zoekperiode" in r.data["payload.search_period_exception"][0]
    r = post_event(
        km, case, "aanvraag", "2025-01-20", {"norm_type": "alleenstaande", "search_period_exception": "noodsituatie"}
    )
    assert r.status_code == 201, r.data
    r = post_event(km, case, "aanvraag", "2025-02-03", {"norm_type": "alleenstaande"})  # on the end date: allowed
    assert r.status_code == 201, r.data
