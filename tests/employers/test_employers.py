"""The employer side end to end: an accountmanager registers an employer and a vacancy, a caseworker gets ranked
candidates with reasons, records consent, proposes, places with a wage cost subsidy, follows the aftercare to a
durable outcome; tenancy, the decision gate, the recorded lists and the equity selector."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.audit.models import AuditRecord
from regie.casework.models import Event
from regie.employers import selectors, services
from regie.employers.models import Employer, MatchList, MatchListEntry, Region, SocialService, Vacancy
from regie.worktasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def wsp(world):
    region = Region.objects.create(name="WSP Haaglanden")
    region.municipalities.add(world.a)
    return region


@pytest.fixture
def am(world):
    return world.users_a["accountmanager"]


@pytest.fixture
def km(world):
    return world.users_a["integrale_klantmanager"]


def _employer(c, **kw):
    data = {"name": "Bakkerij De Korenschoof", "kvk_number": "12345678", "sector": "C"} | kw
    return c.post(reverse("employers:index"), data)


def _vacancy(employer, user, **kw):
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    q.update(
        {
            "title": "Inpakker",
            "hours": "24",
            "postcode": "2511 AB",
            "requirements_hard": "certificaat: VCA",
            "requirements_soft": "rijbewijs: B",
        }
        | kw
    )
    return services.save_vacancy(employer, user, q)


def _profile(case, user, **payload):
    services.complete_work_profile(
        case, user, {"hours_available": 32, "travel_radius_km": 15, "certificates": ["VCA"]} | payload
    )


def _address(case, user, postcode="2512 AA"):
    from regie.clientrecord.services import record_change

    record_change(
        case.client,
        user,
        event_type="adres_wijziging",
        payload={"street": "Spui", "house_number": 1, "postcode": postcode, "city": "Den Haag"},
    )


def test_accountmanager_registers_an_employer_with_a_checked_kvk_number(world, wsp, am, login):
    c = login(am)
    r = _employer(c, kvk_number="1234")
    assert r.status_code == 200 and "KvK-nummer: acht cijfers" in r.content.decode()
    assert "Bakkerij De Korenschoof" in r.content.decode()  # the form keeps what was typed
    r = _employer(c)
    emp = Employer.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("employers:employer", args=[emp.pk])
    assert emp.region == wsp
    r = _employer(c)
    assert "staat al in het werkgeversservicepunt" in r.content.decode()
    assert AuditRecord.objects.filter(object_type="employer", action="create").count() == 1


def test_kvk_rule():
    assert services.kvk_problem("12345678") is None
    assert services.kvk_problem("00000000") and services.kvk_problem("1234567a") and services.kvk_problem("")


def test_employers_are_shared_in_the_region_and_invisible_outside(world, wsp, am, login):
    emp = Employer.objects.create(region=wsp, name="X", kvk_number="87654321", sector="G", created_by=am)
    other = world.users_b["accountmanager"]
    assert login(other).get(reverse("employers:employer", args=[emp.pk])).status_code == 404
    wsp.municipalities.add(world.b)
    assert login(other).get(reverse("employers:employer", args=[emp.pk])).status_code == 200
    # a caseworker has no access to the employer administration (audited denial)
    assert login(world.users_a["integrale_klantmanager"]).get(reverse("employers:index")).status_code == 403


def test_vacancy_form_refuses_bad_input_and_keeps_it(world, wsp, am, login):
    emp = Employer.objects.create(region=wsp, name="X", kvk_number="87654321", sector="G", created_by=am)
    c = login(am)
    r = c.post(
        reverse("employers:vacancy_new", args=[emp.pk]),
        {"title": "Kok", "hours": "0", "postcode": "0123", "requirements_hard": "diploma VCA", "occupation_code": "51"},
    )
    html = r.content.decode()
    assert r.status_code == 200
    for msg in ("Uren per week moet meer dan 0 zijn", "Postcode werkplek", "Regel 1: begin met", "Beroepscode"):
        assert msg in html
    assert "diploma VCA" in html and Vacancy.objects.count() == 0
    r = c.post(
        reverse("employers:vacancy_new", args=[emp.pk]),
        {"title": "Kok", "hours": "20", "postcode": "2511ab", "requirements_hard": "certificaat: Hygiëne"},
    )
    v = Vacancy.objects.get()
    assert r.status_code == 302 and v.postcode == "2511 AB"
    assert v.requirements == [{"kind": "certificate", "value": "Hygiëne", "hard": True}]


def test_candidates_ranked_with_reasons_recorded_and_named_only_for_caseworkers(world, wsp, am, km, login):
    emp = Employer.objects.create(region=wsp, name="Bakkerij", kvk_number="87654321", sector="C", created_by=am)
    v = _vacancy(emp, am)
    case0, case1 = (cl.cases.get() for cl in world.clients_a[:2])
    _address(case0, km)
    _address(case1, km)
    _profile(case0, km)
    _profile(case1, km, certificates=[])  # fails the hard requirement
    html = login(km).get(reverse("employers:vacancy", args=[v.pk])).content.decode()
    assert "Certificaat: VCA (eis, voldaan)" in html and "Certificaat: VCA (eis, niet voldaan)" in html
    assert html.index(world.clients_a[0].family_name) < html.index(world.clients_a[1].family_name)
    ml = MatchList.objects.get()
    assert ml.vacancy == v and ml.municipality == world.a and ml.shown_to == km
    entries = list(MatchListEntry.objects.filter(match_list=ml).order_by("rank"))
    assert entries[0].case == case0 and entries[0].hard_failed == 0
    assert next(e for e in entries if e.case == case1).hard_failed == 1
    assert AuditRecord.objects.filter(object_type="match_list", object_id=str(ml.pk)).exists()
    # the accountmanager sees the same ranking without names
    html = login(am).get(reverse("employers:vacancy", args=[v.pk])).content.decode()
    assert world.clients_a[0].family_name not in html and "Kandidaat 1" in html
    # the other municipality's caseworker sees no candidate of municipality A (and the vacancy not at all)
    other = login(world.users_b["integrale_klantmanager"])
    assert other.get(reverse("employers:vacancy", args=[v.pk])).status_code == 404


def test_proposal_needs_consent_then_the_employer_list_shows_only_consented_data(world, wsp, am, km, login):
    emp = Employer.objects.create(region=wsp, name="Bakkerij", kvk_number="87654321", sector="C", created_by=am)
    v = _vacancy(emp, am)
    case = world.clients_a[0].cases.get()
    _profile(case, km)
    c = login(km)
    r = c.post(reverse("employers:case_work", args=[case.pk]), {"form": "propose", "vacancy_id": v.pk})
    assert r.status_code == 200 and "Geen toestemming van de cliënt" in r.content.decode()
    assert not Event.objects.filter(case=case, type="match_voorgesteld").exists()
    r = c.post(
        reverse("employers:case_work", args=[case.pk]),
        {"form": "consent", "granted": "1", "employer_id": emp.pk, "data": ["werkprofiel"], "how": "schriftelijk"},
    )
    assert r.status_code == 302
    r = c.post(reverse("employers:case_work", args=[case.pk]), {"form": "propose", "vacancy_id": v.pk, "rank": "1"})
    assert r.status_code == 302
    ev = Event.objects.get(case=case, type="match_voorgesteld")
    assert ev.payload["vacancy_id"] == v.pk and ev.payload["employer_id"] == emp.pk
    rows = selectors.proposed_to_employer(am, emp)
    assert len(rows) == 1 and rows[0]["name"] is None and rows[0]["profile"] is not None  # no consent for the name
    html = login(am).get(reverse("employers:employer_list", args=[emp.pk])).content.decode()
    assert world.clients_a[0].family_name not in html and "VCA" in html
    # withdrawn consent: off the list
    services.record_consent(case, km, {"granted": False, "employer_id": emp.pk, "data": ["werkprofiel"]})
    assert selectors.proposed_to_employer(am, emp) == []


def test_placement_with_wage_subsidy_through_the_gate_and_aftercare_to_durable(world, wsp, am, km, login):
    emp = Employer.objects.create(region=wsp, name="Bakkerij", kvk_number="87654321", sector="C", created_by=am)
    v = _vacancy(emp, am)
    case = world.clients_a[0].cases.get()
    c = login(km)
    base = {"form": "placement", "kind": "loonkostensubsidie", "employer_id": emp.pk, "hours": "24"}
    r = c.post(reverse("employers:case_work", args=[case.pk]), base | {"wage_per_hour": "14,06"})
    assert r.status_code == 200 and "Bij loonkostensubsidie zijn loonwaarde" in r.content.decode()
    start = timezone.localdate() - dt.timedelta(days=400)
    r = c.post(
        reverse("employers:case_work", args=[case.pk]),
        base
        | {
            "wage_per_hour": "14.06",
            "loonwaarde_pct": "60",
            "subsidy_per_month": "900",
            "subsidy_months": "24",
            "vacancy_id": v.pk,
            "effective_date": start.isoformat(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    ev = Event.objects.get(case=case, type="plaatsing")
    assert ev.decision["source"] == "web" and "decided" in ev.decision  # recorded as a decision by the gate
    v.refresh_from_db()
    assert v.status == "vervuld" and v.closed_on == start
    due = selectors.aftercare_for(case)
    assert [a.months for a in due] == [1, 3, 6, 12] and [a.milestone for a in due] == [False, False, True, True]
    pid = ev.payload["placement_id"]
    for milestone in ("6", "12"):
        r = c.post(
            reverse("employers:case_work", args=[case.pk]),
            {"form": "aftercare", "placement_id": pid, "still_working": "1", "milestone": milestone},
        )
        assert r.status_code == 302
    due = selectors.aftercare_for(case)
    assert all(not a.milestone for a in due)
    m = selectors.monitoring(am)
    assert m["placements"] == 1 and m["durability"][12] == {"placements": 1, "measured": 1, "durable": 1}
    # employers2: the subsidy due so far (about 13 of the 24 months), from the one derivation the payment run uses
    due = sum(r.due_cents for _c, r in selectors.subsidy_rows({world.a.pk}, timezone.localdate()))
    assert 900 * 12 < m["subsidy_total"] < 900 * 15 and m["subsidy_total"] * 100 == due
    assert m["vacancies_filled"] == 1 and m["subsidy_per_durable"] == m["subsidy_total"]
    html = login(am).get(reverse("employers:monitoring")).content.decode()
    assert "Werk en plaatsingen" in html and "Bakkerij" in html


def test_retained_benefit_only_for_stages(world, wsp, am, km):
    from regie.core.events import EventError

    emp = Employer.objects.create(region=wsp, name="X", kvk_number="87654321", sector="G", created_by=am)
    case = world.clients_a[0].cases.get()
    with pytest.raises(EventError) as exc:
        services.record_placement(
            case,
            km,
            {"kind": "regulier", "employer_id": emp.pk, "employer_name": "X", "hours": 20, "retained_benefit": True},
        )
    assert "behoud van uitkering" in str(exc.value)
    outcome, ev = services.record_placement(
        case, km, {"kind": "proefplaatsing", "employer_id": emp.pk, "employer_name": "X", "hours": 20}
    )
    assert outcome == "recorded" and ev.payload["retained_benefit"] is True


def test_referral_asks_back_its_outcome_and_bottlenecks_show(world, km, am):
    case = world.clients_a[0].cases.get()
    service = SocialService.objects.create(municipality=world.a, kind="schulden", name="Schuldhulp", waiting_weeks=6)
    _outcome, ev = services.refer(case, km, service, warm=True)
    task = Task.objects.get(case=case)
    assert task.source_ref == f"verwijzing:{ev.payload['referral_id']}"
    assert task.due_on == ev.effective_date + dt.timedelta(weeks=8)
    services.referral_outcome(case, km, {"referral_id": ev.payload["referral_id"], "outcome": "wachtlijst"})
    (b,) = selectors.monitoring(am)["bottlenecks"]
    assert b["service"] == "Schuldhulp" and b["waiting"] == 1 and b["open"] == 0


def test_equity_selector_counts_shown_and_proposed(world, wsp, am, km, login):
    emp = Employer.objects.create(region=wsp, name="Bakkerij", kvk_number="87654321", sector="C", created_by=am)
    v = _vacancy(emp, am)
    case = world.clients_a[0].cases.get()
    login(km).get(reverse("employers:vacancy", args=[v.pk]))
    services.record_consent(case, km, {"employer_id": emp.pk})
    services.propose(case, km, v)
    rows = {r["case_id"]: r for r in selectors.shown_and_proposed({world.a.pk})}
    assert rows[case.pk]["shown"] == 1 and rows[case.pk]["proposed"] == 1
    others = [r for cid, r in rows.items() if cid != case.pk]
    assert others and all(r["proposed"] == 0 and r["shown"] == 1 for r in others)
    assert selectors.shown_and_proposed({world.b.pk}) == []
    groups = selectors.proposal_rates({world.a.pk}, by="sex")
    assert groups == [{"group": "V", "shown": len(rows), "proposed": 1, "rate": round(1 / len(rows), 3)}]


def test_case_page_shows_the_work_section(world, km, login):
    client = world.clients_a[0]
    html = login(km).get(reverse("client_detail", args=[client.pk])).content.decode()
    assert reverse("employers:case_work", args=[client.cases.get().pk]) in html


def test_case_work_page_of_another_municipality_is_404(world, login):
    case = world.clients_b[0].cases.get()
    c = login(world.users_a["integrale_klantmanager"])
    assert c.get(reverse("employers:case_work", args=[case.pk])).status_code == 404


def test_demo_seeds_employers_vacancies_and_placements_once(world, km, login):
    from regie.employers.demo import seed_demo

    seed_demo(world.a, "pw-demo-1")
    assert Employer.objects.count() == 6 and Vacancy.objects.filter(status="open").count() >= 9
    assert Event.objects.filter(municipality=world.a, type="plaatsing").exists()
    assert SocialService.objects.filter(municipality=world.a).count() == 5
    seed_demo(world.a, "pw-demo-1")
    assert Employer.objects.count() == 6
    assert Employer.objects.exclude(iban="").count() == 5  # employers2: accounts for the loonkostensubsidie
    am = world.users_a["accountmanager"]
    m = selectors.monitoring(am)
    assert m["placements"] >= 1
    v = Vacancy.objects.filter(status="open").first()
    html = login(km).get(reverse("employers:vacancy", args=[v.pk])).content.decode()
    assert "Kandidaten uit uw gemeente" in html and "Reisafstand" in html


def test_equity_page_shows_who_is_proposed(world, wsp, am, km, login):
    emp = Employer.objects.create(region=wsp, name="Bakkerij", kvk_number="87654321", sector="C", created_by=am)
    v = _vacancy(emp, am)
    login(km).get(reverse("employers:vacancy", args=[v.pk]))
    html = login(world.users_a["teammanager"]).get(reverse("equity:report")).content.decode()
    assert "Wie wordt voorgesteld aan werkgevers" in html and "<td>V</td><td>3</td><td>0</td>" in html


def test_reasons_follow_the_users_language(world, wsp, am, km, login):
    emp = Employer.objects.create(region=wsp, name="Bakkerij", kvk_number="87654321", sector="C", created_by=am)
    v = _vacancy(emp, am)
    c = login(km)
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = c.get(reverse("employers:vacancy", args=[v.pk])).content.decode()
    assert "Certificate: VCA (requirement, not met)" in html and "Candidates from your municipality" in html


def test_refused_forms_keep_the_typed_date(world, wsp, am, km, login):
    """A refused placement or contact moment shows the date the user typed again, not an empty field (an empty
    start date would silently become today on the next submit)."""
    emp = Employer.objects.create(region=wsp, name="Bakkerij", kvk_number="87654321", sector="C", created_by=am)
    case = world.clients_a[0].cases.get()
    typed = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    r = login(km).post(
        reverse("employers:case_work", args=[case.pk]),
        {"form": "placement", "kind": "loonkostensubsidie", "employer_id": emp.pk, "hours": "24",
         "effective_date": typed},
    )  # fmt: skip
    html = r.content.decode()
    assert "Niet vastgelegd" in html and f'name="effective_date" value="{typed}"' in html
    r = login(am).post(reverse("employers:employer", args=[emp.pk]), {"form": "moment", "on": typed, "summary": ""})
    html = r.content.decode()
    assert "Niet vastgelegd" in html and f'name="on" value="{typed}"' in html
