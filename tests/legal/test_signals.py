"""Signals warn before a decision term on an objection runs out (Awb art. 7:10; the policy's warning_days), and
when a zienswijze term has passed without a hearing or decision -- on the worklist, the start page, in
``regie signals run`` and the notifications, all from the one derivation (regie.casework.legal.legal_states_for)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from regie.casework.legal import legal_state, legal_states_for
from regie.casework.models import CaseState
from regie.casework.services import append_event
from regie.casework.signals import open_signals_light
from regie.core.kpi.deadlines import DueDate
from regie.core.kpi.signals import legal_signals
from regie.core.legal import terms

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _objection_due_in(case, days_left: int, actor=None) -> tuple[str, dt.date]:
    """A maatregel made known so that the objection (Den Haag: advisory committee, 12 weeks after the objection
    term) must be decided ``days_left`` days from today; returns (objection id, last day of the decision term)."""
    # search the day of the bekendmaking whose decision term ends days_left from today (Atw shifts some days)
    made_known = TODAY + dt.timedelta(days=days_left + 7) - dt.timedelta(weeks=18)
    while True:
        end = terms.objection_decision_term(terms.objection_term(made_known).end, advisory_committee=True).end
        if (end - TODAY).days <= days_left:
            break
        made_known -= dt.timedelta(days=1)
    from tests.legal.helpers import heard

    heard(case, "maatregel", made_known - dt.timedelta(days=20), actor=actor)
    sanction = append_event(
        case,
        type="maatregel",
        effective_date=made_known - dt.timedelta(days=1),
        payload={"obligation_type": "administratief", "percentage": 5, "months": 1, "repeat_step": 1},
        actor=actor,
    )
    append_event(case, type="bekendmaking", effective_date=made_known, payload={"decision_event": sanction.pk})
    bezwaar = append_event(
        case,
        type="bezwaar",
        effective_date=made_known + dt.timedelta(days=10),
        payload={"decision_event": sanction.pk, "grounds": "Ik was ziek"},
    )
    return bezwaar.payload["objection_id"], end


def test_core_legal_signals_passed_coming_and_the_clients_own_terms():
    on = dt.date(2026, 11, 2)
    dues = [
        DueDate("beslistermijn_bezwaar", "Beslistermijn", dt.date(2026, 11, 10), "Awb art. 7:10", False, "BZ-1"),
        DueDate("beslistermijn_bezwaar", "Beslistermijn", dt.date(2026, 12, 30), "Awb art. 7:10", False, "BZ-2"),
        DueDate("zienswijzetermijn", "Zienswijze", dt.date(2026, 10, 30), "Awb art. 4:8", True, "VN-1"),
        DueDate("bezwaartermijn", "Bezwaartermijn", dt.date(2026, 10, 30), "Awb art. 6:7", True, "besluit 4"),
    ]
    got = [(s.code, s.detail) for s in legal_signals(dues, on, 14)]
    assert got == [("objection_term_expiring", "BZ-1"), ("zienswijze_term_passed", "VN-1")]
    assert [s.code for s in legal_signals(dues, on, None)] == ["zienswijze_term_passed"]  # no horizon: passed only


def test_signals_run_worklist_and_start_page_warn_before_the_objection_term_ends(world, client):
    km = world.users_a["integrale_klantmanager"]
    case = world.clients_a[0].cases.get()
    CaseState.objects.filter(case=case).update(caseworker=km)
    oid, end = _objection_due_in(case, 5, actor=km)
    st = CaseState.objects.get(case=case)

    # one derivation: the bulk read equals the single-case one
    assert legal_states_for([case.pk])[case.pk].open_terms(TODAY) == legal_state(case).open_terms(TODAY)
    found = open_signals_light([(case.pk, "0518", st.snapshot)], TODAY)[case.pk]
    expiring = [s for s in found if s.code == "objection_term_expiring"]
    assert len(expiring) == 1 and expiring[0].due == end and expiring[0].detail == oid

    from regie.cli import app

    out = CliRunner().invoke(app, ["signals", "run", "--municipality", "0518", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["by_code"].get("objection_term_expiring") == 1
    assert any(s["detail"] == oid for s in data["cases"][case.external_id])

    client.force_login(km)
    start = client.get(reverse("agenda:start")).content.decode()
    assert "Beslistermijn bezwaar loopt af" in start
    assert reverse("legal:step", args=[case.pk, "beslissing_op_bezwaar"]) in start  # the step that clears it
    assert end.strftime("%d-%m-%Y") in start


def test_no_signal_far_from_the_term(world):
    case = world.clients_a[1].cases.get()
    _oid, end = _objection_due_in(case, 60)
    assert (end - TODAY).days > 14  # beyond Den Haag's warning_days
    st = CaseState.objects.get(case=case)
    found = open_signals_light([(case.pk, "0518", st.snapshot)], TODAY).get(case.pk, [])
    assert not [s for s in found if s.code.startswith("objection_term")]
