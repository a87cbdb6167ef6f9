"""The web discretion report: computed once per municipality, as-of date and event-log state; caseworkers named
only for their own teammanager; roles without view_caseworker_results get 403; tenancy."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from regie.accounts.models import Municipality, Team, User
from regie.audit.models import AuditRecord
from regie.casework.interchange import import_file
from regie.casework.models import Case
from regie.casework.services import append_event
from regie.core.synth import generate
from regie.equity import services
from regie.equity.models import ReportRun
from regie.equity.report_views import TABLES, pseudonym

pytestmark = pytest.mark.django_db

NAMES = ["Ruben Kuipers", "Ali van Leeuwen", "Tamara van den Berg"]  # the synthetic 0363's caseworkers (team T1)


@pytest.fixture
def ams(tmp_path, world):
    path = tmp_path / "ams.jsonl"
    generate("0363", 300, 3, path)
    import_file(path, "0363")
    return Municipality.objects.get(code="0363")


@pytest.fixture
def inline(settings):
    """The report's job runs inside the request (the immediate job backend, as tests/conftest.py sets)."""
    from tests.conftest import INLINE_JOBS

    settings.TASKS = INLINE_JOBS


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_report_for_teammanager_and_policy_officer(ams, inline):
    tm = User.objects.get(username="tm.degroot")  # teammanager of T1, the team of all three caseworkers
    bm = User.objects.get(username="beleid.dekker")
    other_team = Team.objects.create(municipality=ams, code="T9", name="Team 9")
    tm9 = User.objects.create_user("tm9", password="x", municipality=ams, role="teammanager", team=other_team)
    first = _client(tm).get(reverse("equity:report")).content.decode()
    assert "nog geen rapport" in first and ReportRun.objects.count() == 0  # a page view never computes
    start = _client(tm).post(reverse("equity:report"))  # the button queues the job (inline here)
    assert start.status_code == 302
    r = _client(tm).get(start["Location"])
    html = r.content.decode()
    assert "Berekend op" in html and "geleden" in html
    assert r.status_code == 200 and ReportRun.objects.count() == 1
    run = ReportRun.objects.get()
    assert run.state == "done", run.error
    assert "classification_level" in html and "trajectory_12m" in html and "deviation" in html
    assert html.count('<img src="data:image/svg+xml;base64,') >= 3
    # the teammanager sees their own team's caseworkers by name
    assert any(n in html for n in NAMES)
    # a policy officer and another team's teammanager see pseudonyms only
    for viewer in (bm, tm9):
        page = _client(viewer).get(reverse("equity:report")).content.decode()
        assert not any(n in page for n in NAMES) and "km.kuipers" not in page and ">U1<" not in page
        assert pseudonym("0363", "U1") in page
    assert ReportRun.objects.count() == 1  # computed once, served from the cache
    # filters: one decision only, and an earlier as-of date is its own run
    one = _client(bm).get(reverse("equity:report"), {"decision": "sanction"}).content.decode()
    assert one.count('<section class="decision">') == 1 and "<h2>Maatregel i.p.v. waarschuwing</h2>" in one
    # every table exports to CSV and Excel, pseudonymised for the policy officer
    from openpyxl import load_workbook

    from regie.equity.templatetags.equity import export_label

    c = _client(bm)
    for table in TABLES:
        csv = c.get(reverse("equity:report"), {"table": table, "export": "csv"})
        assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv"), table
        assert "Kuipers" not in csv.content.decode() and "U1," not in csv.content.decode()
        x = c.get(reverse("equity:report"), {"table": table, "export": "xlsx"})
        assert load_workbook(io.BytesIO(x.content)).active.title == export_label(table)  # the page's own words
    icc = c.get(reverse("equity:report"), {"table": "icc", "export": "csv"}).content.decode().splitlines()
    assert icc[0].startswith("Beslissing,Soort,n,Klantmanagers,Gemiddelde,ICC,ICC ondergrens,ICC bovengrens")
    assert len(icc) == 8
    assert AuditRecord.objects.filter(object_type="equity_report", action="export").count() == 2 * len(TABLES) + 1
    # a new event changes the watermark: while the new run is computed, the previous result is shown with a notice
    case = Case.objects.filter(municipality=ams).first()
    append_event(case, type="contact", effective_date=dt.date.today(), payload={"channel": "telefoon"})
    new = ReportRun.objects.create(municipality=ams, as_of=dt.date.today(), watermark=services.watermark(ams))
    assert new.watermark != run.watermark
    page = _client(bm).get(reverse("equity:report")).content.decode()
    assert "een nieuwe berekening loopt" in page and "Invloed van de klantmanager" in page
    services.compute_run(new.pk)
    page = _client(bm).get(reverse("equity:report")).content.decode()
    assert "een nieuwe berekening loopt" not in page
    assert "profielintervallen worden" not in page  # the job's second phase replaced the Wald intervals
    assert list(ReportRun.objects.values_list("pk", flat=True)) == [new.pk]  # the superseded result is removed


@pytest.mark.parametrize(
    "role",
    [
        "integrale_klantmanager",
        "inkomensconsulent",
        "reintegratieconsulent",
        "provider_coach",
        "auditor",
        "functioneel_beheerder",
    ],
)
def test_roles_without_caseworker_results_get_403(world, login, role):
    c = login(world.users_a[role])
    assert c.get(reverse("equity:report")).status_code == 403
    assert c.post(reverse("equity:report")).status_code == 403
    assert c.get(reverse("equity:report"), {"table": "caseworkers", "export": "csv"}).status_code == 403
    assert ReportRun.objects.count() == 0
    assert AuditRecord.objects.filter(
        actor=world.users_a[role].username, action="denied", object_type="equity_report"
    ).exists()


def test_other_municipality_report_is_not_found(world, login, ams, inline):
    for role in ("teammanager", "beleidsmedewerker"):
        c = login(world.users_a[role])
        assert c.get(reverse("equity:report"), {"m": ams.pk}).status_code == 404
        assert c.post(reverse("equity:report"), {"m": ams.pk}).status_code == 404
        assert c.get(reverse("equity:report"), {"m": ams.pk, "table": "icc", "export": "csv"}).status_code == 404
    assert not ReportRun.objects.filter(municipality=ams).exists()
    # the own municipality (3 clients): computed, with the models' "too little data" instead of figures
    c = login(world.users_a["teammanager"])
    c.post(reverse("equity:report"))
    html = c.get(reverse("equity:report")).content.decode()
    assert "too little data" in html and ReportRun.objects.get().municipality == world.a


def test_being_computed_state_polls_until_done(ams):
    """The page of a run still being computed polls (htmx) and swaps in the report once it is done. The run is
    computed here in the test's thread by the same function its job runs (the job in a real worker is exercised
    in tests/platform/test_jobs.py and against a real server in tests/browser/test_equity_browser.py)."""
    bm = User.objects.get(username="beleid.dekker")
    run = ReportRun.objects.create(municipality=ams, as_of=dt.date.today(), watermark=services.watermark(ams))
    c = _client(bm)
    first = c.get(reverse("equity:report")).content.decode()
    assert 'hx-trigger="every 2s"' in first and "wordt berekend" in first and "<html" in first
    part = c.get(reverse("equity:report"), {"partial": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in part and "<html" not in part
    services.compute_run(run.pk)
    run.refresh_from_db()
    assert run.state == "done" and run.step.startswith("9/9") and run.seconds > 0
    part = c.get(reverse("equity:report"), {"partial": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in part and "data:image/svg+xml" in part and "<html" not in part
    assert ReportRun.objects.count() == 1


def test_a_failed_run_is_shown_and_retried_later(world, login, inline):
    from django.utils import timezone

    tm = world.users_a["teammanager"]
    failed = ReportRun.objects.create(
        municipality=world.a,
        as_of=dt.date.today(),
        watermark=services.watermark(world.a),
        state="error",
        error="MemoryError: boom",
        finished_at=timezone.now(),
    )
    html = login(tm).get(reverse("equity:report")).content.decode()
    assert "Het rapport kon niet worden berekend." in html and "MemoryError: boom" in html
    assert ReportRun.objects.get().pk == failed.pk  # not recomputed on every view
    ReportRun.objects.filter(pk=failed.pk).update(finished_at=timezone.now() - dt.timedelta(minutes=10))
    html = login(tm).get(reverse("equity:report")).content.decode()
    assert ReportRun.objects.get().pk == failed.pk and "Opnieuw proberen" in html  # a view does not retry
    login(tm).post(reverse("equity:report"))  # the button does
    html = login(tm).get(reverse("equity:report")).content.decode()
    run = ReportRun.objects.get()
    assert run.pk != failed.pk and run.state == "done" and "Invloed van de klantmanager" in html


def test_funnel_plots_are_drawn_in_the_readers_language(ams, inline):
    """The funnel plot's title, axes and legend follow the UI language (drawn for every language at job time)."""
    import base64
    import re

    bm = User.objects.get(username="beleid.dekker")
    c = _client(bm)
    c.post(reverse("equity:report"))
    assert ReportRun.objects.get().state == "done"
    drawn = {}
    for lang in ("nl", "en"):
        c.post(reverse("set_language"), {"language": lang, "next": "/"})
        html = c.get(reverse("equity:report"), {"decision": "sanction"}).content.decode()
        (data,) = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)
        drawn[lang] = base64.b64decode(data).decode()
    assert "Maatregel i.p.v. waarschuwing" in drawn["nl"] and "aantal beslissingen (n)" in drawn["nl"]
    en = drawn["en"]
    assert "number of decisions (n)" in en and "99.8% limit" in en
    assert "Maatregel" not in en and "beslissingen" not in en and "gecorrigeerd" not in en
    # an older result (Dutch plots only, no per-language images) still shows its plots
    run = ReportRun.objects.get()
    run.result.pop("funnel_images_by_lang")
    run.save(update_fields=["result"])
    html = c.get(reverse("equity:report"), {"decision": "sanction"}).content.decode()
    assert html.count('<img src="data:image/svg+xml;base64,') == 1


def test_no_page_view_computes_the_report(ams, inline, monkeypatch):
    """Issue 19: the report is never computed inside a web request. With the immediate job backend (a queued job
    would run inside the request) every GET of the page, in every state a run can be in, leaves the computation
    untouched: the report function and the run's job are replaced by ones that fail the test if called."""
    import regie.core.equity

    tm = User.objects.get(username="tm.degroot")
    c = _client(tm)
    c.post(reverse("equity:report"))  # the button: one real run, so there is a finished report to show
    done = ReportRun.objects.get()
    assert done.state == "done", done.error
    calls: list[str] = []

    def forbidden(*args, **kwargs):
        calls.append("called")
        raise AssertionError("the report was computed in a request")

    monkeypatch.setattr(regie.core.equity, "equity_report", forbidden)
    monkeypatch.setattr(regie.core.equity, "profile_intervals", forbidden)
    monkeypatch.setattr(services, "compute_run", forbidden)
    url = reverse("equity:report")
    views = [{}, {"partial": "1"}, {"decision": "sanction"}, {"as_of": "2020-01-01"}, {"table": "icc", "export": "csv"}]

    def view_all() -> None:
        for params in views:
            r = c.get(url, params, **({"HTTP_HX_REQUEST": "true"} if params.get("partial") else {}))
            assert r.status_code == 200, params

    view_all()  # a finished report for the current event log
    case = Case.objects.filter(municipality=ams).first()
    append_event(case, type="contact", effective_date=dt.date.today(), payload={"channel": "telefoon"})
    view_all()  # outdated: the event log moved on; the old report is shown with its age, nothing is started
    assert "Berekend op" in c.get(url).content.decode()
    assert list(ReportRun.objects.values_list("pk", flat=True)) == [done.pk]
    running = ReportRun.objects.create(municipality=ams, as_of=dt.date.today(), watermark=services.watermark(ams))
    view_all()  # a run being computed: polled, not computed
    from django.utils import timezone

    ReportRun.objects.filter(pk=running.pk).update(
        state="error", error="MemoryError: boom", finished_at=timezone.now() - dt.timedelta(minutes=60)
    )
    view_all()  # failed long ago: a page view does not retry (only the button does)
    assert calls == []
    assert set(ReportRun.objects.values_list("pk", flat=True)) == {done.pk, running.pk}
    assert ReportRun.objects.get(pk=running.pk).state == "error"
