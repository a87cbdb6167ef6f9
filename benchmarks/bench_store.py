"""Analytic store: the cold build at 50,000 clients against the row-by-row build (docs/performance.md, "Analytic store
on disk").

    python benchmarks/bench_store.py [--database PATH] [--repeat 3] [--clients 50000]

Uses PATH (a Regie SQLite database holding municipality 0518), else ``var/bench/store/bench.sqlite3``, made once
from the synthetic municipality of benchmarks/run.py (seed 7) by Regie's own import and reused afterwards. Then runs
benchmarks/store_size.py on it: the cold build (column-wise, in child processes) timed ``--repeat`` times, wall and
CPU of the process and its children, the row-by-row build through Django as the peer in the same run, the check
that both give the same tables, and the disk copy's size beside zstd Parquet of the same tables.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database", help="a Regie SQLite database with municipality 0518")
    ap.add_argument("--clients", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import run

    work = ROOT / "var" / "bench" / "store"
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, REGIE_VAR_DIR=str(work))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    db = Path(args.database).resolve() if args.database else work / f"bench-{args.clients}.sqlite3"
    env["DATABASE_URL"] = f"sqlite:///{db}"
    if not db.exists():
        path, _, info = run.synth(args.clients, 7, reuse=True)
        print(f"importing {info['events']:,} events of {args.clients:,} clients into {db} (once)", flush=True)
        subprocess.run([sys.executable, "-c", run.IMPORT_SNIPPET, str(path)], env=env, check=True, cwd=ROOT)
    cmd = [
        sys.executable,
        str(ROOT / "benchmarks" / "store_size.py"),
        str(work / "frames"),
        "--repeat",
        str(args.repeat),
    ]
    subprocess.run(cmd, env=env, check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
