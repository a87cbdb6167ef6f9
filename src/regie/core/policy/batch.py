"""The vectorised policy engine: the same rules as ``engine.py``, compiled to numpy array operations.

Input is a table of facts as columns (``dict[str, np.ndarray]`` or a polars/pandas frame with those columns):
floats, with NaN for an unknown fact (booleans as 0/1). Output is one array per recommendation; -1 (or NaN)
marks "cannot decide" exactly where the single-case engine says so. No Python loop runs per case — only per rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .engine import CaseFacts
from .schema import FACTS, Policy, Rule

OPS = {
    "lt": np.less,
    "lte": np.less_equal,
    "gt": np.greater,
    "gte": np.greater_equal,
    "eq": np.equal,
    "ne": np.not_equal,
}


def table_from_facts(facts: list[CaseFacts | dict]) -> dict[str, np.ndarray]:
    """Columns from a list of CaseFacts (for tests and small batches)."""
    rows = [f if isinstance(f, CaseFacts) else CaseFacts.model_validate(f) for f in facts]
    cols = {}
    for name in FACTS:
        cols[name] = np.array([np.nan if getattr(r, name) is None else float(getattr(r, name)) for r in rows])
    return cols


def _columns(table) -> dict[str, np.ndarray]:
    if isinstance(table, dict):
        cols = {k: np.asarray(v, dtype=float) for k, v in table.items()}
    else:  # polars or pandas
        cols = {c: np.asarray(table[c], dtype=float) for c in table.columns}
    n = len(next(iter(cols.values())))
    for name in FACTS:
        cols.setdefault(name, np.full(n, np.nan))
    return cols


def _rule_masks(rule: Rule, cols: dict[str, np.ndarray], on: dt.date, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(matches, undecided) boolean arrays for one rule, mirroring engine.matches."""
    if (rule.valid_from and on < rule.valid_from) or (rule.valid_until and on >= rule.valid_until):
        return np.zeros(n, bool), np.zeros(n, bool)
    known_true = np.ones(n, bool)  # every known condition holds
    any_missing = np.zeros(n, bool)
    for name, test in rule.when.items():
        v = cols[name]
        unknown = np.isnan(v)
        if name == "youngest_child_age":
            no_child = cols["n_children"] == 0
            unknown &= ~no_child
            known_true &= ~no_child  # without children, "youngest child ..." is false
        with np.errstate(invalid="ignore"):
            for op, expected in test.items():
                if op == "in":
                    ok = np.isin(v, np.asarray(expected, dtype=float))
                else:
                    ok = OPS[op](v, float(expected))
                known_true &= ok | unknown
        any_missing |= unknown
    return known_true & ~any_missing, known_true & any_missing


def _first_match(rules, cols, on, n) -> np.ndarray:
    """Index of the first matching rule; -1 where a rule before it could not be evaluated."""
    out = np.full(n, -1, dtype=np.int64)
    open_ = np.ones(n, bool)
    for i, rule in enumerate(rules):
        m, u = _rule_masks(rule, cols, on, n)
        out[open_ & m] = i
        open_ &= ~(m | u)
    return out


@dataclass
class BatchResult:
    level: np.ndarray  # object array of level ids, None = cannot decide
    route: np.ndarray
    trajectory_eligible: np.ndarray  # float: 1/0, NaN = cannot decide
    work_first: np.ndarray  # bool (False where the level is unknown)
    exemption_grounds: dict[str, np.ndarray]  # ground -> float 1/0/NaN
    search_period: np.ndarray  # float 1/0/NaN
    routing_rule: np.ndarray | None = None  # index of the routing rule that decided the level, -1 = cannot decide


def recommend_batch(policy: Policy, table, on: dt.date) -> BatchResult:
    cols = _columns(table)
    n = len(cols["age"])
    r_idx = _first_match(policy.routing.rules, cols, on, n)
    levels = np.array([r.level for r in policy.routing.rules] + [None], dtype=object)
    routes = np.array([r.route for r in policy.routing.rules] + [None], dtype=object)
    level = levels[r_idx]  # index -1 picks the trailing None
    route = routes[r_idx]
    t_idx = _first_match(policy.trajectories.rules, cols, on, n)
    eligible = np.array([1.0 if r.eligible else 0.0 for r in policy.trajectories.rules] + [np.nan])[t_idx]
    wf = policy.work_first
    work_first = (
        np.isin(level.astype(str), np.array(wf.levels, dtype=str)) & (r_idx >= 0) if wf.enabled else np.zeros(n, bool)
    )
    grounds = {}
    for g in policy.exemptions:
        m, u = _rule_masks(g, cols, on, n)
        arr = m.astype(float)
        arr[u] = np.nan
        prev = grounds.get(g.ground)
        if prev is not None:  # several rules for one ground: granted if any grants, else unknown if any unknown
            arr = np.where((prev == 1) | (arr == 1), 1.0, np.where(np.isnan(prev) | np.isnan(arr), np.nan, 0.0))
        grounds[g.ground] = arr
    age = cols["age"]
    rule = policy.national.search_period
    if rule.applies_on(on):
        sp = np.where(np.isnan(age), np.nan, (age < rule.max_age).astype(float))
    else:  # the law had no search period yet: none, whatever the age (as the single-case engine says)
        sp = np.zeros(n, dtype=float)
    return BatchResult(level, route, eligible, work_first, grounds, sp, r_idx)
