"""employers2: ``regie.employers.selectors.caseload_table`` on a large demo: the first build in a process (empty
cache, three times), then the update after one ``append_event`` (three times) and a candidate list on it.

DATABASE_URL=sqlite:///ABS/COPY.sqlite3 PYTHONPATH=src python benchmarks/caseload_table_timing.py

Run it on a COPY of a demo database (``regie demo --clients 50000 --seed 7``): it appends three
``werkprofiel_aanvulling`` events to one case. Not named bench_*.py, so ``make bench`` does not run it (it
writes). Figures in docs/performance.md "Matching".
"""

from __future__ import annotations

import datetime as dt
import os
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
    django.setup()
    from regie.accounts.models import Municipality
    from regie.casework.models import Case, CaseState
    from regie.casework.services import append_event
    from regie.core.matching import Vacancy, candidates_for
    from regie.core.policy import policy_for
    from regie.employers import selectors

    muni = Municipality.objects.get(code=os.environ.get("MUNICIPALITY", "0518"))
    policy_for(muni.code, dt.date.today())  # loaded, as after regie serve's checks
    on_benefit = CaseState.objects.filter(municipality=muni, status="lopend")
    print("cases on benefit", on_benefit.count())
    for _ in range(3):
        selectors._CACHE.clear()
        t = time.perf_counter()
        table = selectors.caseload_table(muni)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        selectors.caseload_table(muni)
        warm = time.perf_counter() - t
        print(f"first build {cold:.2f} s, unchanged {warm * 1000:.1f} ms, rows {table.n}")
    case = Case.objects.get(pk=on_benefit.order_by("case_id").values_list("case_id", flat=True)[5])
    for i in range(3):
        payload = {"hours_available": 20 + i, "occupation_codes": [{"code": "9329", "label": "Inpakker"}]}
        append_event(case, type="werkprofiel_aanvulling", effective_date=dt.date.today(), payload=payload)
        t = time.perf_counter()
        table = selectors.caseload_table(muni)
        update = time.perf_counter() - t
        t = time.perf_counter()
        candidates_for(table, Vacancy("v", occupation_code="9329", postcode="2511 AB", hours=24))
        query = time.perf_counter() - t
        print(f"after one append {update * 1000:.0f} ms, a candidate list {query * 1000:.1f} ms")
    selectors._CACHE.clear()
    again = selectors.caseload_table(muni)
    same = [(p.client_ref, p.hours_available) for p in again.profiles] == [
        (p.client_ref, p.hours_available) for p in table.profiles
    ]
    print("the updated table equals a full build:", same)


if __name__ == "__main__":
    main()
