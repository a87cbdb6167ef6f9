"""A placement fills its vacancy on every path the event takes: the gate's generic step (web and API), a
teammanager's approval of a deviating placement, an imported history. A rejected placement leaves it open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from regie.casework.decisions import record_step, review_pending
from regie.casework.models import Event
from regie.employers import services
from regie.employers.models import Employer, Region, Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(world):
    region = Region.objects.create(name="WSP Haaglanden")
    region.municipalities.add(world.a)
    am = world.users_a["accountmanager"]
    emp = Employer.objects.create(region=region, name="Bakkerij", kvk_number="87654321", sector="C", created_by=am)
    vacancy = Vacancy.objects.create(
        employer=emp, created_by=am, opened_on=timezone.localdate(), title="Inpakker", hours=24, postcode="2511AB"
    )
    return world, emp, vacancy


def _payload(emp, vacancy):
    return {
        "kind": "regulier",
        "employer_id": emp.pk,
        "employer_name": emp.name,
        "vacancy_id": vacancy.pk,
        "hours": 24,
        "wage_per_hour": "14.06",
    }


@pytest.mark.parametrize("source", ["web", "api"])
def test_a_placement_through_the_generic_step_fills_its_vacancy(setting, source):
    world, emp, vacancy = setting
    case = world.clients_a[0].cases.get()
    start = timezone.localdate() - dt.timedelta(days=3)
    outcome, event = record_step(
        case,
        world.users_a["integrale_klantmanager"],
        event_type="plaatsing",
        effective_date=start,
        payload=_payload(emp, vacancy),
        motivation_code="anders",
        motivation="Werkgever en cliënt zijn akkoord",
        source=source,
    )
    vacancy.refresh_from_db()
    if outcome == "recorded":
        assert vacancy.status == "vervuld" and vacancy.closed_on == start
    else:  # four-eyes: open until the teammanager approves
        assert vacancy.status == "open"
        review_pending(event, world.users_a["teammanager"], approve=True)
        vacancy.refresh_from_db()
        assert vacancy.status == "vervuld" and vacancy.closed_on == start


def test_an_approved_deviating_placement_fills_it_and_a_rejected_one_does_not(setting):
    from regie.casework.models import PendingDecision

    world, emp, vacancy = setting
    case = world.clients_a[0].cases.get()
    km, tm = world.users_a["integrale_klantmanager"], world.users_a["teammanager"]
    start = timezone.localdate() - dt.timedelta(days=2)

    def pending():
        return PendingDecision.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            event_type="plaatsing",
            effective_date=start,
            payload=_payload(emp, vacancy) | {"placement_id": f"PL-{PendingDecision.objects.count()}"},
            decision={"decided": {}, "deviates": True, "source": "web", "motivation": "Werkgever wil snel starten"},
            requested_by=km,
        )

    review_pending(pending(), tm, approve=False, note="Eerst een proefplaatsing")
    vacancy.refresh_from_db()
    assert vacancy.status == "open"
    review_pending(pending(), tm, approve=True)
    vacancy.refresh_from_db()
    assert vacancy.status == "vervuld" and vacancy.closed_on == start


def test_a_withdrawn_vacancy_keeps_its_status_and_the_earliest_placement_counts(setting):
    world, emp, vacancy = setting
    other = Vacancy.objects.create(
        employer=emp, created_by=vacancy.created_by, opened_on=vacancy.opened_on, title="Bezorger", hours=20
    )
    services.close_vacancy(other, "ingetrokken", dt.date(2026, 1, 5))
    assert services.fill_vacancies({other.pk: dt.date(2026, 2, 1)}) == 0
    other.refresh_from_db()
    assert other.status == "ingetrokken" and other.closed_on == dt.date(2026, 1, 5)
    case = world.clients_a[0].cases.get()
    for i, day in enumerate((dt.date(2026, 3, 1), dt.date(2026, 2, 1))):
        # rows as the importer writes them (its bulk writer, not the gate)
        Event.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            external_id=f"imported-{i}",
            recorded_at=timezone.now(),
            type="plaatsing",
            effective_date=day,
            payload=_payload(emp, vacancy),
            actor_role="import",
        )
    assert services.fill_after_import(None, municipality=world.a) == 1
    vacancy.refresh_from_db()
    assert vacancy.status == "vervuld" and vacancy.closed_on == dt.date(2026, 2, 1)
