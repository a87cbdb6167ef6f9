"""CPU time and SQL queries per page, one request at a time, on a given database (no load generator).

    DATABASE_URL=sqlite:///$PWD/var/pc/regie.sqlite3 REGIE_VAR_DIR=var/pc python loadtests/page_costs.py [--n 5]
        [--user km.dijkstra] [--cases 3] [--manager tm.x] [--profile PAGE] [--json]

Per page: the CPU time of the request in this process (time.process_time, best of N after one warm-up request; the
database engine's work is included on SQLite, which runs in-process, not on PostgreSQL), the wall time, the number of
SQL queries and their summed time (CaptureQueriesContext). The users are logged in with force_login (no password
hashing). "1st": the first request of that page in the process (per-process caches cold).
`--ab` measures every page twice, interleaved, with the rendered-fragment memo off and on (regie.casework.derived
FRAGMENTS), so that both figures share the machine's load; the "weighted" line is the locust mix (worklist 4, case
page 4, step form 1, start page 2, agenda 1; the mean of the variants of each kind).
`--profile PAGE` prints a profile of ten requests of that page (pyinstrument if installed, else cProfile).
Pages: the locust mix of loadtests/locustfile.py (worklist variants, case page, step form, start page, agenda).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from regie.accounts.models import User  # noqa: E402

CLIENT_LINK = re.compile(r'href="/clienten/(\d+)/"')
STEP_LINK = re.compile(r'href="(/dossiers/\d+/stap/[a-z_]+/)"')


def _client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def measure_ab(c: Client, url: str, n: int) -> dict:
    """Best CPU of n requests with the fragment memo off ("off") and on ("on"), interleaved."""
    from regie.casework import derived

    best = {False: float("inf"), True: float("inf")}
    for on in (False, True):
        derived.FRAGMENTS = on
        c.get(url)  # warm
    for _ in range(n):
        for on in (False, True):
            derived.FRAGMENTS = on
            t0 = time.process_time()
            r = c.get(url)
            best[on] = min(best[on], time.process_time() - t0)
            if r.status_code != 200:
                raise SystemExit(f"{url}: HTTP {r.status_code}")
    derived.FRAGMENTS = True
    return {"off_ms": round(best[False] * 1000, 1), "on_ms": round(best[True] * 1000, 1)}


MIX = {"worklist": 4, "case page": 4, "step form": 1, "start page": 2, "agenda": 1}  # loadtests/locustfile.py


def weighted(rows: dict, field: str) -> float:
    """CPU per request of the locust mix: per kind the mean of its variants, weighted (teammanager pages left out)."""
    total = weight = 0.0
    for kind, w in MIX.items():
        vals = [r[field] for label, r in rows.items() if label.startswith(kind) and "teammanager" not in label]
        if vals:
            total += w * sum(vals) / len(vals)
            weight += w
    return total / weight if weight else 0.0


def measure(c: Client, url: str, n: int) -> dict:
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.process_time()
        r = c.get(url)  # the first request of this page in this process (per-process caches cold), then warm
        first_cpu = time.process_time() - t0
    if r.status_code != 200:
        raise SystemExit(f"{url}: HTTP {r.status_code}")
    first_queries = len(ctx.captured_queries)
    best_cpu = best_wall = float("inf")
    queries = q_ms = 0
    for _ in range(n):
        with CaptureQueriesContext(connection) as ctx:
            t0, w0 = time.process_time(), time.perf_counter()
            c.get(url)
            cpu, wall = time.process_time() - t0, time.perf_counter() - w0
        if cpu < best_cpu:
            best_cpu, best_wall = cpu, wall
            queries = len(ctx.captured_queries)
            q_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    return {
        "cpu_ms": round(best_cpu * 1000, 1),
        "wall_ms": round(best_wall * 1000, 1),
        "queries": queries,
        "sql_ms": round(q_ms, 1),
        "first_cpu_ms": round(first_cpu * 1000, 1),
        "first_queries": first_queries,
    }


def pages(user: str, manager: str | None, cases: int) -> list[tuple[str, str, str]]:
    """(label, username, url) for the mix; case pages and a step form found from the user's worklist."""
    c = _client(user)
    html = c.get("/clienten/").content.decode()
    ids = CLIENT_LINK.findall(html)[:cases]
    out = [
        ("worklist (mine)", user, "/clienten/"),
        ("worklist team", user, "/clienten/?scope=team"),
        ("worklist lopend", user, "/clienten/?status=lopend"),
        ("worklist search all", user, "/clienten/?scope=all&q=Jansen"),
        ("worklist page 2", user, "/clienten/?scope=mine&page=2"),
    ]
    step = None
    for i, cid in enumerate(ids):
        out.append((f"case page {i + 1}", user, f"/clienten/{cid}/"))
        if step is None:
            found = STEP_LINK.findall(c.get(f"/clienten/{cid}/").content.decode())
            step = found[0] if found else None
    if step:
        out.append(("step form", user, step))
    out += [("start page", user, "/vandaag/"), ("agenda day", user, "/agenda/"), ("agenda week", user, "/agenda/week/")]
    if manager:
        out += [
            ("team tasks (teammanager)", manager, "/taken/team/"),
            ("worklist team (teammanager)", manager, "/clienten/?scope=team"),
        ]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5)
    ap.add_argument("--user", default="km.dijkstra")
    ap.add_argument("--manager", default=None, help="a teammanager's username (default: the first one)")
    ap.add_argument("--profile", default=None, help="label of a page to profile")
    ap.add_argument("--cases", type=int, default=3, help="how many case pages (from the user's worklist)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--ab", action="store_true", help="fragment memo off and on, interleaved")
    args = ap.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    manager = args.manager or User.objects.filter(role="teammanager").values_list("username", flat=True).first()
    rows = {}
    clients: dict[str, Client] = {}
    for label, username, url in pages(args.user, manager, args.cases):
        c = clients.setdefault(username, _client(username))
        if args.profile and args.profile == label:
            c.get(url)
            try:
                from pyinstrument import Profiler
            except ImportError:  # the standard library's profiler
                prof = cProfile.Profile()
                prof.enable()
                c.get(url)
                prof.disable()
                pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(60)
            else:
                profiler = Profiler(interval=0.0005)
                profiler.start()
                for _ in range(10):
                    c.get(url)
                profiler.stop()
                sys.stderr.write(profiler.output_text(color=False, show_all=False))
        if args.ab:
            rows[label] = {"url": url, **measure_ab(c, url, args.n)}
            continue
        rows[label] = {"url": url, **measure(c, url, args.n)}
    if args.ab:
        if args.json:
            print(json.dumps(rows, indent=2))
            return
        load = os.getloadavg()[0]
        print(f"{'page':30} {'memo off':>8} {'memo on':>8}  url  (CPU ms, best of {args.n}; load {load:.1f})")
        for label, r in rows.items():
            print(f"{label:30} {r['off_ms']:8.1f} {r['on_ms']:8.1f}  {r['url']}")
        print(f"{'weighted (locust mix)':30} {weighted(rows, 'off_ms'):8.1f} {weighted(rows, 'on_ms'):8.1f}")
        return
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'page':30} {'CPU ms':>7} {'wall ms':>7} {'queries':>7} {'SQL ms':>7} {'1st CPU':>7} {'1st q':>5}  url")
    for label, r in rows.items():
        print(
            f"{label:30} {r['cpu_ms']:7.1f} {r['wall_ms']:7.1f} {r['queries']:7d} {r['sql_ms']:7.1f}"
            f" {r['first_cpu_ms']:7.1f} {r['first_queries']:5d}  {r['url']}"
        )
    print(f"{'weighted (locust mix)':30} {weighted(rows, 'cpu_ms'):7.1f}  (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
