"""Labour-market scenarios: a monthly unemployment path and what it does to work exits and inflow.

Work hazard × (u0 / u_t) ** work_elasticity; first-time inflow × (u_t / u0) ** inflow_elasticity (both A).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

SCENARIOS = {
    # name: description, base unemployment, list of (months from start, unemployment) knots, linear in between
    "stable": ("constant unemployment", 0.08, []),
    # seed 000:364: NedCar closed in 2006 in Sittard-Geleen: regional unemployment 8% -> 19% while it fell
    # nationally. The knots are anchored on the calendar (2006); recovery after 2008 is an assumption.
    "sittard-geleen-2006": (
        "NedCar closure: 8% -> 19% during 2006 (seed 000:364); slow recovery from 2009 (A)",
        0.08,
        [
            (dt.date(2006, 1, 1), 0.08),
            (dt.date(2006, 12, 1), 0.19),
            (dt.date(2008, 12, 1), 0.19),
            (dt.date(2012, 12, 1), 0.12),
        ],
    ),
    "recession": (
        "a national recession: +50% unemployment over two years from year 3 (A)",
        0.06,
        [(24, 0.06), (48, 0.09), (84, 0.07)],
    ),
    "boom": (
        "a tight labour market: unemployment falls by a third over three years (A)",
        0.08,
        [(0, 0.08), (36, 0.055)],
    ),
}


@dataclass
class Market:
    name: str
    description: str
    unemployment: np.ndarray  # per month
    work_mult: np.ndarray
    inflow_mult: np.ndarray


def _month_index(start: dt.date, knot) -> int:
    if isinstance(knot, int):
        return knot
    return (knot.year - start.year) * 12 + knot.month - start.month


def build(name: str, start: dt.date, months: int, overrides: dict | None = None) -> Market:
    o = dict(overrides or {})
    if name not in SCENARIOS:
        raise KeyError(f"unknown labour-market scenario {name!r}; known: {', '.join(SCENARIOS)}")
    desc, u0, knots = SCENARIOS[name]
    u0 = float(o.get("base", u0))
    knots = o.get("knots", knots)
    t = np.arange(months)
    if knots:
        xs = np.array(
            [_month_index(start, k if not isinstance(k, str) else dt.date.fromisoformat(k)) for k, _ in knots]
        )
        ys = np.array([float(v) for _, v in knots])
        u = np.interp(t, xs, ys, left=ys[0], right=ys[-1])
    else:
        u = np.full(months, u0)
    we = float(o.get("work_elasticity", 0.8))  # A
    ie = float(o.get("inflow_elasticity", 0.7))  # A
    return Market(name, desc, u, (u0 / u) ** we, (u / u0) ** ie)
