"""Timing of the web discretion report: `python -m regie.equity.bench --clients 3000`.

Generates a synthetic municipality, imports it into a fresh SQLite database in a temporary directory (never the
configured one), computes the report once (frames + equity_report + funnel plots, inline) and times the cached
report page for a policy officer and a teammanager. Prints one line per figure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _measure() -> None:
    import datetime as dt

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
    os.environ["REGIE_JOBS_INLINE"] = "1"  # the report's job runs here (regie.platform.jobs)
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from regie.accounts.models import Municipality, User
    from regie.casework.models import Event
    from regie.equity import services

    setup_test_environment()
    m = Municipality.objects.get(code=os.environ["BENCH_CODE"])
    t = time.perf_counter()
    run = services.report_run(m, dt.date.today())
    print(
        f"events {Event.objects.filter(municipality=m).count()}; report computed in {time.perf_counter() - t:.1f} s "
        f"(state {run.state}); result {len(str(run.result)) / 1e6:.2f} MB"
    )
    for role in ("beleidsmedewerker", "teammanager"):
        user = User.objects.filter(municipality=m, role=role).first()
        c = Client()
        c.force_login(user)
        times = []
        for _ in range(4):
            t = time.perf_counter()
            r = c.get("/gelijke-behandeling/", HTTP_HOST="127.0.0.1")
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"{role}: cached page {r.status_code}, {len(r.content) / 1e3:.0f} kB; "
            f"ms per request: {', '.join(f'{x:.0f}' for x in times)}"
        )


def main(argv=None) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--clients", type=int, default=3000)
    p.add_argument("--years", type=int, default=3)
    p.add_argument("--code", default="0363")
    args = p.parse_args(argv)
    if os.environ.get("BENCH_CHILD"):
        _measure()
        return
    from regie.core.synth import generate

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synth.jsonl"
        generate(args.code, args.clients, args.years, path)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "REGIE_VAR_DIR": f"{tmp}/var",
            "BENCH_CODE": args.code,
        }
        regie = [sys.executable, "-m", "regie.cli"]
        subprocess.run([*regie, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        t = time.perf_counter()
        subprocess.run(
            [*regie, "import", str(path), "--municipality", args.code],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        print(f"{args.clients} clients imported in {time.perf_counter() - t:.1f} s")
        subprocess.run([sys.executable, "-m", "regie.equity.bench"], env={**env, "BENCH_CHILD": "1"}, check=True)


if __name__ == "__main__":
    main()
