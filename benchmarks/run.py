"""Foundation benchmarks: synthetic generation and import throughput (docs/performance.md).

    python benchmarks/run.py --sizes 50000,400000 [--databases sqlite,postgres] [--json out.json]

For each size it generates a synthetic municipality once (timed), then imports it into a fresh database of each
kind (timed; PostgreSQL is started by scripts/with-postgres in a child process). Prints a table and writes JSON.
Other benchmark scripts in this folder (bench_*.py) are run by ``--all``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"
PY = sys.executable


def synth(n: int, seed: int = 7) -> tuple[Path, float, dict]:
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / f"synth-{n}-{seed}.jsonl"
    from regie.core.synth import generate

    t0 = time.perf_counter()
    with open(path, "wb") as fh:
        stats = generate("0518", n, seed, fh, name="Benchmark")
    elapsed = time.perf_counter() - t0
    counts = getattr(stats, "records", None) or getattr(stats, "counts", None) or {}
    if not isinstance(counts, dict):
        counts = {}
    lines = sum(1 for _ in open(path, "rb"))
    events = sum(1 for line in open(path, "rb") if line.startswith(b'{"record":"event"'))
    return (
        path,
        elapsed,
        {
            "lines": lines,
            "events": events,
            "bytes": path.stat().st_size,
            **{k: v for k, v in counts.items() if isinstance(v, int)},
        },
    )


IMPORT_SNIPPET = r"""
import os, sys, time, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
import django; django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from regie.casework.interchange import import_file
t0 = time.perf_counter()
report = import_file(sys.argv[1], "0518")
print(json.dumps({"seconds": time.perf_counter() - t0, "counts": report.counts}))
"""


def import_into(db: str, path: Path) -> dict:
    env = dict(os.environ)
    cmd = [PY, "-c", IMPORT_SNIPPET, str(path)]
    with tempfile.TemporaryDirectory() as tmp:
        if db == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            cmd = [str(ROOT / "scripts" / "with-postgres"), *cmd]
            env.pop("DATABASE_URL", None)
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50000")
    ap.add_argument("--databases", default="sqlite,postgres")
    ap.add_argument("--json", default=str(VAR / "foundation.json"))
    ap.add_argument("--all", action="store_true", help="also run every benchmarks/bench_*.py")
    args = ap.parse_args()
    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "runs": [],
    }
    for n in [int(s) for s in args.sizes.split(",") if s]:
        path, secs, info = synth(n)
        run = {
            "clients": n,
            "synth_seconds": round(secs, 2),
            "synth_clients_per_s": round(n / secs),
            "synth_events_per_s": round(info["events"] / secs),
            **info,
            "imports": {},
        }
        print(
            f"synth {n:>7,} clients: {secs:7.1f} s  ({n / secs:,.0f} clients/s, {info['events'] / secs:,.0f} events/s,"
            f" {info['events']:,} events)",
            flush=True,
        )
        for db in [d for d in args.databases.split(",") if d]:
            r = import_into(db, path)
            run["imports"][db] = {
                "seconds": round(r["seconds"], 2),
                "events_per_s": round(info["events"] / r["seconds"]),
            }
            print(
                f"import {n:>7,} clients into {db:<8}: {r['seconds']:7.1f} s  "
                f"({info['events'] / r['seconds']:,.0f} events/s)",
                flush=True,
            )
        results["runs"].append(run)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2))
    print(f"wrote {args.json}")
    if args.all:
        for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
            print(f"== {script.name}", flush=True)
            subprocess.run([PY, str(script)], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
