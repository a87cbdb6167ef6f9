"""Matching benchmark: one vacancy against a 50,000-client caseload, one client against 20,000 vacancies.

python benchmarks/bench_matching.py [--clients 50000] [--vacancies 20000] [--repeat 20]  → JSON on stdout

Figures (median and worst of ``repeat`` runs, each with the reasons for the first 50): ``vacancy_ms`` (regie.core.
matching.candidates_for) and ``client_ms`` (vacancies_for); ``build_*_s`` is building the arrays once (what the app
caches per municipality). The issue's target: both under 300 ms. Synthetic profiles and vacancies over the PC4
table of the demo region; shares are assumptions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

from regie.core.matching import (
    _PC4_RANGES,
    CONDITIONS,
    EDUCATION_ORDER,
    ProfileTable,
    Requirement,
    Vacancy,
    VacancyTable,
    WorkProfile,
    candidates_for,
    vacancies_for,
)

SKILLS = [f"vaardigheid {i}" for i in range(300)]
CERTS = ["vca", "bhv", "heftruck", "hygiëne", "ehbo", "code 95", "reachtruck", "vog"]
LEVELS = list(EDUCATION_ORDER)
# ISCO-08 unit groups in a few sub-major groups of elementary and service work (9xxx, 5xxx, 4xxx, 8xxx): synthetic
ISCO = [f"{g}{u:02d}" for g in ("93", "91", "51", "52", "43", "83", "96") for u in range(11, 15)]


def _postcode(rng) -> str:
    lo, hi, *_ = _PC4_RANGES[rng.integers(len(_PC4_RANGES))]
    return f"{rng.integers(lo, hi + 1)} AB"


def profiles(n: int, rng) -> list[WorkProfile]:
    out = []
    for i in range(n):
        out.append(
            WorkProfile(
                f"c{i}",
                postcode=_postcode(rng) if rng.random() < 0.95 else None,
                education_level=LEVELS[rng.integers(len(LEVELS))],
                skills=frozenset(rng.choice(SKILLS, rng.integers(0, 8), replace=False)),
                certificates=frozenset(rng.choice(CERTS, rng.integers(0, 3), replace=False)),
                driving_licences=frozenset({"B"}) if rng.random() < 0.4 else frozenset(),
                hours_available=float(rng.choice([8, 16, 24, 32, 36, 40])) if rng.random() < 0.8 else None,
                travel_radius_km=float(rng.choice([5, 10, 15, 25])) if rng.random() < 0.7 else None,
                restrictions=frozenset(rng.choice(list(CONDITIONS), rng.integers(0, 2), replace=False)),
                exempt=bool(rng.random() < 0.1),
                occupation_codes=frozenset(str(c) for c in rng.choice(ISCO, rng.integers(0, 3), replace=False)),
            )
        )
    return out


def vacancies(m: int, rng) -> list[Vacancy]:
    out = []
    for i in range(m):
        reqs = [Requirement("skill", str(s), bool(rng.random() < 0.5)) for s in rng.choice(SKILLS, 3, replace=False)]
        reqs.append(Requirement("certificate", str(rng.choice(CERTS)), bool(rng.random() < 0.5)))
        reqs.append(Requirement("education", LEVELS[rng.integers(0, 5)]))
        out.append(
            Vacancy(
                f"v{i}",
                hours=float(rng.choice([12, 20, 24, 32, 36, 40])),
                postcode=_postcode(rng),
                requirements=tuple(reqs),
                conditions=frozenset(rng.choice(list(CONDITIONS), rng.integers(0, 3), replace=False)),
                occupation_code=str(rng.choice(ISCO)) if rng.random() < 0.8 else "",
                occupation_required=bool(rng.random() < 0.1),
            )
        )
    return out


def _timed(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50_000)
    ap.add_argument("--vacancies", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    rng = np.random.default_rng(20)
    ps, vs = profiles(args.clients, rng), vacancies(args.vacancies, rng)
    t = time.perf_counter()
    ptable = ProfileTable(ps)
    build_p = time.perf_counter() - t
    t = time.perf_counter()
    vtable = VacancyTable(vs)
    build_v = time.perf_counter() - t
    it = iter(range(10**9))
    v_med, v_max = _timed(lambda: candidates_for(ptable, vs[next(it) % len(vs)], limit=50), args.repeat)
    c_med, c_max = _timed(lambda: vacancies_for(vtable, ps[next(it) % len(ps)], limit=50), args.repeat)
    print(
        json.dumps(
            {
                "clients": args.clients,
                "vacancies": args.vacancies,
                "build_profiles_s": round(build_p, 2),
                "build_vacancies_s": round(build_v, 2),
                "vacancy_ms_median": round(v_med, 1),
                "vacancy_ms_max": round(v_max, 1),
                "client_ms_median": round(c_med, 1),
                "client_ms_max": round(c_max, 1),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
