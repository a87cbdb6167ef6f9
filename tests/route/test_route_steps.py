"""The route steps of rechtmatigheid, medisch advies, opschorting, intrekking, beëindiging, heronderzoek and rustplan:
recorded on the web and through the API (the decision gate), with their state, terms, signals and policy choices.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from django.urls import reverse

from regie.casework.models import CaseState, Event, PendingDecision
from regie.core.events import DECISION_TYPES
from regie.core.kpi.deadlines import Norms, due_dates
from regie.core.kpi.signals import case_signals
from regie.core.legal.terms import application_decision_term, repair_term
from regie.core.policy.loader import policy_dir
from regie.core.projection import fold
from tests.casework.test_decision_gate import MOTIVATION, ON, fresh_case, via_api, via_web
from tests.conftest import BSNS_A, _municipality

pytestmark = pytest.mark.django_db


def api_step(user, case, event_type, payload, motivation=None):
    """The API path; a non-decision carries no motivation (the API refuses one), a decision the gate tests' one."""
    if motivation is None:
        motivation = MOTIVATION if event_type in DECISION_TYPES else {}
    return via_api(user, case, event_type, payload, motivation=motivation)


CHECKED = {i: "voldoet" for i in ("verblijf", "identiteit", "inkomen", "vermogen", "huishouden")}


def _types(case) -> list[str]:
    return list(Event.objects.filter(case=case).order_by("effective_date", "id").values_list("type", flat=True))


def _snap(case) -> dict:
    return CaseState.objects.get(case=case).snapshot


# --- the state (core.projection) ------------------------------------------------------------------------------


def _ev(t, d, **payload):
    return {"type": t, "effective_date": d, "payload": payload}


def test_a_medical_claim_suspends_the_intake_until_the_advice_resumes_it():
    events = [
        _ev("melding", "2025-01-06"),
        _ev("aanvraag", "2025-01-08"),
        _ev("intake", "2025-01-10", medical_claim=True),
    ]
    assert fold(events).medical_status == "claim" and fold(events).awaiting_medical_advice
    events.append(_ev("medisch_advies_aanvraag", "2025-01-11", reason="medische_claim"))
    assert fold(events).medical_status == "aangevraagd" and fold(events).awaiting_medical_advice
    events.append(_ev("medisch_advies", "2025-02-11", outcome="gedeeltelijk_arbeidsgeschikt", end_date="2025-08-11"))
    state = fold(events)
    assert state.medical_status == "gedeeltelijk_arbeidsgeschikt" and not state.awaiting_medical_advice
    assert state.medical_advice_until == dt.date(2025, 8, 11)


def test_opschorting_then_intrekking_ends_the_benefit_from_the_suspension_date():
    events = [
        _ev("melding", "2025-01-06"),
        _ev("aanvraag", "2025-01-08"),
        {"type": "toekenning", "effective_date": "2025-02-01", "payload": {"norm_type": "alleenstaande"}},
        _ev("opschorting", "2025-03-03", missing="bankafschriften", hersteltermijn_end="2025-03-17"),
    ]
    state = fold(events)
    assert state.suspended_on == dt.date(2025, 3, 3) and state.hersteltermijn_end == dt.date(2025, 3, 17)
    assert state.status == "lopend"
    events.append(_ev("intrekking", "2025-03-20", reason="verzuim_niet_hersteld", from_date="2025-03-03"))
    state = fold(events)
    assert (state.status, state.benefit_end, state.end_decision) == ("uitgestroomd", dt.date(2025, 3, 3), "intrekking")
    assert state.suspended_on is None and state.outflow_reason == "geen_recht"


# --- API and web paths ------------------------------------------------------------------------------------------


def test_opschorting_through_the_api_gets_its_hersteltermijn_and_intrekking_its_date(world):
    km = world.users_a["integrale_klantmanager"]
    case = fresh_case(world.clients_a[0], km)
    outcome, r = api_step(km, case, "opschorting", {"reason": "inlichtingen", "missing": "Bankafschriften"})
    assert (outcome, r.status_code) == ("recorded", 201), r.data
    ev = Event.objects.get(case=case, type="opschorting")
    expected = repair_term(ON, 14, source="den-haag").end  # Den Haag: 14 days (assumption, route_rules)
    assert ev.payload["hersteltermijn_end"] == expected.isoformat() and ev.payload["hersteltermijn_days"] == 14
    assert ev.decision["source"] == "api"
    assert _snap(case)["hersteltermijn_end"] == expected.isoformat()
    # a writer's own, different end is refused naming the field
    other = fresh_case(world.clients_a[0], km)
    outcome, r = api_step(km, other, "opschorting", {"missing": "x", "hersteltermijn_end": "2025-03-04"})
    assert r.status_code == 422 and "payload.hersteltermijn_end" in r.data
    # withdrawal because the suspension was not repaired: from the suspension's first day (Pw art. 54 lid 4)
    outcome, r = api_step(km, case, "intrekking", {"reason": "verzuim_niet_hersteld", "from_date": "2025-03-10"})
    assert r.status_code == 422 and "payload.from_date" in r.data and "03-03-2025" in str(r.data)
    outcome, r = api_step(km, case, "intrekking", {"reason": "verzuim_niet_hersteld"})
    assert (outcome, r.status_code) == ("recorded", 201), r.data
    ev = Event.objects.get(case=case, type="intrekking")
    assert ev.payload["from_date"] == ON.isoformat() and ev.decision["source"] == "api"
    snap = _snap(case)
    assert snap["benefit_end"] == ON.isoformat() and snap["end_decision"] == "intrekking"


def test_ordering_rules_name_the_field(world):
    km = world.users_a["integrale_klantmanager"]
    case = fresh_case(world.clients_a[0], km)
    _o, r = api_step(km, case, "opschorting_einde", {"result": "hersteld"})
    assert r.status_code == 422 and "geen lopende opschorting" in str(r.data)
    _o, r = api_step(km, case, "medisch_advies", {"outcome": "niet_arbeidsgeschikt"})
    assert r.status_code == 422 and "aanvraag van het medisch advies" in str(r.data)
    _o, r = api_step(km, case, "intrekking", {"reason": "verzuim_niet_hersteld"})
    assert r.status_code == 422 and "payload.reason" in r.data


@pytest.mark.parametrize(
    ("event_type", "payload"),
    [
        ("rechtmatigheid", {**CHECKED, "outcome": "rechtmatig"}),
        ("medisch_advies_aanvraag", {"reason": "medische_claim", "advisor": "GGD"}),
        ("heronderzoek", {"outcome": "ongewijzigd"}),
        ("rustplan", {"months": 3, "expectations": "Elke maand een gesprek; daarna een plan"}),
        ("beeindiging", {"reason": "werk_regulier"}),
    ],
)
def test_every_route_step_records_on_the_web_and_through_the_api_alike(world, client, event_type, payload):
    km = world.users_a["integrale_klantmanager"]
    web_case, api_case = fresh_case(world.clients_a[0], km), fresh_case(world.clients_a[0], km)
    client.force_login(km)
    assert client.get(reverse("case_step", args=[web_case.pk, event_type])).status_code == 200
    client.logout()
    web, r_web = via_web(client, km, web_case, event_type, payload)
    through_api, r_api = api_step(km, api_case, event_type, payload)
    assert web == through_api == "recorded", (r_web.status_code, getattr(r_api, "data", None))
    w = Event.objects.get(case=web_case, type=event_type).payload
    a = Event.objects.get(case=api_case, type=event_type).payload
    assert w == a
    if event_type == "rustplan":
        assert a["end_date"] == "2025-06-03"  # start + 3 months (seed 002:3065-3080: length told clearly)
        assert _snap(api_case)["rustplan_until"] == "2025-06-03"


def test_rechtmatigheid_refuses_assets_above_the_limit_as_voldoet(world):
    km = world.users_a["integrale_klantmanager"]
    case = fresh_case(world.clients_a[0], km)
    payload = {**CHECKED, "vermogen_bedrag": 9000, "vermogensgrens": 7605, "outcome": "rechtmatig"}
    _o, r = api_step(km, case, "rechtmatigheid", payload)
    assert r.status_code == 422 and "vermogensgrens" in str(r.data)
    payload = {**payload, "vermogen": "voldoet_niet", "outcome": "niet_rechtmatig"}
    outcome, r = api_step(km, case, "rechtmatigheid", payload)
    assert outcome == "recorded" and _snap(case)["rechtmatigheid"] == "niet_rechtmatig"


# --- policy choices ---------------------------------------------------------------------------------------------


@pytest.fixture
def strict_den_haag(tmp_path, monkeypatch):
    """The shipped policies, with Den Haag requiring a rechtmatigheid check before a toekenning."""
    root = tmp_path / "policies"
    shutil.copytree(policy_dir(), root)
    f = root / "den-haag" / "2008-01-01.yaml"
    text = f.read_text(encoding="utf-8")
    old = "rechtmatigheid_before_toekenning: {value: false"
    assert old in text
    f.write_text(text.replace(old, "rechtmatigheid_before_toekenning: {value: true"), encoding="utf-8")
    monkeypatch.setenv("REGIE_POLICY_DIR", str(root))
    return root


def _new_application(client_, actor):
    from regie.casework.models import Case
    from regie.casework.services import append_event

    case = Case.objects.create(
        municipality=client_.municipality, client=client_, opened_on=dt.date(2025, 1, 6), external_id="K-aanvraag"
    )
    append_event(case, type="melding", effective_date=dt.date(2025, 1, 6))
    append_event(case, type="aanvraag", effective_date=dt.date(2025, 2, 1), payload={"norm_type": "alleenstaande"})
    append_event(
        case, type="caseworker_toewijzing", effective_date=dt.date(2025, 2, 1), payload={"caseworker": actor.username}
    )
    return case


def test_a_toekenning_needs_a_completed_rechtmatigheid_where_the_policy_says_so(world, client, strict_den_haag):
    km = world.users_a["integrale_klantmanager"]
    case = _new_application(world.clients_a[0], km)
    grant = {"norm_type": "alleenstaande", "cost_sharers": 0}
    outcome, r = api_step(km, case, "toekenning", grant)
    assert (outcome, r.status_code) == ("refused", 422) and "rechtmatigheid" in str(r.data)
    outcome, r = via_web(client, km, case, "toekenning", grant)
    assert outcome == "refused" and "rechtmatigheid" in r.content.decode()
    api_step(km, case, "rechtmatigheid", {**CHECKED, "outcome": "onvolledig"})
    assert api_step(km, case, "toekenning", grant)[0] == "refused"
    api_step(km, case, "rechtmatigheid", {**CHECKED, "outcome": "rechtmatig"})
    outcome, r = api_step(km, case, "toekenning", grant)
    assert outcome == "recorded", r.data


def test_no_rechtmatigheid_needed_where_the_policy_does_not_ask_it(world):
    km = world.users_a["integrale_klantmanager"]
    case = _new_application(world.clients_a[0], km)
    assert api_step(km, case, "toekenning", {"norm_type": "alleenstaande", "cost_sharers": 0})[0] == "recorded"


def test_amsterdam_advises_a_warning_before_a_first_sanction(db):
    _muni, users, clients = _municipality("0363", "Amsterdam", BSNS_A)
    km = users["integrale_klantmanager"]
    case = fresh_case(clients[0], km)
    sanction = {"obligation_type": "arbeidsverplichting", "percentage": 100, "months": 1, "repeat_step": 1}
    outcome, r = api_step(km, case, "maatregel", sanction, motivation={})
    assert r.status_code == 422 and "motivation" in r.data  # 100 % deviates from "a warning first"
    outcome, r = api_step(km, case, "maatregel", sanction)
    rec = r.data["decision"]["recommendation"]
    assert outcome == "recorded" and (rec["percentage"], rec["months"]) == (0.0, 0) and r.data["deviates"]
    assert any("warning_before_first_sanction" in e["rule_id"] for e in r.data["decision"]["explanation"])
    # after a warning the afstemmingsverordening's measure is the advice again
    case2 = fresh_case(clients[0], km)
    api_step(km, case2, "waarschuwing", {"obligation_type": "arbeidsverplichting"})
    outcome, r = api_step(km, case2, "maatregel", sanction, motivation={})
    assert outcome == "recorded" and r.data["deviates"] is False


# --- dringende redenen ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["0518", "1916"])
def test_refraining_for_urgent_reasons_keeps_the_rules_outcome_beside_it(world, code):
    if code == "1916":
        _m, users, clients = _municipality("1916", "Leidschendam-Voorburg", ["999999990"])
        user = users["inkomensconsulent"]
    else:
        users, clients, user = world.users_a, world.clients_a, world.users_a["integrale_klantmanager"]
    case = fresh_case(clients[0], users["integrale_klantmanager"])
    payload = {"obligation_type": "arbeidsverplichting", "percentage": 100, "months": 1, "afzien": "dringende_redenen"}
    _o, r = api_step(user, case, "maatregel", payload, motivation={"motivation_code": "professioneel"})
    assert r.status_code == 422 and "motivation" in r.data and "dringende redenen" in str(r.data).lower()
    outcome, r = api_step(user, case, "maatregel", payload)
    d = r.data["decision"]
    assert d["recommendation"]["percentage"] == 100.0 and d["decided"]["afzien"] == "dringende_redenen"
    assert d["decided"]["percentage"] == 0.0 and d["deviates"] and d["deviation_kind"] == "dringende_redenen"
    assert "Pw art. 18 lid 10" in d["legal_basis"]
    if code == "1916":  # rules-steered: a teammanager approves
        assert outcome == "pending" and PendingDecision.objects.get(case=case).decision["deviation_kind"]
    else:
        assert outcome == "recorded" and _snap(case)["sanctions"] == 1


# --- terms and signals --------------------------------------------------------------------------------------------


def test_the_aanvraag_terms_and_the_hersteltermijn_are_due_dates_and_signals():
    norms = Norms(heronderzoek_months=12, heronderzoek_source="den-haag route_rules")
    applied = dt.date(2025, 1, 8)
    snap = {"status": "aangevraagd", "applied_on": applied.isoformat(), "intake_on": "2025-01-09"}
    dues = {d.key: d for d in due_dates(snap, dt.date(2025, 3, 10), norms)}
    assert dues["aanvraag_beslissing"].due == application_decision_term(applied).end
    assert "Pw art. 44" in dues["aanvraag_beslissing"].source and dues["aanvraag_beslissing"].overdue
    assert dues["voorschot"].due == dt.date(2025, 2, 5) and "Pw art. 52" in dues["voorschot"].source
    codes = {s.code for s in case_signals(snap, dt.date(2025, 3, 10), norms)}
    assert {"decision_term_passed", "voorschot_due"} <= codes
    running = {
        "status": "lopend",
        "benefit_start": "2024-03-01",
        "suspended_on": "2025-03-03",
        "hersteltermijn_end": "2025-03-17",
    }
    codes = {s.code for s in case_signals(running, dt.date(2025, 3, 10), norms)}
    assert {"hersteltermijn_expiring", "heronderzoek_due"} <= codes
    codes = {s.code for s in case_signals(running, dt.date(2025, 3, 18), norms)}
    assert "hersteltermijn_passed" in codes
    after = {**running, "heronderzoek_on": "2025-03-01"}
    assert "heronderzoek_due" not in {s.code for s in case_signals(after, dt.date(2025, 3, 18), norms)}


def test_the_heronderzoek_interval_comes_from_the_policy(world):
    from regie.casework.deadlines import deadlines_for

    km = world.users_a["integrale_klantmanager"]
    case = fresh_case(world.clients_a[0], km)
    case = type(case).objects.get(pk=case.pk)  # with its projection
    due = {d.key: d for d in deadlines_for(case, ON)}["heronderzoek"]
    assert due.due == dt.date(2026, 2, 1) and "route_rules.heronderzoek_months" in due.source


# --- the medical claim on the case --------------------------------------------------------------------------------


def test_a_medical_exemption_on_the_claim_alone_deviates_and_the_case_page_shows_the_wait(world, client):
    from regie.casework.services import append_event

    km = world.users_a["integrale_klantmanager"]
    childless = world.clients_a[1]
    childless.household = {"children": []}  # no art. 9a ground: only the medical question remains
    childless.save()
    case = fresh_case(childless, km)
    append_event(case, type="intake", effective_date=ON, payload={"medical_claim": True, "health_limitation": True})
    client.force_login(km)
    page = client.get(reverse("client_detail", args=[case.client_id])).content.decode()
    assert "Medische claim: de intake is opgeschort tot er medisch advies is" in page
    client.logout()
    outcome, r = api_step(
        km, case, "ontheffing_start", {"ground": "medisch", "scope": "volledig", "care_duties": False}, motivation={}
    )
    assert r.status_code == 422 and "motivation" in r.data
    outcome, r = api_step(
        km, case, "ontheffing_start", {"ground": "medisch", "scope": "volledig", "care_duties": False}
    )
    assert r.data["decision"]["recommendation"] == {"ground": "medisch_advies_aanvragen"} and r.data["deviates"]
    # with the advice "niet arbeidsgeschikt" the medical exemption is the advice
    case2 = fresh_case(childless, km)
    append_event(case2, type="intake", effective_date=ON, payload={"medical_claim": True})
    api_step(km, case2, "medisch_advies_aanvraag", {"reason": "medische_claim"})
    api_step(km, case2, "medisch_advies", {"outcome": "niet_arbeidsgeschikt", "end_date": "2025-09-01"})
    assert _snap(case2)["medical_status"] == "niet_arbeidsgeschikt"
    exemption = {"ground": "medisch", "scope": "volledig", "care_duties": False}
    outcome, r = api_step(km, case2, "ontheffing_start", exemption, motivation={})
    assert r.data["decision"]["recommendation"]["ground"] == "medisch" and r.data["deviates"] is False, r.data
    assert MOTIVATION  # the shared motivation of the gate tests is used where a deviation is recorded


@pytest.mark.parametrize(
    ("event_type", "texts"),
    [
        ("rechtmatigheid", ("Onderzoek rechtmatigheid", "Verblijf (woonplaats en verblijfsstatus)", "voldoet niet")),
        ("medisch_advies_aanvraag", ("Medisch advies aanvragen", "medische claim bij de intake")),
        ("medisch_advies", ("Medisch advies", "gedeeltelijk arbeidsgeschikt")),
        (
            "opschorting",
            ("Opschorting (Pw art. 54)", "Wat moet de cliënt aanleveren of doen", "inlichtingen niet verstrekt"),
        ),
        ("intrekking", ("Intrekking", "verzuim niet hersteld binnen de hersteltermijn (Pw art. 54 lid 4)")),
        ("beeindiging", ("Beëindiging (besluit)",)),
        ("heronderzoek", ("Heronderzoek", "ongewijzigd")),
        ("rustplan", ("Rustplan", "Wat wordt er in de tussentijd verwacht")),
        ("maatregel", ("Afzien van de maatregel", "Dringende redenen (Pw art. 18 lid 10)")),
    ],
)
def test_the_step_forms_speak_dutch(world, client, event_type, texts):
    km = world.users_a["integrale_klantmanager"]
    case = fresh_case(world.clients_a[0], km)
    client.force_login(km)
    html = client.get(reverse("case_step", args=[case.pk, event_type])).content.decode()
    for text in texts:
        assert text in html, text
    assert "hersteltermijn_end" not in html  # set by Regie, not asked


def test_an_opschorting_on_the_web_gets_the_same_hersteltermijn(world, client):
    km = world.users_a["integrale_klantmanager"]
    case = fresh_case(world.clients_a[0], km)
    outcome, _r = via_web(client, km, case, "opschorting", {"missing": "Loonstroken", "hersteltermijn_days": 7})
    assert outcome == "recorded"
    ev = Event.objects.get(case=case, type="opschorting")
    assert ev.payload["hersteltermijn_end"] == repair_term(ON, 7, source="x").end.isoformat()
    assert ev.decision["source"] == "web"
