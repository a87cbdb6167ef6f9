"""CPU the web workers' shared store (regie.casework.derived, "shared memo") costs per request, by operation.

    DATABASE_URL=sqlite:///$PWD/var/pc/regie.sqlite3 REGIE_VAR_DIR=var/pc python loadtests/shared_store_cost.py \\
        [--users 8] [--cases 6] [--workers 4]

Runs loadtests/cold_costs.py's sequence (W workers played in one process, one fresh shared store) with the store's
three operations timed (time.process_time): reading a page's per-case values (`_from_shared`), reading a rendered
fragment (`_shared_get` outside `_from_shared`; a batched `_fragments_from_shared` where there is one) and
the write at the end of a request (`_shared_write`). Prints the
CPU of each per request and in total, beside the requests' own CPU: the figure to compare between two versions
of the store, as it depends far less on the machine's load than a page's whole CPU.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import cold_costs  # noqa: E402  (sets up Django)

from regie.casework import derived  # noqa: E402

spent = {"per-case reads": 0.0, "fragment reads": 0.0, "writes": 0.0}
calls = {k: 0 for k in spent}
_inside = [False]


def _timed(name, fn, mark_inside=False):
    def wrapper(*args, **kwargs):
        if name == "fragment reads" and _inside[0]:
            return fn(*args, **kwargs)
        t0 = time.process_time()
        if mark_inside:
            _inside[0] = True
        try:
            return fn(*args, **kwargs)
        finally:
            _inside[0] = False if mark_inside else _inside[0]
            spent[name] += time.process_time() - t0
            calls[name] += 1

    return wrapper


derived._from_shared = _timed("per-case reads", derived._from_shared, mark_inside=True)
derived._shared_get = _timed("fragment reads", derived._shared_get)
derived._shared_write = _timed("writes", derived._shared_write)
if hasattr(derived, "_fragments_from_shared"):  # pages6: a page's fragments read in one batch
    derived._fragments_from_shared = _timed("fragment reads", derived._fragments_from_shared, mark_inside=True)

if __name__ == "__main__":
    t0 = time.process_time()
    cold_costs.main()
    total = time.process_time() - t0
    n = sum(len(v) for v in cold_costs.LAST_CPU.values())
    for k, v in spent.items():
        print(f"  shared store {k:15s} {1000 * v / n:6.2f} ms per request ({calls[k]} calls)")
    store = 1000 * sum(spent.values()) / n
    print(f"  shared store total          {store:6.2f} ms per request of {1000 * total / n:.1f}")
