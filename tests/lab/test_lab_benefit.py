"""The Beleidslab page reports the I-deel from simulated ledgers (regie.core.lab.ledger, the benefit computation of
regie.core.benefit) and the cost of a change to the norm or the inkomstenvrijlating."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regie.lab.models import LabRun

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

SMALL = {
    "baseline": "policy:national-default",
    "clients": "300",
    "caseworkers": "3",
    "months": "24",
    "runs": "2",
    "seed": "7",
}


def _measure(run, key):
    return next(m for m in run.result["measures"] if m["key"] == key)


def test_a_norm_change_shows_its_cost_on_the_page(world, login):
    c = login(world.users_a["beleidsmedewerker"])
    resp = c.post(reverse("lab:index"), {**SMALL, "norm_pct": "110"})
    run = LabRun.objects.get()
    assert resp.status_code == 302 and run.status == "done", run.error
    assert run.params["change"] == {"norm_pct": 110}
    total = _measure(run, "ledger.total")
    base, changed = total["arms"][0]["mean"], total["arms"][1]["mean"]
    # the same clients (same seeds, the norm is no lab behaviour): +10 % norm is +10 % I-deel, up to the
    # part-time income (not scaled) and measures
    assert base > 0 and 1.09 < changed / base < 1.12
    assert total["diffs"][0]["mean"] == pytest.approx(changed - base, abs=1)
    assert run.result["ledger_problem"] == ""
    page = c.get(reverse("lab:run", args=[run.pk])).content.decode()
    assert "Uitkeringslasten I-deel volgens de uitkeringsberekening" in page
    assert "Bijstandsnorm (% van de landelijke norm): 110" in page
    assert "€\u00a0" in page  # euros through regie_format
    assert page.count('src="data:image/svg+xml;base64,') >= 5  # with the monthly I-deel from the ledgers


def test_a_vrijlating_change_shows_its_cost(world, login):
    """The 2015-2016 tables give no vrijlating maximum (the layer has one only for 1-7-2021 and from 2024): the
    baseline has no vrijlating; a maximum of 200.00 a month gives the part-time workers 25 % of 400.00 = 100.00
    for six months."""
    c = login(world.users_a["beleidsmedewerker"])
    c.post(reverse("lab:index"), {**SMALL, "vrijlating_percentage": "25", "vrijlating_max": "200"})
    run = LabRun.objects.get()
    assert run.status == "done", run.error
    vrij = _measure(run, "ledger.vrijlating_total")
    assert vrij["arms"][0]["mean"] == 0 and vrij["arms"][1]["mean"] > 0
    assert vrij["arms"][1]["mean"] % 100 == 0  # whole multiples of 100.00
    total = _measure(run, "ledger.total")
    assert total["diffs"][0]["mean"] == pytest.approx(vrij["arms"][1]["mean"], rel=0.02)


def test_the_form_names_the_benefit_fields(world, login):
    c = login(world.users_a["beleidsmedewerker"])
    resp = c.post(reverse("lab:index"), {**SMALL, "norm_pct": "20", "vrijlating_percentage": "120"})
    body = resp.content.decode()
    assert set(resp.context["form"].errors) >= {"norm_pct", "vrijlating_percentage"}
    assert "Bijstandsnorm (% van de landelijke norm):" in body and 'value="120"' in body
    assert LabRun.objects.count() == 0
