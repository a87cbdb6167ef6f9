"""Equal-treatment (discretion monitor) benchmark (docs/performance.md "Equal treatment", docs/equity.md).

    .venv/bin/python benchmarks/bench_equity.py [--clients 50000] [--repeat 1] [--skip-lab]  → JSON on stdout

1. The synthetic municipality ``regie.core.synth.generate("0518", N, 7)`` as analytic frames
   (``from_jsonl(path, normalise=False)``), built once and cached as Parquet under var/bench/equity/ (the demo's
   var/bench/demo50000/demo-0518-50000-7.jsonl is reused read-only when it exists). Read back as the report reads
   the store: only the columns and rows it uses (``report_events`` on a lazy scan; ``--whole``: every column).
2. ``equity_report(frames)`` (7 decisions, deviations, comparable pairs; Wald intervals, the default): wall and
   CPU time, best of ``--repeat``, with the time per step (from the ``progress`` callback) and per decision the
   rows, method and ICC; the process's resident memory after loading the frames and its peak after the report.
   Then (unless ``--no-check``) the exact method, ``equity_report(frames, ci="profile")``, timed the same way
   as the peer, and a check that both give the same estimates (ICC equal to 1e-9, Wald interval limits within one
   profile-interval width of the profile limits).
3. ``caseworker_icc(frames, "trajectory_12m")`` on one policy-lab run of G4 size (40,000 clients, 300
   caseworkers, 120 months; what ``regie lab`` calls per simulated run), and on the same municipality's
   ``deviation`` decision (the largest table).

The load average (1 min) is recorded before and after: the machine is shared, so figures are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench" / "equity"
DEMO = ROOT / "var" / "bench" / "demo50000" / "demo-0518-50000-7.jsonl"


def load_frames(clients: int, seed: int = 7, whole: bool = False):
    """The frames from the Parquet cache: only what the report reads (``report_events`` on a lazy scan) unless
    ``whole``; and the report's ``as_of`` (the last effective date of all events, as equity_report's default)."""
    import polars as pl

    from regie.core.equity import last_effective_date, report_events
    from regie.core.frames import from_jsonl, read_parquet, write_parquet

    cache = VAR / f"frames-0518-{clients}-{seed}"
    if (cache / "events.parquet").exists():
        as_of = last_effective_date(pl.scan_parquet(cache / "events.parquet"))
        frames = read_parquet(cache, "0518", events=None if whole else report_events)[0]
        return frames, {"source": str(cache.relative_to(ROOT)), "whole": whole, "as_of": as_of}
    info: dict = {}
    if clients == 50000 and seed == 7 and DEMO.exists():
        path = DEMO
    else:
        from regie.core.synth import generate

        VAR.mkdir(parents=True, exist_ok=True)
        path = VAR / f"synth-0518-{clients}-{seed}.jsonl"
        t0 = time.perf_counter()
        generate("0518", clients, seed, path)
        info["generate_seconds"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    frames = from_jsonl(path, normalise=False)
    info["from_jsonl_seconds"] = round(time.perf_counter() - t0, 1)
    write_parquet(frames, cache)
    del frames
    frames, more = load_frames(clients, seed, whole)
    return frames, {**info, **more, "source": str(path.relative_to(ROOT))}


def _rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def time_report(frames, ci: str = "wald", as_of=None) -> dict:
    from regie.core.equity import equity_report

    steps: dict[str, float] = {}
    last = [time.perf_counter(), None]

    def progress(step, done, total):
        now = time.perf_counter()
        if last[1] is not None:
            steps[last[1]] = round(now - last[0], 2)
        last[0], last[1] = now, step

    t0, c0 = time.perf_counter(), time.process_time()
    r = equity_report(frames, progress=progress, ci=ci, as_of=as_of)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    decisions = {
        d: {
            "n": v["n"],
            "caseworkers": v["n_caseworkers"],
            "icc": v["icc"],
            "icc_ci": v["icc_ci"],
            "method": (v["method"] or "").split("; ")[-1] if v["method"] else None,
            "seconds": steps.get(d),
        }
        for d, v in r["decisions"].items()
    }
    return {
        "ci": ci,
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": _rss_mb(),
        "_result": r,
        "steps": steps,
        "decisions": decisions,
        "n_clients": r["n_clients"],
        "n_caseworkers": r["n_caseworkers"],
    }


def check(fast: dict, exact: dict) -> dict:
    """Same estimates: equal ICCs (the same fit), Wald limits within one profile-interval width of the profile
    limits; per decision the largest limit difference as a share of the profile interval's width."""
    worst: dict[str, float] = {}
    ok = True
    for d, e in exact["decisions"].items():
        f = fast["decisions"][d]
        if e["icc"] is None:
            ok &= f["icc"] is None
            continue
        width = max(e["icc_ci"][1] - e["icc_ci"][0], 1e-12)
        diff = max(abs(f["icc_ci"][0] - e["icc_ci"][0]), abs(f["icc_ci"][1] - e["icc_ci"][1]))
        worst[d] = round(diff / width, 3)
        ok &= abs(f["icc"] - e["icc"]) <= 1e-9 and diff <= width
    ok &= fast["deviations"] == exact["deviations"] and fast["pairs"] == exact["pairs"]
    return {"same_estimates": bool(ok), "interval_limit_shift_in_widths": worst}


def time_icc(frames, decision: str, as_of=None) -> dict:
    from regie.core.equity import caseworker_icc

    t0 = time.perf_counter()
    r = caseworker_icc(frames, decision, as_of=as_of)
    return {
        "decision": decision,
        "seconds": round(time.perf_counter() - t0, 2),
        "n": r["n"],
        "caseworkers": r["n_caseworkers"],
        "icc": r["icc"],
        "icc_ci": r["icc_ci"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--skip-lab", action="store_true", help="skip the policy-lab caseworker_icc timing")
    ap.add_argument("--no-check", action="store_true", help="skip the exact (profile-interval) report and the check")
    ap.add_argument("--whole", action="store_true", help="load the whole events table (the memory peer)")
    args = ap.parse_args()
    out: dict = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "load_before": round(os.getloadavg()[0], 2),
        "clients": args.clients,
    }
    t0 = time.perf_counter()
    frames, info = load_frames(args.clients, whole=args.whole)
    as_of = info.pop("as_of")
    out["frames"] = {
        **info,
        "as_of": as_of.isoformat(),
        "columns": frames.events.width,
        "seconds": round(time.perf_counter() - t0, 1),
        "events": frames.events.height,
        "rss_mb_after_load": _rss_mb(),
    }
    runs = [time_report(frames, as_of=as_of) for _ in range(max(args.repeat, 1))]
    best = min(runs, key=lambda r: r["seconds"])
    fast = best.pop("_result")
    for r in runs:
        r.pop("_result", None)
    out["report"] = {**best, "all_seconds": [r["seconds"] for r in runs]}
    if not args.no_check:
        exact = time_report(frames, ci="profile", as_of=as_of)
        out["check"] = check(fast, exact.pop("_result"))
        out["exact_report"] = {k: exact[k] for k in ("ci", "seconds", "cpu_seconds", "steps")}
        out["speedup_wall"] = round(exact["seconds"] / best["seconds"], 1)
        out["speedup_cpu"] = round(exact["cpu_seconds"] / best["cpu_seconds"], 1)
    out["icc_deviation"] = time_icc(frames, "deviation", as_of=as_of)
    if not args.skip_lab:
        from regie.core.lab.events import to_frames
        from regie.core.lab.model import simulate
        from regie.core.lab.params import LabParams

        lab = to_frames(simulate(LabParams().with_overrides({"clients": 40_000, "caseworkers": 300, "months": 120}), 0))
        out["icc_lab_g4"] = time_icc(lab, "trajectory_12m")
    out["load_after"] = round(os.getloadavg()[0], 2)
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
