"""The payment run pays the nabetaling and deducts the aflossing the ledger settles (regie.core.benefit.ledger.settle),
records both on the betaling event, and does not pay or deduct them twice.

World: three singles of 40 on benefit from 1-2-2025 in Den Haag; March 2025 norm 1345.45 (table 2025-01-01), 5 %
= 67.27 reserved: 1278.18 a month (Pw art. 21 sub a, art. 19 lid 3).
"""

from __future__ import annotations

import datetime as dt

import pytest

from regie.benefit import selectors, services
from regie.benefit.models import PaymentRun
from regie.casework.decisions import record_step
from regie.casework.models import Event
from regie.casework.services import append_event
from tests.legal.helpers import heard

pytestmark = pytest.mark.django_db

DEBTORS = {"0518": {"name": "Gemeente Den Haag", "iban": "NL91ABNA0417164300", "bic": "ABNANL2A"}}
CLIENT_IBAN = "NL44 RABO 0123 4567 89"


def _run(world, month):
    for cl in world.clients_a:
        services.set_bank_account(cl, world.users_a["inkomensconsulent"], CLIENT_IBAN, f"{cl.given_name} Klant")
    run = services.request_run(world.a, world.users_a["inkomensconsulent"], month)
    run.refresh_from_db()
    assert run.status == "preview"
    return run


def test_the_run_pays_the_nabetaling_once(world, settings):
    settings.REGIE_PAYMENT_DEBTORS = DEBTORS
    case = world.clients_a[0].cases.get()
    # March was paid 1000.00 where 1278.18 was due (e.g. paid before a correction raised it): 278.18 short
    append_event(
        case, type="betaling", effective_date=dt.date(2025, 3, 25), payload={"month": "2025-03", "amount": "1000.00"}
    )
    run = _run(world, "2025-04")
    line = run.lines.get(case=case)
    # April: 1278.18 + nabetaling 278.18 = 1556.36; the other two clients 1278.18 each
    assert line.amount_cents == 127818 + 27818
    assert run.total_cents == 155636 + 2 * 127818
    assert line.calculation["catch_up"] == {"2025-03": "278.18"} and "nabetaling maart 2025" in line.reason
    run = services.release_run(run, world.users_a["teammanager"])
    # the SEPA file with the nabetaling validates against pain.001.001.03 and carries the settled amount
    import os

    import sepaxml
    import xmlschema

    xsd = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.001.001.03.xsd")
    xmlschema.XMLSchema(xsd).validate(run.sepa_xml)
    assert '<InstdAmt Ccy="EUR">1556.36</InstdAmt>' in run.sepa_xml
    paid = Event.objects.get(case=case, type="betaling", payload__month="2025-04")
    assert paid.payload["amount"] == "1556.36" and paid.payload["catch_up"] == {"2025-03": "278.18"}
    # March and April now settled; May carries no nabetaling
    by = {ln.month: ln for ln in selectors.ledger(case, dt.date(2025, 5, 31))}
    assert by["2025-03"].input.paid == 127818 and by["2025-03"].result.underpayment == 0
    assert by["2025-04"].input.paid == 127818 and by["2025-05"].catch_up == ()


def test_the_run_deducts_the_repayment_within_the_beslagvrije_voet(world, settings):
    settings.REGIE_PAYMENT_DEBTORS = DEBTORS
    case = world.clients_a[0].cases.get()
    user = world.users_a["inkomensconsulent"]
    # March paid in full, then 400.00 other income reported for March: due 945.45, 5 % = 47.27, to pay 898.18:
    # overpaid 380.00
    append_event(
        case, type="betaling", effective_date=dt.date(2025, 3, 25), payload={"month": "2025-03", "amount": "1278.18"}
    )
    append_event(
        case,
        type="inkomstenopgave",
        effective_date=dt.date(2025, 4, 5),
        payload={"month": "2025-03", "other_income": "400.00"},
    )
    heard(case, "terugvordering", dt.date(2025, 4, 6))
    _outcome, claim = record_step(
        case,
        user,
        event_type="terugvordering",
        effective_date=dt.date(2025, 4, 10),
        payload={"months": ["2025-03"], "repayment_monthly": "100.00", "repayment_start": "2025-05-01"},
    )
    assert claim.payload["amount"] == "380.00"
    run = _run(world, "2025-05")
    line = run.lines.get(case=case)
    # May: 1278.18 + the holiday allowance reserved in February-April (67.27 + 47.27 + 67.27 = 181.81) less the
    # aflossing: the agreed 100.00 exceeds the room 1278.18 - 95 % x 1278.18 (1214.27) = 63.91 (Rv art. 475da lid 1)
    assert line.amount_cents == 127818 + 18181 - 6391
    assert line.calculation["repayment"] == {str(claim.pk): "63.91"}
    services.release_run(run, world.users_a["teammanager"])
    paid = Event.objects.get(case=case, type="betaling", payload__month="2025-05")
    assert paid.payload["repayment"] == {str(claim.pk): "63.91"}
    # May counts as paid in full (the deduction settles it); June deducts from what is left (316.09)
    by = {ln.month: ln for ln in selectors.ledger(case, dt.date(2025, 6, 30))}
    assert by["2025-05"].result.underpayment == 0 and by["2025-05"].result.overpayment == 0
    assert by["2025-06"].repayments == ((str(claim.pk), 6391),)
    assert not PaymentRun.objects.filter(month="2025-06").exists()


def test_the_case_page_shows_the_nabetaling_as_its_own_line(world, login):
    from django.urls import reverse

    case = world.clients_a[0].cases.get()
    append_event(
        case, type="betaling", effective_date=dt.date(2025, 3, 25), payload={"month": "2025-03", "amount": "1000.00"}
    )
    c = login(world.users_a["integrale_klantmanager"])
    page = c.get(reverse("client_detail", args=[world.clients_a[0].pk])).content.decode()
    # this month's calculation (the next run) carries March's 278.18 as its own line, with its source
    assert "Nabetaling over maart 2025" in page and "Pw art. 54 lid 3" in page
    assert "€\u00a0278,18" in page or "€ 278,18" in page
    assert '<th scope="col" class="num">Nabetaling</th>' in page
