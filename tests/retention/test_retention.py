"""Retention classes and dates, the monthly destruction list, approval by the archivaris, and destruction through
maintenance mode (exactly the approved cases; the analytic tables follow)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from regie.analytics import store
from regie.audit.models import AuditRecord
from regie.audit.services import log
from regie.casework.models import Case, CaseState, Client, Event, PendingDecision
from regie.casework.services import append_event
from regie.core import retention as core
from regie.retention import services
from regie.retention.classes import CLASSES, PERIODS
from regie.retention.models import DestructionItem, DestructionList, DestructionRecord, RetentionHold

D = dt.date


def _client(muni, ext: str, bsn: str) -> Client:
    return Client.objects.create(
        municipality=muni,
        external_id=ext,
        bsn=bsn,
        given_name="Test",
        family_name=ext,
        birth_date=D(1980, 5, 1),
        sex="M",
    )


def _case(client, ext: str, opened: dt.date, steps, actor) -> Case:
    case = Case.objects.create(municipality=client.municipality, client=client, external_id=ext, opened_on=opened)
    for type_, day, payload in steps:
        append_event(case, type=type_, effective_date=day, payload=payload, actor=actor)
    return case


def granted(start=None):
    start = start or D(2012, 1, 2)
    y = start.year
    return [
        ("melding", start, {}),
        ("aanvraag", start + dt.timedelta(days=2), {"norm_type": "alleenstaande"}),
        ("toekenning", D(y, 2, 1), {"norm_type": "alleenstaande", "monthly_amount": 1000.0}),
        ("uitstroom", D(y + 1, 3, 1), {"reason": "werk_regulier"}),
        ("nazorg_einde", D(y + 1, 9, 2), {"result": "duurzaam_aan_het_werk"}),
    ]


def refused(start=None):
    start = start or D(2013, 1, 7)
    return [
        ("melding", start, {}),
        ("aanvraag", start + dt.timedelta(days=2), {"norm_type": "alleenstaande"}),
        ("afwijzing", start + dt.timedelta(days=25), {"reason": "vermogen"}),
    ]


def reintegration(start=None):
    start = start or D(2014, 1, 6)
    return [("melding", start, {}), ("intake", start + dt.timedelta(days=7), {"expected_months_to_work": 3})]


@pytest.fixture
def old(world):
    """Municipality A with old cases: granted and closed (C10/K10), refused (C11/K11), a client with a refused old
    case and an open current one (C12: K12 old, K13 open), and the same kind of old case in municipality B (C20)."""
    km = world.users_a["integrale_klantmanager"]
    a = world.a
    c10, c11, c12 = _client(a, "C10", "123456771"), _client(a, "C11", "111111122"), _client(a, "C12", "222222220")
    cases = {
        "K10": _case(c10, "K10", D(2012, 1, 2), granted(), km),
        "K11": _case(c11, "K11", D(2013, 1, 7), refused(), km),
        "K12": _case(c12, "K12", D(2013, 1, 7), refused(), km),
        "K13": _case(c12, "K13", D(2025, 1, 6), [("melding", D(2025, 1, 6), {})], km),
    }
    kmb = world.users_b["integrale_klantmanager"]
    c20 = _client(world.b, "C20", "123456782")
    cases["B-K20"] = _case(c20, "K20", D(2013, 1, 7), refused(), kmb)
    return cases


# --- class and date per case type -----------------------------------------------------------------------------------


def test_class_and_destruction_date_per_case_type(world, old):
    km = world.users_a["integrale_klantmanager"]
    r = services.retention_for(old["K10"])
    assert (r.class_id, r.ended_on, r.destroy_on) == (core.BENEFIT_GRANTED, D(2013, 9, 2), D(2023, 9, 2))
    r = services.retention_for(old["K11"])
    assert (r.class_id, r.ended_on, r.destroy_on) == (core.BENEFIT_REFUSED, D(2013, 2, 1), D(2018, 2, 1))
    # re-integration only: open while nothing closed it
    c = _client(world.a, "C30", "333333331")
    k = _case(c, "K30", D(2014, 1, 6), reintegration(), km)
    r = services.retention_for(k)
    assert r.class_id == core.REINTEGRATION_ONLY and r.open and r.destroy_on is None
    # the running case of the fixture (benefit granted in 2025, lopend): open, no destruction date
    r = services.retention_for(world.clients_a[0].cases.get())
    assert r.class_id == core.BENEFIT_GRANTED and r.ended_on is None and r.destroy_on is None
    # every class names its Selectielijst category, a source, and says whether its period is an assumption
    for cls in CLASSES.values():
        assert "Selectielijst" in cls.source and cls.category and cls.period_years > 0
        assert cls.assumption is True  # none could be confirmed against the list's text (classes.py)


def test_outflow_without_recorded_aftercare_end_ends_with_the_aftercare_period(world):
    km = world.users_a["integrale_klantmanager"]
    c = _client(world.a, "C31", "444444442")
    k = _case(c, "K31", D(2012, 1, 2), granted()[:4], km)  # uitstroom 2013-03-01, no nazorg_einde
    r = services.retention_for(k)
    until = D(2013, 3, 1) + dt.timedelta(days=182)  # core.projection.AFTERCARE_DAYS_DEFAULT (assumption there)
    assert (r.ended_on, r.destroy_on) == (until, core.add_years(until, PERIODS[core.BENEFIT_GRANTED]))


def test_a_later_event_postpones_the_end_and_a_herinstroom_reopens():
    events = [
        ("melding", D(2013, 1, 7)),
        ("aanvraag", D(2013, 1, 9)),
        ("afwijzing", D(2013, 2, 1)),
        ("contact", D(2013, 4, 1)),
    ]
    r = core.assess("afgewezen", events, None, PERIODS)
    assert (r.ended_on, r.destroy_on) == (D(2013, 4, 1), D(2018, 4, 1))
    r = core.assess("gemeld", events + [("herinstroom", D(2014, 1, 1))], None, PERIODS)
    assert r.open and r.destroy_on is None
    assert core.add_years(D(2016, 2, 29), 5) == D(2021, 2, 28)
    with pytest.raises(ValueError):
        core.month_bounds("2024-13")
    assert core.month_bounds("2024-02") == (D(2024, 2, 1), D(2024, 2, 29))


# --- the monthly list ---------------------------------------------------------------------------------------------


def test_monthly_list_excludes_held_and_not_yet_due_cases(world, old):
    services.place_hold(old["K12"], "bezwaar", "Bz-2024-17", actor="cli:test", origin="test")
    dl = services.build_list(world.a, "2019-01", actor="cli:test")
    # K11 due 2018-02-01; K10 due 2023-09-02 (not yet in 2019-01); K12 held; K13 and the fixture's cases open;
    # municipality B's K20 is not on A's list
    assert [i.case_external_id for i in dl.items.all()] == ["K11"]
    dl2 = services.build_list(world.a, "2024-01", actor="cli:test")  # replaces the concept list of another month?
    assert sorted(i.case_external_id for i in dl2.items.all()) == ["K10", "K11"]
    with pytest.raises(services.RetentionError):
        services.build_list(world.a, f"{dt.date.today().year + 1}-01", actor="cli:test")
    assert AuditRecord.objects.filter(object_type="destruction_list", action="create").count() == 2


def test_only_the_archivist_of_the_municipality_approves(world, old, login):
    dl = services.build_list(world.a, "2024-01", actor="cli:test")
    for role, user in world.users_a.items():
        if role == "archivaris":
            continue
        with pytest.raises(services.RetentionError):
            services.approve(user, dl, origin="test")
        r = login(user).post(f"/bewaartermijnen/lijst/{dl.pk}/goedkeuren/")
        assert r.status_code == 403, role
    with pytest.raises(services.RetentionError):  # another municipality's archivaris
        services.approve(world.users_b["archivaris"], dl, origin="test")
    assert login(world.users_b["archivaris"]).get(f"/bewaartermijnen/lijst/{dl.pk}/").status_code == 404
    dl.refresh_from_db()
    assert dl.state == "concept"
    archivist = world.users_a["archivaris"]
    c = login(archivist)
    page = c.get(f"/bewaartermijnen/lijst/{dl.pk}/")
    assert page.status_code == 200 and "K10" in page.content.decode()
    item = dl.items.get(case_external_id="K10")
    r = c.post(f"/bewaartermijnen/lijst/{dl.pk}/item/{item.pk}/verwijderen/", {"reason": " "})
    assert r.status_code == 400 and "Geef een reden om het dossier van de lijst te halen." in r.content.decode()
    item.refresh_from_db()
    assert item.state == "proposed"  # a reason is required
    c.post(f"/bewaartermijnen/lijst/{dl.pk}/item/{item.pk}/verwijderen/", {"reason": "Verzoek afdeling juridisch"})
    item.refresh_from_db()
    assert (item.state, item.removed_by) == ("removed", archivist.username)
    assert c.post(f"/bewaartermijnen/lijst/{dl.pk}/goedkeuren/").status_code == 302
    dl.refresh_from_db()
    assert dl.state == "approved" and dl.approved_by == archivist
    assert c.get("/bewaartermijnen/").status_code == 200
    assert (
        AuditRecord.objects.filter(
            actor=archivist.username, object_type="destruction_list", detail__startswith="approved"
        ).count()
        == 1
    )


def test_holds_on_the_page_are_tenant_bound(world, old, login):
    c = login(world.users_a["archivaris"])
    c.post("/bewaartermijnen/blokkade/", {"case": "K11", "reason": "beroep", "note": "ECLI-ref"})
    hold = RetentionHold.objects.get()
    assert hold.case == old["K11"] and hold.released_at is None
    assert c.post("/bewaartermijnen/blokkade/", {"case": "K20", "reason": "beroep"}).status_code == 404  # B's case
    assert login(world.users_b["archivaris"]).post(f"/bewaartermijnen/blokkade/{hold.pk}/opheffen/").status_code == 404
    c = login(world.users_a["archivaris"])
    c.post(f"/bewaartermijnen/blokkade/{hold.pk}/opheffen/")
    hold.refresh_from_db()
    assert hold.released_at is not None


# --- destruction --------------------------------------------------------------------------------------------------


def _counts():
    return {m.__name__: m.objects.count() for m in (Client, Case, Event, CaseState, PendingDecision)}


def _approved(world, month="2024-01"):
    dl = services.build_list(world.a, month, actor="cli:test")
    return services.approve(world.users_a["archivaris"], dl, origin="test")


def test_destroy_removes_exactly_the_approved_cases_and_leaves_a_record(world, old, login):
    # something that names K11 in every place: a read in the audit log, a pending decision, the analytic tables
    assert login(world.users_a["integrale_klantmanager"]).get(f"/clienten/{old['K11'].client_id}/").status_code == 200
    PendingDecision.objects.create(
        municipality=world.a,
        case=old["K11"],
        event_type="maatregel",
        effective_date=D(2013, 1, 20),
        requested_by=world.users_a["integrale_klantmanager"],
    )
    before_frames = store.current(world.a, max_age=0)
    assert "K11" in before_frames.cases["case_id"].to_list()
    doomed = ("K10", "K11", "K12")  # K12 (refused in 2013) is due too; its client C12 keeps the open K13
    other = {k: (c.pk, Event.objects.filter(case=c).count()) for k, c in old.items() if k not in doomed}
    fixture_events = Event.objects.filter(case__client__in=world.clients_a + world.clients_b).count()
    before = _counts()
    dl = _approved(world)
    doomed_events = Event.objects.filter(case__in=[old[k] for k in doomed]).count()

    record = services.destroy(dl, actor="cli:archive-operator")

    after = _counts()
    assert before["Case"] - after["Case"] == 3
    assert before["Client"] - after["Client"] == 2  # C10 and C11 had no other case
    assert before["Event"] - after["Event"] == doomed_events
    assert before["CaseState"] - after["CaseState"] == 3 and before["PendingDecision"] - after["PendingDecision"] == 1
    assert not Case.objects.filter(external_id__in=doomed, municipality=world.a).exists()
    assert not Client.objects.filter(external_id__in=["C10", "C11"], municipality=world.a).exists()
    # nothing of other cases, other clients, other municipalities
    for key, (pk, n) in other.items():
        assert Event.objects.filter(case_id=pk).count() == n, key
    assert Event.objects.filter(case__client__in=world.clients_a + world.clients_b).count() == fixture_events
    assert Client.objects.filter(external_id="C12", municipality=world.a).exists()  # K13 is open
    assert Case.objects.filter(external_id="K20", municipality=world.b).exists()
    # the record: which list, which cases and classes, who, approved by whom; no personal data
    assert record.list_id == dl.pk and record.approved_by == world.users_a["archivaris"].username
    assert sorted((c["case"], c["class"]) for c in record.cases) == [
        ("K10", core.BENEFIT_GRANTED),
        ("K11", core.BENEFIT_REFUSED),
        ("K12", core.BENEFIT_REFUSED),
    ]
    assert record.executed_by == "cli:archive-operator" and record.clients_removed == 2
    text = json.dumps(record.cases) + json.dumps(record.rows)
    for forbidden in ("123456771", "111111122", "Test", "1980"):
        assert forbidden not in text
    assert DestructionRecord.objects.count() == 1
    dl.refresh_from_db()
    assert dl.state == "destroyed"
    assert set(DestructionItem.objects.filter(list=dl).values_list("state", flat=True)) == {"destroyed"}
    entry = AuditRecord.objects.get(action="delete", object_type="destruction_list")
    assert entry.object_id == str(dl.pk) and "3 cases, 2 clients" in entry.detail
    assert entry.actor == "cli:archive-operator"
    # audit rows about the destroyed cases stay (accountability, their own retention): append-only
    assert AuditRecord.objects.filter(object_type="client", object_id="C11", action="read").exists()
    # ... and the destruction added no audit row naming a destroyed case or client
    new = AuditRecord.objects.filter(timestamp__gte=record.executed_at)
    assert not new.filter(object_id__in=["K10", "K11", "K12", "C10", "C11"]).exists()
    # the analytic tables no longer hold them
    frames = store.current(world.a, max_age=0)
    assert not set(doomed) & set(frames.cases["case_id"].to_list())
    assert not set(doomed) & set(frames.events["case_id"].to_list())
    assert not {"C10", "C11"} & set(frames.clients["client_id"].to_list())
    assert "K13" in frames.cases["case_id"].to_list() and "C12" in frames.clients["client_id"].to_list()
    # an executed list cannot run again
    with pytest.raises(services.RetentionError):
        services.destroy(dl, actor="cli:again")


def test_destroy_refuses_an_unapproved_list_and_skips_a_case_held_after_approval(world, old):
    dl = services.build_list(world.a, "2024-01", actor="cli:test")
    with pytest.raises(services.RetentionError):
        services.destroy(dl, actor="cli:test")
    services.approve(world.users_a["archivaris"], dl, origin="test")
    services.place_hold(old["K10"], "handhaving", "invordering loopt", actor="cli:test", origin="test")
    record = services.destroy(dl, actor="cli:test")
    assert [c["case"] for c in record.cases] == ["K11", "K12"]
    assert Case.objects.filter(pk=old["K10"].pk).exists()
    assert DestructionItem.objects.get(list=dl, case_external_id="K10").state == "removed"


def test_equity_report_results_naming_a_destroyed_case_are_dropped(world, old):
    from regie.equity.models import ReportRun

    named = ReportRun.objects.create(
        municipality=world.a,
        as_of=D(2024, 1, 1),
        watermark="x",
        state="done",
        result={"pairs": {"grant": [{"a": {"case": "K11", "client": "C11"}}]}},
    )
    aggregate = ReportRun.objects.create(
        municipality=world.a, as_of=D(2024, 1, 2), watermark="y", state="done", result={"icc": 0.1, "n": 40}
    )
    services.destroy(_approved(world), actor="cli:test")
    assert not ReportRun.objects.filter(pk=named.pk).exists()
    assert ReportRun.objects.filter(pk=aggregate.pk).exists()


def test_deleting_outside_maintenance_mode_is_refused_by_the_database(world, old):
    case = old["K11"]
    log(actor="cli:test", action="read", object_type="case", object_id="K11", origin="test")
    for table in (Event._meta.db_table, AuditRecord._meta.db_table):
        with pytest.raises((IntegrityError, DatabaseError)):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(f"DELETE FROM {table}")
    with pytest.raises((IntegrityError, DatabaseError)):
        with transaction.atomic():
            Event.objects.filter(case=case).delete()
    assert Event.objects.filter(case=case).exists() and AuditRecord.objects.filter(object_id="K11").exists()


def test_commands_list_and_destroy(world, old):
    from typer.testing import CliRunner

    from regie.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["retention", "list", "--month", "2019-01", "-m", world.a.code])
    assert r.exit_code == 0, r.output
    dl = DestructionList.objects.get()
    assert sorted(dl.items.values_list("case_external_id", flat=True)) == ["K11", "K12"]
    r = runner.invoke(app, ["retention", "destroy", "--list", str(dl.pk), "--yes"])
    assert r.exit_code == 1  # not approved yet
    assert Case.objects.filter(pk=old["K11"].pk).exists()
    services.approve(world.users_a["archivaris"], dl, origin="test")
    r = runner.invoke(app, ["retention", "destroy", "--list", str(dl.pk), "--yes", "--expect", "5"])
    assert r.exit_code == 1 and Case.objects.filter(pk=old["K11"].pk).exists()
    r = runner.invoke(app, ["retention", "destroy", "--list", str(dl.pk), "--yes", "--expect", "2"])
    assert r.exit_code == 0, r.output
    assert not Case.objects.filter(pk__in=[old["K11"].pk, old["K12"].pk]).exists()
    assert runner.invoke(app, ["retention", "list", "--month", "2019-13", "-m", world.a.code]).exit_code == 2
    r = runner.invoke(app, ["retention", "show", world.a.code, "K10"])
    assert r.exit_code == 0 and "2023-09-02" in r.output


def test_lab_runs_keep_aggregates_and_a_run_naming_a_destroyed_case_is_dropped(world, old):
    from regie.lab.models import LabRun

    user = world.users_a["beleidsmedewerker"]
    aggregate = LabRun.objects.create(
        municipality=world.a,
        created_by=user,
        scenario="policy:x",
        status="done",
        result={"baseline": {"outflow_work": 0.21}, "change": {"outflow_work": 0.24}},
    )
    named = LabRun.objects.create(
        municipality=world.a, created_by=user, scenario="policy:x", status="done", result={"examples": ["K12"]}
    )
    services.destroy(_approved(world), actor="cli:test")
    assert LabRun.objects.filter(pk=aggregate.pk).exists() and not LabRun.objects.filter(pk=named.pk).exists()


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        ("nl", ["Aanname: 10 jaar na het einde van de uitkering", "Bijstand verstrekt"], ["Assumption", "Cases in"]),
        ("en", ["Assumption: 10 years after the end of the benefit", "Benefit granted"], ["Aanname:"]),
    ],
)
def test_the_retention_classes_read_in_the_readers_language_with_sources_behind_bron(
    world, login, lang, said, not_said
):
    from django.conf import settings

    c = login(world.users_a["archivaris"])
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    html = c.get("/bewaartermijnen/").content.decode()
    for text in said:
        assert text in html
    for text in not_said:
        assert text not in html
    table = html.split("<tbody>")[-1]
    assert "Selectielijst gemeenten" in table.split('<details class="bron">', 1)[1]  # the source sits in the disclosure
    assert "Selectielijst gemeenten" not in table.split('<details class="bron">', 1)[0]
