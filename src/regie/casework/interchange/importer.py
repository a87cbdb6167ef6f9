"""Import of the Regie JSON Lines format (docs/import-format.md).

All-or-nothing in two passes:

1. **Validate** every line (record schema, event payload per type, references to earlier lines, uniqueness in the
   file and against the database). Every error is collected with its line number, field and reason. Normalised
   records are spooled to a temporary file so the second pass does not validate again.
2. **Write**, only if pass 1 found nothing: one database transaction, bulk inserts, then the projections are
   rebuilt from the inserted events. A crash or kill in pass 2 rolls the whole transaction back.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import orjson
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.dispatch import Signal
from pydantic import ValidationError

from regie.accounts.models import Municipality, Provider, Team, User
from regie.audit import services as audit
from regie.core.events import EventError, dutch_message, validate_event
from regie.core.policy import PolicyUnavailable
from regie.core.records import RECORD_ADAPTER

from .. import bulk, search
from ..models import Case, Client, Event
from ..services import rebuild_projections
from ..validation import CaseHistory, provider_codes, provider_problem, search_period_end

MAX_REPORTED_ERRORS = 1000


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


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
    """Pass 1: validate the stream, spool normalised records."""

    def __init__(self, municipality_code: str, spool: IO[bytes]):
        self.code = municipality_code
        self.spool = spool
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

    def error(self, line: int, fieldname: str, message: str) -> None:
        self.total_errors += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(LineError(line, fieldname, message))

    def ref(self, line: int, kind: str, fieldname: str, value: str | None) -> None:
        if value is not None and value not in self.ids[kind]:
            self.error(line, fieldname, f"refers to {kind} {value!r}, which no earlier line defines")

    def line(self, lineno: int, raw: bytes) -> None:
        if not raw.strip():
            return
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            self.error(lineno, "line", f"not valid JSON: {exc}")
            return
        if not isinstance(data, dict):
            self.error(lineno, "line", "must be a JSON object")
            return
        kind = data.get("record")
        if not self.header_seen and kind != "header":
            self.error(lineno, "record", "the first line must be the header record")
            self.header_seen = True  # report once
        try:
            rec = RECORD_ADAPTER.validate_python(data)
        except ValidationError as exc:
            for e in _pydantic_errors(lineno, exc):
                self.error(e.line, e.field, e.message.removeprefix("Value error, "))
            return
        out = rec.model_dump(mode="json", exclude_none=True)
        check = getattr(self, f"_check_{rec.record}")
        if check(lineno, out) is False:
            return
        self.counts[rec.record] = self.counts.get(rec.record, 0) + 1
        self.spool.write(orjson.dumps(out) + b"\n")

    def _unique(self, lineno: int, kind: str, rid: str) -> bool:
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

    def _check_event(self, lineno: int, rec: dict) -> bool:
        if not self._unique(lineno, "event", rec["id"]):
            return False
        self.ref(lineno, "case", "case", rec["case"])
        self.ref(lineno, "user", "actor", rec.get("actor"))
        effective = dt.date.fromisoformat(rec["effective_date"])
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
        if rec["type"] == "caseworker_toewijzing":
            self.ref(lineno, "user", "payload.caseworker", payload["caseworker"])
        if (
            rec["type"] == "traject_start"
            and payload.get("provider") not in self.ids["provider"]
            and (problem := provider_problem(payload.get("provider"), self.db_providers))
        ):
            self.error(lineno, "payload.provider", problem)
        if rec["type"] == "melding" and not payload.get("search_period_end"):
            # Set from the national layer in force, only where the file has none (history keeps its own value).
            born = self.birth.get(self.case_client.get(rec["case"], ""))
            try:
                end = search_period_end(dt.date.fromisoformat(born) if born else None, effective)
            except PolicyUnavailable as exc:
                self.error(lineno, "payload.search_period_end", exc.message)
                return False
            if end is not None:
                payload["search_period_end"] = end.isoformat()
        self.histories.setdefault(rec["case"], CaseHistory()).add(rec["type"], effective, payload, lineno)
        return True

    def finish(self, line_count: int) -> None:
        if line_count == 0:
            self.error(0, "file", "the file is empty")
        context = sorted((ref, f, m) for h in self.histories.values() for ref, f, m in h.problems())
        for lineno, fieldname, message in context:
            self.error(lineno, fieldname, message)
        if self.municipality and self.bsns:
            bsns = list(self.bsns)
            for start in range(0, len(bsns), 5000):
                taken = Client.objects.filter(municipality=self.municipality, bsn__in=bsns[start : start + 5000])
                for bsn in taken.values_list("bsn", flat=True)[:50]:
                    self.error(
                        0, "bsn", f"a client with BSN ending {bsn[-3:]} already exists in municipality {self.code}"
                    )
        if self.municipality:
            for kind, model in (("client", Client), ("case", Case)):
                ids = list(self.ids[kind])
                for start in range(0, len(ids), 5000):
                    dup = model.objects.filter(
                        municipality=self.municipality, external_id__in=ids[start : start + 5000]
                    )
                    for ext in dup.values_list("external_id", flat=True)[:50]:
                        self.error(0, "id", f"{kind} {ext!r} already exists in municipality {self.code}")


def _read_lines(source: Path | IO[bytes]) -> Iterator[tuple[int, bytes]]:
    handle = open(source, "rb") if isinstance(source, (str, Path)) else source
    try:
        yield from enumerate(handle, start=1)
    finally:
        if handle is not source:
            handle.close()


def validate_file(source: Path, municipality_code: str, progress: Callable[[int], None] | None = None):
    """Pass 1 only. Returns (validator, spool file). Raises ImportRefused on any error."""
    spool = tempfile.TemporaryFile()
    v = _Validator(municipality_code, spool)
    count = 0
    for lineno, raw in _read_lines(source):
        v.line(lineno, raw)
        count = lineno
        if progress and raw.startswith(b'{"record":"client"'):
            progress(1)
    v.finish(count)
    if v.total_errors:
        spool.close()
        raise ImportRefused(v.errors, v.total_errors)
    spool.seek(0)
    return v, spool


log = logging.getLogger(__name__)
BATCH = 5000

# Sent after an import has been committed, with ``municipality``: the analytic tables (regie.analytics) prepare
# their copy of the log in a background job, so the first dashboard is not slow. Casework does not know who listens.
imported = Signal()


def import_file(
    source: Path,
    municipality_code: str,
    *,
    actor=None,
    origin: str | None = None,
    progress: Callable[[int], None] | None = None,
    demo_password: str | None = None,
) -> ImportReport:
    """Import a regie-jsonl file into municipality ``municipality_code``; all or nothing.

    ``progress(n)`` is called with numbers of client records handled (once in validation, once in writing).
    ``demo_password`` sets one password for all imported users (used by ``regie demo`` only).
    """
    validator, spool = validate_file(source, municipality_code, progress)
    actor = actor or audit.cli_actor()
    origin = origin or audit.cli_origin()
    report = ImportReport(municipality=municipality_code, counts=dict(validator.counts))
    with spool, transaction.atomic():
        muni = validator.municipality
        if muni is None:
            name = (validator.header or {}).get("municipality_name") or f"Gemeente {municipality_code}"
            muni = Municipality.objects.create(code=municipality_code, name=name)
            report.created_municipality = True
        writer = _Writer(muni, demo_password, progress)
        for raw in spool:
            writer.add(orjson.loads(raw))
        writer.flush_all()
        rebuild_projections(muni.id)
        # the postcode key follows imported address events (client record), as it does on the web
        search.reindex(
            muni.id,
            client_ids=Event.objects.filter(municipality=muni, type="adres_wijziging")
            .values_list("case__client_id", flat=True)
            .distinct(),
        )
        _refresh_statistics()
        audit.log(
            actor=actor,
            action="import",
            object_type="municipality",
            object_id=muni.code,
            origin=origin,
            municipality_id=muni.id,
            detail=orjson.dumps(report.counts).decode()[:500],
        )
    for receiver, result in imported.send_robust(sender=import_file, municipality=muni):
        if isinstance(result, Exception):  # the import itself is committed; a listener's failure is only a warning
            log.warning(
                "after the import of %s: %s failed (%s)",
                muni.code,
                getattr(receiver, "__name__", receiver),
                type(result).__name__,
            )
    return report


def _refresh_statistics() -> None:
    """Let the query planner see the new row counts (a bulk import changes them by orders of magnitude)."""
    from django.db import connection

    tables = [m._meta.db_table for m in (Client, Case, Event)] + ["casework_casestate"]
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"ANALYZE {table}")


class _Writer:
    """Pass 2: bulk inserts in file order, resolving file ids to database keys."""

    def __init__(self, muni: Municipality, demo_password: str | None, progress):
        self.muni = muni
        self.progress = progress
        self.password = make_password(demo_password) if demo_password else make_password(None)
        self.team_pk: dict[str, int] = {}
        self.provider_pk: dict[str, int] = {}
        self.user_pk: dict[str, int] = {}
        self.username: dict[str, str] = {}
        self.client_pk: dict[str, int] = {}
        self.case_pk: dict[str, int] = {}
        self.pending_clients: list[tuple[str, dict]] = []
        self.pending_cases: list[tuple[str, dict]] = []
        self.pending_events: list[dict] = []

    def add(self, rec: dict) -> None:
        kind = rec["record"]
        if kind == "header":
            return
        if kind == "team":
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
        elif kind == "client":
            self.pending_clients.append((rec["id"], rec))
            if len(self.pending_clients) >= BATCH:
                self.flush_clients()
        elif kind == "case":
            self.pending_cases.append((rec["id"], rec))
            if len(self.pending_cases) >= BATCH:
                self.flush_cases()
        elif kind == "event":
            self.pending_events.append(rec)
            if len(self.pending_events) >= BATCH * 4:
                self.flush_events()

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
        ids = bulk.reserve_ids(Client._meta.db_table, len(self.pending_clients))
        rows = []
        for pk, (rid, rec) in zip(ids, self.pending_clients):
            self.client_pk[rid] = pk
            rows.append(
                (
                    pk,
                    self.muni.id,
                    rid,
                    rec["bsn"],
                    rec["given_name"],
                    rec["family_name"],
                    dt.date.fromisoformat(rec["birth_date"]),
                    rec["sex"],
                    rec.get("education", ""),
                    rec.get("language", ""),
                    rec.get("origin", ""),
                    rec.get("household", {}),
                    rec.get("housing", ""),
                    rec.get("contact", {}),
                    *search.name_keys(rec["given_name"], rec["family_name"]).values(),
                    search.postcode_key((rec.get("contact") or {}).get("postcode")),
                )
            )
        bulk.insert(Client._meta.db_table, self.CLIENT_COLUMNS, rows)
        if self.progress:
            self.progress(len(rows))
        self.pending_clients = []

    def flush_cases(self) -> None:
        if not self.pending_cases:
            return
        self.flush_clients()
        ids = bulk.reserve_ids(Case._meta.db_table, len(self.pending_cases))
        rows = []
        for pk, (rid, rec) in zip(ids, self.pending_cases):
            self.case_pk[rid] = pk
            rows.append(
                (
                    pk,
                    self.muni.id,
                    self.client_pk[rec["client"]],
                    rid,
                    dt.date.fromisoformat(rec["opened_on"]),
                    self.team_pk.get(rec.get("team")),
                )
            )
        bulk.insert(
            Case._meta.db_table, ("id", "municipality_id", "client_id", "external_id", "opened_on", "team_id"), rows
        )
        self.pending_cases = []

    def flush_events(self) -> None:
        if not self.pending_events:
            return
        self.flush_cases()
        rows = []
        for rec in self.pending_events:
            payload = rec["payload"]
            if rec["type"] == "caseworker_toewijzing":
                payload = {**payload, "caseworker": self.username[payload["caseworker"]]}
            decision = rec.get("decision")
            if decision:
                # History recorded elsewhere keeps its decisions as recorded (recommendation, deviates, approval),
                # but did not pass this Regie's decision gate: marked, so the equity monitor can tell it apart.
                decision = {**decision, "source": "import"}
            rows.append(
                (
                    self.muni.id,
                    self.case_pk[rec["case"]],
                    rec["id"],
                    rec["type"],
                    dt.date.fromisoformat(rec["effective_date"]),
                    dt.datetime.fromisoformat(rec["recorded_at"].replace("Z", "+00:00")),
                    self.user_pk.get(rec.get("actor")),
                    rec["actor_role"],
                    payload,
                    decision,
                    bool(decision and decision.get("deviates")),
                    (decision or {}).get("policy_version") or "",
                )
            )
        bulk.insert(
            Event._meta.db_table,
            (
                "municipality_id",
                "case_id",
                "external_id",
                "type",
                "effective_date",
                "recorded_at",
                "actor_id",
                "actor_role",
                "payload",
                "decision",
                "deviates",
                "policy_version",
            ),
            rows,
        )
        self.pending_events = []

    def flush_all(self) -> None:
        self.flush_clients()
        self.flush_cases()
        self.flush_events()


# --- Export -----------------------------------------------------------------------------------------------------
