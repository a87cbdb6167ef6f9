"""The employer's loonkostensubsidie (Pw art. 10d) in the benefit payment run: the run's preview has an employer
section computed by the one derivation, the release pays it in the same SEPA file and records one subsidiebetaling
per month, a month is never paid twice, the end of the placement stops it, no account or no policy is said (fail
closed), and another municipality sees none of it.

World: Den Haag (policy: placements.subsidy share 100 %, in arrears); a placement with 900.00 a month from
10-02-2025 for 12 months.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.urls import reverse

from regie.benefit import services as benefit
from regie.benefit.models import PaymentRun
from regie.casework.models import Event
from regie.employers import selectors, services
from regie.employers.models import Employer, Region, SubsidyLine

pytestmark = pytest.mark.django_db

DEBTORS = {
    "0518": {"name": "Gemeente Den Haag", "iban": "NL91ABNA0417164300", "bic": "ABNANL2A"},
    "0772": {"name": "Gemeente Eindhoven", "iban": "NL91ABNA0417164300", "bic": "ABNANL2A"},
}
EMPLOYER_IBAN = "NL20 INGB 0001 2345 67"


@pytest.fixture
def employer(world):
    region = Region.objects.create(name="WSP Haaglanden")
    region.municipalities.add(world.a)
    return Employer.objects.create(
        region=region,
        name="Bakkerij Hofstad",
        kvk_number="12345678",
        sector="C",
        created_by=world.users_a["teammanager"],
    )


def _place(world, employer, case=None, start=dt.date(2025, 2, 10), **kw):
    case = case or world.clients_a[0].cases.get()
    payload = {
        "kind": "loonkostensubsidie",
        "employer_id": employer.pk,
        "employer_name": employer.name,
        "hours": 24,
        "wage_per_hour": "14.06",
        "loonwaarde_pct": 60,
        "subsidy_per_month": "900.00",
        "subsidy_months": 12,
    } | kw
    outcome, ev = services.record_placement(case, world.users_a["integrale_klantmanager"], payload, on=start)
    assert outcome == "recorded"
    return case, ev.payload["placement_id"]


def _run(world, month, muni=None):
    muni = muni or world.a
    users = world.users_a if muni == world.a else world.users_b
    for cl in world.clients_a if muni == world.a else world.clients_b:
        benefit.set_bank_account(cl, users["inkomensconsulent"], "NL44 RABO 0123 4567 89", f"{cl.given_name} Klant")
    run = benefit.request_run(muni, users["inkomensconsulent"], month)
    run.refresh_from_db()
    assert run.status == "preview"
    return run


def _release(world, run):
    users = world.users_a if run.municipality == world.a else world.users_b
    return benefit.release_run(run, users["teammanager"])


def test_the_run_pays_the_employer_in_arrears_pro_rata_in_its_sepa_file(world, employer, settings):
    settings.REGIE_PAYMENT_DEBTORS = DEBTORS
    services.set_employer_account(employer, {"iban": EMPLOYER_IBAN, "iban_holder": "Bakkerij Hofstad BV"})
    case, pid = _place(world, employer)
    run = _run(world, "2025-04")
    lines = list(SubsidyLine.objects.filter(run=run).order_by("month"))
    # February 19 of 28 days: 900 * 19 / 28 = 610.714... -> 610.71; March whole; April not yet (in arrears)
    assert [(ln.month, ln.days, ln.amount_cents, ln.skipped) for ln in lines] == [
        ("2025-02", 19, 61071, ""),
        ("2025-03", 31, 90000, ""),
    ]
    assert lines[0].iban == "NL20INGB0001234567" and lines[0].holder == "Bakkerij Hofstad BV"
    run = _release(world, run)
    import sepaxml
    import xmlschema

    xsd = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.001.001.03.xsd")
    xmlschema.XMLSchema(xsd).validate(run.sepa_xml)
    assert '<InstdAmt Ccy="EUR">610.71</InstdAmt>' in run.sepa_xml and "NL20INGB0001234567" in run.sepa_xml
    assert f"Loonkostensubsidie 2025-03 plaatsing {pid}" in run.sepa_xml
    assert run.sepa_xml.count("<CdtTrfTxInf>") == run.count + 2  # the clients' and the employer's payments
    paid = Event.objects.filter(case=case, type="subsidiebetaling").order_by("payload__month")
    assert [(e.payload["month"], e.payload["amount"]) for e in paid] == [("2025-02", "610.71"), ("2025-03", "900.00")]
    # the one derivation now shows them paid; the next run pays April only
    rows = selectors.subsidy_rows({world.a.pk}, dt.date(2025, 4, 30))
    assert [(m.month, m.paid_cents, m.open_cents) for _c, m in rows] == [
        ("2025-02", 61071, 0),
        ("2025-03", 90000, 0),
        ("2025-04", 0, 90000),
    ]
    run5 = _run(world, "2025-05")
    assert list(SubsidyLine.objects.filter(run=run5).values_list("month", flat=True)) == ["2025-04"]


def test_a_month_is_never_paid_twice(world, employer, settings):
    settings.REGIE_PAYMENT_DEBTORS = DEBTORS
    services.set_employer_account(employer, {"iban": EMPLOYER_IBAN, "iban_holder": "Bakkerij Hofstad BV"})
    case, _pid = _place(world, employer)
    april, may = _run(world, "2025-04"), _run(world, "2025-05")  # both previews hold February and March
    assert SubsidyLine.objects.filter(run=may).count() == 3
    _release(world, april)
    may = _release(world, may)
    assert sorted(
        SubsidyLine.objects.filter(run=may, skipped="al betaald in een andere betaalrun").values_list(
            "month", flat=True
        )
    ) == ["2025-02", "2025-03"]
    assert Event.objects.filter(case=case, type="subsidiebetaling").count() == 3  # February, March, April once
    assert may.sepa_xml.count("Loonkostensubsidie") == 1
    # the same month again: refused (one released run per month); a recomputed preview pays nothing again
    with pytest.raises(Exception, match="al een betaalrun"):
        benefit.request_run(world.a, world.users_a["inkomensconsulent"], "2025-05")
    services.compute_subsidy_lines(may)
    assert SubsidyLine.objects.filter(run=may).count() == 0


def test_the_end_of_the_placement_stops_the_payments(world, employer, settings):
    settings.REGIE_PAYMENT_DEBTORS = DEBTORS
    services.set_employer_account(employer, {"iban": EMPLOYER_IBAN, "iban_holder": "Bakkerij Hofstad BV"})
    case, pid = _place(world, employer)
    services.end_placement(
        case, world.users_a["integrale_klantmanager"], {"placement_id": pid, "reason": "voortijdig_werkgever"},
        on=dt.date(2025, 3, 15),
    )  # fmt: skip
    run = _run(world, "2025-06")
    assert [(ln.month, ln.days, ln.amount_cents) for ln in SubsidyLine.objects.filter(run=run).order_by("month")] == [
        ("2025-02", 19, 61071),
        ("2025-03", 15, 43548),  # 900 * 15 / 31 = 435.48
    ]


def test_no_account_and_no_policy_are_said_not_guessed(world, employer, settings, login):
    settings.REGIE_PAYMENT_DEBTORS = DEBTORS
    _place(world, employer)
    run = _run(world, "2025-04")
    lines = SubsidyLine.objects.filter(run=run)
    assert lines.count() == 2 and all(ln.skipped == "geen rekeningnummer van de werkgever vastgelegd" for ln in lines)
    html = login(world.users_a["inkomensconsulent"]).get(reverse("benefit:run", args=[run.pk])).content.decode()
    assert "Loonkostensubsidie aan werkgevers" in html and "geen rekeningnummer van de werkgever" in html
    run = _release(world, run)
    assert "Loonkostensubsidie" not in run.sepa_xml and not Event.objects.filter(type="subsidiebetaling").exists()
    # Eindhoven's policy sets no placements.subsidy: its placement is listed with the reason, nothing is paid
    employer.region.municipalities.add(world.b)
    services.set_employer_account(employer, {"iban": EMPLOYER_IBAN, "iban_holder": "Bakkerij Hofstad BV"})
    case_b = world.clients_b[0].cases.get()
    services.record_placement(
        case_b,
        world.users_b["integrale_klantmanager"],
        {"kind": "loonkostensubsidie", "employer_id": employer.pk, "employer_name": employer.name, "hours": 24,
         "wage_per_hour": "14.06", "loonwaarde_pct": 60, "subsidy_per_month": "900", "subsidy_months": 12},
        on=dt.date(2025, 2, 10),
    )  # fmt: skip
    run_b = _run(world, "2025-04", world.b)
    (line,) = SubsidyLine.objects.filter(run=run_b)
    assert "legt de betaling van loonkostensubsidie niet vast" in line.skipped and line.amount_cents == 0


def test_an_employer_account_is_a_valid_iban(world, employer):
    with pytest.raises(services.FormError) as exc:
        services.set_employer_account(employer, {"iban": "NL00 RABO 0000 0000 00", "iban_holder": ""})
    assert (
        "IBAN is ongeldig" in exc.value.errors["iban"]
        and "Naam van de rekeninghouder" in exc.value.errors["iban_holder"]
    )


def test_tenancy_another_municipality_sees_no_subsidy_of_this_one(world, employer, settings, login):
    settings.REGIE_PAYMENT_DEBTORS = DEBTORS
    services.set_employer_account(employer, {"iban": EMPLOYER_IBAN, "iban_holder": "Bakkerij Hofstad BV"})
    _place(world, employer)
    run_a = _run(world, "2025-04")
    employer.region.municipalities.add(world.b)  # the employer is shared; the clients are not
    run_b = _run(world, "2025-04", world.b)
    assert SubsidyLine.objects.filter(run=run_b).count() == 0
    assert selectors.subsidy_rows({world.b.pk}, dt.date(2025, 12, 31)) == []
    c = login(world.users_b["teammanager"])
    assert c.get(reverse("benefit:run", args=[run_a.pk])).status_code == 404
    html = login(world.users_b["accountmanager"]).get(reverse("employers:employer", args=[employer.pk]))
    assert html.status_code == 200 and "Geen plaatsingen met loonkostensubsidie" in html.content.decode()
    assert PaymentRun.objects.count() == 2


def test_a_subsidy_payment_cannot_be_typed(world, employer):
    from regie.casework.decisions import record_step
    from regie.core.events import EventError

    case, pid = _place(world, employer)
    with pytest.raises(EventError, match="betaalrun"):
        record_step(
            case,
            world.users_a["inkomensconsulent"],
            event_type="subsidiebetaling",
            effective_date=dt.date(2025, 4, 25),
            payload={"placement_id": pid, "employer_id": employer.pk, "month": "2025-03", "amount": "900.00"},
        )
