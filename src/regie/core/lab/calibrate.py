"""Calibration: the default parameters (``params.LabParams``) against published aggregates.

``calibration_table(seed)`` runs one mid-size municipality and measures it through the same code that measures
real event logs: the RWI cohort ratios with ``regie.core.kpi.cohort_kpis``, stock and flows with
``regie.core.kpi.indicators.stock_and_flows``, trajectory success with ``indicators.trajectory_results``.
docs/lab-calibration.md records the table and which parameters are assumptions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import adapters
from .params import LabParams


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    value: float
    low: float
    high: float
    source: str


TARGETS = [
    Target("langdurigheid", "RWI langdurigheid Y/X", 0.59, 0.54, 0.64, "seed 001:1682-1692 (Tabel 5.1)"),
    Target("sluiting", "RWI sluiting A/Z", 0.19, 0.14, 0.24, "seed 001:1682-1692 (Tabel 5.1)"),
    Target(
        "uitstroom_jaar2",
        "outflow in H1 of year 2, (A.1+B.1)/(A+B)",
        0.20,
        0.16,
        0.24,
        "seed 001:1682-1692 (Tabel 5.1: 18% and 21%)",
    ),
    Target(
        "uitstroom_met_traject",
        "… with trajectory A.1/A (small group: wide band)",
        0.18,
        0.10,
        0.30,
        "seed 001:1682-1692 (Tabel 5.1)",
    ),
    Target(
        "uitstroom_zonder_traject", "… without trajectory B.1/B", 0.21, 0.15, 0.27, "seed 001:1682-1692 (Tabel 5.1)"
    ),
    Target("inflow_pct", "yearly inflow, % of the stock", 24.0, 22.0, 26.0, "domain brief section 8 (ext, CBS)"),
    Target("outflow_pct", "yearly outflow, % of the stock", 24.0, 22.0, 26.0, "domain brief section 8 (ext, CBS)"),
    Target("work_share", "share of outflow to work", 0.40, 0.35, 0.45, "domain brief section 8 (ext, CBS)"),
    Target(
        "trajectory_success",
        "trajectories ending in work",
        0.08,
        0.05,
        0.11,
        "seed 002:793 (Maastricht 2004: ~8% successful trajectories)",
    ),
]

CALIBRATION_SIZE = {"clients": 16000, "caseworkers": 120, "months": 48}


def measure(frames, start: dt.date, months: int) -> dict:
    """The calibration measures of one simulated event log, through the KPI code."""

    def m(k):
        y, mo = divmod(start.year * 12 + start.month - 1 + k, 12)
        return dt.date(y, mo + 1, 1)

    # cohort: inflow in the first half of year 2 (year 1 is warm-up), followed for 18 months
    coh = adapters.cohort_kpis(frames, m(12), m(18) - dt.timedelta(days=1), as_of=m(months) - dt.timedelta(days=1))
    flows = adapters.stock_and_flows(frames, m(12), m(24))
    avg = (flows["stock_start"] + flows["stock_end"]) / 2
    tr = adapters.trajectory_results(frames, m(12), m(months))
    ended = sum(r["ended"] for r in tr)
    succ = sum(r["successful"] for r in tr)
    return {
        **{
            k: coh[k]
            for k in (
                "langdurigheid",
                "sluiting",
                "uitstroom_met_traject",
                "uitstroom_zonder_traject",
                "compliance",
                "X",
                "Y",
                "Z",
                "A",
                "B",
                "A1",
                "B1",
            )
        },
        "uitstroom_jaar2": round((coh["A1"] + coh["B1"]) / (coh["A"] + coh["B"]), 4) if coh["A"] + coh["B"] else None,
        "inflow_pct": round(100 * flows["inflow"] / avg, 2),
        "outflow_pct": round(100 * flows["outflow"] / avg, 2),
        "work_share": round(flows["outflow_to_work"] / max(flows["outflow"], 1), 4),
        "trajectory_success": round(succ / ended, 4) if ended else None,
    }


def calibration_table(seed: int = 2004, params: LabParams | None = None) -> list[dict]:
    from .events import to_frames
    from .model import simulate

    p = params or LabParams().with_overrides(CALIBRATION_SIZE)
    r = simulate(p, seed)
    got = measure(to_frames(r), p.start, p.months)
    rows = []
    for t in TARGETS:
        v = got.get(t.key)
        rows.append(
            {
                "key": t.key,
                "label": t.label,
                "target": t.value,
                "low": t.low,
                "high": t.high,
                "simulated": v,
                "ok": v is not None and t.low <= v <= t.high,
                "source": t.source,
            }
        )
    return rows
