"""The client route through the web app: every step is one form, recorded as one event."""

import datetime as dt

import pytest
from django.urls import reverse

from regie.casework.models import Case, CaseState, Client, Event, PolicySignal

pytestmark = pytest.mark.django_db


def _step(c, case, event_type, expected, /, **fields):
    data = {"expected_version": expected, **fields}
    return c.post(reverse("case_step", args=[case.pk, event_type]), data)


def test_full_route_from_melding_to_aftercare(world, login):
    km = world.users_a["integrale_klantmanager"]
    c = login(km)
    r = c.post(reverse("client_new"), {"bsn": "222333443", "given_name": "Sam", "family_name": "Route",
                                       "birth_date": "2002-04-01", "sex": "X", "melding_date": "2025-01-06"})
    assert r.status_code == 302
    client = Client.objects.get(family_name="Route")
    case = Case.objects.get(client=client)
    melding = Event.objects.get(case=case, type="melding")
    assert melding.payload["search_period_end"] == "2025-02-03"  # under 27: four weeks (Pw art. 41)
    route = [
        ("aanvraag", {"norm_type": "alleenstaande"}),
        ("toekenning", {"norm_type": "alleenstaande", "monthly_amount": "1300.50"}),
        ("intake", {"expected_months_to_work": "8", "motivation": "hoog"}),
        ("classificatie", {"scheme": "participatieladder", "level": "4"}),
        ("plan_van_aanpak", {"version": "1", "signed": "on", "review_date": "2025-09-01"}),
        ("traject_start", {"trajectory_id": "T1", "kind": "reintegratie", "provider": "P1"}),
        ("rapportage", {"trajectory_id": "T1", "kind": "voortgang", "summary": "Goed op weg"}),
        ("driegesprek", {"trajectory_id": "T1", "summary": "Afspraken"}),
        ("traject_einde", {"trajectory_id": "T1", "result": "werk"}),
        ("uitstroom", {"reason": "werk_regulier"}),
        ("nazorg_einde", {"result": "duurzaam_aan_het_werk"}),
    ]
    day = dt.date(2025, 2, 3)
    for event_type, fields in route:
        version = CaseState.objects.get(case=case).version
        # the step is offered on the case page in the current status
        page = c.get(reverse("client_detail", args=[client.pk])).content.decode()
        assert reverse("case_step", args=[case.pk, event_type]) in page, event_type
        r = _step(c, case, event_type, version, effective_date=day.isoformat(), **fields)
        assert r.status_code == 302, (event_type, r.content.decode()[:2000])
        day += dt.timedelta(days=20)
    state = CaseState.objects.get(case=case)
    assert state.status == "afgesloten" and state.snapshot["outflow_reason"] == "werk_regulier"
    types = list(Event.objects.filter(case=case).order_by("effective_date", "id").values_list("type", flat=True))
    assert types == ["melding", "caseworker_toewijzing"] + [t for t, _ in route]
    assert Event.objects.get(case=case, type="uitstroom").payload["cbs_code"] == "10"
    assert all(a == km.pk for a in Event.objects.filter(case=case).values_list("actor_id", flat=True))


def test_form_keeps_input_and_names_the_field_on_error(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    case = world.clients_a[0].cases.get()
    version = CaseState.objects.get(case=case).version
    r = _step(c, case, "maatregel", version, effective_date="2025-03-01", obligation_type="reintegratie",
              percentage="250", months="1", repeat_step="2")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'id="err_percentage"' in html and 'value="250"' in html and 'value="2"' in html
    assert '<option value="reintegratie" selected' in html
    assert Event.objects.filter(case=case, type="maatregel").count() == 0


def test_stale_form_gets_a_conflict_not_an_overwrite(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    case = world.clients_a[0].cases.get()
    version = CaseState.objects.get(case=case).version
    assert _step(c, case, "classificatie", version, effective_date="2025-03-01", scheme="participatieladder", level="3").status_code == 302
    r = _step(c, case, "classificatie", version, effective_date="2025-03-02", scheme="participatieladder", level="5",
              motivation="andere inschatting")
    assert r.status_code == 200 and "changed by someone else" in r.content.decode()
    assert 'value="5"' in r.content.decode()  # what was typed is kept
    assert CaseState.objects.get(case=case).level == "3"


def test_bad_bsn_on_new_client_keeps_the_form(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    r = c.post(reverse("client_new"), {"bsn": "123456789", "given_name": "Els", "family_name": "Fout",
                                       "birth_date": "1980-01-01", "sex": "V", "melding_date": "2025-01-06"})
    html = r.content.decode()
    assert r.status_code == 200 and "elfproef" in html and 'value="Fout"' in html
    assert not Client.objects.filter(family_name="Fout").exists()


def test_step_on_other_municipality_case_is_404(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    other = world.clients_b[0].cases.get()
    assert c.get(reverse("case_step", args=[other.pk, "contact"])).status_code == 404
    assert _step(c, other, "contact", 4, effective_date="2025-03-01").status_code == 404
    assert Event.objects.filter(case=other, type="contact").count() == 0


def test_policy_signal_reaches_policy_officers_of_the_same_municipality(world, login):
    case = world.clients_a[0].cases.get()
    c = login(world.users_a["integrale_klantmanager"])
    r = c.post(reverse("policy_signal_new", args=[case.pk]), {"topic": "Kinderopvang", "text": "Geen opvang beschikbaar voor schooltijden"})
    assert r.status_code == 302 and PolicySignal.objects.count() == 1
    html = login(world.users_a["beleidsmedewerker"]).get(reverse("policy_signals")).content.decode()
    assert "Kinderopvang" in html
    html_b = login(world.users_b["beleidsmedewerker"]).get(reverse("policy_signals")).content.decode()
    assert "Kinderopvang" not in html_b


def test_policy_officer_cannot_record_steps(world, login):
    c = login(world.users_a["beleidsmedewerker"])
    case = world.clients_a[0].cases.get()
    assert c.get(reverse("case_step", args=[case.pk, "contact"])).status_code == 403
