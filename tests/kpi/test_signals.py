"""Signals: each from the policy's norms with its source; acknowledged signals leave the worklist."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from regie.casework.services import append_event
from regie.core.kpi.signals import Norms, case_signals, caseload_signals

ON = dt.date(2026, 6, 1)


def snap(**kw):
    base = {
        "status": "lopend",
        "benefit_start": "2025-01-01",
        "applied_on": "2024-12-20",
        "intake_on": "2024-12-23",
        "last_contact_on": "2026-05-01",
        "last_event_on": "2026-05-01",
        "trajectories": {},
        "exemptions": {},
        "first_trajectory_on": "2025-03-01",
    }
    return {**base, **kw}


def codes(s, on=ON, norms=None):
    return {x.code for x in case_signals(s, on, norms or Norms())}


def test_each_signal_fires_on_its_rule_and_not_otherwise():
    assert codes(snap()) == set()
    assert "no_trajectory_12m" in codes(snap(first_trajectory_on=None))
    assert "no_trajectory_12m" not in codes(
        snap(first_trajectory_on=None, exemptions={"O1": {"scope": "volledig", "ground": "medisch"}})
    )
    # a partial exemption keeps the sluitende-aanpak deadline; so does a full one that has ended
    assert "no_trajectory_12m" in codes(
        snap(first_trajectory_on=None, exemptions={"O1": {"scope": "gedeeltelijk", "ground": "mantelzorg"}})
    )
    assert "no_trajectory_12m" in codes(
        snap(
            first_trajectory_on=None,
            exemptions={"O1": {"scope": "volledig", "ground": "medisch", "end_date": "2026-01-31"}},
        )
    )
    assert "intake_late" in codes(snap(status="aangevraagd", applied_on="2026-05-01", intake_on=None))
    assert "intake_late" not in codes(snap(status="aangevraagd", applied_on="2026-05-28", intake_on=None))
    assert "no_contact" in codes(snap(last_contact_on="2026-01-01"))
    assert "plan_review_due" in codes(snap(plan_review_date="2026-05-01"))
    assert "report_overdue" in codes(snap(trajectories={"T1": {"start": "2026-03-01"}}, last_report_on="2026-04-01"))
    assert "exemption_ending" in codes(
        snap(exemptions={"O1": {"scope": "gedeeltelijk", "ground": "mantelzorg", "end_date": "2026-06-20"}})
    )
    assert "exemption_ended" in codes(
        snap(exemptions={"O1": {"scope": "gedeeltelijk", "ground": "mantelzorg", "end_date": "2026-05-20"}})
    )
    assert "search_period_over" in codes(snap(status="aangevraagd", search_period_end="2026-05-15"))
    assert "no_action" in codes(snap(last_event_on="2025-04-01", last_contact_on="2026-05-01"))
    assert "aftercare_ending" in codes(
        snap(status="uitgestroomd", outflow_reason="werk_regulier", aftercare_until="2026-06-15")
    )
    # the norm comes from the policy: a stricter contact norm fires earlier
    assert "no_contact" in codes(snap(last_contact_on="2026-04-15"), norms=Norms(max_days_without_contact=30))
    assert all(
        s.source for s in case_signals(snap(first_trajectory_on=None, last_contact_on="2026-01-01"), ON, Norms())
    )


def test_caseload_above_norm():
    out = caseload_signals({"km.a": 120, "km.b": 80, None: 150}, Norms(caseload_norm=100), ON)
    assert set(out) == {"km.a"} and "120" in out["km.a"].label
    # exactly at the norm is not above it
    assert caseload_signals({"km.a": 100}, Norms(caseload_norm=100), ON) == {}


def test_signals_are_views_of_the_due_dates():
    """Every due-date signal has the due date (same day) the case page shows; nothing else becomes one."""
    from regie.core.kpi.deadlines import due_dates

    s = snap(
        first_trajectory_on=None,
        last_contact_on="2026-01-01",
        plan_review_date="2026-05-01",
        trajectories={"T1": {"start": "2026-03-01"}},
        last_report_on="2026-04-01",
        exemptions={"O1": {"scope": "gedeeltelijk", "ground": "mantelzorg", "end_date": "2026-06-20"}},
    )
    dues = {d.key: d for d in due_dates(s, ON, Norms())}
    assert set(dues) == {"trajectory", "contact", "plan_review", "report", "exemption_end"}
    assert (dues["trajectory"].due, dues["trajectory"].overdue) == (dt.date(2026, 1, 1), True)
    assert (dues["exemption_end"].due, dues["exemption_end"].overdue) == (dt.date(2026, 6, 20), False)
    by_code = {x.code: x.due for x in case_signals(s, ON, Norms())}
    assert by_code == {
        "no_trajectory_12m": dues["trajectory"].due,
        "no_contact": dues["contact"].due,
        "plan_review_due": dues["plan_review"].due,
        "report_overdue": dues["report"].due,
        "exemption_ending": dues["exemption_end"].due,
    }
    # the norm's months are in the label
    assert any(
        "binnen 6 maanden" in x.label
        for x in case_signals(s, ON, Norms(trajectory_within_months=6))
        if x.code == "no_trajectory_12m"
    )


@pytest.mark.django_db
def test_worklist_puts_cases_with_signals_first_and_acknowledging_removes_them(world, login):
    km = world.users_a["integrale_klantmanager"]
    # client 2 gets a signal: plan review date passed (recently: within the policy's signal horizon, so the worklist
    # shows it on the row; older signals are counted above the list, agenda)
    case = world.clients_a[2].cases.get()
    review = dt.date.today() - dt.timedelta(days=10)
    append_event(
        case,
        type="plan_van_aanpak",
        effective_date=review - dt.timedelta(days=20),
        payload={"version": 1, "review_date": review.isoformat()},
        actor=km,
    )
    c = login(km)
    html = c.get(reverse("worklist")).content.decode()
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert world.clients_a[2].family_name in first_row and "Evaluatie plan van aanpak verlopen" in first_row
    page = c.get(reverse("client_detail", args=[world.clients_a[2].pk])).content.decode()
    assert "Evaluatie plan van aanpak verlopen" in page
    r = c.post(
        reverse("signal_ack", args=[case.pk]),
        {"code": "plan_review_due", "due": review.isoformat(), "note": "Evaluatie ingepland"},
    )
    assert r.status_code == 302
    html = c.get(reverse("worklist")).content.decode()
    assert "Evaluatie plan van aanpak verlopen" not in html
    # a note is required
    c.post(reverse("signal_ack", args=[case.pk]), {"code": "no_contact", "due": "2025-05-01", "note": ""})
    from regie.casework.models import SignalAcknowledgement

    assert SignalAcknowledgement.objects.count() == 1


@pytest.mark.django_db
def test_signals_cli(world):
    from typer.testing import CliRunner

    from regie.cli import app

    out = CliRunner().invoke(app, ["signals", "run", "--municipality", "0518", "--as-of", "2026-06-01", "--json"])
    assert out.exit_code == 0, out.output
    r = json.loads(out.output)
    # the fixture's cases have no trajectory and no contact for over a year on 2026-06-01
    assert r["cases_with_signals"] == len(world.clients_a) and r["by_code"]["no_trajectory_12m"] == len(world.clients_a)
