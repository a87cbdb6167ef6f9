"""Policy lab benchmark (docs/perf/lab.md).

    .venv/bin/python benchmarks/bench_lab.py [--mesa-fraction 1.0] [--runs 4]  → JSON on stdout

1. One G4-size run (40,000 clients, 300 caseworkers, 120 months): simulation to the compact event log, best of 3;
   and the conversion of that log to the analytic tables (regie.core.frames).
2. Ensemble scaling: ``--runs`` runs (G4 size, without KPIs) with 1 and with 2 local workers.
3. The Mesa object-per-agent port of the same rules (benchmarks/mesa_reference.py) in the same process, at G4
   size times ``--mesa-fraction`` (clients and caseworkers scaled; time scaled back up linearly when the
   fraction < 1), with its µs per agent-step and the ratio to Regie's G4 run; the two models' aggregates side by
   side as a check that they run the same rules.

The load average (1 min) is recorded before and after: the machine is shared, so figures are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

G4 = {"clients": 40_000, "caseworkers": 300, "months": 120}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mesa-fraction", type=float, default=1.0)
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--skip-mesa", action="store_true")
    args = ap.parse_args()
    from regie.core.lab.ensemble import run_ensemble
    from regie.core.lab.events import to_frames
    from regie.core.lab.model import simulate
    from regie.core.lab.params import LabParams

    out = {"load_before": os.getloadavg()[0]}
    p = LabParams().with_overrides(G4)
    simulate(LabParams().with_overrides({"clients": 500, "caseworkers": 4, "months": 13}), 0)  # warm caches
    times, cpu = [], []
    for s in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        r = simulate(p, s)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    t0 = time.perf_counter()
    f = to_frames(r)
    frames_s = time.perf_counter() - t0
    out |= {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "g4_run_seconds": round(min(times), 3),
        "g4_run_all": [round(x, 3) for x in times],
        "g4_run_cpu_seconds": round(min(cpu), 3),
        "g4_events": int(len(r.log["type"])),
        "g4_client_months": int(r.monthly["stock"].sum()),
        "g4_stock_end": r.summary["stock_end"],
        "g4_traj_started": r.summary["trajectories_started"],
        "g4_target_met": min(times) < 1.0,
        "to_frames_seconds": round(frames_s, 3),
        "frames_events": f.events.height,
    }
    scaling = {}
    for w in (1, 2):
        t0 = time.perf_counter()
        run_ensemble(p, args.runs, seed=1, workers=w, kpis=False)
        scaling[w] = round(time.perf_counter() - t0, 2)
    out["ensemble"] = {
        "runs": args.runs,
        "seconds_by_workers": scaling,
        "speedup_2_workers": round(scaling[1] / scaling[2], 2),
    }
    if not args.skip_mesa:
        import mesa_reference

        frac = args.mesa_fraction
        t0, c0 = time.perf_counter(), time.process_time()
        mr = mesa_reference.run(int(G4["clients"] * frac), max(1, int(G4["caseworkers"] * frac)), G4["months"])
        mesa_s = time.perf_counter() - t0
        mesa_cpu = time.process_time() - c0
        ratio = mesa_s / frac / min(times)
        out["mesa"] = {
            "fraction": frac,
            "seconds_measured": round(mesa_s, 2),
            "seconds_at_g4": round(mesa_s / frac, 2),
            "agent_steps": mr["agent_steps"],
            "us_per_agent_step": round(mesa_s / mr["agent_steps"] * 1e6, 2),
            "stock_end": mr["stock_end"],
            "events": mr["events"],
            "traj_started": mr["traj_started"],
            "seconds_cpu": round(mesa_cpu, 2),
            "speedup_regie": round(ratio, 1),
            "speedup_regie_cpu": round(mesa_cpu / frac / min(cpu), 1),
            "target_20x_met": ratio >= 20,
        }
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
