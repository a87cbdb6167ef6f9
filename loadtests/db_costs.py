"""CPU per page on both sides of the database connection: the app process and (PostgreSQL) its server backend.

    DATABASE_URL=postgres://… REGIE_VAR_DIR=… python loadtests/db_costs.py [--n 20] [--user km.dijkstra]
        [--cases 3] [--json] [--cold]

`loadtests/page_costs.py` counts the app's CPU only; on PostgreSQL half of a page's work is in another process.
Per page of the locust mix (page_costs.pages), after one warm-up request, N requests one after another; per request
the means of: the app's CPU (time.process_time), the CPU of this connection's PostgreSQL backend (the first field of
/proc/<pid>/schedstat: nanoseconds on a CPU, read before and after), the wall time, the SQL statements Django sent
(CaptureQueriesContext), and from the server's own counters (a second connection, read after the stats have been
flushed): the statements the server ran (pg_stat_statements calls, BEGIN/COMMIT/SAVEPOINT included, so the round
trips) and the WAL bytes written (the audit row, session and memo writes). The server needs
`shared_preload_libraries=pg_stat_statements` for the statement counts (otherwise they are left out).
--cold: each case page is a case not requested before in this process (the worklist's cases in turn), with the
process memo cleared and no shared store, as a worker that meets the case for the first time.
On SQLite the database's work is in the app's CPU and only the app side is shown.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from page_costs import MIX, _client, pages  # noqa: E402

CLIENT_LINK = re.compile(r'href="/clienten/(\d+)/"')


def _backend_ns(pid: int | None) -> int:
    if pid is None:
        return 0
    with open(f"/proc/{pid}/schedstat") as fh:
        return int(fh.read().split()[0])


class Server:
    """The PostgreSQL server's counters, read on a connection of its own."""

    def __init__(self):
        import psycopg

        s = connection.settings_dict
        self.conn = psycopg.connect(
            host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"] or None, dbname=s["NAME"]
        )
        self.conn.autocommit = True
        self.statements = bool(
            self.conn.execute("select 1 from pg_extension where extname = 'pg_stat_statements'").fetchone()
        )

    def counters(self) -> dict:
        # pg_stat_database's commits are flushed by a backend only when it has been idle for a while (and every
        # autocommit SELECT is a transaction of its own), so writes are counted as WAL bytes, which move at once
        out = {"wal_bytes": self.conn.execute("select pg_current_wal_insert_lsn() - '0/0'").fetchone()[0]}
        if self.statements:
            out["statements"] = self.conn.execute(
                "select coalesce(sum(calls), 0) from pg_stat_statements where dbid = "
                "(select oid from pg_database where datname = current_database()) and query not like '%pg_stat%'"
                " and query not like 'select pg_backend_pid()%'"
            ).fetchone()[0]
        return out


def backend_pid() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("select pg_backend_pid()")
        return cur.fetchone()[0]


def measure(c, urls: list[str], server: Server | None) -> dict:
    """Means over the requests of ``urls`` (one request each, in order)."""
    pid = backend_pid()
    before = server.counters() if server else {}
    app = db = wall = 0.0
    queries = 0
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            b0 = _backend_ns(pid)
            t0, w0 = time.process_time(), time.perf_counter()
            r = c.get(url)
            app += time.process_time() - t0
            wall += time.perf_counter() - w0
            db += (_backend_ns(pid) - b0) / 1e9
        if r.status_code != 200:
            raise SystemExit(f"{url}: HTTP {r.status_code}")
        queries += len(ctx.captured_queries)
        if backend_pid() != pid:
            raise SystemExit("the connection changed during the measurement")
    n = len(urls)
    out = {
        "app_ms": round(app * 1000 / n, 2),
        "db_ms": round(db * 1000 / n, 2),
        "wall_ms": round(wall * 1000 / n, 2),
        "queries": round(queries / n, 1),
    }
    if server:
        after = server.counters()
        for k in after:
            out[k] = round(float(after[k] - before[k]) / n, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--user", default="km.dijkstra")
    ap.add_argument("--cases", type=int, default=3)
    ap.add_argument("--cold", action="store_true", help="case pages of cases not seen before, memo cleared")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from regie.casework import derived
    from regie.platform.server import run_startup_warmers, warm

    warm()
    run_startup_warmers()
    server = Server() if connection.vendor == "postgresql" else None
    rows = {}
    c = _client(args.user)
    if args.cold:
        os.environ.pop("REGIE_SHARED_MEMO_DIR", None)
        ids = list(dict.fromkeys(CLIENT_LINK.findall(c.get("/clienten/?scope=team").content.decode())))
        c.get(f"/clienten/{ids[0]}/")
        urls = [f"/clienten/{cid}/" for cid in ids[1 : 1 + args.n]]

        class Cold:
            def get(self, url):
                derived.clear()
                return c.get(url)

        rows["case page (cold)"] = {"url": "/clienten/<n>/", **measure(Cold(), urls, server)}
    else:
        for label, _username, url in pages(args.user, None, args.cases):
            c.get(url)
            rows[label] = {"url": url, **measure(c, [url] * args.n, server)}
    load = round(os.getloadavg()[0], 1)
    weighted = {}
    if not args.cold:
        for field in ("app_ms", "db_ms", "wall_ms", "queries", "statements", "wal_bytes"):
            total = weight = 0.0
            for kind, w in MIX.items():
                vals = [r[field] for label, r in rows.items() if label.startswith(kind) and field in r]
                if vals:
                    total += w * sum(vals) / len(vals)
                    weight += w
            if weight:
                weighted[field] = round(total / weight, 2)
    if args.json:
        print(json.dumps({"load": load, "vendor": connection.vendor, "weighted": weighted, "rows": rows}))
        return
    cols = [k for k in next(iter(rows.values())) if k != "url"]
    print(f"{connection.vendor}, load {load}, mean of {args.n} requests a page")
    print(f"{'page':24}" + "".join(f"{k:>11}" for k in cols))
    for label, r in rows.items():
        print(f"{label:24}" + "".join(f"{r[k]:11}" for k in cols))
    print("weighted (locust mix): " + ", ".join(f"{k} {v}" for k, v in weighted.items()))


if __name__ == "__main__":
    main()
