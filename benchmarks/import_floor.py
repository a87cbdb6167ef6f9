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

from regie.casework import bulk

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
EVENT_COLUMNS = bulk.EVENT_COLUMNS  # Regie's own list (regie.casework.bulk), id first

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


def rows(path: Path, g: dict):
    """The rows of clients, cases and events of the file, in batches: yields (table, [row, ...])."""
    from regie.core.names import fold, surname_key  # the search keys: the same folding as Regie's rows

    muni, users, teams = g["muni"], g["users"], g["teams"]
    search_end = g["search_end"]
    payload_defaults, decision_defaults = g["payload_defaults"], g["decision_defaults"]
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
                        bool(decision and decision.get("deviates")),
                        dumps(decision).decode() if decision is not None else None,
                        (decision or {}).get("policy_version") or "",
                    )
                )
                if len(buf["casework_event"]) >= 20000:
                    yield "casework_event", buf["casework_event"]
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
        yield t, buf[t]


def run(path: Path, out_db: Path, g: dict) -> float:
    """Write the floor database; returns the seconds it took."""
    t0 = time.perf_counter()
    db = sqlite3.connect(out_db, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    for sql in g["tables"]:
        db.execute(sql)
    db.execute("BEGIN IMMEDIATE")
    sql = {t: f"INSERT INTO {t} ({', '.join(c)}) VALUES ({', '.join('?' * len(c))})" for t, c in COLUMNS.items()}
    held: dict[str, list] = {"casework_client": [], "casework_case": []}
    for table, batch in rows(path, g):
        if table == "casework_event":  # parents first (as Regie writes them)
            for parent in held:
                db.executemany(sql[parent], held[parent])
                held[parent] = []
            db.executemany(sql[table], batch)
        else:
            held[table] += batch
    for parent in held:
        db.executemany(sql[parent], held[parent])
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


# --- PostgreSQL: the COPY floor ------------------------------------------------------------------------------
# Run inside scripts/with-postgres (``python benchmarks/import_floor.py postgres FILE``, as benchmarks/run.py does):
# Regie's import of FILE into the database in a child process, then the floor into schema ``floor`` of the same
# database on the same server: tables without constraints or indexes (CREATE TABLE ... LIKE), the same rows by
# text COPY in one transaction, then the constraints (primary and unique keys, foreign keys, checks) and the
# secondary indexes as Regie's migrations made them, then ANALYZE. CPU time is counted for the importing process
# and for the server (the postmaster and all its backends: both run on this machine).


def server_cpu(conn) -> float:
    """CPU seconds used so far by the PostgreSQL server of ``conn`` (postmaster, live backends, reaped ones)."""
    import psutil

    with conn.cursor() as cur:
        cur.execute("SHOW data_directory")
        datadir = cur.fetchone()[0]
    pid = int(Path(datadir, "postmaster.pid").read_text().split()[0])
    master = psutil.Process(pid)
    t = master.cpu_times()
    total = t.user + t.system + t.children_user + t.children_system
    for child in master.children(recursive=True):
        try:
            c = child.cpu_times()
            total += c.user + c.system
        except psutil.NoSuchProcess:
            pass
    return total


def given_pg(conn, code: str) -> dict:
    """What the floor is handed (untimed), read from Regie's tables after its import."""
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM accounts_municipality WHERE code = %s", [code])
        (muni,) = cur.fetchone()
        cur.execute("SELECT id, external_id, username FROM accounts_user WHERE municipality_id = %s", [muni])
        users = {ext: (pk, name) for pk, ext, name in cur.fetchall()}
        cur.execute("SELECT code, id FROM accounts_team WHERE municipality_id = %s", [muni])
        teams = dict(cur.fetchall())
        first = {}
        for t in TABLES[:3]:
            cur.execute(f"SELECT MIN(id) FROM public.{t}")
            first[t] = cur.fetchone()[0] or 1
        cur.execute(f"SELECT {', '.join(STATE_COLUMNS)} FROM public.casework_casestate ORDER BY case_id")
        at = STATE_COLUMNS.index("snapshot")
        states = [(*r[:at], orjson.dumps(r[at]).decode(), *r[at + 1 :]) for r in cur.fetchall()]
        cur.execute(
            "SELECT external_id, payload->>'search_period_end' FROM public.casework_event "
            "WHERE type = 'melding' AND payload ? 'search_period_end'"
        )
        search_end = dict(cur.fetchall())
        ddl = {}
        for t in TABLES:
            cur.execute(
                "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class r ON r.oid = "
                "c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = 'public' AND "
                "r.relname = %s AND c.contype IN ('p', 'u', 'f', 'c', 'x') ORDER BY c.contype = 'f', c.conname",
                [t],
            )
            constraints = cur.fetchall()
            cur.execute(
                "SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class r ON r.oid = x.indrelid "
                "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = 'public' AND r.relname = %s "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                [t],
            )
            indexes = [r[0].replace(" ON public.", " ON floor.") for r in cur.fetchall()]
            ddl[t] = (constraints, indexes)
    return {
        "muni": muni,
        "users": users,
        "teams": teams,
        "first": first,
        "states": states,
        "search_end": search_end,
        "ddl": ddl,
        **defaults(),
    }


def run_pg(path: Path, dsn: str, g: dict) -> float:
    """Write the floor into schema ``floor`` of ``dsn``; returns the seconds it took."""
    import psycopg

    t0 = time.perf_counter()
    with psycopg.connect(dsn, autocommit=False) as conn, conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
        cur.execute("SET maintenance_work_mem = '256MB'")  # as Regie's import sets it for its index build
        cur.execute("DROP SCHEMA IF EXISTS floor CASCADE")
        cur.execute("CREATE SCHEMA floor")
        cur.execute("SET search_path = floor, public")  # the constraints' references: the floor's own tables
        for t in TABLES:
            cur.execute(f"CREATE TABLE floor.{t} (LIKE public.{t} INCLUDING DEFAULTS)")

        def copy(table: str, batch) -> None:
            with cur.copy(f"COPY floor.{table} ({', '.join(COLUMNS[table])}) FROM STDIN") as cp:
                for row in batch:
                    cp.write_row(row)

        for table, batch in rows(path, g):
            copy(table, batch)
        copy("casework_casestate", g["states"])
        for t in TABLES:
            constraints, indexes = g["ddl"][t]
            for name, definition in constraints:
                cur.execute(f'ALTER TABLE floor.{t} ADD CONSTRAINT "{name}" {definition}')
            for sql_index in indexes:
                cur.execute(sql_index)
        for t in TABLES:
            cur.execute(f"ANALYZE floor.{t}")
        conn.commit()
    return time.perf_counter() - t0


def compare_pg(dsn: str) -> dict[str, int]:
    """Rows that differ between Regie's tables (public) and the floor's, per table (compared in the server:
    EXCEPT ALL both ways; jsonb compares as parsed)."""
    import psycopg

    out = {}
    with psycopg.connect(dsn) as conn:
        for table, columns in COLUMNS.items():
            cols = ", ".join(columns)
            (bad,) = conn.execute(
                f"SELECT (SELECT COUNT(*) FROM (SELECT {cols} FROM public.{table} EXCEPT ALL "
                f"SELECT {cols} FROM floor.{table}) a) + (SELECT COUNT(*) FROM (SELECT {cols} FROM floor.{table} "
                f"EXCEPT ALL SELECT {cols} FROM public.{table}) b)"
            ).fetchone()
            out[table] = bad
            out[f"{table}_rows"] = conn.execute(f"SELECT COUNT(*) FROM public.{table}").fetchone()[0]
    return out


def postgres_main(path: Path, code: str = "0518") -> dict:
    """Regie's import and the floor on the server of $DATABASE_URL, with CPU times; printed as JSON."""
    import json
    import os
    import subprocess
    import sys

    import psycopg

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import IMPORT_SNIPPET

    url = os.environ["DATABASE_URL"]
    dsn = url.replace("postgres://", "postgresql://", 1)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--verbosity", "0", "--settings", "regie.platform.settings"],
        check=True,
    )
    with psycopg.connect(dsn, autocommit=True) as conn:
        s0 = server_cpu(conn)
        out = subprocess.run([sys.executable, "-c", IMPORT_SNIPPET, str(path)], check=True, capture_output=True)
        regie = json.loads(out.stdout.decode().strip().splitlines()[-1])
        regie["server_cpu_seconds"] = server_cpu(conn) - s0
        g = given_pg(conn, code)
        s0, c0 = server_cpu(conn), time.process_time()
        seconds = run_pg(path, dsn, g)
        floor = {
            "seconds": seconds,
            "cpu_seconds": time.process_time() - c0,
            "server_cpu_seconds": server_cpu(conn) - s0,
        }
    diff = compare_pg(dsn)
    floor["rows"] = diff
    regie["floor"] = floor
    regie["same_rows"] = all(v == 0 for k, v in diff.items() if not k.endswith("_rows"))
    return regie


if __name__ == "__main__":
    import json
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "postgres":
        print(json.dumps(postgres_main(Path(sys.argv[2])), default=str))
    else:
        sys.exit("usage: python benchmarks/import_floor.py postgres FILE  (inside scripts/with-postgres)")
