"""The API's human-readable messages follow the request's Accept-Language (Dutch when none of ours is asked); the
machine-readable parts (field keys, ``rule``, ``source``, ``current_version``) stay as they are."""

from __future__ import annotations

import pytest

from regie.casework.models import CaseState
from tests.api.client import api
from tests.casework.test_decision_gate import MOTIVATION, ON, fresh_case, payload_for

pytestmark = pytest.mark.django_db


def _post(user, case, lang: str | None, **body):
    version = CaseState.objects.get(case=case).version
    data = {
        "type": "maatregel",
        "effective_date": ON.isoformat(),
        "payload": payload_for("maatregel", "0518"),
        "expected_version": version,
        **MOTIVATION,
        **body,
    }
    headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
    return api(user).post(f"/api/v1/cases/{case.pk}/events/", data, format="json", **headers)


@pytest.mark.parametrize(
    ("lang", "expected", "shown"),
    [
        (None, "Advies berekent de server uit het geldende beleid; stuur het niet mee", "nl"),
        ("nl-NL,nl;q=0.9", "Advies berekent de server uit het geldende beleid; stuur het niet mee", "nl"),
        ("en-GB,en;q=0.8", "Advice is computed by the server from the policy in force; do not send it", "en"),
        ("de-DE, en;q=0.5", "Advice is computed by the server from the policy in force; do not send it", "en"),
        ("de-DE", "Advies berekent de server uit het geldende beleid; stuur het niet mee", "nl"),
    ],
)
def test_a_refused_field_is_named_by_its_label_in_the_requests_language(world, lang, expected, shown):
    user = world.users_a["inkomensconsulent"]
    case = fresh_case(world.clients_a[0], user)
    r = _post(user, case, lang, decision={"recommendation": {"percentage": 100}})
    assert r.status_code == 422
    assert r.data == {"decision.recommendation": [expected]}  # the key for programs, the message for people
    assert r["Content-Language"] == shown and "Accept-Language" in r["Vary"]


def test_a_serializer_error_names_the_field_in_both_languages(world):
    user = world.users_a["inkomensconsulent"]
    case = fresh_case(world.clients_a[0], user)
    nl = _post(user, case, None, type="")
    en = _post(user, case, "en", type="")
    assert nl.status_code == en.status_code == 422
    assert set(nl.data) == set(en.data) == {"type"}
    assert nl.data["type"][0].startswith("Soort gebeurtenis: ")
    assert en.data["type"][0].startswith("Event type: ") and nl.data["type"] != en.data["type"]


def test_a_payload_error_is_translated(world):
    user = world.users_a["inkomensconsulent"]
    case = fresh_case(world.clients_a[0], user)
    bad = {**payload_for("maatregel", "0518"), "percentage": 500}
    nl, en = _post(user, case, None, payload=bad), _post(user, case, "en", payload=bad)
    assert nl.status_code == en.status_code == 422
    assert set(nl.data) == set(en.data) and any("percentage" in k for k in nl.data)
    key = next(iter(nl.data))
    assert nl.data[key] != en.data[key]
    assert "Percentage" in en.data[key][0]


def test_a_role_without_record_events_is_refused_in_both_languages(world):
    tm = world.users_a["teammanager"]
    case = fresh_case(world.clients_a[0], world.users_a["inkomensconsulent"])
    nl, en = _post(tm, case, None), _post(tm, case, "en")
    assert nl.status_code == en.status_code == 403
    assert nl.data["rule"] == en.data["rule"] == "capability.record_events"  # machine-readable, unchanged
    assert nl.data["detail"] == "Uw rol mag geen gebeurtenissen vastleggen."
    assert en.data["detail"] == "Your role may not record events."


def test_a_stale_version_is_explained_in_both_languages(world):
    user = world.users_a["inkomensconsulent"]
    case = fresh_case(world.clients_a[0], user)
    version = CaseState.objects.get(case=case).version
    stale = version - 1
    nl, en = _post(user, case, None, expected_version=stale), _post(user, case, "en", expected_version=stale)
    assert nl.status_code == en.status_code == 409
    assert nl.data["current_version"] == en.data["current_version"] == version
    assert nl.data["detail"].startswith(f"Dossier {case.external_id} is intussen door iemand anders gewijzigd")
    assert en.data["detail"].startswith(f"Case {case.external_id} was changed by someone else")


def test_the_web_ui_still_ignores_the_browsers_language(world, login):
    c = login(world.users_a["inkomensconsulent"])
    r = c.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert r["Content-Language"] == "nl"
