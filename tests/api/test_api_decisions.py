"""The API records decisions through the decision gate: the server computes the advice, the client cannot.

201 recorded, 202 waiting for a teammanager, 403 naming the rule, 422 naming the field, 409 stale version; the
four-eyes queue at /api/v1/pending-decisions/. The equity monitor counts the same deviations whichever path they
came by.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regie.casework.models import CaseState, Event, PendingDecision
from tests.casework.test_decision_gate import MOTIVATION, ON, api, fresh_case, lv, payload_for, via_api, via_web  # noqa: F401

pytestmark = pytest.mark.django_db

SERVER_PARTS = ("recommendation", "deviates", "approval", "policy_version", "decided", "legal_basis")
_value = st.one_of(
    st.booleans(),
    st.text(max_size=12),
    st.integers(-5, 200),
    st.dictionaries(
        st.sampled_from(["percentage", "months", "by", "at"]),
        st.one_of(st.integers(0, 200), st.text(max_size=8)),
        max_size=2,
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    where=st.sampled_from(["decision", "top"]),
    supplied=st.dictionaries(st.sampled_from(SERVER_PARTS), _value, max_size=3),
    code=st.sampled_from(["0518", "1916"]),
)
def test_client_supplied_server_parts_never_change_what_is_stored(world, lv, where, supplied, code):  # noqa: F811
    """Either refused with 422 naming each supplied part (nothing stored), or stored exactly as the server
    computes it for the same payload (the reference: the same step recorded by the gate without extras)."""
    users, clients = (world.users_a, world.clients_a) if code == "0518" else (lv[1], lv[2])
    user = users["inkomensconsulent"]
    payload = payload_for("maatregel", code)
    case, reference = fresh_case(clients[0], user), fresh_case(clients[0], user)
    extra = {"decision": dict(supplied)} if where == "decision" else dict(supplied)
    outcome, r = via_api(user, case, "maatregel", payload, **extra)
    ref_outcome, ref = via_api(user, reference, "maatregel", payload)
    if supplied:
        assert r.status_code == 422, r.data
        prefix = "decision." if where == "decision" else ""
        assert set(r.data) == {prefix + k for k in supplied}
        assert all("berekent de server" in m for ms in r.data.values() for m in ms)
        assert outcome == "refused" and not Event.objects.filter(case=case, type="maatregel").exists()
        assert not PendingDecision.objects.filter(case=case).exists()
    else:
        assert (outcome, r.status_code) == (ref_outcome, ref.status_code)
        assert {**r.data["decision"], "explanation": None} == {**ref.data["decision"], "explanation": None}


@pytest.mark.parametrize(
    "block",
    [
        {"approval": {"by": "teammanager.0518", "at": "2025-03-03T10:00:00Z"}},  # another municipality's teammanager
        {"approval": {"by": "teammanager.1916", "at": "2025-03-03T10:00:00Z"}},
        {"deviates": False},
        {"recommendation": {"percentage": 100, "months": 2}},
        {"policy_version": "leidschendam-voorburg@1999-01-01"},
    ],
)
def test_the_reproduced_bypasses_are_refused(world, lv, block):  # noqa: F811
    _muni, users, clients = lv
    ik = users["inkomensconsulent"]
    case = fresh_case(clients[0], ik)
    outcome, r = via_api(
        ik,
        case,
        "maatregel",
        payload_for("maatregel", "1916"),
        motivation={},
        decision={**block, "motivation": "Herhaald"},
    )
    assert r.status_code == 422 and outcome == "refused"
    assert list(r.data) == [f"decision.{next(iter(block))}"]


def test_motivation_top_level_or_in_the_decision_block(world):
    km = world.users_a["integrale_klantmanager"]
    payload = payload_for("maatregel", "0518")
    a, b = fresh_case(world.clients_a[0], km), fresh_case(world.clients_a[0], km)
    _o, r1 = via_api(km, a, "maatregel", payload)
    _o, r2 = via_api(km, b, "maatregel", payload, motivation={}, decision=MOTIVATION)
    assert r1.status_code == r2.status_code == 201
    assert r1.data["decision"]["motivation"] == r2.data["decision"]["motivation"] == MOTIVATION["motivation"]
    c = fresh_case(world.clients_a[0], km)
    _o, r3 = via_api(km, c, "maatregel", payload, decision={"motivation": "iets anders"})
    assert r3.status_code == 422 and "decision.motivation" in r3.data
    _o, r4 = via_api(km, c, "contact", {"channel": "telefoon"})  # not a decision: no motivation
    assert r4.status_code == 422 and set(r4.data) == {"motivation_code", "motivation"}


def test_field_errors_are_422_and_a_stale_version_409(world):
    km = world.users_a["integrale_klantmanager"]
    case = fresh_case(world.clients_a[0], km)
    r = api(km).post(f"/api/v1/cases/{case.pk}/events/", {"type": "maatregel", "payload": {}}, format="json")
    assert r.status_code == 422 and {"effective_date", "expected_version"} <= set(r.data)
    version = CaseState.objects.get(case=case).version
    r = api(km).post(
        f"/api/v1/cases/{case.pk}/events/",
        {
            "type": "waarschuwing",
            "effective_date": ON.isoformat(),
            "payload": {"obligation_type": "administratief"},
            "expected_version": version - 1,
        },
        format="json",
    )
    assert r.status_code == 409 and r.data["current_version"] == version


# --- the approval queue -------------------------------------------------------------------------------------------


def _pending_via_api(lv):  # noqa: F811
    _muni, users, clients = lv
    case = fresh_case(clients[0], users["integrale_klantmanager"])
    _o, r = via_api(users["inkomensconsulent"], case, "maatregel", payload_for("maatregel", "1916"))
    assert r.status_code == 202
    return case, r.data["id"]


def test_teammanager_sees_the_queue_and_approves(lv):  # noqa: F811
    case, pid = _pending_via_api(lv)
    tm = api(lv[1]["teammanager"])
    listed = tm.get("/api/v1/pending-decisions/")
    assert listed.status_code == 200 and [p["id"] for p in listed.data["results"]] == [pid]
    r = tm.post(f"/api/v1/pending-decisions/{pid}/review/", {"verdict": "approve", "note": "Akkoord"}, format="json")
    assert r.status_code == 200 and r.data["status"] == "approved"
    ev = Event.objects.get(pk=r.data["event"])
    assert ev.case == case and ev.decision["approval"]["by"] == "teammanager.1916" and ev.decision["source"] == "api"
    again = tm.post(f"/api/v1/pending-decisions/{pid}/review/", {"verdict": "approve"}, format="json")
    assert again.status_code == 422 and "status" in again.data
    assert tm.get("/api/v1/pending-decisions/").data["count"] == 0


def test_reject_needs_a_note(lv):  # noqa: F811
    _case, pid = _pending_via_api(lv)
    tm = api(lv[1]["teammanager"])
    r = tm.post(f"/api/v1/pending-decisions/{pid}/review/", {"verdict": "reject"}, format="json")
    assert r.status_code == 422 and "note" in r.data
    r = tm.post(
        f"/api/v1/pending-decisions/{pid}/review/", {"verdict": "reject", "note": "Eerst waarschuwen"}, format="json"
    )
    assert r.status_code == 200 and r.data["status"] == "rejected" and r.data["event"] is None


def test_only_the_municipalitys_teammanager_may_review(lv, world):  # noqa: F811
    _case, pid = _pending_via_api(lv)
    users = lv[1]
    for role in ("integrale_klantmanager", "inkomensconsulent", "beleidsmedewerker"):
        c = api(users[role])
        assert c.get("/api/v1/pending-decisions/").status_code == 403
        r = c.post(f"/api/v1/pending-decisions/{pid}/review/", {"verdict": "approve"}, format="json")
        assert r.status_code == 403
    other = api(world.users_a["teammanager"])  # Den Haag's teammanager does not even see it
    assert other.get("/api/v1/pending-decisions/").data["count"] == 0
    assert (
        other.post(f"/api/v1/pending-decisions/{pid}/review/", {"verdict": "approve"}, format="json").status_code == 404
    )
    assert PendingDecision.objects.get(pk=pid).status == "pending"


def test_the_schema_documents_the_decision_answers(world):
    import json

    c = api(world.users_a["integrale_klantmanager"])
    schema = json.loads(c.get("/api/schema/", HTTP_ACCEPT="application/json").content)
    post = schema["paths"]["/api/v1/cases/{id}/events/"]["post"]
    assert {"201", "202", "403", "409", "422"} <= set(post["responses"])
    assert "examples" in post["responses"]["422"]["content"]["application/json"]
    review = schema["paths"]["/api/v1/pending-decisions/{id}/review/"]["post"]
    assert {"200", "403", "422"} <= set(review["responses"])
    assert "/api/v1/pending-decisions/" in schema["paths"]


# --- equity: the same deviations whichever path they came by ------------------------------------------------------


class _Rollback(Exception):
    def __init__(self, result):
        self.result = result


STEPS = [
    ("maatregel", "deviating"),
    ("maatregel", "advised"),
    ("toekenning", "deviating"),
    ("classificatie", "deviating"),
    ("ontheffing_start", "deviating"),
    ("traject_start", "deviating"),
]


def _record_all(path, world, lv, client):  # noqa: F811
    """The same decisions in 0518 and 1916, by ``path``; 1916's pending ones approved by its teammanager. Returns
    the deviation summary the equity monitor computes from each municipality's frames."""
    from regie.analytics.store import frames_for
    from regie.casework.decisions import review_pending
    from regie.core.equity.data import decision_table
    from regie.core.equity.report import deviations

    try:
        with transaction.atomic():
            for muni, users, clients, code in (
                (world.a, world.users_a, world.clients_a, "0518"),
                (lv[0], lv[1], lv[2], "1916"),
            ):
                for i, (event_type, kind) in enumerate(STEPS):
                    user = users["inkomensconsulent" if i % 2 else "integrale_klantmanager"]
                    if code == "1916" and event_type in ("maatregel", "toekenning"):
                        user = users["inkomensconsulent"]
                    case = fresh_case(clients[i % len(clients)], user)
                    payload = payload_for(event_type, code)
                    if kind == "advised":
                        payload = {**payload, "months": 1}
                    outcome, _r = (
                        via_web(client, user, case, event_type, payload)
                        if path == "web"
                        else via_api(user, case, event_type, payload)
                    )
                    assert outcome != "refused", (code, event_type)
                for pending in PendingDecision.objects.filter(municipality=muni, status="pending"):
                    review_pending(pending, users["teammanager"], approve=True, note="akkoord")
            out = {}
            for muni in (world.a, lv[0]):
                frames = frames_for(muni)
                summary = deviations(frames, as_of=dt.date(2025, 12, 31))
                sources = decision_table(frames, "deviation", as_of=dt.date(2025, 12, 31), sources=(path,)).rows.height
                out[muni.code] = (
                    {
                        "overall": summary["overall"],
                        "caseworkers": [
                            {k: v for k, v in row.items() if k != "motivations"} for row in summary["caseworkers"]
                        ],
                    },
                    sources,
                )
            raise _Rollback(out)
    except _Rollback as done:
        return done.result


def test_equity_counts_the_same_deviations_from_the_web_and_the_api(world, lv, client):  # noqa: F811
    web = _record_all("web", world, lv, client)
    through_api = _record_all("api", world, lv, client)
    for code in ("0518", "1916"):
        (w, w_marked), (a, a_marked) = web[code], through_api[code]
        assert w == a
        assert w["overall"]["n_deviations"] >= 3  # the deviating steps are counted ...
        assert w_marked == a_marked == w["overall"]["n_decisions"]  # ... and marked with their path
