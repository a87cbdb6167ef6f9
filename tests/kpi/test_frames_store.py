"""The incremental columnar store of the analytic frames (docs/performance.md): after appends and deletions it gives
exactly the tables a build from scratch gives; memoised derived tables are invalidated with the tables."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.db import connection

from regie.analytics import store
from regie.analytics.store import frames_for
from regie.casework.interchange import import_file
from regie.casework.models import Case, Client, Event
from regie.casework.services import append_event
from regie.core.frames import Frames, of_type
from regie.core.kpi import cohort_kpis
from regie.core.kpi import indicators as I
from regie.core.synth import generate
from regie.platform.dbutil import maintenance_mode

pytestmark = pytest.mark.django_db


def assert_same(a: Frames, b: Frames) -> None:
    assert a.municipality == b.municipality
    for name in ("clients", "cases", "users"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.sort(x.columns[0]).equals(y.sort(y.columns[0])), name
    # same rows in the same order (the order decides ties in first()/last())
    assert a.events.equals(b.events)


@pytest.fixture
def synthetic(tmp_path, world):
    path = tmp_path / "s.jsonl"
    generate("0363", 120, 5, path)
    import_file(path, "0363")
    from regie.accounts.models import Municipality

    return Municipality.objects.get(code="0363")


def _append_some(muni, n_cases: int = 3) -> None:
    km = muni.users.filter(role="integrale_klantmanager").first()
    for case in Case.objects.filter(municipality=muni).order_by("id")[:n_cases]:
        append_event(
            case, type="contact", effective_date=dt.date(2026, 11, 2), payload={"channel": "telefoon"}, actor=km
        )
    # a new client with a new case and a benefit start: new rows in every table
    client = Client.objects.create(
        municipality=muni,
        external_id="NEW1",
        bsn="123456782",
        given_name="N",
        family_name="Nieuw",
        birth_date=dt.date(1990, 5, 1),
        sex="M",
    )
    case = Case.objects.create(municipality=muni, client=client, external_id="NEW1-K1", opened_on=dt.date(2026, 11, 3))
    append_event(case, type="melding", effective_date=dt.date(2026, 11, 3))
    append_event(
        case,
        type="toekenning",
        effective_date=dt.date(2026, 11, 20),
        payload={"norm_type": "alleenstaande", "monthly_amount": 1400.0},
    )


def test_disk_store_plus_appends_equals_a_fresh_build(synthetic, tmp_path):
    muni = synthetic
    first = store.refresh(muni, root=tmp_path / "frames", persist=True)
    assert_same(first.frames, frames_for(muni))
    assert list((tmp_path / "frames" / "0363").glob("v*/events.parquet"))
    _append_some(muni)
    # a new process: starts from the disk copy and reads only the appended rows
    later = store.refresh(muni, root=tmp_path / "frames", persist=False)
    later_disk = store.refresh(muni, root=tmp_path / "frames")
    fresh = frames_for(muni)
    assert_same(later_disk.frames, fresh)
    assert later.frames.events.height == later_disk.frames.events.height
    assert later_disk.meta["persisted_events"] == first.meta["events"]  # read the delta, did not rewrite the copy
    assert "NEW1" in later_disk.frames.clients["client_id"].to_list()
    assert "NEW1-K1" in later_disk.frames.cases["case_id"].to_list()


def test_in_memory_state_is_brought_up_to_date(synthetic, tmp_path):
    muni = synthetic
    state = store.refresh(muni, root=tmp_path, persist=False)
    assert store.refresh(muni, state, root=tmp_path, persist=False) is state  # nothing changed: same object
    _append_some(muni)
    newer = store.refresh(muni, state, root=tmp_path, persist=False)
    assert newer is not state
    assert_same(newer.frames, frames_for(muni))
    assert newer.meta["events"] == state.meta["events"] + 5


def test_deleted_events_cause_a_rebuild(synthetic, tmp_path):
    muni = synthetic
    state = store.refresh(muni, root=tmp_path, persist=True)
    victim = Case.objects.filter(municipality=muni).order_by("id").first()
    with maintenance_mode(connection):
        Event.objects.filter(case=victim, type="contact").delete()
    _append_some(muni, n_cases=1)  # an append as well: the count alone would not reveal the deletion
    after = store.refresh(muni, state, root=tmp_path)
    assert_same(after.frames, frames_for(muni))
    from_disk = store.refresh(muni, root=tmp_path)
    assert_same(from_disk.frames, frames_for(muni))


def test_a_copy_from_another_database_is_not_used(synthetic, tmp_path):
    muni = synthetic
    store.refresh(muni, root=tmp_path, persist=True)
    meta = next((tmp_path / "0363").glob("v*/meta.json"))
    import json

    m = json.loads(meta.read_text())
    m["db"] = "somewhere-else"
    meta.write_text(json.dumps(m))
    assert store._read_disk(muni, tmp_path) is None


def test_current_follows_appends(synthetic, settings, tmp_path):
    from regie.analytics import store as selectors

    settings.REGIE_FRAMES_DIR = str(tmp_path)
    selectors.clear()
    a = store.current(synthetic)
    assert store.current(synthetic) is a
    _append_some(synthetic)
    b = store.current(synthetic)
    assert b is not a
    assert_same(b, frames_for(synthetic))
    selectors.clear()


def test_memo_is_dropped_when_the_tables_change(synthetic):
    f = frames_for(synthetic)
    on = dt.date(2025, 6, 30)
    sp = I.spells(f, on)
    assert I.spells(f, on) is sp  # memoised
    toek = of_type(f, "toekenning")
    assert toek.equals(
        f.events.filter(pl.col("type") == "toekenning").drop(
            "payload", "recommendation", "decided", "motivation", "legal_basis"
        )
    )
    f.events = f.events.filter(pl.col("effective_date") <= dt.date(2024, 1, 1))
    assert I.spells(f, on) is not sp
    assert I.spells(f, on).height < sp.height


def test_memoised_indicators_equal_a_fresh_computation(synthetic):
    f = frames_for(synthetic)
    start, end = dt.date(2024, 1, 1), dt.date(2025, 1, 1)
    first = (
        I.stock_and_flows(f, start, end),
        I.caseload(f, end, 100.0),
        I.rates(f, start, end),
        cohort_kpis(f, dt.date(2022, 1, 1), dt.date(2022, 6, 30), by="team"),
    )
    again = (
        I.stock_and_flows(f, start, end),
        I.caseload(f, end, 100.0),
        I.rates(f, start, end),
        cohort_kpis(f, dt.date(2022, 1, 1), dt.date(2022, 6, 30), by="team"),
    )
    fresh_f = frames_for(synthetic)
    fresh = (
        I.stock_and_flows(fresh_f, start, end),
        I.caseload(fresh_f, end, 100.0),
        I.rates(fresh_f, start, end),
        cohort_kpis(fresh_f, dt.date(2022, 1, 1), dt.date(2022, 6, 30), by="team"),
    )
    assert first == again == fresh
    assert first[0]["inflow"] > 0 and first[3]["X"] > 0


def test_large_municipalities_are_written_in_the_background(synthetic, tmp_path, monkeypatch):
    import threading

    monkeypatch.setattr(store, "STORE_MIN_EVENTS", 1)
    state = store.refresh(synthetic, root=tmp_path)  # default: persist when due, without waiting
    for t in threading.enumerate():
        if t.name.startswith("frames-store-"):
            t.join(timeout=60)
    assert state.meta["persisted_events"] == state.meta["events"]
    again = store._read_disk(synthetic, tmp_path)
    assert again is not None and again.frames.events.equals(state.frames.events)


def test_a_municipality_without_events(db, tmp_path):
    from regie.accounts.models import Municipality

    muni = Municipality.objects.create(code="0999", name="Leeg")
    state = store.refresh(muni, root=tmp_path, persist=True)
    assert state.frames.events.height == 0 and state.frames.events.schema == frames_for(muni).events.schema
    assert_same(store.refresh(muni, root=tmp_path).frames, frames_for(muni))
    assert I.stock_and_flows(state.frames, dt.date(2025, 1, 1), dt.date(2026, 1, 1))["inflow"] == 0


def test_memo_is_bounded(synthetic, monkeypatch):
    from regie.core import frames as core

    monkeypatch.setattr(core, "MEMO_SIZE", 5)
    f = frames_for(synthetic)
    for day in range(1, 20):
        I.spells(f, dt.date(2024, 1, day))
    assert len(f._memo) <= 6  # + the tables' identity
    first = I.spells(f, dt.date(2024, 1, 19))
    assert I.spells(f, dt.date(2024, 1, 19)) is first


def test_dates_and_timestamps_are_exact(synthetic):
    _append_some(synthetic, n_cases=1)  # recorded now: with microseconds
    f = frames_for(synthetic)
    for ev in Event.objects.filter(municipality=synthetic).order_by("-id")[:3]:
        row = f.events.filter(pl.col("event_id") == ev.external_id).row(0, named=True)
        assert row["effective_date"] == ev.effective_date
        assert row["recorded_at"] == ev.recorded_at  # both aware UTC, to the microsecond


def test_current_notices_a_deletion_without_counting_the_log(synthetic, settings, tmp_path):
    """A retention purge deletes old events (maintenance mode): neither the maximum id nor the municipality's last
    event changes, yet the cached frames must not keep the deleted rows. The log epoch (regie.platform.dbutil) tells."""
    from regie.analytics import store as selectors
    from regie.platform.dbutil import log_epoch

    settings.REGIE_FRAMES_DIR = str(tmp_path)
    selectors.clear()
    before = store.current(synthetic)
    with connection.cursor() as cur:
        epoch = log_epoch(cur)
    victim = Case.objects.filter(municipality=synthetic).order_by("id").first()
    with maintenance_mode(connection):
        n, _ = Event.objects.filter(case=victim, type="contact").delete()
    assert n > 0
    with connection.cursor() as cur:
        assert log_epoch(cur) > epoch
    after = store.current(synthetic)
    assert after is not before and after.events.height == before.events.height - n
    assert_same(after, frames_for(synthetic))
    selectors.clear()


def test_within_the_grace_period_the_cache_is_not_checked(synthetic, settings, tmp_path):
    """A busy municipality appends events all day: within REGIE_MONITORING_MAX_AGE the pages reuse the cached
    tables without asking the database, and say how old they are; after it they catch up."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    from regie.analytics import store as selectors

    settings.REGIE_FRAMES_DIR = str(tmp_path)
    settings.REGIE_MONITORING_MAX_AGE = 60
    selectors.clear()
    a = store.current(synthetic)
    assert selectors.checked_at(synthetic) is not None
    _append_some(synthetic)
    with CaptureQueriesContext(conn) as q:
        assert store.current(synthetic) is a  # still the cached tables
    assert len(q.captured_queries) == 0
    settings.REGIE_MONITORING_MAX_AGE = 0
    b = store.current(synthetic)
    assert b is not a
    assert_same(b, frames_for(synthetic))
    selectors.clear()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a file copy of the test transaction's database")
def test_the_column_wise_fetch_gives_the_same_tables(synthetic, tmp_path, settings):
    """The Arrow (ADBC) fetch equals the fetch through the Django connection, for a cold build and for an
    incremental read, journal notes (their text cut) and decisions included: on a file copy of the test database
    (the test's transaction is not committed, so another connection to the database itself would not see it)."""
    import sqlite3

    muni = synthetic
    half = Event.objects.filter(municipality=muni).order_by("id").values_list("id", flat=True)[200]
    _append_some(muni)
    case = Case.objects.filter(municipality=muni).order_by("id").first()
    km = muni.users.filter(role="integrale_klantmanager").first()
    append_event(
        case,
        type="notitie",
        effective_date=dt.date(2026, 11, 4),
        payload={"text": 'Zeer "geheim", échte tekst'},
        actor=km,
    )
    assert Event.objects.filter(municipality=muni).exclude(decision=None).exists()
    path = tmp_path / "copy.sqlite3"
    copy = sqlite3.connect(path)  # a dump, not the backup API: that waits for the test's open transaction
    copy.executescript("\n".join(connection.connection.iterdump()))
    copy.close()
    source = store.ArrowSource("sqlite", f"file:{path}?mode=ro")
    assert store._arrow_source() is None  # inside the test's transaction: through Django
    _, user_id, by_name = store._users(muni)
    for after in (0, half):
        arrow = store._finish(store._events_columnar(source, muni.id, after, None), by_name, user_id)
        rows = store._events(muni, by_name, user_id, after=after)
        assert arrow.height == rows.height > 0
        assert arrow.equals(rows), after
        assert arrow.schema == rows.schema
    notes = arrow.filter(pl.col("type") == "notitie")
    assert notes.height and not notes["payload"].str.contains("geheim").any()
    for name, columnar, by_rows in (
        ("clients", store._clients_columnar, store._clients),
        ("cases", store._cases_columnar, store._cases),
    ):
        a, b = columnar(source, muni.id, 0, None), by_rows(muni)
        assert a.height == b.height > 0 and a.equals(b), name
    assert store._clients_columnar(source, muni.id, 10**9, None).schema == store._clients(muni, after=10**9).schema


def test_a_cut_of_the_tables_is_read_from_an_up_to_date_copy(synthetic, tmp_path, settings):
    """``current_cut`` reads only the part asked for from the newest disk copy when it is up to date, and cuts the
    whole tables (brought up to date) when it is behind; the same tables either way."""
    from regie.core.equity import report_events

    settings.REGIE_FRAMES_DIR = str(tmp_path)
    store.clear()
    muni = synthetic
    store.refresh(muni, root=tmp_path, persist=True)
    whole = frames_for(muni)
    cut, last = store.current_cut(muni, report_events)
    assert last == whole.events["effective_date"].max()
    assert cut.events.equals(report_events(whole.events).collect())
    assert cut.events.width < whole.events.width
    assert muni.id not in store._cache  # from the copy: the whole tables were not loaded
    _append_some(muni)  # the copy is now behind
    cut, last = store.current_cut(muni, report_events)
    assert last == frames_for(muni).events["effective_date"].max()
    assert cut.events.equals(report_events(frames_for(muni).events).collect())
    assert muni.id in store._cache  # brought up to date through the whole tables
    store.clear()


def test_a_cut_kept_beside_the_copy_is_the_same_cut_and_only_that_cut(synthetic, tmp_path, settings):
    """The first ``current_cut`` of an up-to-date copy keeps its result beside the copy; the next reads that file and
    gets the same table; a cut that differs in anything (a column, a type, a literal) has a key of its own and never
    reads another cut's file; a damaged file is replaced; a cut whose plan cannot be serialised is not kept."""
    import polars as pl

    from regie.core.equity import report_events

    settings.REGIE_FRAMES_DIR = str(tmp_path)
    store.clear()
    muni = synthetic
    store.refresh(muni, root=tmp_path, persist=True)
    whole = frames_for(muni).events
    (copy,) = (d for d in (tmp_path / muni.code).iterdir() if d.name.startswith("v"))
    first, last = store.current_cut(muni, report_events)
    (kept,) = copy.glob("cut-*.parquet")
    again, last_again = store.current_cut(muni, report_events)
    assert first.events.equals(report_events(whole).collect()) and again.events.equals(first.events)
    assert again.events.schema == first.events.schema and last_again == last
    assert pl.read_parquet(kept).equals(first.events)

    def narrower(lf):  # the same plan but one literal
        return lf.filter(pl.col("type") == "intake").select("event_id", "case_id")

    def wider(lf):
        return lf.filter(pl.col("type") == "toekenning").select("event_id", "case_id")

    assert store._cut_key(narrower) != store._cut_key(wider) != store._cut_key(report_events)
    for fn in (narrower, wider, narrower):
        cut, _ = store.current_cut(muni, fn)
        assert cut.events.equals(fn(whole.lazy()).collect())
    assert len(list(copy.glob("cut-*.parquet"))) == 3
    kept.write_bytes(b"not parquet")
    cut, _ = store.current_cut(muni, report_events)
    assert cut.events.equals(first.events) and pl.read_parquet(kept).equals(first.events)

    def python_inside(lf):
        return lf.select(pl.col("type").map_elements(str.upper, return_dtype=pl.Utf8))

    assert store._cut_key(python_inside) is None
    cut, _ = store.current_cut(muni, python_inside)
    assert cut.events.equals(python_inside(whole.lazy()).collect())
    assert len(list(copy.glob("cut-*.parquet"))) == 3 and not list(copy.glob("tmp-*"))
    store.clear()


def test_the_job_that_writes_a_copy_writes_the_equity_reports_cut_beside_it(synthetic, tmp_path, settings):
    """``write_copy_if_due`` (the worker's job) keeps every registered cut beside the new copy -- the equity app
    registers its report's -- so the first report after a new copy reads the small file; the report then reads
    that file (it is not rewritten) and gets the same table as a cut of the whole tables."""
    from regie.core.equity import report_events

    assert any(fn.__module__ == "regie.equity.apps" for fn in store.COPY_CUTS)  # registered by the app
    settings.REGIE_FRAMES_DIR = str(tmp_path)
    store.clear()
    muni = synthetic
    assert store.write_copy_if_due(muni, root=tmp_path)
    (copy,) = (d for d in (tmp_path / muni.code).iterdir() if d.name.startswith("v"))
    (kept,) = copy.glob("cut-*.parquet")
    assert kept.name == f"cut-{store._cut_key(report_events)}.parquet"
    written = kept.stat().st_mtime_ns
    cut, _ = store.current_cut(muni, report_events)
    assert kept.stat().st_mtime_ns == written  # read, not written again
    assert cut.events.equals(report_events(frames_for(muni).events).collect())
    store.clear()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite rule")
def test_the_live_sqlite_file_is_never_read_through_a_second_sqlite_library(monkeypatch, tmp_path):
    """The ADBC driver's own copy of SQLite would reset the WAL index Python's sqlite3 has mapped (SIGBUS, seen in
    `regie demo`): on SQLite the store always reads through Django, outside a transaction too."""
    from django.db import connections

    db = tmp_path / "regie.sqlite3"
    db.write_bytes(b"")
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)  # as in production: autocommit
    monkeypatch.setitem(connections["default"].settings_dict, "NAME", str(db))  # and a database file
    assert store._arrow_source() is None


def _file_copy(path) -> None:
    """A file copy of the test database (its transaction is not committed: no other connection sees its rows)."""
    import sqlite3

    copy = sqlite3.connect(path)  # a dump, not the backup API: that waits for the test's open transaction
    copy.executescript("\n".join(connection.connection.iterdump()))
    copy.execute("PRAGMA journal_mode=WAL")  # as the live database
    copy.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a file copy of the test transaction's database")
def test_a_cold_build_in_child_processes_gives_the_same_tables(synthetic, tmp_path, settings, monkeypatch):
    """The cold build of a large municipality reads in child processes (column-wise, the events split by case over
    two of them): the same tables and keys as the build through the Django connection, journal notes' text cut."""
    settings.REGIE_FRAMES_DIR = str(tmp_path / "frames")
    muni = synthetic
    _append_some(muni)
    case = Case.objects.filter(municipality=muni).order_by("id").first()
    append_event(case, type="notitie", effective_date=dt.date(2026, 11, 4), payload={"text": "geheim"})
    path = tmp_path / "copy.sqlite3"
    _file_copy(path)
    source = store.ArrowSource("sqlite", f"file:{path}?mode=ro")
    ranges = store._case_ranges(muni, store.CHILDREN)
    assert len(ranges) == 2 and ranges[0][0] == 0 and ranges[0][1] == ranges[1][0]
    pks = Case.objects.filter(municipality=muni).values_list("id", flat=True)
    assert all(any(lo < pk <= hi for lo, hi in ranges) for pk in pks)
    assert 0 < sum(ranges[0][0] < pk <= ranges[0][1] for pk in pks) < len(pks)  # both parts hold cases
    _, user_id, by_name = store._users(muni)
    fp = store._fingerprint(muni)
    events, clients, cases = store._build_in_children(source, muni, fp, by_name, user_id)
    rows = store._build(muni, fp=fp)  # inside the test's transaction: through Django
    assert events.height == rows.frames.events.height == fp["events"]
    assert events.drop(store.KEYS).equals(rows.frames.events)
    assert events.select(store.KEYS).equals(rows.keys)
    assert clients.equals(rows.frames.clients) and cases.equals(rows.frames.cases)
    assert not events.filter(pl.col("type") == "notitie")["payload"].str.contains("geheim").any()
    assert not list((tmp_path / "frames").glob("build-*"))  # the children's files are gone


def test_a_failing_child_falls_back_to_the_build_through_django(synthetic, tmp_path, settings, monkeypatch, caplog):
    """When a child process fails (here: a database file that does not exist) the build reads through Django and
    gives the same tables; the log names neither the connection string nor data."""
    settings.REGIE_FRAMES_DIR = str(tmp_path / "frames")
    muni = synthetic
    target = f"file:{tmp_path / 'missing.sqlite3'}?mode=ro&secret=hunter2"
    monkeypatch.setattr(store, "_child_source", lambda: store.ArrowSource("sqlite", target))
    monkeypatch.setattr(store, "_arrow_source", lambda: None)  # the fallback: through Django (as in a transaction)
    monkeypatch.setattr(store, "CHILD_MIN_EVENTS", 0)
    with caplog.at_level("WARNING", logger="regie.analytics.store"):
        state = store._build(muni)
    assert "column-wise build process failed" in caplog.text
    assert "hunter2" not in caplog.text and "missing" not in caplog.text
    monkeypatch.setattr(store, "CHILD_MIN_EVENTS", 10**12)
    assert_same(state.frames, store._build(muni).frames)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite rule")
def test_children_read_the_sqlite_file_read_only_and_never_an_in_memory_database(monkeypatch, tmp_path):
    from django.db import connections

    monkeypatch.setattr(connections["default"], "in_atomic_block", False)  # as in production: autocommit
    assert store._child_source() is None  # the test database lives in this process's memory
    db = tmp_path / "my db.sqlite3"
    db.write_bytes(b"")
    monkeypatch.setitem(connections["default"].settings_dict, "NAME", str(db))
    source = store._child_source()
    assert source.vendor == "sqlite" and source.target == f"file:{str(db).replace(' ', '%20')}?mode=ro"
    assert store._arrow_source() is None  # and never in this process


# --- PostgreSQL: the column-wise fetch against committed rows ------------------------------------------------------


@pytest.fixture
def committed_pg(request):
    """A test whose rows are committed (a second connection, ADBC's, sees them). The flush after it truncates the
    append-only tables, which needs maintenance mode (set for the session: Django closes the connection after a
    transactional test, so it ends with it)."""
    yield
    with connection.cursor() as cur:
        cur.execute("SELECT set_config('regie.maintenance', 'on', false)")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL column-wise path")
@pytest.mark.django_db(transaction=True)
def test_the_postgresql_column_wise_fetch_gives_the_same_tables(
    committed_pg, synthetic, tmp_path, settings, monkeypatch
):
    """On PostgreSQL in autocommit the store reads Arrow columns through ADBC: in this process for an incremental
    read, in child processes for a cold build. Both give the tables the row-by-row fetch through Django gives."""
    settings.REGIE_FRAMES_DIR = str(tmp_path / "frames")
    muni = synthetic
    assert not connection.in_atomic_block
    half = Event.objects.filter(municipality=muni).order_by("id").values_list("id", flat=True)[200]
    _append_some(muni)
    case = Case.objects.filter(municipality=muni).order_by("id").first()
    append_event(case, type="notitie", effective_date=dt.date(2026, 11, 4), payload={"text": 'Zeer "geheim", échte'})
    assert Event.objects.filter(municipality=muni).exclude(decision=None).exists()
    source = store._arrow_source()
    assert source is not None and source.vendor == "postgresql" and store._child_source() == source
    _, user_id, by_name = store._users(muni)
    for after in (0, half):
        arrow = store._finish(store._events_columnar(source, muni.id, after, None), by_name, user_id)
        settings.REGIE_ANALYTICS_ARROW = False  # the peer: row by row through Django
        rows = store._events(muni, by_name, user_id, after=after)
        settings.REGIE_ANALYTICS_ARROW = True
        assert arrow.height == rows.height > 0
        assert arrow.schema == rows.schema
        assert arrow.equals(rows), after
    assert not arrow.filter(pl.col("type") == "notitie")["payload"].str.contains("geheim").any()
    for name, columnar, by_rows in (
        ("clients", store._clients_columnar, store._clients),
        ("cases", store._cases_columnar, store._cases),
    ):
        a = columnar(source, muni.id, 0, None)
        settings.REGIE_ANALYTICS_ARROW = False
        b = by_rows(muni)
        settings.REGIE_ANALYTICS_ARROW = True
        assert a.height == b.height > 0 and a.equals(b), name
    # the cold build in child processes
    monkeypatch.setattr(store, "CHILD_MIN_EVENTS", 0)
    fp = store._fingerprint(muni)
    built = store._build_in_children(source, muni, fp, by_name, user_id)
    assert built is not None
    settings.REGIE_ANALYTICS_ARROW = False
    rows = store._build(muni, fp=fp)
    settings.REGIE_ANALYTICS_ARROW = True
    events, clients, cases = built
    assert events.drop(store.KEYS).equals(rows.frames.events) and events.select(store.KEYS).equals(rows.keys)
    assert clients.equals(rows.frames.clients) and cases.equals(rows.frames.cases)
    assert_same(store._build(muni).frames, rows.frames)  # and through _build itself
