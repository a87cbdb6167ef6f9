"""The route indicators (regie.core.kpi.route) from the event log, and their table on the monitoring dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.analytics.store import current
from regie.casework.models import Case
from regie.casework.services import append_event
from regie.core.kpi.route import ROUTE_KEYS, route_indicators
from tests.legal.helpers import heard
from tests.route.test_route_steps import api_step

pytestmark = pytest.mark.django_db


def _case(client, ext: str, applied: dt.date, decided: dt.date | None):
    case = Case.objects.create(municipality=client.municipality, client=client, opened_on=applied, external_id=ext)
    append_event(case, type="melding", effective_date=applied)
    append_event(case, type="aanvraag", effective_date=applied, payload={"norm_type": "alleenstaande"})
    if decided:
        append_event(case, type="toekenning", effective_date=decided, payload={"norm_type": "alleenstaande"})
    return case


def test_route_indicators_count_terms_medical_advice_suspensions_and_refrained_decisions(world):
    c = world.clients_a[0]
    km = world.users_a["integrale_klantmanager"]
    on_time = _case(c, "R1", dt.date(2025, 1, 6), dt.date(2025, 2, 3))  # 4 weeks: within the 8 weeks of Pw 44
    _case(c, "R2", dt.date(2024, 11, 4), dt.date(2025, 2, 3))  # 13 weeks: too late
    append_event(on_time, type="intake", effective_date=dt.date(2025, 1, 8), payload={"medical_claim": True})
    append_event(on_time, type="medisch_advies_aanvraag", effective_date=dt.date(2025, 1, 10))
    append_event(
        on_time, type="medisch_advies", effective_date=dt.date(2025, 1, 31), payload={"outcome": "niet_arbeidsgeschikt"}
    )
    append_event(
        on_time, type="caseworker_toewijzing", effective_date=dt.date(2025, 2, 3), payload={"caseworker": km.username}
    )
    on_time.refresh_from_db()
    for missing in ("loonstroken", "bankafschriften"):
        api_step(km, on_time, "opschorting", {"missing": missing})
        api_step(km, on_time, "opschorting_einde", {"result": "hersteld"})
    api_step(km, on_time, "heronderzoek", {"outcome": "ongewijzigd"})
    heard(on_time, "maatregel", dt.date(2025, 2, 3))  # an adverse decision needs a voornemen and horen (Awb 4:8)
    api_step(
        km,
        on_time,
        "maatregel",
        {"obligation_type": "arbeidsverplichting", "percentage": 100, "months": 1, "afzien": "dringende_redenen"},
    )
    out = route_indicators(current(world.a, max_age=0), dt.date(2025, 1, 1), dt.date(2025, 4, 1), 12)
    assert set(out) == set(ROUTE_KEYS)
    # the fixture's three cases were granted 24 days after their aanvraag: within the term too
    assert out["applications_decided"] == 5 and out["decided_within_term"] == 0.8
    assert out["medical_advices"] == 1 and out["medical_median_days"] == 21
    assert out["suspensions"] == 2 and out["suspensions_repaired"] == 2 and out["suspensions_withdrawn"] == 0
    assert out["heronderzoeken"] == 1 and out["heronderzoeken_on_time"] == 1.0
    assert out["refrained_dringende_redenen"] == 1 and out["refrained_geen_verwijtbaarheid"] == 0


def test_the_dashboard_shows_the_route_table(world, login):
    c = login(world.users_a["beleidsmedewerker"])
    html = c.get(reverse("monitoring:dashboard") + "?from=2025-01-01&to=2025-04-01").content.decode()
    assert "Aanvragen, medisch advies, opschorting en heronderzoek" in html
    assert "Binnen de beslistermijn (aandeel)" in html


def test_a_benefit_ended_by_a_decision_leaves_the_stock_as_an_outflow_does(world):
    from regie.core.kpi import indicators as I

    km = world.users_a["integrale_klantmanager"]
    frames = current(world.a, max_age=0)
    before = I.stock_and_flows(frames, dt.date(2025, 3, 1), dt.date(2025, 4, 1))
    c0, c1 = (cl.cases.get() for cl in world.clients_a[:2])
    heard(c0, "beeindiging")
    heard(c1, "intrekking")
    api_step(km, c0, "beeindiging", {"reason": "verhuizing"})
    api_step(km, c1, "intrekking", {"reason": "onjuiste_inlichtingen", "from_date": "2025-02-15"})
    after = I.stock_and_flows(current(world.a, max_age=0), dt.date(2025, 3, 1), dt.date(2025, 4, 1))
    assert after["stock_end"] == before["stock_end"] - 2
    assert after["outflow"] == before["outflow"] + 2
    assert after["outflow_by_reason"].get("verhuizing") == 1 and after["outflow_by_reason"].get("geen_recht") == 1
