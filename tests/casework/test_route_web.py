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
    r = c.post(
        reverse("client_new"),
        {
            "bsn": "222333443",
            "given_name": "Sam",
            "family_name": "Route",
            "birth_date": "2002-04-01",
            "sex": "X",
            "melding_date": "2025-01-06",
        },
    )
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
        ("plan_van_aanpak", {"version": "1", "signed": "on"}),  # review date: the policy's advice, filled below
        ("traject_start", {"kind": "reintegratie", "provider": "P1"}),  # the trajectory number is Regie's
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
        if event_type == "plan_van_aanpak":  # review within 6 months (Den Haag); an earlier date is no deviation
            fields = {**fields, "review_date": (day + dt.timedelta(days=120)).isoformat()}
        if fields.get("trajectory_id") == "T1":  # the number Regie gave the trajectory at its start
            fields = {**fields, "trajectory_id": next(iter(CaseState.objects.get(case=case).snapshot["trajectories"]))}
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
    r = _step(
        c,
        case,
        "maatregel",
        version,
        effective_date="2025-03-01",
        obligation_type="reintegratie",
        percentage="250",
        months="1",
        repeat_step="2",
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert 'id="err_percentage"' in html and 'value="250"' in html and 'value="2"' in html
    assert '<option value="reintegratie" selected' in html
    assert Event.objects.filter(case=case, type="maatregel").count() == 0


def test_stale_form_gets_a_conflict_not_an_overwrite(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    case = world.clients_a[0].cases.get()
    version = CaseState.objects.get(case=case).version
    assert (
        _step(
            c, case, "classificatie", version, effective_date="2025-03-01", scheme="participatieladder", level="3"
        ).status_code
        == 302
    )
    r = _step(
        c,
        case,
        "classificatie",
        version,
        effective_date="2025-03-02",
        scheme="participatieladder",
        level="5",
        motivation="andere inschatting",
    )
    assert r.status_code == 409 and "changed by someone else" in r.content.decode()
    assert 'value="5"' in r.content.decode()  # what was typed is kept
    assert CaseState.objects.get(case=case).level == "3"


def test_bad_bsn_on_new_client_keeps_the_form(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    r = c.post(
        reverse("client_new"),
        {
            "bsn": "123456789",
            "given_name": "Els",
            "family_name": "Fout",
            "birth_date": "1980-01-01",
            "sex": "V",
            "melding_date": "2025-01-06",
        },
    )
    html = r.content.decode()
    assert r.status_code == 400 and "elfproef" in html and 'value="Fout"' in html
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
    r = c.post(
        reverse("policy_signal_new", args=[case.pk]),
        {"topic": "Kinderopvang", "text": "Geen opvang beschikbaar voor schooltijden"},
    )
    assert r.status_code == 302 and PolicySignal.objects.count() == 1
    html = login(world.users_a["beleidsmedewerker"]).get(reverse("policy_signals")).content.decode()
    assert "Kinderopvang" in html
    html_b = login(world.users_b["beleidsmedewerker"]).get(reverse("policy_signals")).content.decode()
    assert "Kinderopvang" not in html_b


def test_policy_officer_cannot_record_steps(world, login):
    c = login(world.users_a["beleidsmedewerker"])
    case = world.clients_a[0].cases.get()
    assert c.get(reverse("case_step", args=[case.pk, "contact"])).status_code == 403


def test_advice_is_shown_and_stored_with_the_decision(world, login):
    """Den Haag (0518) routes expected time to work to a rung; the advice is pre-filled and stored (seed 000:715)."""
    from regie.casework.services import append_event

    case = world.clients_a[0].cases.get()
    append_event(case, type="intake", effective_date=dt.date(2025, 2, 10), payload={"expected_months_to_work": 4})
    c = login(world.users_a["integrale_klantmanager"])
    html = c.get(reverse("case_step", args=[case.pk, "classificatie"])).content.decode()
    assert "den-haag@" in html and "nd-route-5" in html  # policy version and rule id in the explanation
    version = CaseState.objects.get(case=case).version
    # follow the advice: no motivation needed
    r = _step(
        c,
        case,
        "classificatie",
        version,
        effective_date="2025-02-20",
        scheme="participatieladder",
        level="5",
        route="bemiddeling",
    )
    assert r.status_code == 302
    ev = Event.objects.get(case=case, type="classificatie")
    assert ev.decision["recommendation"]["level"] == "5" and not ev.deviates
    assert ev.policy_version.startswith("den-haag@")
    # deviate without a motivation: refused, naming the field; with one: recorded as a deviation
    version += 1
    r = _step(c, case, "classificatie", version, effective_date="2025-03-20", scheme="participatieladder", level="3")
    assert r.status_code == 400 and "motivation" in r.content.decode()
    r = _step(
        c,
        case,
        "classificatie",
        version,
        effective_date="2025-03-20",
        scheme="participatieladder",
        level="3",
        motivation_code="professioneel",
        motivation="Eerst schuldhulp en taal",
    )
    assert r.status_code == 302
    dev = Event.objects.filter(case=case, type="classificatie").latest("id")
    assert dev.deviates and dev.decision["motivation"] == "Eerst schuldhulp en taal"


def test_deviation_in_rules_steered_municipality_waits_for_the_teammanager(db, login):
    """Leidschendam-Voorburg is rules-steered (seed 000:756-768): a deviation needs four eyes."""
    from regie.accounts.models import Municipality, Team, User
    from regie.casework.models import PendingDecision
    from regie.casework.services import append_event

    muni = Municipality.objects.create(code="1916", name="Leidschendam-Voorburg")
    team = Team.objects.create(municipality=muni, code="T", name="Team")
    km = User.objects.create_user(
        username="km.lv", password="x" * 12, municipality=muni, role="integrale_klantmanager", team=team
    )
    tm = User.objects.create_user(username="tm.lv", password="x" * 12, municipality=muni, role="teammanager", team=team)
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
        ("intake", {"expected_months_to_work": 2}),
    ):
        append_event(case, type=t, effective_date=dt.date(2025, 1, 20), payload=p)
    c = login(km)
    version = CaseState.objects.get(case=case).version
    r = _step(
        c,
        case,
        "classificatie",
        version,
        effective_date="2025-02-01",
        scheme="drie-treden",
        level="work_first",
        motivation_code="professioneel",
        motivation="Werkritme ontbreekt nog",
    )
    assert r.status_code == 302
    assert not Event.objects.filter(case=case, type="classificatie").exists()  # not yet in effect
    pending = PendingDecision.objects.get(case=case)
    assert pending.decision["recommendation"]["level"] == "direct" and pending.decision["deviates"]
    # the caseworker cannot approve; the teammanager sees it in the queue and approves
    assert c.post(reverse("approval_review", args=[pending.pk]), {"verdict": "approve"}).status_code == 403
    tc = login(tm)
    assert "Regelvast" in tc.get(reverse("approvals")).content.decode()
    tc.post(
        reverse("approval_review", args=[pending.pk]), {"verdict": "approve", "note": "Akkoord, evalueren na 3 mnd"}
    )
    ev = Event.objects.get(case=case, type="classificatie")
    assert ev.deviates and ev.decision["approval"]["by"] == "tm.lv" and ev.actor == km
    assert CaseState.objects.get(case=case).level == "work_first"
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.event_id == ev.id


def test_case_page_shows_the_deadlines_that_apply(world, login):
    """Den Haag: plan review from the plan, a trajectory within 12 months of inflow (seed 001:1602-1692)."""
    from regie.casework.services import append_event

    case = world.clients_a[0].cases.get()
    append_event(
        case,
        type="plan_van_aanpak",
        effective_date=dt.date(2025, 3, 1),
        payload={"version": 1, "signed": True, "review_date": "2025-09-01"},
    )
    html = (
        login(world.users_a["integrale_klantmanager"])
        .get(reverse("client_detail", args=[world.clients_a[0].pk]))
        .content.decode()
    )
    assert "Evaluatie plan van aanpak</strong>: 01-09-2025" in html
    assert "Traject (sluitende aanpak)</strong>: 01-02-2026" in html  # toekenning 2025-02-01 + 12 months
    assert "den-haag@" in html


def test_split_casework_hides_and_refuses_steps_outside_the_role(db, login):
    """Leidschendam-Voorburg's policy lets only the inkomensconsulent grant benefit (seed 001:737-743)."""
    from regie.accounts.models import Municipality, User
    from regie.casework.services import append_event

    muni = Municipality.objects.create(code="1916", name="Leidschendam-Voorburg")
    ri = User.objects.create_user(username="ri.lv", password="x" * 12, municipality=muni, role="reintegratieconsulent")
    client = Client.objects.create(
        municipality=muni,
        external_id="C1",
        bsn="111222333",
        given_name="A",
        family_name="Gesplitst",
        birth_date=dt.date(1990, 1, 1),
        sex="V",
    )
    case = Case.objects.create(municipality=muni, client=client, external_id="K1", opened_on=dt.date(2025, 1, 6))
    append_event(case, type="melding", effective_date=dt.date(2025, 1, 6))
    append_event(case, type="aanvraag", effective_date=dt.date(2025, 1, 7), payload={"norm_type": "alleenstaande"})
    c = login(ri)
    page = c.get(reverse("client_detail", args=[client.pk])).content.decode()
    assert reverse("case_step", args=[case.pk, "intake"]) in page
    assert reverse("case_step", args=[case.pk, "toekenning"]) not in page
    r = _step(
        c,
        case,
        "toekenning",
        CaseState.objects.get(case=case).version,
        effective_date="2025-01-20",
        norm_type="alleenstaande",
    )
    assert r.status_code == 400 and "geen toekenning vastleggen" in r.content.decode()
    assert not Event.objects.filter(case=case, type="toekenning").exists()
