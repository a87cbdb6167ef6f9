"""Foundation benchmarks: synthetic generation and import throughput (docs/performance.md).

    python benchmarks/run.py --sizes 50000,400000 [--databases sqlite,postgres] [--json out.json]

For each size it generates a synthetic municipality once (timed), then imports it into a fresh database of each
kind (timed; PostgreSQL is started by scripts/with-postgres in a child process), and in the same run writes the
same rows as the floor (``import_floor``: plain sqlite3, or COPY on the same PostgreSQL server), checks that both
hold the same rows and reports the ratio; on PostgreSQL the server's CPU is counted with the importing process's.
Prints a table and writes JSON.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))
VAR = ROOT / "var" / "bench"
PY = sys.executable


def synth(n: int, seed: int = 7, reuse: bool = False) -> tuple[Path, float, dict]:
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / f"synth-{n}-{seed}.jsonl"
    sys.path.insert(0, str(ROOT / "src"))
    from regie.core.synth import generate

    t0 = time.perf_counter()
    stats = None
    if not (reuse and path.exists()):
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
import resource
from regie.casework.interchange import import_file
parallel = {"auto": None, "on": True, "off": False}[os.environ.get("REGIE_BENCH_PARALLEL", "auto")]
def children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
t0, c0, k0 = time.perf_counter(), time.process_time(), children()
report = import_file(sys.argv[1], "0518", parallel=parallel)
wall, cpu, child = time.perf_counter() - t0, time.process_time() - c0, children() - k0
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": wall, "cpu_seconds": cpu + child, "child_cpu_seconds": child,
                  "peak_rss_mb": peak_kb / 1024, "counts": report.counts}))
"""


def import_into(db: str, path: Path, floor: bool = True) -> dict:
    """Regie's import of ``path`` into a fresh database; on SQLite then the floor (``import_floor``) in the same
    run, after checking that both wrote the same rows."""
    env = dict(os.environ)
    cmd = [PY, "-c", IMPORT_SNIPPET, str(path)]
    with tempfile.TemporaryDirectory(dir=VAR) as tmp:
        env["REGIE_VAR_DIR"] = tmp
        regie_db = Path(tmp) / "bench.sqlite3"
        if db == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{regie_db}"
        else:  # Regie's import and then the COPY floor on the same throw-away server (import_floor.postgres_main)
            script = [PY, str(ROOT / "benchmarks" / "import_floor.py"), "postgres", str(path)]
            cmd = [str(ROOT / "scripts" / "with-postgres"), *(script if floor else cmd)]
            env.pop("DATABASE_URL", None)
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        if db == "sqlite" and floor:
            import import_floor

            given = import_floor.given(regie_db, "0518")
            floor_db = Path(tmp) / "floor.sqlite3"
            c0 = time.process_time()
            seconds = import_floor.run(path, floor_db, given)
            cpu = time.process_time() - c0
            diff = import_floor.compare(regie_db, floor_db)
            result["floor"] = {"seconds": seconds, "cpu_seconds": cpu, "rows": diff}
            result["same_rows"] = all(v == 0 for k, v in diff.items() if not k.endswith("_rows"))
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50000")
    ap.add_argument("--databases", default="sqlite,postgres")
    ap.add_argument("--json", default=str(VAR / "foundation.json"))
    ap.add_argument("--reuse", action="store_true", help="reuse a generated file of the same size and seed")
    ap.add_argument("--all", action="store_true", help="also run every benchmarks/bench_*.py")
    args = ap.parse_args()
    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "runs": [],
    }
    for n in [int(s) for s in args.sizes.split(",") if s]:
        path, secs, info = synth(n, reuse=args.reuse)
        run = {
            "clients": n,
            "synth_seconds": round(secs, 2),
            "synth_clients_per_s": round(n / secs),
            "synth_events_per_s": round(info["events"] / secs),
            **info,
            "imports": {},
        }
        if args.reuse and secs < 1:
            print(f"synth {n:>7,} clients: reused {path.name} ({info['events']:,} events)", flush=True)
        else:
            print(
                f"synth {n:>7,} clients: {secs:7.1f} s  ({n / secs:,.0f} clients/s, "
                f"{info['events'] / secs:,.0f} events/s, {info['events']:,} events)",
                flush=True,
            )
        for db in [d for d in args.databases.split(",") if d]:
            load = os.getloadavg()[0]
            r = import_into(db, path)
            run["imports"][db] = {
                "seconds": round(r["seconds"], 2),
                "events_per_s": round(info["events"] / r["seconds"]),
                "load_before": round(load, 2),
                "load_after": round(os.getloadavg()[0], 2),
            }
            floor = ""
            if "floor" in r:
                # CPU: the importing process, plus on PostgreSQL the server's (both run on this machine)
                rc = r["cpu_seconds"] + r.get("server_cpu_seconds", 0)
                f, fc = r["floor"]["seconds"], r["floor"]["cpu_seconds"] + r["floor"].get("server_cpu_seconds", 0)
                if "server_cpu_seconds" in r:
                    run["imports"][db].update(
                        client_cpu_seconds=round(r["cpu_seconds"], 2),
                        server_cpu_seconds=round(r["server_cpu_seconds"], 2),
                        floor_client_cpu_seconds=round(r["floor"]["cpu_seconds"], 2),
                        floor_server_cpu_seconds=round(r["floor"]["server_cpu_seconds"], 2),
                    )
                r["cpu_seconds"] = rc
                run["imports"][db].update(
                    validating_child_cpu_seconds=round(r.get("child_cpu_seconds", 0), 2),
                    peak_rss_mb=round(r.get("peak_rss_mb", 0)),
                )
                run["imports"][db].update(
                    cpu_seconds=round(r["cpu_seconds"], 2),
                    floor_seconds=round(f, 2),
                    floor_cpu_seconds=round(fc, 2),
                    ratio=round(r["seconds"] / f, 2),
                    cpu_ratio=round(r["cpu_seconds"] / fc, 2),
                    same_rows=r["same_rows"],
                )
                floor = (
                    f"  floor {f:.1f} s, ratio {r['seconds'] / f:.2f}; CPU {r['cpu_seconds']:.1f} s vs "
                    f"{fc:.1f} s, ratio {r['cpu_seconds'] / fc:.2f}"
                ) + ("" if r["same_rows"] else f"  ROWS DIFFER: {r['floor']['rows']}")
            print(
                f"import {n:>7,} clients into {db:<8}: {r['seconds']:7.1f} s  "
                f"({info['events'] / r['seconds']:,.0f} events/s){floor}  load {load:.1f}; validating child "
                f"{r.get('child_cpu_seconds', 0):.1f} s CPU (counted), peak RSS {r.get('peak_rss_mb', 0):,.0f} MB",
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
