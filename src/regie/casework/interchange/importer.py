"""Import of the Regie JSON Lines format (docs/import-format.md).

All-or-nothing in one pass, inside one database transaction:

- **Validate** every line (record schema, event payload per type, references to earlier lines, uniqueness in the
  file and against the database). Every error is collected with its line number, field and reason.
- **Write** each validated record while the file has had no error (bulk inserts: SQLite ``executemany``,
  PostgreSQL ``COPY``; validated ISO dates are written as they are). The case projections are folded from the
  events as they are written. Into empty tables the secondary indexes are built after the load.
- Any error (a line, the case context checked at the end, a duplicate against the database) raises
  :class:`ImportRefused` and rolls back everything written; so does a crash or kill.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import threading
import time
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import orjson
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from pydantic import ValidationError

from regie.accounts.models import Municipality, Provider, Team, User
from regie.audit import services as audit
from regie.core.events import (
    EARLIEST_DATE,
    PLANNED_DATE_FIELDS,
    PLANNED_HORIZON_DAYS,
    EventError,
    date_errors,
    dutch_message,
    effective_date_horizon,
    validate_event,
)
from regie.core.policy import PolicyUnavailable
from regie.core.projection import CaseSnapshot, apply
from regie.core.records import RECORD_ADAPTER

from .. import bulk, search
from ..models import Case, CaseState, Client, Event
from ..services import STATE_COLUMNS
from ..services import _state_fields as state_fields
from ..validation import (
    REFERENCING_TYPES,
    CaseHistory,
    provider_codes,
    provider_problem,
    reference_problems,
    search_period_end,
    search_period_rules,
)
from .lines import EventLines, line_adapter

MAX_REPORTED_ERRORS = 1000
EARLIEST_ISO = EARLIEST_DATE.isoformat()


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class _Recheck(Exception):
    """The compact event-id check saw a hash twice: the file is validated again with the exact one."""


class ImportRefused(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, errors: list[LineError], total: int):
        self.errors, self.total = errors, total
        super().__init__(f"{total} error(s); nothing was imported")


@dataclass
class ImportReport:
    municipality: str
    counts: dict[str, int] = field(default_factory=dict)
    created_municipality: bool = False


def _pydantic_errors(line: int, exc: ValidationError, prefix: str = "") -> list[LineError]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        if loc and loc[0] in ("header", "team", "provider", "user", "client", "case", "event"):
            loc = loc[1:]  # drop the discriminator tag pydantic puts first
        name = ".".join(loc) or prefix or "record"
        out.append(LineError(line, f"{prefix}.{name}" if prefix and loc else name, dutch_message(name, err)))
    return out


class _Validator:
    """Validates the stream line by line; :meth:`line` returns each normalised record."""

    def __init__(self, municipality_code: str, exact: bool = True):
        self.code = municipality_code
        # exact=False: event ids are kept as their 64-bit hashes (8 bytes each instead of ~90: a tenth of a
        # national file's memory); a hash seen twice raises _Recheck at the end and the caller validates the file
        # again exactly (import_file), so the messages are those of the exact check
        self.exact = exact
        self.event_hashes = array("q")
        self.errors: list[LineError] = []
        self.total_errors = 0
        self.counts: dict[str, int] = {}
        self.ids: dict[str, set[str]] = {k: set() for k in ("team", "provider", "user", "client", "case", "event")}
        self.bsns: set[str] = set()
        self.usernames: set[str] = set()
        self.header_seen = False
        self.municipality: Municipality | None = Municipality.objects.filter(code=municipality_code).first()
        self.header: dict | None = None
        # The case context (validation.CaseHistory per case, checked in finish: events may come in any order).
        self.today = dt.date.today()
        self.birth: dict[str, str] = {}  # client id -> birth date
        self.case_client: dict[str, str] = {}  # case id -> client id
        self.histories: dict[str, CaseHistory] = {}
        self.db_providers: set[str] = provider_codes(self.municipality.id) if self.municipality else set()
        self.memo: dict = {}  # employers2: the reference checks' cache for this file (validation.reference_problems)
        self.fast = line_adapter().validator.validate_python  # the union's validator (TypeAdapter wraps it)
        self.events = EventLines()  # event lines: the union's record with memoised payloads and decisions
        self.extras = _EXTRA_TYPES | REFERENCING_TYPES  # event types checked past the common part
        # the national search period rule, looked up once per melding date; the latest plausible dates per
        # event type and per planned-date horizon start (:meth:`_date_errors`)
        self.search_rule = search_period_rules()
        self.type_bounds: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.planned_latest: dict[str, str] = {}
        # the largest client and case ids before this import: duplicates are checked against those rows only
        self.bounds: tuple[int, int] = (0, 0)
        if self.municipality:
            self.bounds = tuple(
                model.objects.filter(municipality=self.municipality)
                .order_by("-id")
                .values_list("id", flat=True)
                .first()
                or 0
                for model in (Client, Case)
            )

    def error(self, line: int, fieldname: str, message: str) -> None:
        self.total_errors += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(LineError(line, fieldname, message))

    def ref(self, line: int, kind: str, fieldname: str, value: str | None) -> None:
        if value is not None and value not in self.ids[kind]:
            self.error(line, fieldname, f"refers to {kind} {value!r}, which no earlier line defines")

    def line(self, lineno: int, raw: bytes, accepted: dict | None = None) -> dict | None:
        """The normalised record of one line, or None (empty line, or errors recorded).

        A line the one-pass union (:mod:`.lines`) accepts is taken as it gives it; any other line takes the
        reference path (``orjson``, the record schema, then :func:`validate_event`), which names what is wrong.
        ``accepted``: the union's record of this line, made by the validating child process
        (:class:`_UnionPass`); None where the child did not accept the line (this process then tries it)."""
        if self.header_seen:
            out = accepted if accepted is not None else union_record(self.fast, raw, self.events)
            if out is not None:
                kind = out["record"]
                if kind == "event":
                    if self._check_validated_event(lineno, out) is False:
                        return None
                elif getattr(self, f"_check_{kind}")(lineno, out) is False:
                    return None
                self.counts[kind] = self.counts.get(kind, 0) + 1
                return out
        return self._reference_line(lineno, raw)

    def _reference_line(self, lineno: int, raw: bytes) -> dict | None:
        if not raw.strip():
            return None
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            self.error(lineno, "line", f"not valid JSON: {exc}")
            return None
        if not isinstance(data, dict):
            self.error(lineno, "line", "must be a JSON object")
            return None
        kind = data.get("record")
        if not self.header_seen and kind != "header":
            self.error(lineno, "record", "the first line must be the header record")
            self.header_seen = True  # report once
        try:
            rec = RECORD_ADAPTER.validate_python(data)
        except ValidationError as exc:
            for e in _pydantic_errors(lineno, exc):
                self.error(e.line, e.field, e.message.removeprefix("Value error, "))
            return None
        out = rec.model_dump(mode="json", exclude_none=True)
        check = getattr(self, f"_check_{rec.record}")
        if check(lineno, out) is False:
            return None
        self.counts[rec.record] = self.counts.get(rec.record, 0) + 1
        return out

    def _unique(self, lineno: int, kind: str, rid: str) -> bool:
        if kind == "event" and not self.exact:
            self.event_hashes.append(hash(rid))
            return True
        if rid in self.ids[kind]:
            self.error(lineno, "id", f"{kind} id {rid!r} occurs twice in the file")
            return False
        self.ids[kind].add(rid)
        return True

    def _check_header(self, lineno: int, rec: dict) -> bool:
        if lineno != 1 or self.header is not None:
            self.error(lineno, "record", "the header record must be the first line, and only once")
            return False
        self.header_seen = True
        self.header = rec
        if rec["municipality"] != self.code:
            self.error(
                lineno,
                "municipality",
                f"file is for municipality {rec['municipality']}, but --municipality is {self.code}",
            )
        return True

    def _check_team(self, lineno: int, rec: dict) -> bool:
        if not self._unique(lineno, "team", rec["id"]):
            return False
        if self.municipality and Team.objects.filter(municipality=self.municipality, code=rec["id"]).exists():
            self.error(lineno, "id", f"team {rec['id']!r} already exists in municipality {self.code}")
        return True

    def _check_provider(self, lineno: int, rec: dict) -> bool:
        if not self._unique(lineno, "provider", rec["id"]):
            return False
        if self.municipality and Provider.objects.filter(municipality=self.municipality, code=rec["id"]).exists():
            self.error(lineno, "id", f"provider {rec['id']!r} already exists in municipality {self.code}")
        return True

    def _check_user(self, lineno: int, rec: dict) -> bool:
        if not self._unique(lineno, "user", rec["id"]):
            return False
        self.ref(lineno, "team", "team", rec.get("team"))
        self.ref(lineno, "provider", "provider", rec.get("provider"))
        if rec["role"] == "provider_coach" and not rec.get("provider"):
            self.error(lineno, "provider", "a provider_coach must name the provider they work for")
        if rec["username"] in self.usernames:
            self.error(lineno, "username", f"username {rec['username']!r} occurs twice in the file")
        elif User.objects.filter(username=rec["username"]).exists():
            self.error(lineno, "username", f"username {rec['username']!r} is already taken")
        self.usernames.add(rec["username"])
        return True

    def _check_client(self, lineno: int, rec: dict) -> bool:
        if not self._unique(lineno, "client", rec["id"]):
            return False
        if rec["bsn"] in self.bsns:
            self.error(lineno, "bsn", "the same BSN occurs for two clients in the file")
        self.bsns.add(rec["bsn"])
        self.birth[rec["id"]] = rec["birth_date"]
        return True

    def _check_case(self, lineno: int, rec: dict) -> bool:
        if not self._unique(lineno, "case", rec["id"]):
            return False
        self.ref(lineno, "client", "client", rec["client"])
        self.ref(lineno, "team", "team", rec.get("team"))
        self.case_client[rec["id"]] = rec["client"]
        return True

    def _check_validated_event(self, lineno: int, rec: dict) -> bool:
        """:meth:`_check_event` of an event validated with its record (``validated=True``), the same checks in
        the same order with the per-event lookups inlined (import8: an event line is nine in ten of a file's
        lines; tests/foundation/test_import_lines.py compares both on every event of a generated file)."""
        rid, case, etype, effective_text = rec["id"], rec["case"], rec["type"], rec["effective_date"]
        if self.exact:
            if not self._unique(lineno, "event", rid):
                return False
        else:
            self.event_hashes.append(hash(rid))
        ids = self.ids
        if case not in ids["case"]:
            self.ref(lineno, "case", "case", case)
        actor = rec.get("actor")
        if actor is not None and actor not in ids["user"]:
            self.ref(lineno, "user", "actor", actor)
        effective = _dates.get(effective_text) or _iso_date(effective_text)
        payload = rec["payload"]
        # the date rules: none to check where the type has no planned dates and the effective date lies within
        # its type's bounds (:meth:`_date_errors`)
        latest, planned = self.type_bounds.get(etype) or self._type_bounds(etype)
        if planned or not EARLIEST_ISO <= effective_text <= latest:
            problems = self._date_errors(etype, effective_text, payload)
            if problems:
                for fieldname, message in problems:
                    self.error(lineno, fieldname, message)
                return False
        if etype in self.extras:
            return self._event_extras(lineno, rec, etype, effective, payload)
        history = self.histories.get(case)
        if history is None:  # (not setdefault: that builds a CaseHistory for every event)
            history = self.histories[case] = CaseHistory()
        history.add(etype, effective, payload, lineno)
        return True

    def _event_extras(self, lineno: int, rec: dict, etype: str, effective: dt.date, payload: dict) -> bool:
        """The tail of the event check: a caseworker, the employers' references, a provider, a melding's search
        period, then the case history. :meth:`_check_event` ends with it for every event; the inlined
        :meth:`_check_validated_event` for the types that need more than the history (:data:`_EXTRA_TYPES`,
        referencing)."""
        if etype == "caseworker_toewijzing":
            self.ref(lineno, "user", "payload.caseworker", payload["caseworker"])
        for fieldname, problem in reference_problems(
            self.municipality.id if self.municipality else None, etype, payload, self.memo
        ):
            self.error(lineno, fieldname, problem)  # employers2: a named employer or vacancy exists and is visible
        if (
            etype == "traject_start"
            and payload.get("provider") not in self.ids["provider"]
            and (problem := provider_problem(payload.get("provider"), self.db_providers))
        ):
            self.error(lineno, "payload.provider", problem)
        if etype == "melding" and not payload.get("search_period_end"):
            # Set from the national layer in force, only where the file has none (history keeps its own value).
            born = self.birth.get(self.case_client.get(rec["case"], ""))
            try:
                end = search_period_end(_iso_date(born) if born else None, effective, rule=self.search_rule)
            except PolicyUnavailable as exc:
                self.error(lineno, "payload.search_period_end", exc.message)
                return False
            if end is not None:
                payload["search_period_end"] = end.isoformat()
        history = self.histories.get(rec["case"])
        if history is None:  # (not setdefault: that builds a CaseHistory for every event)
            history = self.histories[rec["case"]] = CaseHistory()
        history.add(etype, effective, payload, lineno)
        return True

    def _check_event(self, lineno: int, rec: dict, validated: bool = False) -> bool:
        """The event in its file: ids, references, dates, the case context. ``validated``: its payload and
        decision were validated with the record (the one-pass union), so only the date rules are left of
        :func:`validate_event`."""
        if not self._unique(lineno, "event", rec["id"]):
            return False
        self.ref(lineno, "case", "case", rec["case"])
        self.ref(lineno, "user", "actor", rec.get("actor"))
        effective = _iso_date(rec["effective_date"])
        if validated:
            payload = rec["payload"]
            problems = self._date_errors(rec["type"], rec["effective_date"], payload)
            if problems:
                for fieldname, message in problems:
                    self.error(lineno, fieldname, message)
                return False
        else:
            try:
                payload, decision = validate_event(
                    rec["type"], rec.get("payload"), rec.get("decision"), effective_date=effective, today=self.today
                )
            except EventError as exc:
                for fieldname, message in exc.errors:
                    self.error(lineno, fieldname, message)
                return False
            rec["payload"] = payload
            if decision is None:
                rec.pop("decision", None)
            else:
                rec["decision"] = decision
        # the rest (a caseworker, the employers' references, a provider, a melding's search period, the case
        # history): one definition for this general check and the validated events' inlined one
        return self._event_extras(lineno, rec, rec["type"], effective, payload)

    def _type_bounds(self, event_type: str) -> tuple[str, tuple[str, ...]]:
        """(the latest plausible effective date as ISO text, the planned-date fields) of an event type."""
        latest = (self.today + dt.timedelta(days=effective_date_horizon(event_type))).isoformat()
        bounds = self.type_bounds[event_type] = (latest, tuple(PLANNED_DATE_FIELDS.get(event_type, ())))
        return bounds

    def _date_errors(self, event_type: str, effective: str, payload: dict) -> list[tuple[str, str]]:
        """:func:`regie.core.events.date_errors` of a validated event; the function itself is asked only when a
        date lies outside the bounds it checks (compared as ISO text: validated dates are YYYY-MM-DD)."""
        # per type (import8; was per (type, date), which a file with dates over years misses often): the latest
        # plausible effective date and the planned-date fields
        latest, planned = self.type_bounds.get(event_type) or self._type_bounds(event_type)
        if not EARLIEST_ISO <= effective <= latest:
            planned = None
        if planned is not None:
            if not planned:
                return []
            latest = self.planned_latest.get(effective)
            if latest is None:
                on = max(self.today, _iso_date(effective)) + dt.timedelta(days=PLANNED_HORIZON_DAYS)
                latest = self.planned_latest[effective] = on.isoformat()
            if all(effective <= value <= latest for f in planned if (value := payload.get(f))):
                return []
        return date_errors(event_type, _iso_date(effective), payload, self.today)

    def finish(self, line_count: int) -> None:
        if not self.exact and len(self.event_hashes) > 1:
            import numpy as np

            hashes = np.sort(np.frombuffer(self.event_hashes, dtype=np.int64))
            if bool((hashes[1:] == hashes[:-1]).any()):
                raise _Recheck  # an event id twice (or, rarely, two ids with one hash)
        if line_count == 0:
            self.error(0, "file", "the file is empty")
        context = sorted((ref, f, m) for h in self.histories.values() for ref, f, m in h.problems())
        for lineno, fieldname, message in context:
            self.error(lineno, fieldname, message)
        if not self.municipality:
            return
        # Against the rows that were there before this import (its own rows are being written in the same
        # transaction, with ids above these bounds).
        client_max, case_max = self.bounds
        if self.bsns and client_max:
            bsns = list(self.bsns)
            for start in range(0, len(bsns), 5000):
                taken = Client.objects.filter(
                    municipality=self.municipality, id__lte=client_max, bsn__in=bsns[start : start + 5000]
                )
                for bsn in taken.values_list("bsn", flat=True)[:50]:
                    self.error(
                        0, "bsn", f"a client with BSN ending {bsn[-3:]} already exists in municipality {self.code}"
                    )
        for kind, model, bound in (("client", Client, client_max), ("case", Case, case_max)):
            ids = list(self.ids[kind]) if bound else []
            for start in range(0, len(ids), 5000):
                dup = model.objects.filter(
                    municipality=self.municipality, id__lte=bound, external_id__in=ids[start : start + 5000]
                )
                for ext in dup.values_list("external_id", flat=True)[:50]:
                    self.error(0, "id", f"{kind} {ext!r} already exists in municipality {self.code}")


def union_record(fast: Callable, raw: bytes, events: EventLines | None = None) -> dict | None:
    """The one-pass union's normalised record of one line (:mod:`.lines`), or None where the union refuses it
    (the reference path then gives the messages). ``events``: event lines are first tried by
    :class:`~.lines.EventLines` (the same record, memoised payloads and decisions); what it leaves goes to the
    union."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if events is not None and type(data) is dict and data.get("record") == "event":
        out = events(data)
        if out is not None:
            return out
    try:
        rec = fast(data)
    except ValidationError:
        return None
    # rec.model_dump without its wrapper, by the model's own serializer (the union's looks for it)
    return rec.__pydantic_serializer__.to_python(rec, mode="json", exclude_none=True)


# The union pass in a child process: files at least this large (smaller ones do not repay starting it), on a
# machine with a second core. (assumption: 8 MB, about 1,200 clients of the synthetic file.)
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
CHUNK_LINES = 2000


def _union_child(path: str, conn) -> None:
    """The child's work: the union pass of every line of ``path``, sent in chunks of :data:`CHUNK_LINES` as one
    JSON array each (a record, or null where the union refuses the line or its record does not survive JSON)."""
    gc.freeze()  # what was inherited from the parent is not scanned
    fast = line_adapter().validator.validate_python
    events = EventLines()
    dumps = orjson.dumps
    parts: list[bytes] = []
    with open(path, "rb") as handle:
        for raw in handle:
            out = union_record(fast, raw, events)
            try:
                parts.append(b"null" if out is None else dumps(out))
            except TypeError:  # (an integer beyond 64 bits): the parent validates this line itself
                parts.append(b"null")
            if len(parts) >= CHUNK_LINES:
                conn.send_bytes(b"[" + b",".join(parts) + b"]")
                parts = []
    conn.send_bytes(b"[" + b",".join(parts) + b"]")
    conn.send_bytes(b"")  # end of file
    conn.close()


class _UnionPass:
    """The one-pass union validation (the pydantic part of each line, about half of the importing process's
    CPU) run ahead in a forked child process, on the second core, while this process checks the file's context
    and writes: the child reads the file itself and sends each line's normalised record over a pipe (orjson
    bytes, one chunk of lines at a time; the pipe holds the child at most a chunk ahead). This process still
    does everything that needs the file's state or the database, and validates itself every line the child did
    not accept, so the result and the messages are those of validating here (test_import_one_pass.py).

    Forked, not spawned: the child has the union already built and never touches the database connection it
    inherits (it leaves by ``os._exit``, as multiprocessing's fork children do)."""

    def __init__(self, path: Path):
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.conn, child_conn = ctx.Pipe(duplex=False)
        line_adapter()  # built before the fork, so the child inherits it
        self.process = ctx.Process(target=_union_child, args=(str(path), child_conn), daemon=True)
        self.process.start()
        child_conn.close()

    def records(self) -> Iterator[dict | None]:
        """The child's record of each line, in file order."""
        while True:
            try:
                chunk = self.conn.recv_bytes()
            except EOFError:
                raise RuntimeError("the import's validating process stopped before the end of the file") from None
            if not chunk:
                return
            yield from orjson.loads(chunk)

    def close(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _parallel(source, parallel: bool | None) -> bool:
    if parallel is not None:
        return parallel and isinstance(source, (str, Path))
    return (
        isinstance(source, (str, Path))
        and (os.cpu_count() or 1) > 1
        # never fork a process with other threads (a web or job worker): a forked child inherits their locks held
        and threading.active_count() == 1
        and Path(source).stat().st_size >= PARALLEL_MIN_BYTES
    )


def _read_lines(source: Path | IO[bytes]) -> Iterator[tuple[int, bytes]]:
    handle = open(source, "rb") if isinstance(source, (str, Path)) else source
    try:
        yield from enumerate(handle, start=1)
    finally:
        if handle is not source:
            handle.close()


def validate_file(source: Path, municipality_code: str, progress: Callable[[int], None] | None = None):
    """Validation only, nothing written. Returns the validator; raises ImportRefused on any error.

    ``progress(n)`` is called with the number of bytes read."""
    v = _Validator(municipality_code)
    count = 0
    for lineno, raw in _read_lines(source):
        v.line(lineno, raw)
        count = lineno
        if progress:
            progress(len(raw))
    v.finish(count)
    if v.total_errors:
        raise ImportRefused(v.errors, v.total_errors)
    return v


log = logging.getLogger(__name__)
BATCH = 5000

# Sent after an import has been committed, with ``municipality``: the analytic tables (regie.analytics) prepare
# their copy of the log in a background job, so the first dashboard is not slow. Casework does not know who listens.
imported = Signal()

# Progress is counted in bytes of the file (validated and written in one pass); the steps after the pass are
# counted as a share of the file's size, measured on the 50,000-client benchmark (docs/performance.md): building
# the indexes, writing the projections, refreshing the planner statistics. An estimate, so that the bar's ETA
# does not stall at 100 % while they run.
FINISH_SHARE = {"indexes": 0.10, "projections": 0.08, "statistics": 0.04}


def import_work(source: Path) -> int:
    """The total of the units ``import_file`` reports to ``progress`` for this file."""
    size = Path(source).stat().st_size
    return size + sum(round(size * share) for share in FINISH_SHARE.values())


def import_file(
    source: Path,
    municipality_code: str,
    *,
    actor=None,
    origin: str | None = None,
    progress: Callable[[int], None] | None = None,
    demo_password: str | None = None,
    parallel: bool | None = None,
) -> ImportReport:
    """Import a regie-jsonl file into municipality ``municipality_code``; all or nothing.

    One pass: each line is validated and, while the file has no error, written (bulk inserts in one
    transaction). Errors found later (the case context, duplicates against the database) and every error at all
    roll the whole transaction back: :class:`ImportRefused` lists them and nothing is written. The case
    projections are folded while the events are written.

    ``progress(n)`` is called with units of work done: bytes of the file, then the finishing steps
    (:data:`FINISH_SHARE`); :func:`import_work` gives the total. Each step is also logged.
    ``demo_password`` sets one password for all imported users (used by ``regie demo`` only).
    ``parallel``: validate the lines' schemas ahead in a child process (:class:`_UnionPass`); by default for a
    file of at least :data:`PARALLEL_MIN_BYTES` on a machine with more than one core.
    """
    actor = actor or audit.cli_actor()
    origin = origin or audit.cli_origin()
    started = time.perf_counter()
    size = Path(source).stat().st_size if isinstance(source, (str, Path)) else 0
    rereadable = isinstance(source, (str, Path))
    union = _UnionPass(Path(source)) if _parallel(source, parallel) else None
    try:
        with transaction.atomic(), _long_lived_state():
            report, muni = _import_pass(
                source, municipality_code, union, actor, origin, progress, demo_password, started, size, rereadable
            )
    except (_Recheck, IntegrityError):
        # an event id hash seen twice, or the database refused a duplicate event id while writing (both rolled
        # back): the exact check gives the messages; if it finds nothing (two ids sharing a hash), import exactly
        if not rereadable:  # a stream is checked exactly from the start (no _Recheck): this is another error
            raise
        log.info("import %s: event ids checked again exactly", municipality_code)
        validate_file(source, municipality_code)
        with transaction.atomic(), _long_lived_state():
            report, muni = _import_pass(
                source, municipality_code, None, actor, origin, None, demo_password, started, size, False
            )
    finally:
        if union is not None:
            union.close()
    for receiver, result in imported.send_robust(sender=import_file, municipality=muni):
        if isinstance(result, Exception):  # the import itself is committed; a listener's failure is only a warning
            log.warning(
                "after the import of %s: %s failed (%s)",
                muni.code,
                getattr(receiver, "__name__", receiver),
                type(result).__name__,
            )
    log.info("import %s: done in %.1f s", municipality_code, _since(started))
    return report


def _import_pass(source, municipality_code, union, actor, origin, progress, demo_password, started, size, compact):
    """The import's one pass and its finishing steps, inside the caller's transaction. ``compact``: event ids
    checked by their hashes (:class:`_Validator`; raises :class:`_Recheck`)."""
    validator = _Validator(municipality_code, exact=not compact)
    writer: _Writer | None = None
    created = False
    count = 0
    accepted = union.records() if union is not None else None
    for lineno, raw in _read_lines(source):
        rec = validator.line(lineno, raw, next(accepted) if accepted is not None else None)
        count = lineno
        if rec is not None and not validator.total_errors:
            if writer is None:
                muni = validator.municipality
                if muni is None:
                    name = (validator.header or {}).get("municipality_name") or f"Gemeente {municipality_code}"
                    muni = Municipality.objects.create(code=municipality_code, name=name)
                    created = True
                writer = _Writer(muni, demo_password, fresh=validator.bounds == (0, 0))
            writer.add(rec)
        if progress:
            progress(len(raw))
        if not lineno % 50_000:
            gc.freeze()  # what the pass keeps (ids, case histories, projections) is not scanned again
    validator.finish(count)
    if validator.total_errors or writer is None:
        if not validator.total_errors:
            validator.error(0, "file", "the file has no records to import")
        raise ImportRefused(validator.errors, validator.total_errors)  # rolls back what was written
    writer.flush_all()
    log.info("import %s: %s lines validated and written in %.1f s", municipality_code, count, _since(started))
    muni = writer.muni
    steps = [
        ("indexes", writer.restore_indexes),
        ("projections", writer.write_projections),
        ("statistics", _refresh_statistics),
    ]
    for step, work in steps:
        t0 = time.perf_counter()
        work()
        log.info("import %s: %s in %.1f s", municipality_code, step, _since(t0))
        if progress:
            progress(round(size * FINISH_SHARE[step]))
    report = ImportReport(municipality=municipality_code, counts=dict(validator.counts), created_municipality=created)
    audit.log(
        actor=actor,
        action="import",
        object_type="municipality",
        object_id=muni.code,
        origin=origin,
        municipality_id=muni.id,
        detail=orjson.dumps(report.counts).decode()[:500],
    )
    return report, muni


@contextmanager
def _long_lived_state():
    """The pass keeps millions of objects for the whole import (the file's ids, each case's history and
    projection); the cyclic garbage collector would traverse all of them again at every full collection (about
    a tenth of the import's time at 10,000 clients). What is kept is frozen as the pass goes
    (``gc.freeze()``, the import loop) and unfrozen at the end, so it is collected as usual afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _since(t0: float) -> float:
    return time.perf_counter() - t0


def _refresh_statistics() -> None:
    """Let the query planner see the new row counts (a bulk import changes them by orders of magnitude)."""
    from django.db import connection

    tables = [m._meta.db_table for m in (Client, Case, Event)] + ["casework_casestate"]
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"ANALYZE {table}")


# Tables whose secondary indexes are built after the load when all of them are empty (a fresh installation, a
# benchmark, the demo): one sort per index instead of a B-tree insert per row. Indexes that back a constraint (the
# unique ids and BSN, primary keys) stay: the database keeps checking them row by row.
_LOAD_TABLES = ("casework_client", "casework_case", "casework_event", "casework_casestate")


def _secondary_indexes(cur, vendor: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the plain secondary indexes of the load tables."""
    if vendor == "sqlite":
        marks = ", ".join(["%s"] * len(_LOAD_TABLES))
        cur.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) AND sql NOT LIKE 'CREATE UNIQUE%%'",
            list(_LOAD_TABLES),
        )
        return list(cur.fetchall())
    if vendor == "postgresql":
        cur.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = ANY(%s) AND NOT x.indisprimary AND NOT x.indisunique "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            [list(_LOAD_TABLES)],
        )
        return list(cur.fetchall())
    return []


def _foreign_keys(cur) -> list[tuple[str, str, str]]:
    """(table, name, definition) of the foreign keys of the load tables (PostgreSQL)."""
    cur.execute(
        "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_class t ON t.oid = c.conrelid WHERE c.contype = 'f' AND t.relname = ANY(%s) "
        "AND pg_table_is_visible(t.oid) ORDER BY t.relname, c.conname",
        [list(_LOAD_TABLES)],
    )
    return list(cur.fetchall())


class _Writer:
    """Bulk inserts in file order, resolving file ids to database keys; folds each case's projection as its
    events are written (a case whose events come out of date order is refolded from the database at the end)."""

    def __init__(self, muni: Municipality, demo_password: str | None, fresh: bool = False):
        from django.db import connection

        self.muni = muni
        self.vendor = connection.vendor
        self.password = make_password(demo_password) if demo_password else make_password(None)
        self.team_pk: dict[str, int] = {}
        self.provider_pk: dict[str, int] = {}
        self.user_pk: dict[str, int] = {}
        self.username: dict[str, str] = {}
        self.client_pk: dict[str, int] = {}
        self.case_pk: dict[str, int] = {}
        self.client_ids, self.case_ids = bulk.IdBlocks(Client._meta.db_table), bulk.IdBlocks(Case._meta.db_table)
        self.pending_clients: list[tuple[int, str, dict]] = []
        self.pending_cases: list[tuple[int, str, dict]] = []
        self.pending_events: list[tuple] = []
        # the projection, folded while writing: case pk -> snapshot, the last effective date folded in
        self.snapshots: dict[int, CaseSnapshot] = {}
        self.last_date: dict[int, str] = {}
        self.refold: set[int] = set()
        self.dropped: list[tuple[str, str]] = []
        self.dropped_keys: list[tuple[str, str, str]] = []
        if fresh:
            self._drop_indexes()

    def _drop_indexes(self) -> None:
        from django.db import connection

        with connection.cursor() as cur:
            for table in _LOAD_TABLES:
                cur.execute(f"SELECT 1 FROM {table} LIMIT 1")
                if cur.fetchone():
                    return  # another municipality's rows are there: keep the indexes as they are
            self.dropped = _secondary_indexes(cur, self.vendor)
            for name, _ in self.dropped:
                cur.execute(f'DROP INDEX "{name}"')
            # PostgreSQL checks a foreign key per written row (a deferred trigger event each); added after the
            # load, each key is checked once for the whole table. Dropped in the import's transaction, so a
            # rollback brings them back. (SQLite cannot drop a constraint; it checks them at commit.)
            self.dropped_keys = _foreign_keys(cur) if self.vendor == "postgresql" else []
            for table, name, _ in self.dropped_keys:
                cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')

    def restore_indexes(self) -> None:
        from django.db import connection

        if not self.dropped and not self.dropped_keys:
            return
        with connection.cursor() as cur:
            if self.vendor == "postgresql":
                # the deferred foreign-key checks of the load run now (else at commit): PostgreSQL builds no index
                # on a table with pending trigger events
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _, sql in self.dropped:
                cur.execute(sql)
            for table, name, definition in self.dropped_keys:
                cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        self.dropped, self.dropped_keys = [], []

    def add(self, rec: dict) -> None:
        kind = rec["record"]
        if kind == "event":
            self._event(rec)
            if len(self.pending_events) >= BATCH * 4:
                self.flush_events()
        elif kind == "client":
            pk = self.client_ids.take()
            self.client_pk[rec["id"]] = pk
            self.pending_clients.append((pk, rec["id"], rec))
            if len(self.pending_clients) >= BATCH:
                self.flush_clients()
        elif kind == "case":
            pk = self.case_ids.take()
            self.case_pk[rec["id"]] = pk
            self.snapshots[pk] = CaseSnapshot()
            self.pending_cases.append((pk, rec["id"], rec))
            if len(self.pending_cases) >= BATCH:
                self.flush_cases()
        elif kind == "team":
            t = Team.objects.create(
                municipality=self.muni, code=rec["id"], name=rec["name"], client_group=rec.get("client_group", "")
            )
            self.team_pk[rec["id"]] = t.pk
        elif kind == "provider":
            p = Provider.objects.create(municipality=self.muni, code=rec["id"], name=rec["name"], kind=rec["kind"])
            self.provider_pk[rec["id"]] = p.pk
        elif kind == "user":
            given, _, family = rec["name"].partition(" ")
            u = User.objects.create(
                username=rec["username"],
                first_name=given[:150],
                last_name=family[:150],
                email=rec.get("email", ""),
                municipality=self.muni,
                role=rec["role"],
                team_id=self.team_pk.get(rec.get("team")),
                provider_id=self.provider_pk.get(rec.get("provider")),
                external_id=rec["id"],
                password=self.password,
            )
            self.user_pk[rec["id"]] = u.pk
            self.username[rec["id"]] = u.username

    CLIENT_COLUMNS = (
        "id",
        "municipality_id",
        "external_id",
        "bsn",
        "given_name",
        "family_name",
        "birth_date",
        "sex",
        "education",
        "language",
        "origin",
        "household",
        "housing",
        "contact",
        # search keys (regie.casework.search)
        "name_key",
        "family_key",
        "given_key",
        "postcode_key",
    )

    def flush_clients(self) -> None:
        if not self.pending_clients:
            return
        rows = []
        dumps = orjson.dumps
        for pk, rid, rec in self.pending_clients:
            rows.append(
                (
                    pk,
                    self.muni.id,
                    rid,
                    rec["bsn"],
                    rec["given_name"],
                    rec["family_name"],
                    rec["birth_date"],  # validated ISO date, stored as such
                    rec["sex"],
                    rec.get("education", ""),
                    rec.get("language", ""),
                    rec.get("origin", ""),
                    dumps(rec.get("household", {})).decode(),
                    rec.get("housing", ""),
                    dumps(rec.get("contact", {})).decode(),
                    *search.name_keys(rec["given_name"], rec["family_name"]).values(),
                    search.postcode_key((rec.get("contact") or {}).get("postcode")),
                )
            )
        bulk.insert_plain(Client._meta.db_table, self.CLIENT_COLUMNS, rows)
        self.pending_clients = []

    def flush_cases(self) -> None:
        if not self.pending_cases:
            return
        # parents first: a child row whose parent comes later makes SQLite look for children at each parent insert
        # (deferred foreign keys), a table scan without the index built after the load
        self.flush_clients()
        rows = [
            (pk, self.muni.id, self.client_pk[rec["client"]], rid, rec["opened_on"], self.team_pk.get(rec.get("team")))
            for pk, rid, rec in self.pending_cases
        ]
        bulk.insert_plain(
            Case._meta.db_table, ("id", "municipality_id", "client_id", "external_id", "opened_on", "team_id"), rows
        )
        self.pending_cases = []

    EVENT_COLUMNS = bulk.EVENT_COLUMNS[1:]  # ids from the table's own sequence

    def _event(self, rec: dict) -> None:
        payload = rec["payload"]
        etype = rec["type"]
        if etype == "caseworker_toewijzing":
            payload = {**payload, "caseworker": self.username[payload["caseworker"]]}
        decision = rec.get("decision")
        if decision:
            # History recorded elsewhere keeps its decisions as recorded (recommendation, deviates, approval),
            # but did not pass this Regie's decision gate: marked, so the equity monitor can tell it apart.
            decision = {**decision, "source": "import"}
        case_pk = self.case_pk[rec["case"]]  # its row may still be in the pending batch: the key is checked at commit
        effective = rec["effective_date"]
        # the projection: events of a case in date order (file order breaks ties, as the id does in the log)
        if case_pk not in self.refold:
            if effective < self.last_date.get(case_pk, ""):
                self.refold.add(case_pk)
            else:
                self.last_date[case_pk] = effective
                apply(self.snapshots[case_pk], etype, _dates.get(effective) or _iso_date(effective), payload, decision)
        recorded = rec["recorded_at"]
        self.pending_events.append(
            (
                self.muni.id,
                case_pk,
                rec["id"],
                etype,
                effective,
                # the union's UTC form "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" directly (as _timestamp does it)
                recorded[:-1].replace("T", " ") if recorded[-1] == "Z" else _timestamp(recorded),
                self.user_pk.get(rec.get("actor")),
                rec["actor_role"],
                orjson.dumps(payload).decode(),
                bool(decision and decision.get("deviates")),
                orjson.dumps(decision).decode() if decision else None,
                (decision or {}).get("policy_version") or "",
            )
        )

    def flush_events(self) -> None:
        if not self.pending_events:
            return
        self.flush_cases()
        bulk.insert_plain(Event._meta.db_table, self.EVENT_COLUMNS, self.pending_events)
        self.pending_events = []

    def flush_all(self) -> None:
        self.flush_clients()
        self.flush_cases()
        self.flush_events()

    def write_projections(self) -> None:
        """CaseState of every imported case: the snapshots folded while writing, the out-of-order cases refolded
        from the log; then the postcode keys of clients with imported address events (as on the web)."""
        caseworkers = dict(User.objects.filter(municipality=self.muni).values_list("username", "id"))
        refold = sorted(self.refold)
        for start in range(0, len(refold), 2000):
            chunk = refold[start : start + 2000]
            snaps = {cid: CaseSnapshot() for cid in chunk}
            rows = (
                Event.objects.filter(case_id__in=chunk)
                .order_by("case_id", "effective_date", "id")
                .values_list("case_id", "type", "effective_date", "payload", "decision")
            )
            for case_id, etype, eff, payload, decision in rows.iterator(chunk_size=5000):
                apply(snaps[case_id], etype, eff, payload or {}, decision)
            self.snapshots.update(snaps)
        rows = []
        table, columns = CaseState._meta.db_table, ("case_id", "municipality_id", *STATE_COLUMNS)
        for cid, snap in self.snapshots.items():
            f = state_fields(snap, caseworkers)
            f["snapshot"] = orjson.dumps(f["snapshot"]).decode()
            rows.append((cid, self.muni.id, *(f[c] for c in STATE_COLUMNS)))
            if len(rows) >= BATCH:
                bulk.insert(table, columns, rows)
                rows = []
        bulk.insert(table, columns, rows)
        search.reindex(
            self.muni.id,
            client_ids=Event.objects.filter(municipality=self.muni, type="adres_wijziging")
            .values_list("case__client_id", flat=True)
            .distinct(),
        )


_dates: dict[str, dt.date] = {}

# Event types whose check goes past the ids, references, date rules and case history (:meth:`_Validator.
# _event_extras`): a caseworker to look up, a provider, a search period to set, and the types that name employers or
# vacancies (validation.REFERENCING_TYPES, filled by the employers app at start-up: joined per validator).
_EXTRA_TYPES = frozenset(("caseworker_toewijzing", "traject_start", "melding"))


def _iso_date(text: str) -> dt.date:
    """A validated ISO date as a date (cached: a file has a few thousand distinct dates, a million events)."""
    value = _dates.get(text)
    if value is None:
        value = _dates[text] = dt.date.fromisoformat(text)
    return value


def _timestamp(text: str) -> str:
    """A validated ISO timestamp as the database stores it: UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]" (Django's form;
    PostgreSQL reads it as UTC, the session's time zone)."""
    if text.endswith("Z"):
        return text[:-1].replace("T", " ")
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ")


# --- Export -----------------------------------------------------------------------------------------------------
