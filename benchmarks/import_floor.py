"""The import's floor: the same rows and tables written by plain sqlite3 in one transaction, indexes after.

``benchmarks/run.py`` runs it after Regie's import of the same file, in the same run, and first checks that the
floor's rows equal Regie's (every column of clients, cases, events and case states; JSON compared as parsed).

What the floor does, timed: read and parse every line (orjson), map file ids to keys, build each row (the search
keys with the same folding functions), dump the JSON columns, insert in one transaction (``executemany``), then
build the secondary indexes and ``ANALYZE``. What it is given, untimed: the schema (tables and indexes as Regie's
migrations made them, read from Regie's database) and the values Regie derives with its rules -- the case
projections (``casework_casestate`` rows) and the search period end of meldingen that have none in the file (from
the national policy layer). The floor does no validation at all; that is the point of a floor.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import orjson

TABLES = ("casework_client", "casework_case", "casework_event", "casework_casestate")
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
    "name_key",
    "family_key",
    "given_key",
    "postcode_key",
)
CASE_COLUMNS = ("id", "municipality_id", "client_id", "external_id", "opened_on", "team_id")
EVENT_COLUMNS = (
    "id",
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
)
STATE_COLUMNS = (
    "case_id",
    "municipality_id",
    "status",
    "caseworker_id",
    "level",
    "route",
    "benefit_start",
    "benefit_end",
    "last_event_on",
    "exempt",
    "open_trajectories",
    "version",
    "snapshot",
)
COLUMNS = dict(zip(TABLES, (CLIENT_COLUMNS, CASE_COLUMNS, EVENT_COLUMNS, STATE_COLUMNS)))
JSON_COLUMNS = {"household", "contact", "payload", "decision", "snapshot"}


def given(regie_db: Path, code: str) -> dict:
    """What the floor is handed (untimed), read from Regie's database after its import."""
    src = sqlite3.connect(regie_db)
    marks = ",".join("?" * len(TABLES))
    tables = [
        r[0] for r in src.execute(f"SELECT sql FROM sqlite_master WHERE type='table' AND name IN ({marks})", TABLES)
    ]
    indexes = [
        r[0]
        for r in src.execute(
            f"SELECT sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ({marks})", TABLES
        )
    ]
    (muni,) = src.execute("SELECT id FROM accounts_municipality WHERE code = ?", [code]).fetchone()
    users = {
        ext: (pk, name)
        for pk, ext, name in src.execute(
            "SELECT id, external_id, username FROM accounts_user WHERE municipality_id = ?", [muni]
        )
    }
    teams = dict(src.execute("SELECT code, id FROM accounts_team WHERE municipality_id = ?", [muni]))
    first = {t: (src.execute(f"SELECT MIN(id) FROM {t}").fetchone()[0] or 1) for t in TABLES[:3]}
    states = src.execute(f"SELECT {', '.join(STATE_COLUMNS)} FROM casework_casestate ORDER BY case_id").fetchall()
    search_end = dict(
        src.execute(
            "SELECT external_id, json_extract(payload, '$.search_period_end') FROM casework_event "
            "WHERE type = 'melding' AND json_extract(payload, '$.search_period_end') IS NOT NULL"
        )
    )
    src.close()
    return {
        "tables": tables,
        "indexes": indexes,
        "muni": muni,
        "users": users,
        "teams": teams,
        "first": first,
        "states": states,
        "search_end": search_end,
        **defaults(),
    }


def defaults() -> dict:
    """The payload and decision fields the schemas fill in when a file leaves them out (their defaults)."""
    from pydantic_core import PydanticUndefined, to_jsonable_python

    from regie.core.events import EVENT_TYPES, Decision

    def of(model) -> dict:
        out = {}
        for name, f in model.model_fields.items():
            value = f.default_factory() if f.default_factory is not None else f.default
            if value is not PydanticUndefined and value is not None:
                out[f.alias or name] = value
        return to_jsonable_python(out)

    return {"payload_defaults": {t: of(m) for t, m in EVENT_TYPES.items()}, "decision_defaults": of(Decision)}


def run(path: Path, out_db: Path, g: dict) -> float:
    """Write the floor database; returns the seconds it took."""
    from regie.core.names import fold, surname_key  # the search keys: the same folding as Regie's rows

    muni, users, teams = g["muni"], g["users"], g["teams"]
    search_end = g["search_end"]
    payload_defaults, decision_defaults = g["payload_defaults"], g["decision_defaults"]
    t0 = time.perf_counter()
    db = sqlite3.connect(out_db, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    for sql in g["tables"]:
        db.execute(sql)
    db.execute("BEGIN IMMEDIATE")
    sql = {t: f"INSERT INTO {t} ({', '.join(c)}) VALUES ({', '.join('?' * len(c))})" for t, c in COLUMNS.items()}
    client_pk: dict[str, int] = {}
    case_pk: dict[str, int] = {}
    next_id = dict(g["first"])
    buf: dict[str, list] = {t: [] for t in TABLES[:3]}
    dumps, loads = orjson.dumps, orjson.loads

    def postcode(contact):
        p = (contact.get("postcode") or "").replace(" ", "").lower()
        return p if len(p) == 6 and p[:4].isdigit() and p[0] != "0" and p[4:].isalpha() else ""

    with open(path, "rb") as fh:
        for raw in fh:
            rec = loads(raw)
            kind = rec["record"]
            if kind == "event":
                etype = rec["type"]
                payload = {**payload_defaults[etype], **(rec.get("payload") or {})}
                if etype == "caseworker_toewijzing":
                    payload["caseworker"] = users[payload["caseworker"]][1]
                elif etype == "melding" and "search_period_end" not in payload and rec["id"] in search_end:
                    payload["search_period_end"] = search_end[rec["id"]]
                decision = rec.get("decision")
                if decision is not None:
                    decision = {**decision_defaults, **decision, "source": "import"}
                actor = users.get(rec.get("actor"))
                pk = next_id["casework_event"]
                next_id["casework_event"] = pk + 1
                buf["casework_event"].append(
                    (
                        pk,
                        muni,
                        case_pk[rec["case"]],
                        rec["id"],
                        etype,
                        rec["effective_date"],
                        rec["recorded_at"][:19].replace("T", " "),
                        actor[0] if actor else None,
                        rec["actor_role"],
                        dumps(payload).decode(),
                        dumps(decision).decode() if decision is not None else None,
                        bool(decision and decision.get("deviates")),
                        (decision or {}).get("policy_version") or "",
                    )
                )
                if len(buf["casework_event"]) >= 20000:
                    db.executemany(sql["casework_event"], buf["casework_event"])
                    buf["casework_event"] = []
            elif kind == "case":
                pk = next_id["casework_case"]
                next_id["casework_case"] = pk + 1
                case_pk[rec["id"]] = pk
                buf["casework_case"].append(
                    (pk, muni, client_pk[rec["client"]], rec["id"], rec["opened_on"], teams.get(rec.get("team")))
                )
            elif kind == "client":
                pk = next_id["casework_client"]
                next_id["casework_client"] = pk + 1
                client_pk[rec["id"]] = pk
                contact = rec.get("contact") or {}
                buf["casework_client"].append(
                    (
                        pk,
                        muni,
                        rec["id"],
                        rec["bsn"],
                        rec["given_name"],
                        rec["family_name"],
                        rec["birth_date"],
                        rec["sex"],
                        rec.get("education", ""),
                        rec.get("language", ""),
                        rec.get("origin", ""),
                        dumps(rec.get("household") or {}).decode(),
                        rec.get("housing", ""),
                        dumps(contact).decode(),
                        surname_key(rec["family_name"]),
                        fold(rec["family_name"]),
                        fold(rec["given_name"]),
                        postcode(contact),
                    )
                )
    for t in ("casework_client", "casework_case", "casework_event"):
        db.executemany(sql[t], buf[t])
    db.executemany(sql["casework_casestate"], g["states"])
    for sql_index in g["indexes"]:
        db.execute(sql_index)
    for t in TABLES:
        db.execute(f"ANALYZE {t}")
    db.execute("COMMIT")
    db.close()
    return time.perf_counter() - t0


def compare(regie_db: Path, floor_db: Path) -> dict[str, int]:
    """Rows that differ between Regie's and the floor's database, per table (0 everywhere: the same rows)."""
    a, b = sqlite3.connect(regie_db), sqlite3.connect(floor_db)
    out = {}
    for table, columns in COLUMNS.items():
        key = columns[0]
        q = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {key}"
        json_at = [i for i, c in enumerate(columns) if c in JSON_COLUMNS]
        bad = 0
        n = 0
        for ra, rb in zip(a.execute(q), b.execute(q), strict=False):
            n += 1
            if ra != rb:
                la, lb = list(ra), list(rb)
                for i in json_at:
                    la[i] = orjson.loads(la[i]) if la[i] is not None else None
                    lb[i] = orjson.loads(lb[i]) if lb[i] is not None else None
                if la != lb:
                    bad += 1
        count_a = a.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        count_b = b.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        out[table] = bad + abs(count_a - count_b)
        out[f"{table}_rows"] = count_a
    return out
