"""The benefit on the case page, the income form, bank accounts, the payment run (four eyes, SEPA pain.001, fail
closed without the municipality's account), tenancy, and the gate that computes the amounts."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
import xmlschema
from django.urls import reverse
from rest_framework.test import APIClient

from regie.audit.models import AuditRecord
from regie.benefit import services
from regie.benefit.models import BankAccount, PaymentRun
from regie.casework.decisions import DecisionRefused, record_step
from regie.casework.models import CaseState, Event
from regie.casework.services import append_event
from tests.legal.helpers import heard

pytestmark = pytest.mark.django_db

DEBTORS = {"0518": {"name": "Gemeente Den Haag", "iban": "NL91ABNA0417164300", "bic": "ABNANL2A"}}
CLIENT_IBAN = "NL44 RABO 0123 4567 89"  # valid check digits (schwifty IBAN.generate), spaces as typed


def case_of(world, i=0):
    return world.clients_a[i].cases.get()


def test_case_page_shows_the_calculation_line_by_line(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    page = c.get(reverse("client_detail", args=[world.clients_a[0].pk])).content.decode()
    assert "Uitkering" in page and "Bijstandsnorm alleenstaande" in page
    assert "<summary>Bron</summary>Pw art. 21" in page
    assert "Reservering vakantietoeslag" in page
    assert "Uitkeringsoverzicht per maand" in page and "2025-02" in page
    assert "geen bijstandsnormen vastgelegd" not in page  # today has a norm table


def test_months_after_the_last_norm_table_fail_closed(world):
    from regie.benefit.selectors import case_benefit

    data = case_benefit(case_of(world), dt.date(2027, 3, 15))
    assert "geen bijstandsnormen vastgelegd" in data.problem  # said, not guessed
    assert data.lines[0].month == "2026-12" and data.lines[-1].month == "2025-02"  # the months before are shown


def test_income_form_records_an_opgave_through_the_gate(world, login):
    case = case_of(world)
    c = login(world.users_a["inkomensconsulent"])
    version = CaseState.objects.get(case=case).version
    r = c.post(
        reverse("benefit:income", args=[case.pk]),
        {"effective_date": "2025-05-05", "month": "2025-04", "work_income": "800,00", "expected_version": version},
    )
    assert r.status_code == 302
    ev = Event.objects.get(case=case, type="inkomstenopgave")
    assert ev.payload["month"] == "2025-04" and ev.payload["work_income"] == "800.00"
    # the ledger for April: single, 40 years on 1 April 2025, table 2025-01-01: 1345.45; work 800.00 with the
    # vrijlating 25 % = 200.00; counted 600.00; due 745.45; 5 % = 37.2725 -> 37.27; to pay 708.18
    from regie.benefit.selectors import ledger

    april = next(ln for ln in ledger(case, dt.date(2025, 4, 30)) if ln.month == "2025-04")
    assert april.amount == 70818


def test_income_form_keeps_what_was_typed_and_names_the_field(world, login):
    case = case_of(world)
    c = login(world.users_a["inkomensconsulent"])
    r = c.post(
        reverse("benefit:income", args=[case.pk]),
        {"effective_date": "2025-05-05", "month": "2025-13", "work_income": "812,50"},
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "Maand" in page and 'value="812,50"' in page
    assert 'name="effective_date" value="2025-05-05"' in page  # the typed date kept (the date filter emptied it)
    assert not Event.objects.filter(case=case, type="inkomstenopgave").exists()


def test_bank_account_is_checked(world, login):
    case = case_of(world)
    c = login(world.users_a["inkomensconsulent"])
    r = c.post(reverse("benefit:bank_account", args=[case.pk]), {"iban": "NL02RABO0123456788", "holder": "A. Klant"})
    assert r.status_code == 400 and "IBAN is ongeldig" in r.content.decode()
    r = c.post(reverse("benefit:bank_account", args=[case.pk]), {"iban": CLIENT_IBAN, "holder": "A. Klant"})
    assert r.status_code == 302
    assert BankAccount.objects.get(client=case.client).iban == "NL44RABO0123456789"


def test_other_municipality_is_a_404(world, login):
    foreign = world.clients_b[0].cases.get()
    c = login(world.users_a["inkomensconsulent"])
    assert c.get(reverse("benefit:income", args=[foreign.pk])).status_code == 404
    assert c.get(reverse("benefit:bank_account", args=[foreign.pk])).status_code == 404
    run = PaymentRun.objects.create(
        municipality=world.b,
        month="2025-03",
        execution_date=dt.date(2025, 3, 25),
        created_by=world.users_b["inkomensconsulent"],
    )
    assert c.get(reverse("benefit:run", args=[run.pk])).status_code == 404
    assert c.post(reverse("benefit:release", args=[run.pk])).status_code in (403, 404)


def test_roles_without_payments_capability_are_refused(world, login):
    c = login(world.users_a["reintegratieconsulent"])
    assert c.get(reverse("benefit:runs")).status_code == 403


def _paid_accounts(world):
    for cl in world.clients_a:
        services.set_bank_account(cl, world.users_a["inkomensconsulent"], CLIENT_IBAN, f"{cl.given_name} Klant")


def test_payment_run_preview_four_eyes_and_sepa(world, login, settings):
    _paid_accounts(world)
    preparer, manager = world.users_a["inkomensconsulent"], world.users_a["teammanager"]
    c = login(preparer)
    r = c.post(reverse("benefit:runs"), {"month": "2025-03"})
    assert r.status_code == 302
    run = PaymentRun.objects.get(municipality=world.a, month="2025-03")
    assert run.status == "preview" and run.count == 3  # the job ran (inline in tests)
    # March 2025: single, norm 1345.45 (table 2025-01-01), 5 % = 67.27 reserved: 1278.18 each
    assert run.total_cents == 3 * 127818
    page = c.get(reverse("benefit:run", args=[run.pk])).content.decode()
    assert "NL44 **** **** 6789" in page and "NL44RABO0123456789" not in page  # masked in the preview
    # four eyes: the one who asked for the run cannot release it (nor a caseworker at all)
    with pytest.raises(DecisionRefused):
        services.release_run(run, preparer)
    # no municipal account configured: a Dutch error, nothing written (fail closed)
    settings.REGIE_PAYMENT_DEBTORS = {}
    c = login(manager)
    r = c.post(reverse("benefit:release", args=[run.pk]), follow=True)
    assert "geen betaalrekening van de gemeente ingesteld" in r.content.decode()
    run.refresh_from_db()
    assert run.status == "preview" and not Event.objects.filter(type="betaling").exists()
    # with the account: released, the file validates against pain.001.001.03, one betaling event per payment
    settings.REGIE_PAYMENT_DEBTORS = DEBTORS
    r = c.post(reverse("benefit:release", args=[run.pk]))
    assert r.status_code == 302
    run.refresh_from_db()
    assert run.status == "released" and run.released_by == manager
    assert Event.objects.filter(type="betaling", municipality=world.a).count() == 3
    r = c.get(reverse("benefit:sepa", args=[run.pk]))
    xml = r.content.decode()
    import sepaxml

    xsd = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.001.001.03.xsd")
    xmlschema.XMLSchema(xsd).validate(xml)  # raises when the file does not match the schema
    assert "NL91ABNA0417164300" in xml and xml.count("NL44RABO0123456789") == 3
    assert re.search(r"<CtrlSum>3834\.54</CtrlSum>", xml)  # 3 x 1278.18
    assert AuditRecord.objects.filter(object_type="payment_run", action="export").exists()
    # the ledger now shows March as paid; a second run for March pays nothing more
    from regie.benefit.selectors import ledger

    march = next(ln for ln in ledger(case_of(world), dt.date(2025, 3, 31)) if ln.month == "2025-03")
    assert march.input.paid == 127818 and march.result.overpayment == 0
    with pytest.raises(Exception, match="al een betaalrun"):
        services.request_run(world.a, preparer, "2025-03")


def test_a_run_without_any_payment_is_refused_in_words_not_a_server_error(world, login, settings):
    # no client has a bank account: the run has no line; releasing it says so and writes nothing
    preparer, manager = world.users_a["inkomensconsulent"], world.users_a["teammanager"]
    login(preparer).post(reverse("benefit:runs"), {"month": "2025-03"})
    run = PaymentRun.objects.get(municipality=world.a, month="2025-03")
    assert run.count == 0
    settings.REGIE_PAYMENT_DEBTORS = DEBTORS
    r = login(manager).post(reverse("benefit:release", args=[run.pk]), follow=True)
    assert r.status_code == 200 and "er is niets vrij te geven" in r.content.decode()
    run.refresh_from_db()
    assert run.status == "preview" and not run.sepa_xml
    assert not Event.objects.filter(type="betaling", municipality=world.a).exists()


def test_gate_refuses_a_typed_monthly_amount_and_computes_it(world):
    from regie.accounts.models import Municipality  # noqa: F401
    from regie.casework.models import Case

    user = world.users_a["integrale_klantmanager"]
    client = world.clients_a[1]
    case = Case.objects.create(
        municipality=world.a, client=client, external_id="K-gate-b", opened_on=dt.date(2025, 1, 6)
    )
    append_event(case, type="melding", effective_date=dt.date(2025, 1, 6), actor=user)
    append_event(case, type="aanvraag", effective_date=dt.date(2025, 1, 8), payload={"norm_type": "alleenstaande"})
    api = APIClient()
    api.force_authenticate(user)
    version = CaseState.objects.get(case=case).version
    r = api.post(
        f"/api/v1/cases/{case.pk}/events/",
        {
            "type": "toekenning",
            "effective_date": "2025-02-01",
            "payload": {"norm_type": "alleenstaande_ouder", "cost_sharers": 1, "monthly_amount": 2000},
            "expected_version": version,
        },
        format="json",
    )
    assert r.status_code in (400, 422), r.status_code
    assert "monthly_amount" in str(r.data) and "berekent Regie zelf" in str(r.data)
    assert not Event.objects.filter(case=case, type="toekenning").exists()
    # without it the gate computes the norm: single parent with one cost-sharer, A = 2: 100 / 200 x 1922.07 =
    # 961.035 -> 961.04 (Pw art. 22a; table 2025-01-01)
    outcome, ev = record_step(
        case,
        user,
        event_type="toekenning",
        effective_date=dt.date(2025, 2, 1),
        payload={"norm_type": "alleenstaande_ouder", "cost_sharers": 1},
        motivation="kostendeler in huis",
    )
    assert outcome == "recorded" and ev.payload["monthly_amount"] == 961.04
    texts = [e["text"] for e in ev.decision["explanation"] if e["rule_id"].startswith("benefit.")]
    assert any("Kostendelersnorm" in t for t in texts) and any("Te betalen per maand: € 912,99" in t for t in texts)


def test_terugvordering_amount_comes_from_the_ledger(world):
    case = case_of(world)
    user = world.users_a["inkomensconsulent"]
    # March paid in full (1278.18), then income of 400.00 reported for March: to pay 898.18, overpaid 380.00
    append_event(
        case, type="betaling", effective_date=dt.date(2025, 3, 25), payload={"month": "2025-03", "amount": "1278.18"}
    )
    append_event(
        case,
        type="inkomstenopgave",
        effective_date=dt.date(2025, 4, 5),
        payload={"month": "2025-03", "other_income": "400.00"},
    )
    for adverse in ("terugvordering", "boete"):  # adverse decisions: voornemen and horen first (Awb art. 4:8)
        heard(case, adverse, dt.date(2025, 4, 6))
    with pytest.raises(Exception, match="berekent Regie zelf"):
        record_step(
            case,
            user,
            event_type="terugvordering",
            effective_date=dt.date(2025, 4, 10),
            payload={"months": ["2025-03"], "repayment_monthly": "50", "amount": "1"},
        )
    _outcome, ev = record_step(
        case,
        user,
        event_type="terugvordering",
        effective_date=dt.date(2025, 4, 10),
        payload={"months": ["2025-03"], "repayment_monthly": "50.00", "repayment_start": "2025-05-01"},
    )
    assert ev.payload["amount"] == "380.00"
    # a fine with grove schuld: 75 % of the damage 380.00 = 285.00 (Pw art. 18a; Boetebesluit)
    _outcome, fine = record_step(
        case,
        user,
        event_type="boete",
        effective_date=dt.date(2025, 4, 10),
        payload={"damage": "380.00", "blame": "grove_schuld"},
    )
    assert fine.payload["amount"] == "285.00"


def test_a_suspended_case_is_left_out_of_the_run(world):
    """Pw art. 54 lid 1: while the benefit is suspended (opschorting) the run does not pay it; h/route records the
    opschorting event; here its effect on the run (events as the ledger reads them)."""
    events = [
        {"type": "toekenning", "effective_date": dt.date(2025, 2, 1), "payload": {}},
        {"type": "opschorting", "effective_date": dt.date(2025, 3, 3), "payload": {}},
    ]
    assert services.suspended_on(events, dt.date(2025, 3, 31))
    events.append({"type": "opschorting_einde", "effective_date": dt.date(2025, 3, 20), "payload": {}})
    assert not services.suspended_on(events, dt.date(2025, 3, 31))


def test_the_toekenning_letter_shows_the_calculation(world, login):
    from regie.casework.models import Case

    user = world.users_a["integrale_klantmanager"]
    case = Case.objects.create(
        municipality=world.a, client=world.clients_a[2], external_id="K-letter", opened_on=dt.date(2025, 1, 6)
    )
    append_event(case, type="melding", effective_date=dt.date(2025, 1, 6), actor=user)
    append_event(case, type="aanvraag", effective_date=dt.date(2025, 1, 8), payload={"norm_type": "alleenstaande"})
    _o, ev = record_step(
        case,
        user,
        event_type="toekenning",
        effective_date=dt.date(2025, 2, 1),
        payload={"norm_type": "alleenstaande_ouder"},
    )
    # the letter (regie.letters) prints the stored calculation, amounts localised, articles in words
    import io

    from pypdf import PdfReader

    from regie.letters import services as letters

    client = world.clients_a[2]
    client.contact = {"street": "Spui 70", "postcode": "2511 BT", "city": "Den Haag"}
    client.save(update_fields=["contact"])
    head = {k: "x" for k in ("sender", "address", "contact", "objection_address", "signature")}
    letters.save_letterhead(world.a, head, user, expected_version=0)
    pdf = letters.render_letter(ev, sent_on=dt.date(2025, 2, 3))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    # 1345.45 (Pw art. 21), 5 % = 67.27 reserved, 1278.18 paid per month
    assert "Zo is uw bijstand per maand berekend" in text and "€ 1.345,45" in text and "€ 1.278,18" in text
    assert "Participatiewet artikel 21" in text


def test_the_advice_panel_shows_the_calculation_before_the_decision(world, login):
    from regie.casework.models import Case

    user = world.users_a["integrale_klantmanager"]
    case = Case.objects.create(
        municipality=world.a, client=world.clients_a[2], external_id="K-advice", opened_on=dt.date(2025, 1, 6)
    )
    append_event(case, type="melding", effective_date=dt.date(2025, 1, 6), actor=user)
    append_event(case, type="aanvraag", effective_date=dt.date(2025, 1, 8), payload={"norm_type": "alleenstaande"})
    c = login(user)
    r = c.post(
        reverse("case_step_advice", args=[case.pk, "toekenning"]),
        {"effective_date": "2025-02-01", "norm_type": "alleenstaande", "cost_sharers": "2"},
    )
    html = r.content.decode()
    # A = 3: (40 + 90) / 300 x 1922.07 = 832.897 -> 832.90; 5 % = 41.645 -> 41.65; 791.25
    assert "Kostendelersnorm (3 personen in de woning)" in html and "791,25" in html
    # a date without a norm table: the panel says the amount cannot be computed (fail closed)
    r = c.post(
        reverse("case_step_advice", args=[case.pk, "toekenning"]),
        {"effective_date": "2027-02-01", "norm_type": "alleenstaande"},
    )
    assert "normbedrag ontbreekt" in r.content.decode()


def test_a_payment_cannot_be_typed(world):
    case = case_of(world)
    api = APIClient()
    api.force_authenticate(world.users_a["inkomensconsulent"])
    r = api.post(
        f"/api/v1/cases/{case.pk}/events/",
        {
            "type": "betaling",
            "effective_date": "2025-03-25",
            "payload": {"month": "2025-03", "amount": "5000.00"},
            "expected_version": CaseState.objects.get(case=case).version,
        },
        format="json",
    )
    assert r.status_code in (400, 422) and "betaalrun" in str(r.data)
    assert not Event.objects.filter(type="betaling").exists()


def test_demo_accounts_are_valid_ibans(world):
    from regie.benefit.demo import seed_demo_accounts
    from regie.benefit.sepa import iban_problem

    assert seed_demo_accounts(world.a) == 3
    assert all(iban_problem(a.iban) is None for a in BankAccount.objects.filter(municipality=world.a))
    assert seed_demo_accounts(world.a) == 0  # once


def test_a_case_older_than_the_municipalitys_policy_keeps_its_page(world, login):
    """History imported from an older system can start before the municipality's first policy version (Den Haag's
    starts 2008): the benefit section says the amounts cannot be computed, the case page itself still opens (it
    answered 503 for every such client of the demo)."""
    from regie.benefit.selectors import case_benefit
    from regie.casework.models import Case

    client = world.clients_a[2]
    case = Case.objects.create(
        municipality=client.municipality, client=client, opened_on=dt.date(2007, 5, 1), external_id="K-2007"
    )
    append_event(case, type="melding", effective_date=dt.date(2007, 5, 1), payload={})
    append_event(case, type="toekenning", effective_date=dt.date(2007, 7, 1), payload={"norm_type": "alleenstaande"})
    append_event(case, type="uitstroom", effective_date=dt.date(2007, 12, 1), payload={"reason": "werk_regulier"})
    data = case_benefit(case, dt.date(2026, 12, 1))
    assert data.lines == [] and data.current is None and "2007" in data.problem
    c = login(world.users_a["integrale_klantmanager"])
    r = c.get(reverse("client_detail", args=[client.pk]))
    assert r.status_code == 200 and data.problem in r.content.decode()
