"""Policy engine benchmark: single-case latency and batch throughput over 1,000,000 synthetic cases.

python benchmarks/bench_policy.py  → JSON on stdout (figures recorded in docs/performance.md)
"""

from __future__ import annotations

import datetime as dt
import json
import time

import numpy as np

from regie.core.policy import CaseFacts, policy_for, recommend, recommend_batch

ON = dt.date(2020, 1, 1)


def table(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)

    def maybe(a, p_missing=0.02):
        a = a.astype(float)
        a[rng.random(n) < p_missing] = np.nan
        return a

    kids = rng.integers(0, 4, n)
    return {
        "age": maybe(rng.uniform(18, 66, n)),
        "expected_months_to_work": maybe(rng.integers(0, 60, n)),
        "n_children": kids.astype(float),
        "youngest_child_age": np.where(kids > 0, rng.uniform(0, 17, n), np.nan),
        "has_partner": maybe(rng.random(n) < 0.15),
        "childcare_arranged": maybe(rng.random(n) < 0.8),
        "medical_claim": maybe(rng.random(n) < 0.1),
        "health_limitation": maybe(rng.random(n) < 0.3),
        "care_duties": maybe(rng.random(n) < 0.05),
        "requested_trajectory": maybe(rng.random(n) < 0.2),
    }


def main() -> None:
    results = {}
    for code in ("0935", "1916", "0518"):
        policy = policy_for(code, ON)
        facts = CaseFacts(
            age=48,
            expected_months_to_work=30,
            n_children=1,
            youngest_child_age=3,
            has_partner=False,
            childcare_arranged=True,
            medical_claim=False,
            health_limitation=False,
            care_duties=False,
            requested_trajectory=False,
        )
        for _ in range(200):
            recommend(policy, facts, ON)
        n_single = 5000
        t = time.perf_counter()
        for _ in range(n_single):
            recommend(policy, facts, ON)
        single_us = (time.perf_counter() - t) / n_single * 1e6
        tab = table(1_000_000)
        recommend_batch(policy, table(1000), ON)  # warm-up
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            recommend_batch(policy, tab, ON)
            best = min(best, time.perf_counter() - t)
        results[policy.version_id] = {
            "single_case_us": round(single_us, 1),
            "batch_1m_seconds": round(best, 3),
            "batch_cases_per_second": round(1_000_000 / best),
        }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
