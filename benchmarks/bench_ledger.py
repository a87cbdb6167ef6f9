"""Benefit ledger benchmark: one month's ledger for 400,000 synthetic clients (docs/performance.md).

python benchmarks/bench_ledger.py [--clients 400000]  → JSON on stdout

Two figures:
- ``batch_seconds``: the vectorised calculation (regie.core.benefit.batch.ledger_batch) of the month for every
  client from its month inputs (household, cost-sharers, age, days, measure, income, vrijlating, paid): the
  monthly ledger;
- ``derive_seconds``: deriving those month inputs from each client's events with the one derivation
  (regie.core.benefit.ledger.month_inputs), client by client, plus the batch: the monthly ledger from the event log.
It also checks, on a sample, that the batch agrees with the single-case computation to the cent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

import numpy as np

from regie.core.benefit import entitlement
from regie.core.benefit.batch import columns_from_inputs, ledger_batch
from regie.core.benefit.ledger import month_inputs
from regie.core.benefit.norms import table_from_policy
from regie.core.policy import policy_for

MONTH = "2025-03"
ON = dt.date(2025, 3, 1)
TYPES = np.array(["alleenstaande", "alleenstaande_ouder", "gehuwden"])


def synthetic_events(n: int, seed: int = 3) -> list[tuple[dt.date, list[dict]]]:
    """Per client: birth date and events (toekenning, sometimes a household change, a measure, income, a payment);
    shares are assumptions of the same order as the national stock (about a fifth with part-time income)."""
    rng = np.random.default_rng(seed)
    out = []
    age = rng.integers(18, 70, n)
    kind = rng.choice(3, n, p=[0.55, 0.25, 0.20])
    sharers = rng.choice(4, n, p=[0.8, 0.12, 0.05, 0.03])
    start_day = rng.integers(0, 700, n)
    work = rng.random(n) < 0.2
    sanction = rng.random(n) < 0.03
    for i in range(n):
        start = dt.date(2023, 4, 1) + dt.timedelta(days=int(start_day[i]))
        evs = [
            {
                "type": "toekenning",
                "effective_date": start,
                "payload": {"norm_type": TYPES[kind[i]], "cost_sharers": int(sharers[i])},
            }
        ]
        if sharers[i] and i % 3 == 0:
            evs.append(
                {
                    "type": "wijziging_huishouden",
                    "effective_date": dt.date(2025, 1, 1),
                    "payload": {"norm_type": TYPES[kind[i]], "cost_sharers": int(sharers[i]) - 1},
                }
            )
        if sanction[i]:
            evs.append(
                {
                    "type": "maatregel",
                    "effective_date": dt.date(2025, 3, 1),
                    "payload": {"percentage": 20.0, "months": 1},
                }
            )
        if work[i]:
            evs.append(
                {
                    "type": "inkomstenopgave",
                    "effective_date": dt.date(2025, 4, 3),
                    "payload": {"month": MONTH, "work_income": f"{200 + (i % 900)}.00"},
                }
            )
        out.append((dt.date(2025 - int(age[i]), 1 + i % 12, 1 + i % 28), evs))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=400_000)
    args = ap.parse_args()
    n = args.clients
    table = table_from_policy(policy_for("den-haag", ON), ON)
    clients = synthetic_events(n)

    t0 = time.perf_counter()
    inputs = [month_inputs(evs, birth, [MONTH])[0] for birth, evs in clients]
    inputs = [m for m in inputs if m is not None]
    t_inputs = time.perf_counter() - t0
    cols = columns_from_inputs(inputs)
    t1 = time.perf_counter()
    out = ledger_batch(cols, table)
    t_batch = time.perf_counter() - t1
    total_cents = int(out["to_pay"].sum())

    sample = range(0, len(inputs), max(1, len(inputs) // 2000))
    agree = all(entitlement(inputs[i], table).to_pay == int(out["to_pay"][i]) for i in sample)
    print(
        json.dumps(
            {
                "benchmark": "ledger",
                "clients": n,
                "clients_on_benefit_in_month": len(inputs),
                "month": MONTH,
                "batch_seconds": round(t_batch, 3),
                "derive_seconds": round(t_inputs + t_batch, 2),
                "to_pay_total_eur": total_cents / 100,
                "sample_agrees": agree,
                "limit_seconds": 60,
                "ok": agree and (t_inputs + t_batch) < 60,
            }
        )
    )


if __name__ == "__main__":
    main()
