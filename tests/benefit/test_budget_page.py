"""The I-deel on the budget page shows the benefit administration's payments where they exist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.casework.services import append_event

pytestmark = pytest.mark.django_db


def test_i_deel_from_payments(world, login):
    pm = login(world.users_a["beleidsmedewerker"])
    url = reverse("monitoring:budget") + "?from=2025-01-01&to=2025-12-31"
    before = pm.get(url).content.decode()
    assert "betalingen van de uitkeringsadministratie" not in before  # no payments: the estimate
    for cl in world.clients_a:
        case = cl.cases.get()
        for m in (2, 3):
            append_event(
                case,
                type="betaling",
                effective_date=dt.date(2025, m, 25),
                payload={"month": f"2025-{m:02d}", "amount": "1000.10"},
            )
    from regie.benefit.selectors import paid_by_month

    assert paid_by_month(world.a.pk, 2025) == {2: 3000.30, 3: 3000.30}
    assert paid_by_month(world.b.pk, 2025) is None  # tenants apart
    page = pm.get(url).content.decode()
    assert "betalingen van de uitkeringsadministratie" in page
    # the month rows are the payments: 3 x 1000.10 a month, cumulative 6000.60 (the table rounds to euros)
    assert "<td>februari 2025</td><td>€\u00a03.000</td><td>€\u00a03.000</td>" in page
    assert "<td>maart 2025</td><td>€\u00a03.000</td><td>€\u00a06.001</td>" in page
