"""The analytic tables (:mod:`regie.core.frames`) of one municipality: the one way to get them.

Everything that computes from the event log — the monitoring pages, the equity report, the policy lab's
baselines, the command line, background jobs — calls :func:`current` (or :func:`current_state`). It returns the
tables from an in-memory cache when that was found current less than ``REGIE_MONITORING_MAX_AGE`` seconds ago
(the pages show :func:`checked_at`), after a cheap check of the log otherwise, and brings them up to date by
reading only the appended events. ``max_age=0`` (command line, jobs) always checks.


Ids are the interchange ids (``external_id``; users: external id or username), so a municipality's frames are the
same whether they come from its export file or from the database.

- :func:`frames_for` builds the tables from scratch (one SQL query per table; JSON payloads parsed by polars). When
  the Django connection is in autocommit (it then sees exactly the committed rows another connection sees), a cold
  build of a large municipality (:data:`CHILD_MIN_EVENTS`) fetches the rows column-wise as Arrow through ADBC in
  child processes (:mod:`regie.analytics.columnar`: the events split by case over both cores; on SQLite a second
  copy of SQLite in this process would corrupt its locks), and PostgreSQL's incremental reads do so in this process;
  otherwise (inside a transaction: a request that just wrote, a test; a small municipality) the rows come through
  the Django connection. All paths give the same tables (tests/kpi/test_frames_store.py).
- :func:`refresh` keeps them up to date incrementally: the event log is append-only, so a :class:`StoreState`
  (the frames plus watermarks) is brought up to date by reading only events with a larger id. A columnar copy is
  kept on disk per municipality (``<REGIE_VAR_DIR>/frames/<code>/v…/``: zstd Parquet files plus ``meta.json``) so
  that a new process starts from it in a fraction of a second instead of from the database.
  Deletions (retention purge in ``maintenance_mode``, a test flush)
  are detected by counts and by the identity of the last event and cause a full rebuild; correctness first.

Known limit: clients, cases and users rows changed in place without any new event (none of Regie's screens does
that today) are only picked up by a full rebuild (:func:`refresh` with ``rebuild=True``, or deleting the directory).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import polars as pl

from regie.accounts.models import Municipality, User
from regie.casework.models import Case, Client, Event
from regie.core import frames as core
from regie.platform.dbutil import log_epoch

from . import columnar

log = logging.getLogger(__name__)

# Below this many events building from the database takes well under a second: no files are written.
STORE_MIN_EVENTS = 20_000
# Write a new disk copy when this many events were appended since the last one (the delta is read from the
# database on start-up until then).
PERSIST_EVERY = 20_000
# The cuts readers of a disk copy ask for (:func:`current_cut`), registered by the app that reads them (the equity
# report's: regie.equity.apps): the job that writes a copy writes these beside it (:func:`_write_cuts`).
COPY_CUTS: list[Callable[[pl.LazyFrame], pl.LazyFrame]] = []
FORMAT = 4  # bump when the stored layout or EVENT_SCHEMA changes (3: the decision source column; 4: zstd Parquet)
# The disk copy: zstd-compressed Parquet. The events table is wide and mostly empty (each event type fills a few of
# its payload columns); uncompressed Arrow IPC spent 16 bytes per empty text cell (821 MB at 50,000 clients),
# Parquet with zstd stores an empty run in a few bytes (23 MB) and reads back in well under a second.
PARQUET = {"compression": "zstd", "compression_level": 3, "statistics": False}
KEYS = ("_case_pk", "_event_pk")


# --- building from the database ------------------------------------------------------------------------------------


def _users(municipality: Municipality):
    users = list(
        User.objects.filter(municipality=municipality).values_list(
            "id", "external_id", "username", "role", "team__code"
        )
    )
    user_id = {pk: ext or name for pk, ext, name, _, _ in users}
    by_name = {name: ext or name for _, ext, name, _, _ in users}
    table = pl.DataFrame(
        [{"user_id": user_id[pk], "username": name, "role": role, "team": team} for pk, _, name, role, team in users],
        schema=core.USER_SCHEMA,
    )
    return table, user_id, by_name


def _clients(municipality: Municipality, after: int = 0, upto: int | None = None) -> pl.DataFrame:
    source = _arrow_source()
    if source is not None:
        return _clients_columnar(source, municipality.id, after, upto)
    rows = (
        core.client_row(
            ext,
            {
                "birth_date": bd,
                "sex": sex,
                "education": edu,
                "language": lang,
                "origin": origin,
                "household": hh,
                "housing": housing,
            },
        )
        for ext, bd, sex, edu, lang, origin, hh, housing in _between(
            Client.objects.filter(municipality=municipality), after, upto
        )
        .order_by("id")
        .values_list("external_id", "birth_date", "sex", "education", "language", "origin", "household", "housing")
        .iterator(chunk_size=5000)
    )
    return pl.DataFrame(list(rows), schema=core.CLIENT_SCHEMA)


def _cases(municipality: Municipality, after: int = 0, upto: int | None = None) -> pl.DataFrame:
    source = _arrow_source()
    if source is not None:
        return _cases_columnar(source, municipality.id, after, upto)
    rows = (
        _between(Case.objects.filter(municipality=municipality), after, upto)
        .order_by("id")
        .values_list("external_id", "client__external_id", "opened_on", "team__code")
    )
    return pl.DataFrame(
        [{"case_id": ext, "client_id": cl, "opened_on": opened, "team": team} for ext, cl, opened, team in rows],
        schema=core.CASE_SCHEMA,
    )


def _between(qs, after: int, upto: int | None):
    qs = qs.filter(id__gt=after)
    return qs if upto is None else qs.filter(id__lte=upto)


# --- the column-wise fetch: Arrow through ADBC (regie.analytics.columnar) ---------------------------------------
# A cold build at 50,000 clients (1.16 M events) spent 12 s CPU mostly turning rows into Python objects and back
# (the driver's row fetch 3.3 s, polars' from_rows 3 s); the ADBC drivers (Apache Arrow) hand polars the columns.

ArrowSource = columnar.ArrowSource
_arrow_query = columnar.arrow_query
_finish = columnar.finish_events
_payload_fields = columnar._payload_fields
_decisions = columnar._decisions
_RAW = columnar.RAW

_LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name")


def _libpq_value(value) -> str:
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _arrow_source() -> ArrowSource | None:
    """The column-wise source for reading *in this process*, or None to read through Django.

    Only in autocommit: inside a transaction the Django connection may see rows of its own that another connection
    cannot (and the fingerprint counts them). Off with the setting ``REGIE_ANALYTICS_ARROW = False``."""
    from django.db import connection

    if connection.vendor == "sqlite":
        # Never on the live SQLite file in this process: the ADBC driver links its own copy of SQLite, and two
        # copies in one process do not see each other's POSIX locks, so the driver's connection takes itself for
        # the only one and resets the WAL index (-shm) that Python's sqlite3 has memory-mapped: the process dies of
        # SIGBUS (seen in `regie demo`, the importer's next write after the first municipality's store build). A
        # cold build reads SQLite column-wise in child processes instead (:func:`_child_source`).
        return None
    return _child_source()


def _child_source() -> ArrowSource | None:
    """The column-wise source for a child process (:func:`_build_in_children`), or None to read through Django:
    the SQLite file (read-only) or the PostgreSQL connection; only in autocommit (see :func:`_arrow_source`)."""
    from django.conf import settings
    from django.db import connection

    if not getattr(settings, "REGIE_ANALYTICS_ARROW", True) or connection.in_atomic_block:
        return None
    if not Path(sys.executable).name.startswith("python"):
        return None  # embedded (e.g. a web server's own binary): no interpreter to start the children with
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(s.get("NAME") or "")
        if not name or name == ":memory:" or name.startswith("file:") or not Path(name).is_file():
            return None  # an in-memory database (the tests) exists only in this process
        return ArrowSource("sqlite", f"file:{quote(str(Path(name).resolve()))}?mode=ro")
    if connection.vendor == "postgresql":
        parts = {"host": s.get("HOST"), "port": s.get("PORT"), "dbname": s.get("NAME"), "user": s.get("USER")}
        parts["password"] = s.get("PASSWORD")
        parts.update({k: v for k, v in (s.get("OPTIONS") or {}).items() if k in _LIBPQ_OPTIONS})
        return ArrowSource("postgresql", " ".join(f"{k}={_libpq_value(v)}" for k, v in parts.items() if v))
    return None


def _tables() -> dict[str, str]:
    return {
        "event": Event._meta.db_table,
        "case": Case._meta.db_table,
        "client": Client._meta.db_table,
        "team": Case._meta.get_field("team").related_model._meta.db_table,
    }


def _clients_columnar(source: ArrowSource, municipality_id: int, after: int, upto: int | None) -> pl.DataFrame:
    return columnar.clients(source, _tables(), municipality_id, after, upto)


def _cases_columnar(source: ArrowSource, municipality_id: int, after: int, upto: int | None) -> pl.DataFrame:
    return columnar.cases(source, _tables(), municipality_id, after, upto)


def _events_columnar(
    source: ArrowSource, municipality_id: int, after: int, upto: int | None, case_range=None
) -> pl.DataFrame:
    """The raw event columns (:data:`_RAW`) for :func:`_finish`."""
    return columnar.raw_events(source, _tables(), municipality_id, after, upto, case_range)


# A cold build of at least this many events runs in child processes (each costs ~0.3 s to start).
CHILD_MIN_EVENTS = 50_000
CHILDREN = 2  # the events split by case into this many parts, each in its own process (plus one for the rest)


def _events(
    municipality: Municipality,
    by_name: dict[str, str],
    user_id: dict[int, str],
    after: int = 0,
    upto: int | None = None,
) -> pl.DataFrame:
    """Events with id > ``after`` as the core events table plus the key columns ``_case_pk``, ``_event_pk``,
    sorted by (case, effective date, id) like the database index. One SQL query of the raw columns; the JSON
    payloads are parsed by polars (no Python per row except for the decisions' sub-objects)."""
    from django.db import connection

    source = _arrow_source()
    if source is not None:
        return _finish(_events_columnar(source, municipality.id, after, upto), by_name, user_id)
    t_ev, t_case, t_client = Event._meta.db_table, Case._meta.db_table, Client._meta.db_table
    text = "CAST({} AS TEXT)" if connection.vendor == "sqlite" else "{}::text"
    # SQLite: the stored ISO text, parsed by polars (the driver's per-value date converters cost ~40% of the fetch)
    dates = (
        "CAST(e.effective_date AS TEXT), CAST(e.recorded_at AS TEXT)"
        if connection.vendor == "sqlite"
        else "e.effective_date, e.recorded_at"
    )
    sql = (
        f"SELECT e.id, e.case_id, e.external_id, k.external_id, c.external_id, e.type, {dates}, "
        f"e.actor_id, e.actor_role, {text.format('e.payload')}, e.deviates, {text.format('e.decision')} "
        f"FROM {t_ev} e JOIN {t_case} k ON k.id = e.case_id JOIN {t_client} c ON c.id = k.client_id "
        f"WHERE e.municipality_id = %s AND e.id > %s AND e.id <= %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [municipality.id, after, upto if upto is not None else 2**62])
        rows = cur.fetchall()
    # dates and timestamps: whatever the driver gives (date/datetime objects, or ISO text); _finish normalises
    overrides = {
        "_event_pk": pl.Int64,
        "_case_pk": pl.Int64,
        "event_id": pl.Utf8,
        "case_id": pl.Utf8,
        "client_id": pl.Utf8,
        "type": pl.Utf8,
        "actor_id": pl.Int64,
        "actor_role": pl.Utf8,
        "payload": pl.Utf8,
        "deviates": pl.Boolean,
        "decision_json": pl.Utf8,
    }
    if not rows:
        overrides.update(effective_date=pl.Date, recorded_at=pl.Datetime("us", "UTC"))
    df = pl.DataFrame(rows, schema=list(_RAW), schema_overrides=overrides, orient="row", infer_schema_length=None)
    del rows
    return _finish(df, by_name, user_id)


def frames_for(municipality: Municipality) -> core.Frames:
    """The municipality's analytic tables built from scratch from the database."""
    return _build(municipality).frames


# --- the incremental store ----------------------------------------------------------------------------------------


@dataclass
class StoreState:
    """Frames plus what is needed to bring them up to date: the events' key columns and the watermarks."""

    frames: core.Frames
    keys: pl.DataFrame  # _case_pk, _event_pk; row i belongs to frames.events row i
    meta: dict = field(default_factory=dict)  # counts, maxima, last event identity, persisted watermark


def _db_identity() -> str:
    from django.db import connection

    s = connection.settings_dict
    return hashlib.sha1(f"{connection.vendor}|{s.get('HOST')}|{s.get('PORT')}|{s.get('NAME')}".encode()).hexdigest()[
        :16
    ]


def _fingerprint(municipality: Municipality) -> dict:
    """Counts, maxima and the identity of the last event: cheap queries (indexes), no table scan except the counts."""
    from django.db import connection

    t_ev = Event._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT id, external_id, recorded_at FROM {t_ev} WHERE municipality_id = %s ORDER BY id DESC LIMIT 1",
            [municipality.id],
        )
        last = cur.fetchone()
        cur.execute(f"SELECT COUNT(*) FROM {t_ev} WHERE municipality_id = %s", [municipality.id])
        n_events = cur.fetchone()[0]
    clients = Client.objects.filter(municipality=municipality)
    cases = Case.objects.filter(municipality=municipality)
    return {
        "events": n_events,
        "event_max": last[0] if last else 0,
        "last_event": [last[1], str(last[2])] if last else None,
        "clients": clients.count(),
        "client_max": (clients.order_by("-id").values_list("id", flat=True).first() or 0),
        "cases": cases.count(),
        "case_max": (cases.order_by("-id").values_list("id", flat=True).first() or 0),
    }


def _event_identity(event_pk: int):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT external_id, recorded_at FROM {Event._meta.db_table} WHERE id = %s", [event_pk])
        row = cur.fetchone()
    return [row[0], str(row[1])] if row else None


def _build(municipality: Municipality, attempts: int = 3, fp: dict | None = None) -> StoreState:
    """From scratch; ``fp``: a fingerprint just taken by the caller (counting the log costs a scan of its index)."""
    users, user_id, by_name = _users(municipality)
    fp = fp or _fingerprint(municipality)
    # read up to the fingerprint's maxima, so rows appended meanwhile are read next time (ids are never reused)
    source = _child_source() if fp["events"] >= CHILD_MIN_EVENTS else None
    built = _build_in_children(source, municipality, fp, by_name, user_id) if source is not None else None
    if built is not None:
        events, clients, cases = built
    else:
        events = _events(municipality, by_name, user_id, upto=fp["event_max"])
        clients = _clients(municipality, upto=fp["client_max"])
        cases = _cases(municipality, upto=fp["case_max"])
    if (events.height, clients.height, cases.height) != (fp["events"], fp["clients"], fp["cases"]) and attempts > 1:
        return _build(municipality, attempts - 1)  # rows deleted during the build
    frames = core.Frames(municipality.code, clients, cases, events.drop(KEYS), users)
    return StoreState(frames, events.select(KEYS), {**fp, "persisted_events": None})


def _case_ranges(municipality: Municipality, parts: int) -> list[tuple[int, int]]:
    """Up to ``parts`` ranges (lo, hi] of case ids with about as many cases each, together covering every case."""
    ids = list(Case.objects.filter(municipality=municipality).order_by("id").values_list("id", flat=True))
    cuts = sorted({ids[len(ids) * i // parts] - 1 for i in range(1, parts)} - {0}) if ids else []
    bounds = [0, *cuts, 2**62]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def _build_in_children(
    source: ArrowSource, municipality: Municipality, fp: dict, by_name: dict, user_id: dict
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame] | None:
    """The events, clients and cases tables of a cold build, fetched and decoded column-wise in child processes
    (``python -m regie.analytics.columnar``; :mod:`regie.analytics.columnar` says why a child): the events split by
    case into :data:`CHILDREN` parts, one per process (each part sorted; in case order one after another they are
    the whole table sorted); the first process also reads clients and cases (well under a second). None when a
    child fails (the caller then reads through Django: the same tables, slower); logged without the failure's
    details (connection string, data)."""
    import regie

    base = {"vendor": source.vendor, "target": source.target, "tables": _tables(), "municipality_id": municipality.id}
    events = [
        {**base, "kind": "events", "upto": fp["event_max"], "case_range": r, "by_name": by_name, "user_id": user_id}
        for r in _case_ranges(municipality, CHILDREN)
    ]
    rest = [{**base, "kind": "clients", "upto": fp["client_max"]}, {**base, "kind": "cases", "upto": fp["case_max"]}]
    groups = [[events[0], *rest], *([job] for job in events[1:])]
    env = dict(os.environ)
    package_root = str(Path(regie.__file__).resolve().parents[1])  # this process's regie, wherever it came from
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    root = store_root()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix="build-") as tmp:
        for i, job in enumerate([*events, *rest]):
            job["out"] = str(Path(tmp) / f"{i}.parquet")
        procs = []
        for group in groups:
            proc = subprocess.Popen(
                [sys.executable, "-m", "regie.analytics.columnar"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=env,
            )
            proc.stdin.write(json.dumps(group).encode())  # on stdin, not argv: the jobs hold the connection string
            proc.stdin.close()
            procs.append(proc)
        failed = [p.stderr.read().decode(errors="replace").strip()[-80:] for p in procs if p.wait() != 0]
        for p in procs:
            p.stderr.close()
        if failed:
            log.warning("analytic store: a column-wise build process failed (%s); reading through Django", failed)
            return None
        table = pl.read_parquet([job["out"] for job in events])  # in case order: the whole table sorted
        clients, cases = (pl.read_parquet(job["out"]) for job in rest)
    return table, clients, cases


def _incremental(municipality: Municipality, state: StoreState, fp: dict) -> StoreState | None:
    """``state`` brought up to ``fp`` by reading only the new rows, or None when rows were deleted."""
    old = state.meta
    if old.get("last_event") and _event_identity(old["event_max"]) != old["last_event"]:
        return None
    users, user_id, by_name = _users(municipality)
    new_events = _events(municipality, by_name, user_id, after=old["event_max"], upto=fp["event_max"])
    new_clients = _clients(municipality, after=old["client_max"], upto=fp["client_max"])
    new_cases = _cases(municipality, after=old["case_max"], upto=fp["case_max"])
    if (
        old["events"] + new_events.height != fp["events"]
        or old["clients"] + new_clients.height != fp["clients"]
        or old["cases"] + new_cases.height != fp["cases"]
    ):
        return None  # rows were deleted
    f = state.frames
    if new_events.height:
        both = pl.concat([state.keys.hstack(f.events.get_columns()), new_events])
        both = both.sort(["_case_pk", "effective_date", "_event_pk"])
        keys, events = both.select(KEYS), both.drop(KEYS)
    else:
        keys, events = state.keys, f.events
    frames = core.Frames(
        f.municipality,
        pl.concat([f.clients, new_clients]) if new_clients.height else f.clients,
        pl.concat([f.cases, new_cases]) if new_cases.height else f.cases,
        events,
        users,
    )
    return StoreState(frames, keys, {**fp, "persisted_events": old.get("persisted_events")})


def store_root() -> Path:
    from django.conf import settings

    return Path(getattr(settings, "REGIE_FRAMES_DIR", None) or Path(settings.VAR_DIR) / "frames")


def _copies(municipality: Municipality, root: Path):
    """The disk copies of this database, format and schema, newest first: (directory, meta)."""
    base = root / municipality.code
    if not base.is_dir():
        return
    for d in sorted(
        (p for p in base.iterdir() if p.name.startswith("v") and (p / "meta.json").exists()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    ):
        try:
            meta = json.loads((d / "meta.json").read_text())
        except (OSError, ValueError):
            continue
        if meta.get("format") == FORMAT and meta.get("db") == _db_identity() and meta.get("schema") == _schema_id():
            yield d, meta


def _read_disk(municipality: Municipality, root: Path) -> StoreState | None:
    for d, meta in _copies(municipality, root):
        try:
            frames, extra = _read_tables(d, municipality.code)
            return StoreState(frames, extra["keys"], {**meta, "persisted_events": meta["events"]})
        except (OSError, ValueError, KeyError, pl.exceptions.PolarsError):
            continue  # being replaced by another process, or damaged: try the next, else rebuild
    return None


_FINGERPRINT_KEYS = ("events", "event_max", "last_event", "clients", "client_max", "cases", "case_max")


def current_cut(
    municipality: Municipality, events: Callable[[pl.LazyFrame], pl.LazyFrame]
) -> tuple[core.Frames, dt.date | None]:
    """The municipality's tables up to date (as ``current(max_age=0)``) with ``events`` applied to the events table,
    and the last effective date of *all* events (None: no events).

    For work that reads a small part of a large log (the equity report: a tenth of it): when this process holds no
    tables yet and the newest disk copy is up to date, only that part is read from the copy (a lazy Parquet scan),
    so the whole events table is never in memory, and that part is kept beside the copy for the next reader
    (:func:`_read_cut`); otherwise the whole tables (:func:`current_state`) are cut."""
    with _lock:
        cached = municipality.id in _cache
    if not cached:
        fp = _fingerprint(municipality)
        for d, meta in _copies(municipality, store_root()):
            if any(meta.get(k) != fp[k] for k in _FINGERPRINT_KEYS):
                break  # the newest copy is behind: the whole tables, brought up to date
            try:
                scan = pl.scan_parquet(d / "events.parquet")
                last = scan.select(pl.col("effective_date").max()).collect().item()
                frames = _read_cut(d, municipality.code, events)
            except (OSError, pl.exceptions.PolarsError):
                continue
            return frames, last
    f = current_state(municipality, max_age=0).frames
    last = f.events["effective_date"].max() if f.events.height else None
    return core.Frames(f.municipality, f.clients, f.cases, events(f.events.lazy()).collect(), f.users), last


def _cut_key(events: Callable[[pl.LazyFrame], pl.LazyFrame]) -> str | None:
    """What ``events`` does, as a key: a hash of its query plan on an empty events table (every column, type and
    literal it uses; polars' own serialisation, so a new polars version only means a new key). None when the plan
    cannot be serialised or holds a Python function (``map_elements`` and the like: polars pickles it, and a pickle
    names a function without its body, so the key would not change with the function): such a cut is never kept."""
    try:
        plan = events(pl.LazyFrame(schema=core.EVENT_SCHEMA)).serialize()
    except Exception:  # noqa: BLE001 - any failure only means the cut is read from the copy each time
        return None
    if b"PLPYFN" in plan:  # polars' marker of a pickled Python function in a plan
        return None
    return hashlib.sha1(plan + pl.__version__.encode()).hexdigest()[:16]


def _read_cut(directory: Path, code: str, events: Callable[[pl.LazyFrame], pl.LazyFrame]) -> core.Frames:
    """The tables of the disk copy in ``directory`` with ``events`` applied to its events table.

    The cut is kept beside the copy (``cut-<key>.parquet``, :func:`_cut_key`), written by the first reader: a copy
    never changes once written, so the next reader of the same cut reads that small file instead of scanning the
    wide events table. At 50,000 clients the equity report's cut (373,000 of 1.16 M events, 18 columns) is a 5 MB
    file; reading it takes a third of the scan's CPU and about 45 MB less resident memory (docs/performance.md,
    "Analytic store: typed columns, layout and the equity cut"). Another process may write the same file at the
    same time: each writes its own temporary file and renames it; a reader sees one whole file or none."""
    key = _cut_key(events)
    kept = directory / f"cut-{key}.parquet" if key else None
    if kept is not None and kept.is_file():
        try:
            return core.read_parquet(directory, code, events=lambda _: pl.scan_parquet(kept))[0]
        except (OSError, pl.exceptions.PolarsError):
            pass  # being written or damaged: the cut from the copy, written again below
    frames = core.read_parquet(directory, code, events=events)[0]
    if kept is not None:
        tmp = directory / f"tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}.parquet"
        try:
            frames.events.write_parquet(tmp, **PARQUET)
            os.replace(tmp, kept)
        except (OSError, pl.exceptions.PolarsError):  # a read-only copy, or one just removed: read it every time
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
    return frames


def _write_tables(state: StoreState, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name in core.TABLES:
        getattr(state.frames, name).write_parquet(directory / f"{name}.parquet", **PARQUET)
    state.keys.write_parquet(directory / "keys.parquet", **PARQUET)


def _read_tables(directory: Path, code: str) -> tuple[core.Frames, dict]:
    """The tables written by :func:`_write_tables` (their schema checked: the meta's schema id covers the events)."""
    return core.read_parquet(directory, code, extra=["keys"])


def _schema_id() -> str:
    return hashlib.sha1(repr(sorted((k, str(v)) for k, v in core.EVENT_SCHEMA.items())).encode()).hexdigest()[:16]


def _write_disk(municipality: Municipality, state: StoreState, root: Path) -> Path | None:
    """Write ``state`` as the newest disk copy; its directory, or None when it could not be written."""
    base = root / municipality.code
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f"tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    meta = {
        **{k: v for k, v in state.meta.items() if k != "persisted_events"},
        "format": FORMAT,
        "db": _db_identity(),
        "schema": _schema_id(),
        "written_at": time.time(),
    }
    try:
        _write_tables(state, tmp)
        (tmp / "meta.json").write_text(json.dumps(meta))
        final = base / f"v{state.meta['event_max']}-{state.meta['events']}-{uuid.uuid4().hex[:6]}"
        os.replace(tmp, final)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    state.meta["persisted_events"] = state.meta["events"]
    for old in base.iterdir():  # keep the newest copy; others may still be reading an older one for a moment
        if old != final and (
            old.name.startswith("v") or (old.name.startswith("tmp-") and time.time() - old.stat().st_mtime > 3600)
        ):
            shutil.rmtree(old, ignore_errors=True)
    return final


def _write_as_job(municipality: Municipality, state: StoreState, root: Path) -> None:
    """Have a worker write the disk copy (a request does not wait for it): the job ``analytics.tasks.write_copy``,
    one writer per municipality across processes (regie.platform.jobs). ``state`` counts as persisted from now
    on, so this process asks again only after another :data:`PERSIST_EVERY` events."""
    from regie.platform import jobs

    from .tasks import write_copy

    state.meta["persisted_events"] = state.meta["events"]
    jobs.enqueue_once(write_copy, municipality.pk, str(root))


def write_copy_if_due(municipality: Municipality, root: str | Path | None = None) -> bool:
    """The job's work: bring the newest disk copy up to date and write it when none exists or it is
    :data:`PERSIST_EVERY` events behind; True when a copy was written."""
    root = Path(root) if root else store_root()
    new = refresh(municipality, _read_disk(municipality, root), root=root, persist=False)
    done = new.meta.get("persisted_events")
    if done is not None and abs(new.meta["events"] - done) < PERSIST_EVERY:
        return False
    final = _write_disk(municipality, new, root)
    if final is not None:
        _write_cuts(final, municipality.code)
    return True


def _write_cuts(directory: Path, code: str) -> None:
    """Keep each cut of :data:`COPY_CUTS` beside a copy just written (:func:`_read_cut`), so that the first reader
    after a new copy reads the small file too instead of scanning the copy in its own process (the equity report's
    first run after a new copy: ~480 MB peak instead of ~513 MB, docs/performance.md "h/store11"). A cut that fails
    is only logged: its reader scans the copy as before."""
    for events in list(COPY_CUTS):
        try:
            _read_cut(directory, code, events)
        except Exception:  # noqa: BLE001 - a missing cut only makes its first reader slower
            log.exception("analytic store: a cut beside the new copy could not be written")


def refresh(
    municipality: Municipality,
    state: StoreState | None = None,
    *,
    root: str | Path | None = None,
    rebuild: bool = False,
    persist: bool | None = None,
) -> StoreState:
    """The municipality's frames, up to date with the database.

    Starts from ``state`` (an earlier result, e.g. kept in memory by ``monitoring.selectors``), else from the disk
    copy, else from scratch; reads only what was appended since. ``persist``: write a new disk copy when there is
    none or :data:`PERSIST_EVERY` events were appended since (default: only for municipalities with at least
    :data:`STORE_MIN_EVENTS` events, by a background job; ``True`` writes now, ``False`` never).
    """
    root = Path(root) if root else store_root()
    fp = _fingerprint(municipality)
    new = None
    if not rebuild:
        start = state if state is not None else (_read_disk(municipality, root) if persist is not False else None)
        if start is not None:
            same = all(start.meta.get(k) == fp[k] for k in _FINGERPRINT_KEYS)
            new = start if same else _incremental(municipality, start, fp)
    if new is None:
        new = _build(municipality, fp=fp)
    done = new.meta.get("persisted_events")
    due = done is None or abs(new.meta["events"] - done) >= PERSIST_EVERY
    if persist:
        _write_disk(municipality, new, root)
    elif persist is None and new.meta["events"] >= STORE_MIN_EVENTS and due:
        _write_as_job(municipality, new, root)
    return new


# --- the in-memory cache and its freshness rule -------------------------------------------------------------------

_cache: dict[int, tuple[tuple, StoreState]] = {}
_checked: dict[int, float] = {}  # municipality id -> time.time() of the last check that found the cache current
_lock = threading.Lock()
_building: dict[int, threading.Lock] = {}


def _quick_key(municipality) -> tuple:
    """Changes whenever an event is added or deleted anywhere, or the municipality's last event changes."""
    from django.db import connection

    t = Event._meta.db_table
    with connection.cursor() as cur:
        # index look-ups only (no count of the log: seconds on PostgreSQL at national size); a deletion can only
        # happen in maintenance mode, which advances the log epoch (regie.platform.dbutil)
        epoch = log_epoch(cur)
        cur.execute(f"SELECT MAX(id) FROM {t}")
        total = (epoch, cur.fetchone()[0])
        cur.execute(
            f"SELECT id, external_id, recorded_at FROM {t} WHERE municipality_id = %s ORDER BY id DESC LIMIT 1",
            [municipality.id],
        )
        last = cur.fetchone()
    return (_db_name(), total, tuple(last) if last else None)


def _db_name():
    from django.db import connection

    return connection.settings_dict.get("NAME")


def _max_age() -> float:
    from django.conf import settings

    return float(getattr(settings, "REGIE_MONITORING_MAX_AGE", 60))


def checked_at(municipality) -> float | None:
    """When (time.time()) the cached frames of ``municipality`` were last found up to date; None if not cached."""
    with _lock:
        return _checked.get(municipality.id)


def current(municipality: Municipality, *, max_age: float | None = None) -> core.Frames:
    """The municipality's analytic tables, up to date with the event log as of at most ``max_age`` seconds ago
    (default ``REGIE_MONITORING_MAX_AGE``; 0: check now). Treat the result as read-only: it is shared, and it
    memoises derived tables (``Frames.memo``) so that several indicators on one page share their scans."""
    return current_state(municipality, max_age=max_age).frames


def current_state(municipality: Municipality, *, max_age: float | None = None) -> StoreState:
    """Like :func:`current`, with the store state (watermarks) around the frames.

    Within ``max_age`` seconds of the last check the cached state is returned without asking the database at all;
    otherwise one cheap check (the log epoch, the log's maximum id, the municipality's last event) decides whether
    :func:`refresh` must read appended events. One refresh per municipality at a time per process."""
    now = time.time()
    limit = _max_age() if max_age is None else max_age
    with _lock:
        hit = _cache.get(municipality.id)
        if hit and now - _checked.get(municipality.id, 0.0) < limit and hit[0][0] == _db_name():
            return hit[1]
    key = _quick_key(municipality)
    with _lock:
        hit = _cache.get(municipality.id)
        if hit and hit[0] == key:
            _checked[municipality.id] = now
            return hit[1]
        building = _building.setdefault(municipality.id, threading.Lock())
    with building:  # one refresh per municipality at a time; the others then find it cached
        with _lock:
            hit = _cache.get(municipality.id)
            if hit and hit[0] == key:
                return hit[1]
        state = refresh(municipality, hit[1] if hit else None)
        with _lock:
            _cache[municipality.id] = (key, state)
            _checked[municipality.id] = now
    return state


def clear() -> None:
    """Forget the in-memory frames (tests; the disk copies stay)."""
    with _lock:
        _cache.clear()
        _checked.clear()
