"""The legal steps through the API: the same gate, the same answers as the event endpoint (201/403/409/422)."""

from __future__ import annotations

import datetime as dt

import pytest

from regie.casework.models import CaseState, Event
from regie.core.legal import terms
from tests.api.client import api

pytestmark = pytest.mark.django_db

T0 = dt.date.today() - dt.timedelta(days=28)


def day(n: int) -> str:
    return (T0 + dt.timedelta(days=n)).isoformat()


def version(case) -> int:
    return CaseState.objects.get(case=case).version


def step(user, case, event_type, effective, payload):
    return api(user).post(
        f"/api/v1/cases/{case.pk}/legal/steps/",
        {"type": event_type, "effective_date": effective, "payload": payload, "expected_version": version(case)},
        format="json",
    )


def event(user, case, event_type, effective, payload, **extra):
    return api(user).post(
        f"/api/v1/cases/{case.pk}/events/",
        {
            "type": event_type,
            "effective_date": effective,
            "payload": payload,
            "expected_version": version(case),
            **extra,
        },
        format="json",
    )


SANCTION = {"obligation_type": "administratief", "percentage": 5, "months": 1, "repeat_step": 1}


def test_sanction_intended_heard_imposed_objected_and_appealed_through_the_api(world):
    km = world.users_a["integrale_klantmanager"]
    jm = world.users_a["juridisch_medewerker"]
    case = world.clients_a[0].cases.get()
    # the gate refuses an adverse decision without voornemen and horen: 403 naming the rule
    r = event(km, case, "maatregel", day(4), SANCTION, motivation="maatwerk")
    assert r.status_code == 403 and r.data["rule"] == "awb.4:8.horen" and "Awb art. 4:8" in r.data["detail"]
    r = step(km, case, "voornemen", day(0), {"decision_type": "maatregel", "summary": "Formulier niet ingeleverd"})
    assert r.status_code == 201, r.data
    vid = r.data["payload"]["voornemen_id"]
    r = step(km, case, "horen", day(3), {"voornemen_id": vid, "status": "afgezien"})
    assert r.status_code == 201
    r = event(km, case, "maatregel", day(4), SANCTION, motivation="maatwerk")
    assert r.status_code == 201, r.data
    sanction = r.data["id"]
    assert step(km, case, "bekendmaking", day(5), {"decision_event": sanction}).status_code == 201
    # a caseworker may not register the objection; the legal reviewer may
    assert step(km, case, "bezwaar", day(10), {"decision_event": sanction}).status_code == 403
    r = step(jm, case, "bezwaar", day(10), {"decision_event": sanction, "grounds": "ziek"})
    assert r.status_code == 201, r.data
    oid = r.data["payload"]["objection_id"]
    legal = api(jm).get(f"/api/v1/cases/{case.pk}/legal/").data
    objection_end = terms.objection_term(T0 + dt.timedelta(days=5)).end
    due = terms.objection_decision_term(objection_end, advisory_committee=True).end
    assert legal["objections"][0]["decision_due"] == due.isoformat()
    assert legal["objections"][0]["timely"] is True
    assert [t["key"] for t in legal["open_terms"]] == ["beslistermijn_bezwaar"]
    # 422 names the field; 409 on a stale version
    r = step(jm, case, "bezwaar_termijn", day(12), {"objection_id": oid, "kind": "verdaging", "weeks": 9})
    assert r.status_code == 422 and "payload.weeks" in r.data
    stale = api(jm).post(
        f"/api/v1/cases/{case.pk}/legal/steps/",
        {
            "type": "bezwaar_horen",
            "effective_date": day(12),
            "payload": {"objection_id": oid, "status": "afgezien"},
            "expected_version": version(case) - 1,
        },
        format="json",
    )
    assert stale.status_code == 409
    r = step(jm, case, "beslissing_op_bezwaar", day(20), {"objection_id": oid, "outcome": "ongegrond"})
    assert r.status_code == 201 and r.data["decision"]["source"] == "api"
    r = step(jm, case, "beroep", day(21), {"court": "rechtbank", "stage": "ingesteld", "objection_id": oid})
    assert r.status_code == 201
    assert Event.objects.filter(case=case, type="beroep").count() == 1
    legal = api(jm).get(f"/api/v1/cases/{case.pk}/legal/").data
    assert legal["objections"][0]["decided_within_term"] is True
    assert legal["appeals"][0]["court"] == "rechtbank"


def test_another_municipality_is_404_and_unknown_types_422(world):
    jm = world.users_a["juridisch_medewerker"]
    case_b = world.clients_b[0].cases.get()
    assert api(jm).get(f"/api/v1/cases/{case_b.pk}/legal/").status_code == 404
    r = api(jm).post(f"/api/v1/cases/{case_b.pk}/legal/steps/", {}, format="json")
    assert r.status_code == 404
    case = world.clients_a[0].cases.get()
    r = api(jm).post(
        f"/api/v1/cases/{case.pk}/legal/steps/",
        {"type": "maatregel", "effective_date": day(0), "payload": {}, "expected_version": 0},
        format="json",
    )
    assert r.status_code == 422 and "type" in r.data


def test_schema_documents_the_legal_endpoints(world):
    r = api(world.users_a["juridisch_medewerker"]).get("/api/schema/?format=json")
    paths = r.json()["paths"] if hasattr(r, "json") else r.data["paths"]
    assert "/api/v1/cases/{id}/legal/" in paths and "/api/v1/cases/{id}/legal/steps/" in paths
    assert {"201", "403", "409", "422"} <= set(paths["/api/v1/cases/{id}/legal/steps/"]["post"]["responses"])
