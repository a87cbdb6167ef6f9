"""Ensembles: many runs of one parameter set, on the local cores or on a Dask cluster — the same code.

Per-run seeds come from ``numpy.random.SeedSequence(seed).spawn(runs)``, so run *i* gets the same seed whatever the
number of workers or the scheduler, and results are returned in run order: an ensemble is reproducible for a seed.
Local workers are processes (``spawn``); ``scheduler="tcp://host:8786"`` submits the same function to a
``distributed.Client`` executor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager

import numpy as np

from .params import LabParams

MONTHLY_KEYS = (
    "stock",
    "inflow",
    "outflow",
    "outflow_work",
    "traj_started",
    "traj_success",
    "w_spent",
    "i_spent",
    "exempt",
    "sanctions",
    "warnings",
    "unemployment",
)


def run_seeds(seed: int, runs: int) -> list[int]:
    return [int(s.generate_state(1, dtype=np.uint32)[0]) for s in np.random.SeedSequence(seed).spawn(runs)]


def _month(start: dt.date, k: int) -> dt.date:
    y, m = divmod(start.year * 12 + start.month - 1 + k, 12)
    return dt.date(y, m + 1, 1)


def run_one(
    params: dict, seed: int, run: int, kpis: bool = True, equity: str = "icc", ledger: dict | None = None
) -> dict:
    """One run; returns plain data (summary, KPIs through the KPI code, equal treatment through the equity code
    (``equity="local"``: the fast fallback), monthly series; with ``ledger`` (a dict, possibly empty, of the
    benefit policy change) the I-deel from simulated ledgers, ``regie.core.lab.ledger.lab_ledger``)."""
    from . import adapters
    from .model import simulate

    p = LabParams().with_overrides({k: v for k, v in params.items() if k != "scheme_id"})
    r = simulate(p, seed)
    out = {
        "run": run,
        "seed": seed,
        "summary": r.summary,
        "budget": r.budget,
        "monthly": {k: r.monthly[k].tolist() for k in MONTHLY_KEYS},
    }
    if ledger is not None:  # benefit (h/benefit2): I-deel from simulated ledgers
        from .ledger import lab_ledger

        led = lab_ledger(r, ledger)
        out["ledger"] = {k: v for k, v in led.items() if k not in ("months", "stock", "i_spent", "vrijlating")}
        if "i_spent" in led:
            out["monthly"]["i_ledger"] = led["i_spent"]
    if kpis:
        from .events import to_frames

        f = to_frames(r)
        if p.months >= 30:
            coh = adapters.cohort_kpis(
                f,
                _month(p.start, 12),
                _month(p.start, 18) - dt.timedelta(days=1),
                as_of=_month(p.start, 30) - dt.timedelta(days=1),
            )
            out["cohort"] = {
                k: coh[k]
                for k in (
                    "X",
                    "Y",
                    "Z",
                    "A",
                    "B",
                    "A1",
                    "B1",
                    "compliance",
                    "langdurigheid",
                    "sluiting",
                    "uitstroom_met_traject",
                    "uitstroom_zonder_traject",
                )
            }
        out["equal_treatment"] = adapters.equal_treatment(f, _month(p.start, 0), _month(p.start, p.months), equity)
    return out


@contextmanager
def executor(workers: int, scheduler: str | None):
    if scheduler:
        from distributed import Client

        client = Client(scheduler)
        try:
            yield client.get_executor()
        finally:
            client.close()
    elif workers > 1:
        import multiprocessing as mp

        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as ex:
            yield ex
    else:
        yield None


def run_ensemble(
    params: LabParams,
    runs: int,
    seed: int = 0,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
    kpis: bool = True,
    pool: Executor | None = None,
    equity: str = "icc",
    ledger: dict | None = None,
) -> list[dict]:
    seeds = run_seeds(seed, runs)
    pdict = params.as_dict()
    results: list[dict | None] = [None] * runs
    if pool is None and workers <= 1 and not scheduler:
        for i, s in enumerate(seeds):
            results[i] = run_one(pdict, s, i, kpis, equity, ledger)
            if progress:
                progress(1)
        return results  # type: ignore[return-value]
    with executor(workers, scheduler) if pool is None else _given(pool) as ex:
        futures = {ex.submit(run_one, pdict, s, i, kpis, equity, ledger): i for i, s in enumerate(seeds)}
        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
            if progress:
                progress(1)
    return results  # type: ignore[return-value]


@contextmanager
def _given(pool):
    yield pool


def aggregate(results: list[dict]) -> dict:
    """Mean and 90% band (5th-95th percentile) over runs for every numeric summary, cohort and equity figure."""
    flat = [flatten(r) for r in results]
    keys = [k for k in flat[0] if all(isinstance(f.get(k), (int, float)) and f.get(k) is not None for f in flat)]
    out = {}
    for k in keys:
        v = np.array([f[k] for f in flat], dtype=float)
        out[k] = {
            "mean": round(float(v.mean()), 4),
            "p05": round(float(np.percentile(v, 5)), 4),
            "p95": round(float(np.percentile(v, 95)), 4),
            "sd": round(float(v.std(ddof=1)) if len(v) > 1 else 0.0, 4),
        }
    return out


def flatten(r: dict) -> dict:
    out = {"run": r["run"], "seed": r["seed"]}
    for k, v in r["summary"].items():
        if isinstance(v, dict):
            for kk, vv in v.items():
                if isinstance(vv, dict):
                    out.update({f"{k}.{kk}.{x}": y for x, y in vv.items()})
                else:
                    out[f"{k}.{kk}"] = vv
        elif not isinstance(v, list):
            out[k] = v
    for k, v in (r.get("cohort") or {}).items():
        out[f"cohort.{k}"] = v
    for k, v in (r.get("ledger") or {}).items():  # I-deel from simulated ledgers (numbers; "problem" is text)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out[f"ledger.{k}"] = v
    for k, v in (r.get("equal_treatment") or {}).items():
        if isinstance(v, dict):
            out.update({f"equal_treatment.{k}.{kk}": vv for kk, vv in v.items()})
        elif isinstance(v, (int, float)):
            out[f"equal_treatment.{k}"] = v
    return out
