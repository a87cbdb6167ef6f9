"""The employer page, the monitoring figure and ``regie employers subsidy`` read the loonkostensubsidie from the one
derivation the payment run uses (employers.selectors.subsidy_rows); the account form checks the IBAN."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.audit.models import AuditRecord
from regie.casework.services import append_event
from regie.employers import selectors, services
from regie.employers.models import Employer, Region

pytestmark = pytest.mark.django_db


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


def _place(world, employer, start):
    case = world.clients_a[0].cases.get()
    payload = {
        "kind": "loonkostensubsidie",
        "employer_id": employer.pk,
        "employer_name": employer.name,
        "hours": 24,
        "wage_per_hour": "14.06",
        "loonwaarde_pct": 60,
        "subsidy_per_month": "900.00",
        "subsidy_months": 6,
    }
    _o, ev = services.record_placement(case, world.users_a["integrale_klantmanager"], payload, on=start)
    return case, ev.payload["placement_id"]


def test_employer_page_account_form_and_subsidy(world, employer, login):
    c = login(world.users_a["accountmanager"])
    url = reverse("employers:employer", args=[employer.pk])
    r = c.post(url, {"form": "account", "iban": "NL00 INGB 0000 0000 00", "iban_holder": "Bakkerij BV"})
    html = r.content.decode()
    assert r.status_code == 200 and "IBAN is ongeldig" in html and "NL00 INGB 0000 0000 00" in html
    assert (
        c.post(url, {"form": "account", "iban": "nl20ingb0001234567", "iban_holder": "Bakkerij BV"}).status_code == 302
    )
    employer.refresh_from_db()
    assert employer.iban == "NL20INGB0001234567"
    start = timezone.localdate().replace(day=1) - dt.timedelta(days=100)
    case, pid = _place(world, employer, start.replace(day=1))
    append_event(
        case,
        type="subsidiebetaling",
        effective_date=timezone.localdate(),
        payload={"placement_id": pid, "employer_id": employer.pk, "month": start.strftime("%Y-%m"), "amount": "900.00"},
    )
    html = c.get(url).content.decode()
    assert pid in html and case.external_id in html and "€ 900,00" in html  # paid: the first month
    assert AuditRecord.objects.filter(object_type="subsidy_ledger", object_id=str(employer.pk)).exists()
    # the monitoring figure: due up to today from the same derivation, paid from the events
    m = selectors.monitoring(world.users_a["accountmanager"])
    rows = selectors.subsidy_rows({world.a.pk}, timezone.localdate())
    assert m["subsidy_total"] * 100 == sum(r.due_cents for _c, r in rows) and m["subsidy_paid"] == 900


def test_a_user_of_another_municipality_sees_none_of_the_subsidy(world, employer, login):
    _case, pid = _place(world, employer, dt.date(2025, 3, 1))
    employer.region.municipalities.add(world.b)
    html = (
        login(world.users_b["accountmanager"]).get(reverse("employers:employer", args=[employer.pk])).content.decode()
    )
    assert pid not in html and "Geen plaatsingen met loonkostensubsidie" in html


def test_cli_subsidy_lists_due_and_paid(world, employer):
    from typer.testing import CliRunner

    from regie.cli import app

    _case, pid = _place(world, employer, dt.date(2025, 3, 10))
    out = CliRunner().invoke(app, ["employers", "subsidy", "0518", "--until", "2025-04"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    assert [(r["month"], r["days"], r["due"]) for r in rows] == [
        ("2025-03", "22/31", "638.71"),
        ("2025-04", "30/30", "900.00"),
    ]
    assert all(r["placement"] == pid and r["case"] == "K0" for r in rows)
    out = CliRunner().invoke(app, ["employers", "subsidy", "0772"])
    assert out.exit_code == 0  # no placements there


def test_an_end_recorded_after_payment_shows_the_amount_to_recover(world, employer, login):
    """Three months paid, then the placement's end recorded back to the first month's last day: the employer page
    and `regie employers subsidy` show the two months paid too much; the run never pays them again."""
    from typer.testing import CliRunner

    from regie.cli import app

    case, pid = _place(world, employer, dt.date(2025, 3, 1))
    for month in ("2025-03", "2025-04", "2025-05"):
        append_event(
            case,
            type="subsidiebetaling",
            effective_date=dt.date(2025, 6, 25),
            payload={"placement_id": pid, "employer_id": employer.pk, "month": month, "amount": "900.00"},
        )
    services.end_placement(
        case,
        world.users_a["integrale_klantmanager"],
        {"placement_id": pid, "reason": "voortijdig_werkgever"},
        on=dt.date(2025, 3, 31),
    )
    rows = selectors.subsidy_rows({world.a.pk}, dt.date(2025, 12, 31))
    total = selectors.subsidy_summary(rows)
    assert total["recover_cents"] == 180000 and total["open_cents"] == 0
    html = login(world.users_a["accountmanager"]).get(reverse("employers:employer", args=[employer.pk])).content
    html = html.decode()
    assert "Terug te vorderen" in html and "€ 1.800,00" in html
    assert "2025-03 – 2025-03 (1)" in html  # the subsidy ran one month; the two paid after it are to recover
    out = CliRunner().invoke(app, ["employers", "subsidy", "0518", "--until", "2025-12"])
    assert out.exit_code == 0, out.output
    rows_out = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    assert [(r["month"], r["days"], r["recover"]) for r in rows_out] == [
        ("2025-03", "31/31", "0.00"),
        ("2025-04", "0/30", "900.00"),
        ("2025-05", "0/31", "900.00"),
    ]
    assert "to recover 1800.00" in out.output.replace("\n", " ")
