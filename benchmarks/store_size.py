"""The analytic store of a municipality already in the database: cold build, disk copy size, read-back.

    DATABASE_URL=sqlite:///…/bench.sqlite3 PYTHONPATH=src python benchmarks/store_size.py DIR [--code 0518]

Builds the store from scratch (``analytics.store.refresh(rebuild=True)``: wall and CPU time, this process's and its
child processes'; the rows fetched column-wise as Arrow in child processes), then the same build through the Django
connection row by row (the peer: the code before, ``REGIE_ANALYTICS_ARROW = False``) and checks both give the same
tables; writes the disk copy into DIR, reports its
size beside zstd Parquet of the same tables written directly by polars (the peer), and reads the copy back
(checking that it equals what was built). The load average (1 min) is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import time
from pathlib import Path


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--code", default="0518")
    ap.add_argument("--no-peer", action="store_true", help="skip the row-by-row build")
    ap.add_argument("--repeat", type=int, default=1, help="cold builds to time")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
    import django

    django.setup()
    from django.test.utils import override_settings

    from regie.accounts.models import Municipality
    from regie.analytics import store
    from regie.core import frames as core

    muni = Municipality.objects.get(code=args.code)
    root = Path(args.dir)
    shutil.rmtree(root, ignore_errors=True)
    print(f"load average before: {os.getloadavg()[0]:.2f}; {state_events(muni)} events")
    for i in range(args.repeat):
        t0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
        state = store.refresh(muni, root=root, rebuild=True, persist=False)
        wall, cpu, kids = time.perf_counter() - t0, time.process_time() - c0, children_cpu() - k0
        print(
            f"cold build {i + 1} (Arrow, child processes): {wall:.2f} s wall, {cpu + kids:.2f} s CPU"
            f" ({cpu:.2f} s this process, {kids:.2f} s children); load {os.getloadavg()[0]:.2f}"
        )
    if not args.no_peer:
        with override_settings(REGIE_ANALYTICS_ARROW=False):
            t0, c0 = time.perf_counter(), time.process_time()
            rows = store.refresh(muni, root=root, rebuild=True, persist=False)
            print(f"peer, row by row: {time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU")
        same = all(getattr(rows.frames, n).equals(getattr(state.frames, n)) for n in core.TABLES)
        assert same and rows.keys.equals(state.keys), "the two builds differ"
        print("same tables: True")
        del rows
    t0 = time.perf_counter()
    store._write_disk(muni, state, root)
    print(f"disk copy written in {time.perf_counter() - t0:.2f} s: {du(root) / 1e6:.1f} MB")
    peer = Path(f"{root}-parquet")
    shutil.rmtree(peer, ignore_errors=True)
    peer.mkdir(parents=True)
    for name in core.TABLES:
        getattr(state.frames, name).write_parquet(peer / f"{name}.parquet", compression="zstd")
    state.keys.write_parquet(peer / "keys.parquet", compression="zstd")
    ratio = du(root) / du(peer)
    print(f"zstd Parquet of the same tables (polars defaults): {du(peer) / 1e6:.1f} MB; store/peer {ratio:.2f}")
    t0, c0 = time.perf_counter(), time.process_time()
    again = store._read_disk(muni, root)
    print(f"read back: {time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU")
    assert again is not None and again.frames.events.equals(state.frames.events), "the copy differs"
    assert again.keys.equals(state.keys)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def state_events(muni) -> int:
    from regie.casework.models import Event

    return Event.objects.filter(municipality=muni).count()


if __name__ == "__main__":
    main()
