"""Case page CPU on a worker's first visit: fully cold, from the web workers' shared memo, and warm in-process.

    DATABASE_URL=sqlite:///$PWD/var/pc/regie.sqlite3 REGIE_VAR_DIR=var/pc python loadtests/shared_memo_ab.py \\
        [--user km.brouwer] [--cases 60]

One pass over the user's first cases fills the shared store (a fresh temporary directory) and the process memo;
the process memo is then emptied (what another worker has), and each case is visited alternately with the shared
store on or off (fully cold), then once more warm. Medians of time.process_time per request, in ms.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from regie.accounts.models import User  # noqa: E402
from regie.casework import derived  # noqa: E402
from regie.platform.server import SHARED_DIR_ENV  # noqa: E402

CLIENT_LINK = re.compile(r'href="/clienten/(\d+)/"')


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--user", default="km.brouwer")
    ap.add_argument("--cases", type=int, default=60)
    args = ap.parse_args()
    c = Client()
    c.force_login(User.objects.get(username=args.user))
    ids: list[str] = []
    page = 1
    while len(ids) < args.cases and page < 20:
        found = CLIENT_LINK.findall(c.get(f"/clienten/?page={page}").content.decode())
        if not found:
            break
        ids += [i for i in found if i not in ids]
        page += 1
    ids = ids[: args.cases]
    store = tempfile.mkdtemp(prefix="regie-memo-ab-")

    def cpu(url: str) -> float:
        t0 = time.process_time()
        assert c.get(url).status_code == 200
        return (time.process_time() - t0) * 1000

    os.environ[SHARED_DIR_ENV] = store
    for i in ids:
        c.get(f"/clienten/{i}/")
    with derived._lock:
        derived._memo.clear()
    derived.clear_fragments()
    out: dict[str, list[float]] = {"cold": [], "shared": [], "warm": []}
    for n, i in enumerate(ids):
        if n % 2:
            os.environ.pop(SHARED_DIR_ENV, None)
            out["cold"].append(cpu(f"/clienten/{i}/"))
        else:
            os.environ[SHARED_DIR_ENV] = store
            out["shared"].append(cpu(f"/clienten/{i}/"))
        os.environ.pop(SHARED_DIR_ENV, None)
        out["warm"].append(cpu(f"/clienten/{i}/"))
    print(f"load {os.getloadavg()[0]:.1f}; {len(ids)} cases of {args.user}")
    for k, v in out.items():
        print(f"{k:7s} median {statistics.median(v):6.1f} ms  mean {statistics.mean(v):6.1f} ms  (n={len(v)})")


if __name__ == "__main__":
    main()
