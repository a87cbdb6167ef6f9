"""Policy engine benchmark: single-case latency and batch throughput over 1,000,000 synthetic cases, and the
single-case advice on real cases including building their facts.

python benchmarks/bench_policy.py  → JSON on stdout (figures recorded in docs/performance.md)

"Real cases": the synthetic municipality ``regie.core.synth`` writes (500 clients of 0518, seed 7) as the importer
would store them: each case's events folded by ``regie.core.projection.fold`` into the snapshot the database keeps
(``CaseState.snapshot``), with the client record beside it. Per case and advice the timed work is what the casework
adapter does after reading those rows: ``record_facts`` (the fact dictionary, regie.core.policy.facts),
``facts_from_case`` and ``recommend`` (the full recommendation set), and ``advise_step`` for a classificatie (the
step advice the step form and the decision gate ask). Reading the rows from the database is not part of it.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import numpy as np

from regie.core.policy import CaseFacts, advise_step, facts_from_case, policy_for, recommend, recommend_batch
from regie.core.policy.facts import record_facts

ON = dt.date(2020, 1, 1)
REAL_ON = dt.date(2026, 10, 31)  # the synthetic history's last day


def real_cases(municipality: str = "0518", clients: int = 500, seed: int = 7) -> list[tuple[dict, dict, object]]:
    """(client record, case snapshot, last maatregel's repeat step) of every case of a synthetic municipality."""
    from regie.core.projection import fold
    from regie.core.synth.generator import iter_records

    people: dict[str, dict] = {}
    case_client: dict[str, str] = {}
    events: dict[str, list[dict]] = {}
    for rec in iter_records(municipality, clients, seed):
        kind = rec["record"]
        if kind == "client":
            people[rec["id"]] = rec
        elif kind == "case":
            case_client[rec["id"]] = rec["client"]
            events[rec["id"]] = []
        elif kind == "event":
            events[rec["case"]].append(rec)
    out = []
    for case_id, evs in events.items():
        evs.sort(key=lambda e: e["effective_date"])  # stable: recorded order breaks ties (as the projection does)
        repeat = next((e["payload"].get("repeat_step") for e in reversed(evs) if e["type"] == "maatregel"), None)
        out.append((people[case_client[case_id]], fold(evs).to_json(), repeat))
    return out


def real_case_advice(code: str = "0518") -> dict:
    """Microseconds per case: facts built from the record and snapshot, then the engine (best of 5 passes, CPU time
    of this process: on the shared 2-core machine waiting for a core is not the engine's time)."""
    cases = real_cases(code)
    policy = policy_for(code, REAL_ON)

    def full(c):
        raw = record_facts(c[0], c[1], REAL_ON, c[2])
        return recommend(policy, facts_from_case(raw, REAL_ON, policy), REAL_ON)

    def step(c):
        return advise_step(code, "classificatie", record_facts(c[0], c[1], REAL_ON, c[2]), REAL_ON)

    out = {"cases": len(cases), "policy": policy.version_id}

    def facts(c):
        return record_facts(c[0], c[1], REAL_ON, c[2])

    for name, fn in (("facts_only_us", facts), ("facts_and_recommend_us", full), ("facts_and_advise_step_us", step)):
        for c in cases[:100]:
            fn(c)  # warm-up
        best = float("inf")
        for _ in range(5):
            t = time.process_time()
            for _ in range(4):
                for c in cases:
                    fn(c)
            best = min(best, time.process_time() - t)
        out[name] = round(best / (4 * len(cases)) * 1e6, 1)
    return out


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
    results["real_cases_0518"] = real_case_advice("0518")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
