"""Analytic tables of the case event log (plain Python + polars; no Django).

KPIs, signals, statistics, the equity monitor and the policy lab all read these same four tables, whichever
source they came from: a regie-jsonl file (:func:`from_jsonl`), the database (``regie.analytics.store``), or a
simulated event log. Clients are pseudonymised: no BSN, no names, no contact data.

Tables (polars DataFrames):

- ``clients``: client_id, birth_date, sex, education, language, origin, has_partner, n_children,
  youngest_child_birth, other_adults, housing
- ``cases``: case_id, client_id, opened_on, team
- ``events``: event_id, case_id, client_id, type, effective_date, recorded_at, actor, actor_role, payload (JSON
  text), plus the decision columns deviates, policy_version, recommendation, decided (JSON text),
  motivation_code, motivation, legal_basis, plus payload fields lifted into columns (``PAYLOAD_COLUMNS``)
- ``users``: user_id, username, role, team

``actor`` and ``caseworker`` are user ids (``users.user_id``); ``municipality`` is on the :class:`Frames` object.

Performance helpers (docs/performance.md "Monitoring"):

- :meth:`Frames.memo` memoises a derived table on the object (e.g. the spells as of a date), valid while its
  ``events`` and ``cases`` tables are the same objects; :func:`of_type` is the memoised events of one or more types.
  Indicators share these, so a dashboard's tables do not repeat the same scans and joins.
- :func:`write_ipc` / :func:`read_ipc` keep a columnar copy of the tables in a directory as uncompressed Arrow IPC,
  read back memory-mapped: opening takes milliseconds, only the columns used are paged in, and the operating
  system's page cache is shared by all worker processes (the per-municipality store in ``regie.analytics.store``).
  :func:`write_parquet` / :func:`read_parquet` do the same as Parquet (compact, for exchange and benchmarks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import polars as pl

# A column type as polars accepts it in a schema: a data type class (pl.Utf8) or an instance (pl.Datetime("us")).
ColumnType = pl.DataType | type[pl.DataType]

# Payload fields lifted into their own columns (all Utf8 unless typed below).
PAYLOAD_COLUMNS: dict[str, ColumnType] = {
    "scheme": pl.Utf8,
    "level": pl.Utf8,
    "route": pl.Utf8,
    "trajectory_id": pl.Utf8,
    "kind": pl.Utf8,
    "provider": pl.Utf8,
    "module": pl.Utf8,
    "result": pl.Utf8,
    "price": pl.Float64,
    "cost": pl.Float64,
    "exemption_id": pl.Utf8,
    "ground": pl.Utf8,
    "scope": pl.Utf8,
    "end_date": pl.Date,
    "obligation_type": pl.Utf8,
    "category": pl.Int64,
    "percentage": pl.Float64,
    "months": pl.Int64,
    "repeat_step": pl.Int64,
    "reason": pl.Utf8,
    "cbs_code": pl.Utf8,
    "caseworker": pl.Utf8,
    "norm_type": pl.Utf8,
    "cost_sharers": pl.Int64,
    "monthly_amount": pl.Float64,
    "expected_months_to_work": pl.Int64,
    "medical_claim": pl.Boolean,
    "motivation_level": pl.Utf8,
    "search_period_end": pl.Date,
    "previous_case": pl.Utf8,
}
# Decision fields lifted into their own columns. "source" is the path that recorded the decision: web or api (through
# the decision gate, regie.casework.decisions) or import (history recorded elsewhere); null in older logs and the lab.
DECISION_COLUMNS = ("policy_version", "motivation_code", "motivation", "legal_basis", "source")

CLIENT_SCHEMA: dict[str, ColumnType] = {
    "client_id": pl.Utf8,
    "birth_date": pl.Date,
    "sex": pl.Utf8,
    "education": pl.Utf8,
    "language": pl.Utf8,
    "origin": pl.Utf8,
    "has_partner": pl.Boolean,
    "n_children": pl.Int64,
    "youngest_child_birth": pl.Date,
    "other_adults": pl.Int64,
    "housing": pl.Utf8,
}
CASE_SCHEMA: dict[str, ColumnType] = {"case_id": pl.Utf8, "client_id": pl.Utf8, "opened_on": pl.Date, "team": pl.Utf8}
USER_SCHEMA: dict[str, ColumnType] = {"user_id": pl.Utf8, "username": pl.Utf8, "role": pl.Utf8, "team": pl.Utf8}
EVENT_SCHEMA: dict[str, ColumnType] = {
    "event_id": pl.Utf8,
    "case_id": pl.Utf8,
    "client_id": pl.Utf8,
    "type": pl.Utf8,
    "effective_date": pl.Date,
    "recorded_at": pl.Datetime("us", "UTC"),
    "actor": pl.Utf8,
    "actor_role": pl.Utf8,
    "payload": pl.Utf8,
    "deviates": pl.Boolean,
    "recommendation": pl.Utf8,
    "decided": pl.Utf8,
    **{c: pl.Utf8 for c in DECISION_COLUMNS},
    **PAYLOAD_COLUMNS,
}


MEMO_SIZE = 64


@dataclass
class Frames:
    municipality: str
    clients: pl.DataFrame
    cases: pl.DataFrame
    events: pl.DataFrame
    users: pl.DataFrame
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per key while ``events`` and ``cases`` are unchanged (the same objects).

        Memoised values are shared: treat them as read-only (polars operations return new frames anyway). At most
        :data:`MEMO_SIZE` values are kept, the least recently used go first (a dashboard asked for many different
        dates must not grow without bound).
        """
        tables = (self.events, self.cases)
        memo = self._memo
        if memo.get("__tables__", (None, None))[0] is not tables[0] or memo["__tables__"][1] is not tables[1]:
            memo.clear()
            memo["__tables__"] = tables
        if key in memo:
            value = memo.pop(key)  # re-insert: dicts keep insertion order, so the first key is the least recent
        else:
            value = compute()
            while len(memo) > MEMO_SIZE:
                memo.pop(next(k for k in memo if k != "__tables__"))
        memo[key] = value
        return value


# Columns too wide for per-type scans (JSON and free text); :func:`of_type` leaves them out unless asked for.
HEAVY_COLUMNS = ("payload", "recommendation", "decided", "motivation", "legal_basis")
# The columns the cohort KPIs and the operational indicators read: a narrow per-type table is 3x faster to cut.
KPI_COLUMNS = (
    "event_id",
    "case_id",
    "client_id",
    "type",
    "effective_date",
    "deviates",
    "scope",
    "end_date",
    "exemption_id",
    "caseworker",
    "reason",
    "cbs_code",
    "trajectory_id",
    "kind",
    "provider",
    "module",
    "price",
    "cost",
    "result",
)
_BASE = ("case_id", "client_id", "effective_date")
# Per event type, the columns the KPI modules read from it (cutting 3-7 columns instead of 19 is 3-4x faster).
KPI_TYPE_COLUMNS: dict[str, tuple[str, ...]] = {
    "toekenning": _BASE,
    "plan_van_aanpak": _BASE,
    "uitstroom": (*_BASE, "reason"),
    "caseworker_toewijzing": (*_BASE, "caseworker"),
    "traject_start": (*_BASE, "trajectory_id", "provider", "module", "price"),
    "traject_einde": (*_BASE, "trajectory_id", "result", "cost"),
    "ontheffing_start": (*_BASE, "exemption_id", "scope", "end_date"),
    "ontheffing_einde": (*_BASE, "exemption_id"),
    "waarschuwing": _BASE,
    "maatregel": _BASE,
}


def kpi_columns(*types: str) -> tuple[str, ...]:
    """The union of :data:`KPI_TYPE_COLUMNS` for ``types`` (all :data:`KPI_COLUMNS` for other types)."""
    out: list[str] = []
    for t in types:
        for c in KPI_TYPE_COLUMNS.get(t, KPI_COLUMNS):
            if c not in out:
                out.append(c)
    return tuple(out)


def of_type(frames: Frames, *types: str, columns: Iterable[str] | None = None) -> pl.DataFrame:
    """The events of the given types, in log order, memoised on ``frames``.

    ``columns``: the columns to keep (default: all but :data:`HEAVY_COLUMNS`); pass :data:`KPI_COLUMNS` to share the
    KPI modules' memoised tables.
    """
    cols = tuple(columns) if columns is not None else tuple(c for c in frames.events.columns if c not in HEAVY_COLUMNS)
    key = ("of_type", tuple(sorted(types)), cols)

    def compute() -> pl.DataFrame:
        cond = pl.col("type") == types[0] if len(types) == 1 else pl.col("type").is_in(list(types))
        return frames.events.lazy().filter(cond).select(cols).collect()  # gathers only ``cols``

    return frames.memo(key, compute)


TABLES = ("clients", "cases", "events", "users")


def write_parquet(frames: Frames, directory: str | Path, extra: Mapping[str, pl.DataFrame] | None = None) -> None:
    """Write the four tables (and optional ``extra`` tables, e.g. key columns) as Parquet files into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        getattr(frames, name).write_parquet(directory / f"{name}.parquet", compression="uncompressed", statistics=False)
    for name, df in (extra or {}).items():
        df.write_parquet(directory / f"{name}.parquet", compression="uncompressed", statistics=False)


def write_ipc(frames: Frames, directory: str | Path, extra: Mapping[str, pl.DataFrame] | None = None) -> None:
    """Write the four tables (and ``extra`` tables) as uncompressed Arrow IPC files (memory-mappable)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, df in [*((n, getattr(frames, n)) for n in TABLES), *(extra or {}).items()]:
        df.write_ipc(directory / f"{name}.arrow", compression="uncompressed")


def read_ipc(directory: str | Path, municipality: str, extra: Iterable[str] = ()) -> tuple[Frames, dict]:
    """Read tables written by :func:`write_ipc`, memory-mapped (never rewrite those files in place)."""
    directory = Path(directory)
    tables = {name: pl.read_ipc(directory / f"{name}.arrow", memory_map=True) for name in (*TABLES, *extra)}
    frames = Frames(municipality, *(tables.pop(name) for name in TABLES))
    return frames, tables


def read_parquet(
    directory: str | Path,
    municipality: str,
    extra: Iterable[str] = (),
    events: Callable[[pl.LazyFrame], pl.LazyFrame] | None = None,
) -> tuple[Frames, dict]:
    """Read tables written by :func:`write_parquet`: the frames and a dict of the ``extra`` tables.

    ``events``: applied to a lazy scan of the events table, so that only the columns and rows it keeps are read
    (e.g. ``regie.core.equity.report_events``: a tenth of the table)."""
    directory = Path(directory)
    tables = {name: pl.read_parquet(directory / f"{name}.parquet") for name in (*TABLES, *extra) if name != "events"}
    scan = pl.scan_parquet(directory / "events.parquet")
    tables["events"] = (events(scan) if events is not None else scan).collect()
    frames = Frames(municipality, *(tables.pop(name) for name in TABLES))
    return frames, tables


def _d(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def client_row(client_id: str, rec: Mapping) -> dict:
    hh = rec.get("household") or {}
    kids = [_d(c["birth_date"]) for c in hh.get("children", [])]
    return {
        "client_id": client_id,
        "birth_date": _d(rec["birth_date"]),
        "sex": rec.get("sex"),
        "education": rec.get("education") or None,
        "language": rec.get("language") or None,
        "origin": rec.get("origin") or None,
        "has_partner": bool(hh.get("partner")),
        "n_children": len(kids),
        "youngest_child_birth": max(kids) if kids else None,
        "other_adults": hh.get("other_adults", 0),
        "housing": rec.get("housing") or None,
    }


def event_row(
    event_id: str,
    case_id: str,
    client_id: str,
    etype: str,
    effective,
    recorded_at,
    actor,
    actor_role: str,
    payload: Mapping,
    decision: Mapping | None,
) -> dict:
    row = {
        "event_id": event_id,
        "case_id": case_id,
        "client_id": client_id,
        "type": etype,
        "effective_date": _d(effective),
        "recorded_at": recorded_at,
        "actor": actor,
        "actor_role": actor_role,
        # agenda: a journal note's free text stays out of the analytic tables (AVG data minimisation); the rest of
        # its payload (channel, confidential, category) is kept for counts
        "payload": orjson.dumps(
            {k: v for k, v in payload.items() if k != "text"} if etype == "notitie" else payload
        ).decode(),
        "deviates": bool(decision and decision.get("deviates")),
        "recommendation": orjson.dumps(decision["recommendation"]).decode()
        if decision and decision.get("recommendation") is not None
        else None,
        "decided": orjson.dumps(decision["decided"]).decode()
        if decision and decision.get("decided") is not None
        else None,
    }
    for c in DECISION_COLUMNS:
        row[c] = (decision or {}).get(c)
    for c, typ in PAYLOAD_COLUMNS.items():
        key = "motivation" if c == "motivation_level" else c
        v = payload.get(key)
        if c == "motivation_level" and etype != "intake":
            v = None
        if isinstance(v, (list, dict)):  # e.g. a terugvordering's list of months: not the maatregel's count
            v = None
        row[c] = _d(v) if typ == pl.Date and v is not None else v
    return row


def build(
    municipality: str, clients: Iterable[dict], cases: Iterable[dict], events: Iterable[dict], users: Iterable[dict]
) -> Frames:
    return Frames(
        municipality=municipality,
        clients=pl.DataFrame(list(clients), schema=CLIENT_SCHEMA),
        cases=pl.DataFrame(list(cases), schema=CASE_SCHEMA),
        events=pl.DataFrame(list(events), schema=EVENT_SCHEMA).sort(["case_id", "effective_date"], maintain_order=True),
        users=pl.DataFrame(list(users), schema=USER_SCHEMA),
    )


def from_jsonl(path: str | Path, normalise: bool = True, chunk: int = 250_000) -> Frames:
    """Read a regie-jsonl file into analytic tables.

    With ``normalise`` (the default) every record is validated and given its schema defaults first, exactly as
    the importer does, so the tables equal those built from the database after an import. Pass ``False`` only
    for files Regie wrote itself (export, synth), which are already normalised; it is several times faster.
    Events are turned into columns every ``chunk`` rows, so memory stays bounded for national-size files.
    """
    municipality = ""
    clients, cases, events, users = [], [], [], []
    parts: list[pl.DataFrame] = []
    case_client: dict[str, str] = {}
    with open(path, "rb") as fh:
        for raw in fh:
            if not raw.strip():
                continue
            rec = orjson.loads(raw)
            if normalise:
                rec = _normalised(rec)
            kind = rec["record"]
            if kind == "event":
                recorded = dt.datetime.fromisoformat(rec["recorded_at"].replace("Z", "+00:00"))
                decision = rec.get("decision")
                if decision:  # as the importer stores it: history from a file is marked imported
                    decision = {**decision, "source": "import"}
                events.append(
                    event_row(
                        rec["id"],
                        rec["case"],
                        case_client[rec["case"]],
                        rec["type"],
                        rec["effective_date"],
                        recorded,
                        rec.get("actor"),
                        rec.get("actor_role", "systeem"),
                        rec.get("payload") or {},
                        decision,
                    )
                )
                if len(events) >= chunk:
                    parts.append(pl.DataFrame(events, schema=EVENT_SCHEMA))
                    events = []
            elif kind == "client":
                clients.append(client_row(rec["id"], rec))
            elif kind == "case":
                case_client[rec["id"]] = rec["client"]
                cases.append(
                    {
                        "case_id": rec["id"],
                        "client_id": rec["client"],
                        "opened_on": _d(rec["opened_on"]),
                        "team": rec.get("team"),
                    }
                )
            elif kind == "user":
                users.append(
                    {"user_id": rec["id"], "username": rec["username"], "role": rec["role"], "team": rec.get("team")}
                )
            elif kind == "header":
                municipality = rec["municipality"]
    built = build(municipality, clients, cases, [], users)
    parts.append(pl.DataFrame(events, schema=EVENT_SCHEMA))
    built.events = pl.concat(parts, rechunk=True).sort(["case_id", "effective_date"], maintain_order=True)
    return built


def _normalised(rec: dict) -> dict:
    from .events import validate_event
    from .records import RECORD_ADAPTER

    out = RECORD_ADAPTER.validate_python(rec).model_dump(mode="json", exclude_none=True)
    if out["record"] == "event":
        out["payload"], decision = validate_event(out["type"], out.get("payload"), out.get("decision"))
        if decision is not None:
            out["decision"] = decision
    return out
