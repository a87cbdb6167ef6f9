"""The column-wise build of the analytic tables: Arrow columns through ADBC, turned into the core tables by polars.

No Django here: :mod:`regie.analytics.store` calls these functions in its own process (PostgreSQL) and runs them in
child processes for a cold build (``python -m regie.analytics.columnar``, a job description on stdin, Parquet
files out). The child processes are what make the column-wise fetch safe on SQLite: the ADBC SQLite driver links
its own copy of SQLite, and two copies *in one process* do not see each other's POSIX locks (the driver's
connection reset the WAL index Python's sqlite3 had memory-mapped: SIGBUS in ``regie demo``). Between processes
SQLite's locking is the ordinary, supported case. The children also put both cores to work: the events are split
by case into two halves, each fetched, decoded and sorted in its own process (clients and cases after the first).

The same functions (:func:`finish_events`) turn the rows fetched through Django (inside a transaction) into the same
tables, so every path gives identical frames (tests/kpi/test_frames_store.py).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

import polars as pl

from regie.casework.bulk import EVENT_COLUMNS
from regie.core import frames as core

KEYS = ("_case_pk", "_event_pk")
# How a child writes its table for the parent: uncompressed Parquet (a sparse column costs a few bytes per empty
# run, where Arrow IPC spends 16 bytes per empty text cell: 76 MB against 836 MB for the events at 50,000 clients).
TRANSFER = {"compression": "uncompressed", "statistics": False}


@dataclass(frozen=True)
class ArrowSource:
    """Where an ADBC connection of its own reads the committed rows: a SQLite file URI or a libpq connection string."""

    vendor: str  # "sqlite" or "postgresql"
    target: str

    def __repr__(self) -> str:  # the PostgreSQL connection string holds the password: never in a log or traceback
        return f"ArrowSource({self.vendor!r})"


def arrow_query(source: ArrowSource, sql: str) -> pl.DataFrame:
    """The result of ``sql`` (no parameters: callers format only integers into it) as a polars frame.

    Never call this on a live SQLite file in a process that also has it open through Python's sqlite3 (see the
    module docstring): :mod:`regie.analytics.store` does so only in child processes."""
    import adbc_driver_manager as dm

    if source.vendor == "sqlite":
        import adbc_driver_sqlite as driver
    else:
        import adbc_driver_postgresql as driver
    db = driver.connect(source.target)
    try:
        conn = dm.AdbcConnection(db)
        try:
            st = dm.AdbcStatement(conn)
            try:
                if source.vendor == "sqlite":
                    # SQLite columns have no type: the driver infers it from its first batch and fails on a later
                    # batch whose values differ (a decision column empty for the first thousand rows); one batch
                    st.set_options(**{"adbc.sqlite.query.batch_rows": "1000000000"})
                st.set_sql_query(sql)
                stream, _ = st.execute_query()
                return pl.DataFrame(stream)
            finally:
                st.close()
        finally:
            conn.close()
    finally:
        db.close()


# --- SQL ----------------------------------------------------------------------------------------------------------
# ``tables``: the database table names (from the Django models, passed in by the store): event, case, client, team.


def _range(column: str, municipality_id: int, after: int, upto: int | None) -> str:
    return (
        f"{column}.municipality_id = {int(municipality_id)} AND {column}.id > {int(after)}"
        f" AND {column}.id <= {int(upto if upto is not None else 2**62)}"
    )


def _as_text(source: ArrowSource, column: str) -> str:
    return f"CAST({column} AS TEXT)" if source.vendor == "sqlite" else f"{column}::text"


def _as_date(column: str, typ) -> pl.Expr:
    """A date column as the driver gives it (SQLite: ISO text, PostgreSQL: a date) as a polars Date."""
    c = pl.col(column)
    return (c.cast(pl.Utf8).str.slice(0, 10).str.to_date("%Y-%m-%d") if typ != pl.Date else c).alias(column)


_HOUSEHOLD = pl.Struct(
    {
        "partner": pl.Struct({"birth_date": pl.Utf8}),
        "children": pl.List(pl.Struct({"birth_date": pl.Utf8})),
        "other_adults": pl.Int64,
    }
)


def clients(source: ArrowSource, tables: dict, municipality_id: int, after: int, upto: int | None) -> pl.DataFrame:
    df = arrow_query(
        source,
        f"SELECT c.external_id AS client_id, {_as_text(source, 'c.birth_date')} AS birth_date, c.sex, c.education,"
        f" c.language, c.origin, {_as_text(source, 'c.household')} AS household, c.housing"
        f" FROM {tables['client']} c WHERE {_range('c', municipality_id, after, upto)} ORDER BY c.id",
    )
    if df.height == 0:
        return pl.DataFrame(schema=core.CLIENT_SCHEMA)
    # as core.frames.client_row: partner present, children counted, the youngest child's birth date
    hh = pl.col("household").cast(pl.Utf8).str.json_decode(_HOUSEHOLD).struct
    kids = hh.field("children").list.eval(pl.element().struct.field("birth_date").str.slice(0, 10).str.to_date())
    out = df.with_columns(
        _as_date("birth_date", pl.Utf8),
        *[pl.col(c).cast(pl.Utf8).replace("", None) for c in ("education", "language", "origin", "housing")],
        hh.field("partner").is_not_null().alias("has_partner"),
        kids.list.len().fill_null(0).cast(pl.Int64).alias("n_children"),
        kids.list.max().alias("youngest_child_birth"),
        hh.field("other_adults").fill_null(0).alias("other_adults"),
    )
    return out.select([pl.col(c).cast(t) for c, t in core.CLIENT_SCHEMA.items()])


def cases(source: ArrowSource, tables: dict, municipality_id: int, after: int, upto: int | None) -> pl.DataFrame:
    df = arrow_query(
        source,
        f"SELECT k.external_id AS case_id, c.external_id AS client_id, {_as_text(source, 'k.opened_on')} AS opened_on,"
        f" t.code AS team FROM {tables['case']} k JOIN {tables['client']} c ON c.id = k.client_id"
        f" LEFT JOIN {tables['team']} t ON t.id = k.team_id WHERE {_range('k', municipality_id, after, upto)}"
        " ORDER BY k.id",
    )
    if df.height == 0:
        return pl.DataFrame(schema=core.CASE_SCHEMA)
    df = df.with_columns(_as_date("opened_on", pl.Utf8))
    return df.select([pl.col(c).cast(t) for c, t in core.CASE_SCHEMA.items()])


def raw_events(
    source: ArrowSource,
    tables: dict,
    municipality_id: int,
    after: int,
    upto: int | None,
    case_range: tuple[int, int] | None = None,
) -> pl.DataFrame:
    """The raw event columns (:data:`RAW`) for :func:`finish_events`; ``case_range``: only the events of the cases
    with ``lo < case id <= hi``."""
    if source.vendor == "sqlite":
        dates = {"effective_date": "CAST(e.effective_date AS TEXT)", "recorded_at": "CAST(e.recorded_at AS TEXT)"}
    else:  # the stored instant in UTC as text: the same parse as SQLite's (no time zone, microseconds always)
        dates = {"recorded_at": "to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"}
    text = {**dates, "payload": _as_text(source, "e.payload"), "decision": _as_text(source, "e.decision")}
    read = [c for c in EVENT_COLUMNS if c not in ("municipality_id", "policy_version")]  # (casework.bulk)
    cols = ", ".join(text.get(c, f"e.{c}") for c in read)
    raw = [c for c in RAW if c not in ("case_id", "client_id")]
    names = ", ".join(f"{c} AS {n}" for c, n in zip(_split(cols), raw, strict=True))
    where = _range("e", municipality_id, after, upto)
    case_where = f"k.municipality_id = {int(municipality_id)}"
    if case_range is not None:
        lo, hi = (int(x) for x in case_range)
        where += f" AND e.case_id > {lo} AND e.case_id <= {hi}"
        case_where += f" AND k.id > {lo} AND k.id <= {hi}"
    df = arrow_query(source, f"SELECT {names} FROM {tables['event']} e WHERE {where}")
    # the case's and client's external ids by a join in polars (in SQL the two look-ups per event cost a third)
    ids = arrow_query(
        source,
        f"SELECT k.id AS _case_pk, k.external_id AS case_id, c.external_id AS client_id FROM {tables['case']} k"
        f" JOIN {tables['client']} c ON c.id = k.client_id WHERE {case_where}",
    )
    if df.height == 0:
        return pl.DataFrame(schema=_raw_schema(pl.Date, pl.Datetime("us", "UTC")))
    ids = ids.with_columns(pl.col("_case_pk").cast(pl.Int64))
    df = df.with_columns(pl.col("_case_pk").cast(pl.Int64)).join(ids, on="_case_pk", how="inner", maintain_order="left")
    # effective_date: ISO text (SQLite) or a date (PostgreSQL); recorded_at: text in UTC from both
    typed = _raw_schema(pl.Utf8 if df.schema["effective_date"] != pl.Date else pl.Date, pl.Utf8)
    return df.select([pl.col(c).cast(t) for c, t in typed.items()])


def _raw_schema(date_type, recorded_type) -> dict:
    return {
        "_event_pk": pl.Int64,
        "_case_pk": pl.Int64,
        "event_id": pl.Utf8,
        "case_id": pl.Utf8,
        "client_id": pl.Utf8,
        "type": pl.Utf8,
        "effective_date": date_type,
        "recorded_at": recorded_type,
        "actor_id": pl.Int64,
        "actor_role": pl.Utf8,
        "payload": pl.Utf8,
        "deviates": pl.Boolean,
        "decision_json": pl.Utf8,
    }


def _split(cols: str) -> list[str]:
    """The select list split at top-level commas (the PostgreSQL to_char call has commas of its own)."""
    out, depth, cur = [], 0, ""
    for ch in cols:
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    return [*out, cur.strip()]


# --- from raw columns to the core events table ----------------------------------------------------------------------

_PAYLOAD_STRUCT = pl.Struct(
    {
        ("motivation" if c == "motivation_level" else c): (pl.Utf8 if t == pl.Date else t)
        for c, t in core.PAYLOAD_COLUMNS.items()
    }
)
_DECISION_STRUCT = pl.Struct({c: pl.Utf8 for c in core.DECISION_COLUMNS})
# the lifted payload fields as they appear in the JSON text (a superset test: a value equal to a key also matches)
_PAYLOAD_KEYS = [f'"{f}"' for f in _PAYLOAD_STRUCT.to_schema()]
RAW = (
    "_event_pk",
    "_case_pk",
    "event_id",
    "case_id",
    "client_id",
    "type",
    "effective_date",
    "recorded_at",
    "actor_id",
    "actor_role",
    "payload",
    "deviates",
    "decision_json",
)

# agenda: a journal note's free text stays out of the analytic tables (AVG data minimisation): the "text" member of
# a notitie payload is cut from the JSON (vectorised; the text is a JSON string, escapes included)
_NOTE_TEXT = r'"text":\s*"(?:[^"\\]|\\.)*"'


def _without_note_text(df: pl.DataFrame) -> pl.DataFrame:
    is_note = pl.col("type") == "notitie"
    notes = df.filter(is_note)
    if notes.height == 0:
        return df
    payload = pl.col("payload")
    for pattern in (_NOTE_TEXT + r"\s*,\s*", r",\s*" + _NOTE_TEXT, _NOTE_TEXT):
        payload = payload.str.replace(pattern, "")
    return df.update(notes.select("_event_pk", payload.alias("payload")), on="_event_pk")


def finish_events(df: pl.DataFrame, by_name: dict[str, str], user_id: dict[int, str]) -> pl.DataFrame:
    """The raw columns (:data:`RAW`) as the core events table plus the key columns, sorted by (case, effective
    date, id) like the database index. ``by_name``: username -> user id; ``user_id``: database id -> user id."""
    schema = core.EVENT_SCHEMA
    df = _without_note_text(df)
    date = pl.col("effective_date")
    if df.schema["effective_date"] == pl.Utf8:
        date = date.str.slice(0, 10).str.to_date("%Y-%m-%d")  # ISO as stored; a given format is 3x faster
    recorded = pl.col("recorded_at")
    if df.schema["recorded_at"] == pl.Utf8:
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC); "%.f" also accepts no fraction
        recorded = (
            recorded.str.replace("T", " ", literal=True)
            .str.slice(0, 26)
            .str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us", cache=False)  # nearly all distinct
            .dt.replace_time_zone("UTC")
        )
    else:
        recorded = (
            recorded.dt.convert_time_zone("UTC")
            if df.schema["recorded_at"].time_zone
            else recorded.dt.replace_time_zone("UTC")
        )
    out = df.with_columns(
        date.alias("effective_date"),
        recorded.cast(pl.Datetime("us", "UTC")).alias("recorded_at"),
        pl.col("actor_id").replace_strict(user_id, default=None, return_dtype=pl.Utf8).alias("actor"),
    )
    # sorted like the database index while still narrow; the joins keep that order (sorting the wide table costs 3x)
    out = out.drop("decision_json").sort(["_case_pk", "effective_date", "_event_pk"])
    out = out.join(_payload_fields(df), on="_event_pk", how="left", maintain_order="left")
    out = out.join(_decisions(df), on="_event_pk", how="left", maintain_order="left")
    out = out.with_columns(
        *[
            pl.col(c).str.slice(0, 10).str.to_date(strict=False)
            for c, t in core.PAYLOAD_COLUMNS.items()
            if t == pl.Date
        ],
        pl.when(pl.col("type") == "caseworker_toewijzing")
        .then(pl.col("caseworker").replace(by_name))
        .otherwise(pl.col("caseworker"))
        .alias("caseworker"),
        pl.when(pl.col("type") == "intake").then(pl.col("motivation_level")).otherwise(None).alias("motivation_level"),
    )
    return out.select(*KEYS, *[pl.col(c).cast(t) for c, t in schema.items()])


def _payload_fields(df: pl.DataFrame) -> pl.DataFrame:
    """Per event whose payload names one of the lifted fields: those fields (:data:`core.PAYLOAD_COLUMNS`).

    Only those payloads are decoded (60 % of the events, contacts and plans, name none). A terugvordering's "months"
    is a list of months, not the maatregel's count: not lifted (as core.frames.event_row)."""
    d = df.select("_event_pk", "payload").filter(pl.col("payload").str.contains_any(_PAYLOAD_KEYS))
    payload = pl.col("payload").str.replace_all(r'"months":\s*\[[^\]]*\]', '"months": null')
    d = d.select("_event_pk", payload.str.json_decode(_PAYLOAD_STRUCT).alias("_p"))
    fields = pl.col("_p").struct
    return d.select(
        "_event_pk",
        *[fields.field("motivation" if c == "motivation_level" else c).alias(c) for c in core.PAYLOAD_COLUMNS],
    )


def _decisions(df: pl.DataFrame) -> pl.DataFrame:
    """Per event with a decision: its lifted fields (:data:`core.DECISION_COLUMNS`, text) and its recommendation and
    decided sub-objects as compact JSON text (as core.frames.event_row writes them); one parse per decision."""
    import orjson

    d = df.select("_event_pk", "decision_json").filter(pl.col("decision_json").is_not_null())
    names = ("recommendation", "decided", *core.DECISION_COLUMNS)
    values: tuple[list, ...] = tuple([] for _ in names)
    recommendation, decided, *lifted = values
    texts = True
    for text in d["decision_json"].to_list():
        obj = orjson.loads(text)
        r, x = obj.get("recommendation"), obj.get("decided")
        recommendation.append(None if r is None else orjson.dumps(r).decode())
        decided.append(None if x is None else orjson.dumps(x).decode())
        for column, name in zip(lifted, core.DECISION_COLUMNS, strict=True):
            v = obj.get(name)
            texts &= v is None or type(v) is str
            column.append(v)
    out = d.select("_event_pk").with_columns(pl.Series(n, v, dtype=pl.Utf8) for n, v in zip(names[:2], values))
    if texts:
        return out.with_columns(pl.Series(n, v, dtype=pl.Utf8) for n, v in zip(names[2:], lifted, strict=True))
    fields = pl.col("decision_json").str.json_decode(_DECISION_STRUCT).struct  # a value that is not text
    return out.hstack(d.select(*[fields.field(c).alias(c) for c in core.DECISION_COLUMNS]).get_columns())


# --- the child process --------------------------------------------------------------------------------------------


def run_job(job: dict) -> pl.DataFrame:
    """One table of a cold build, as described by the store (:func:`regie.analytics.store._build_in_children`)."""
    source = ArrowSource(job["vendor"], job["target"])
    args = (source, job["tables"], job["municipality_id"], job.get("after", 0), job.get("upto"))
    if job["kind"] == "clients":
        return clients(*args)
    if job["kind"] == "cases":
        return cases(*args)
    if job["kind"] == "events":
        user_id = {int(k): v for k, v in job["user_id"].items()}  # JSON object keys are text
        return finish_events(raw_events(*args, case_range=job.get("case_range")), job["by_name"], user_id)
    raise ValueError(f"unknown job kind {job['kind']!r}")


def main() -> int:
    """Read a list of jobs (JSON) from stdin and write each job's table to its ``"out"`` file. On failure only the
    exception's type goes to stderr: the jobs hold a connection string, and rows hold personal data."""
    try:
        for job in json.load(sys.stdin):
            run_job(job).write_parquet(job["out"], **TRANSFER)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which falls back to the row-by-row build
        print(type(exc).__name__, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
