"""Policy lab benchmark (docs/perf/lab.md).

    .venv/bin/python benchmarks/bench_lab.py [--mesa-fraction 1.0] [--runs 4] [--skip-ensemble]  → JSON on stdout

1. One G4-size run (40,000 clients, 300 caseworkers, 120 months): simulation to the compact event log, best of 3
   (seeds 0-2), wall and CPU seconds (``time.process_time``); the same with the demand side on (20 accountmanagers,
   regie.core.lab.demand); and the conversion of that log to the analytic tables (regie.core.frames).
2. Ensemble scaling: ``--runs`` runs (G4 size, without KPIs) with 1 and with 2 local workers.
3. The Mesa port of the same rules (benchmarks/mesa_reference.py: departed agents removed, relapse scheduled) in
   the same process, at G4 size times ``--mesa-fraction`` (time scaled back up linearly when the fraction < 1),
   with its µs per agent-step and the ratio to Regie's G4 run in CPU seconds (the figure that holds on a shared
   machine) and in wall seconds.

Before the ratio counts, the two models' aggregates are compared (``agreement``): stock at the end, outflows,
trajectories, and the events by type. Regie's three runs give the sampling spread (sd over seeds, at least 1% of
the mean: three runs estimate it roughly); z = (port − Regie's mean) / (sd × √(1/fraction + 1/3)) must be within
±4 for each aggregate (with ~15 aggregates a false alarm is rare; a rule left out of the port, such as the medical
exemption that halved the port's exemptions, gives |z| ≫ 4). The ratio is
reported with ``agree`` true/false and the process exits with status 1 when they do not agree.

The load average (1 min) is recorded before and after: the machine is shared, so wall times are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))

G4 = {"clients": 40_000, "caseworkers": 300, "months": 120}
AGGREGATE_EVENTS = (
    "melding",
    "toekenning",
    "plan_van_aanpak",
    "traject_start",
    "traject_einde",
    "ontheffing_start",
    "ontheffing_einde",
    "waarschuwing",
    "maatregel",
    "uitstroom",
    "herinstroom",
)


def aggregates(r) -> dict:
    """Regie's aggregates of one run, as the port reports them."""
    from regie.core.lab.model import EV

    t = r.log["type"]
    out = {
        "stock_end": r.summary["stock_end"],
        "events": int(len(t)),
        "traj_started": r.summary["trajectories_started"],
        "outflow": int(r.monthly["outflow"].sum()),
    }
    counts = np.bincount(t, minlength=len(EV))
    out |= {f"events.{k}": int(counts[EV[k]]) for k in AGGREGATE_EVENTS}
    return out


def agreement(regie_runs: list[dict], mesa: dict, frac: float) -> dict:
    """Per aggregate: Regie's mean and sd over its runs, the port's value (scaled by 1/frac), and z."""
    rows, ok = {}, True
    for k in regie_runs[0]:
        v = np.array([r[k] for r in regie_runs], float)
        mean = float(v.mean())
        sd = max(float(v.std(ddof=1)) if len(v) > 1 else 0.0, 0.01 * abs(mean), 1.0)
        mv = mesa["events_by_type"][k.split(".", 1)[1]] if k.startswith("events.") else mesa[k]
        mv = mv / frac
        # the difference of one port run (at frac of the size, scaled up: sd / sqrt(frac)) and Regie's mean
        z = (mv - mean) / (sd * np.sqrt(1 / frac + 1 / len(v)))
        rows[k] = {"regie_mean": round(mean, 1), "regie_sd": round(sd, 1), "mesa": round(mv, 1), "z": round(z, 2)}
        ok &= abs(z) <= 4
    rule = "|z| <= 4, z = (port - mean) / (sd * sqrt(1/fraction + 1/runs)), sd over Regie's runs (>= 1% of the mean)"
    return {"agree": bool(ok), "rule": rule, "rows": rows}


def best_of(p, seeds) -> tuple[list, list, list]:
    from regie.core.lab.model import simulate

    times, cpu, res = [], [], []
    for s in seeds:
        t0, c0 = time.perf_counter(), time.process_time()
        r = simulate(p, s)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        res.append(r)
    return times, cpu, res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mesa-fraction", type=float, default=1.0)
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--skip-mesa", action="store_true")
    ap.add_argument("--skip-ensemble", action="store_true")
    args = ap.parse_args()
    from regie.core.lab.ensemble import run_ensemble
    from regie.core.lab.events import to_frames
    from regie.core.lab.model import simulate
    from regie.core.lab.params import LabParams

    out = {"load_before": os.getloadavg()[0]}
    p = LabParams().with_overrides(G4)
    simulate(LabParams().with_overrides({"clients": 500, "caseworkers": 4, "months": 13}), 0)  # warm caches
    times, cpu, runs = best_of(p, range(3))
    r = runs[-1]
    pd_ = p.with_overrides({"demand": {"accountmanagers": 20}})
    d_times, d_cpu, d_runs = best_of(pd_, range(3))
    t0 = time.perf_counter()
    f = to_frames(r)
    frames_s = time.perf_counter() - t0
    out |= {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "g4_run_seconds": round(min(times), 3),
        "g4_run_all": [round(x, 3) for x in times],
        "g4_run_cpu_seconds": round(min(cpu), 3),
        "g4_run_cpu_all": [round(x, 3) for x in cpu],
        "g4_events": int(len(r.log["type"])),
        "g4_client_months": int(r.monthly["stock"].sum()),
        "g4_stock_end": r.summary["stock_end"],
        "g4_traj_started": r.summary["trajectories_started"],
        "g4_target_met_cpu": min(cpu) < 1.0,
        "g4_demand_run_seconds": round(min(d_times), 3),
        "g4_demand_run_cpu_seconds": round(min(d_cpu), 3),
        "g4_demand_placements": d_runs[-1].summary["demand"]["placements"],
        "to_frames_seconds": round(frames_s, 3),
        "frames_events": f.events.height,
    }
    if not args.skip_ensemble:
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
    status = 0
    if not args.skip_mesa:
        import mesa_reference

        frac = args.mesa_fraction
        t0, c0 = time.perf_counter(), time.process_time()
        mr = mesa_reference.run(int(G4["clients"] * frac), max(1, int(G4["caseworkers"] * frac)), G4["months"])
        mesa_s = time.perf_counter() - t0
        mesa_cpu = time.process_time() - c0
        agree = agreement([aggregates(x) for x in runs], mr, frac)
        out["mesa"] = {
            "fraction": frac,
            "seconds_measured": round(mesa_s, 2),
            "seconds_at_g4": round(mesa_s / frac, 2),
            "seconds_cpu": round(mesa_cpu, 2),
            "seconds_cpu_at_g4": round(mesa_cpu / frac, 2),
            "agent_steps": mr["agent_steps"],
            "us_per_agent_step_cpu": round(mesa_cpu / mr["agent_steps"] * 1e6, 2),
            "agreement": agree,
            "speedup_regie_cpu": round(mesa_cpu / frac / min(cpu), 1),
            "speedup_regie_wall": round(mesa_s / frac / min(times), 1),
            "target_100x_met_cpu": agree["agree"] and mesa_cpu / frac / min(cpu) >= 100,
        }
        if not agree["agree"]:
            status = 1
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=2))
    return status


if __name__ == "__main__":
    sys.exit(main())
