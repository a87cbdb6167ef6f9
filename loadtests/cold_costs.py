"""CPU per request under the load's conditions: cases not seen before, several workers, one shared store.

    DATABASE_URL=sqlite:///$PWD/var/pc/regie.sqlite3 REGIE_VAR_DIR=var/pc python loadtests/cold_costs.py \\
        [--users 8] [--cases 6] [--workers 4] [--no-shared] [--json]

`loadtests/page_costs.py` measures a page the process has seen before (best of N). Under load most requests are
not like that: 50 users open ~1,250 different cases and each of the 4 web workers meets a case for the first time
(the shared memo of `regie serve` may have it from another worker). Here one process plays the workers: each
request is served by one of W workers (drawn at random, seeded), each with its own per-process memo
(regie.casework.derived), all with one fresh shared store (a temporary directory, as `regie serve` makes;
--no-shared: none). For each of the first --users caseworkers (integrale klantmanagers of the demo, in username
order): the worklist (mine), the team's worklist, the start page, the agenda, then --cases case pages from the first
worklist page; --rounds times (later rounds: pages some worker has seen). Per kind the mean CPU
(time.process_time) of its requests, and the mean over all requests weighted by the locust mix
(loadtests/page_costs.MIX, the step form left out); the response's close (where the shared store is written) is
part of each request. --warm: first warm the process as `regie serve` warms each worker before its first request
(without it the first worklist carries the URL resolver's imports and the policy's loading, ~1.5 s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from regie.accounts.models import User  # noqa: E402
from regie.casework import derived  # noqa: E402
from regie.platform.server import SHARED_DIR_ENV  # noqa: E402

CLIENT_LINK = re.compile(r'href="/clienten/(\d+)/"')
LAST_CPU: dict[str, list[float]] = {}  # the last run's figures (loadtests/shared_store_cost.py reads them)
MIX = {"worklist": 4, "case page": 4, "start page": 2, "agenda": 1}  # loadtests/locustfile.py, no step form


class Workers:
    """W per-process memos in one process: swapped in before each request, a worker drawn at random (seeded), as
    gunicorn's workers take connections as they come."""

    def __init__(self, n: int):
        self.memos = [({}, {}) for _ in range(n)]
        self.rng = random.Random(7)

    def next(self) -> None:
        memo, fragments = self.rng.choice(self.memos)
        derived._memo = memo
        derived._fragments = fragments
        derived._fragment_chars = 0  # the bound is not reached in a run of this size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=8)
    ap.add_argument("--cases", type=int, default=6)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=1, help="the whole sequence again (pages seen by some worker)")
    ap.add_argument("--no-shared", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument(
        "--warm",
        action="store_true",
        help="first warm the process as `regie serve` warms each worker (server.warm and the start-up warmers)",
    )
    args = ap.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if args.no_shared:
        os.environ.pop(SHARED_DIR_ENV, None)
    else:
        os.environ[SHARED_DIR_ENV] = tempfile.mkdtemp(prefix="regie-cold-")
    if args.warm:
        from regie.platform.server import run_startup_warmers, warm

        warm()
        run_startup_warmers()
    derived.clear()
    workers = Workers(args.workers)
    users = User.objects.filter(role="integrale_klantmanager").order_by("username")[: args.users]
    cpu: dict[str, list[float]] = {k: [] for k in MIX}
    LAST_CPU.clear()
    LAST_CPU.update(cpu)

    def get(c: Client, url: str, kind: str) -> str:
        workers.next()
        t0 = time.process_time()
        r = c.get(url)
        cpu[kind].append((time.process_time() - t0) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{url}: HTTP {r.status_code}")
        return r.content.decode()

    clients = {}
    for user in users:
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
    for _round in range(args.rounds):
        for user in users:
            c = clients[user.pk]
            ids = CLIENT_LINK.findall(get(c, "/clienten/", "worklist"))
            get(c, "/clienten/?scope=team", "worklist")
            get(c, "/vandaag/", "start page")
            get(c, "/agenda/", "agenda")
            for cid in list(dict.fromkeys(ids))[: args.cases]:
                get(c, f"/clienten/{cid}/", "case page")
    means = {k: statistics.mean(v) for k, v in cpu.items() if v}
    weighted = sum(MIX[k] * means[k] for k in means) / sum(MIX[k] for k in means)
    out = {
        "load": round(os.getloadavg()[0], 1),
        "requests": sum(len(v) for v in cpu.values()),
        "mean_ms": {k: round(v, 1) for k, v in means.items()},
        "weighted_ms": round(weighted, 1),
    }
    if args.json:
        json.dump(out, sys.stdout)
        print()
        return
    print(f"load {out['load']}; {out['requests']} requests, {args.workers} workers, shared store {not args.no_shared}")
    for k, v in out["mean_ms"].items():
        print(f"  {k:12s} {v:7.1f} ms CPU (mean of {len(cpu[k])})")
    print(f"  weighted     {out['weighted_ms']:7.1f} ms")


if __name__ == "__main__":
    main()
