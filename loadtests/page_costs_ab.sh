#!/bin/bash
# Before/after CPU per page, runs of loadtests/page_costs.py alternated so that both sides share the machine's load.
#   BEFORE_SRC=var/before/src BEFORE_DB=var/pc0 AFTER_DB=var/pc ROUNDS=3 loadtests/page_costs_ab.sh
# BEFORE_SRC: a `git archive <commit> src | tar -x -C var/before` of the old code; BEFORE_DB / AFTER_DB: directories
# with regie.sqlite3 and secret_key (copies of the 50,000 demo; the before copy without the new migrations).
# Prints per page the best CPU ms of all rounds on each side, the weighted locust mix and the load per run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-/work/main/.venv/bin/python}
ROUNDS=${ROUNDS:-3}; N=${N:-6}; CASES=${CASES:-5}; USER_NAME=${USER_NAME:-km.brouwer}
OUT=${OUT:-var/ab/$(date +%H%M%S)}
mkdir -p "$OUT"
for i in $(seq 1 "$ROUNDS"); do
  for side in before after; do
    if [ "$side" = before ]; then SRC=$PWD/$BEFORE_SRC; DB=$PWD/$BEFORE_DB; else SRC=$PWD/src; DB=$PWD/$AFTER_DB; fi
    PYTHONPATH=$SRC DATABASE_URL=sqlite:///$DB/regie.sqlite3 REGIE_VAR_DIR=$DB \
      "$PY" loadtests/page_costs.py --n "$N" --user "$USER_NAME" --cases "$CASES" --json > "$OUT/$side-$i.json"
    echo "$side $i load $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/load.txt"
  done
done
"$PY" - "$OUT" <<'PY'
import glob, json, sys
out = sys.argv[1]
best = {}
for side in ("before", "after"):
    rows = best[side] = {}
    for f in sorted(glob.glob(f"{out}/{side}-*.json")):
        for k, v in json.load(open(f)).items():
            if k not in rows or v["cpu_ms"] < rows[k]["cpu_ms"]:
                rows[k] = v
MIX = {"worklist": 4, "case page": 4, "step form": 1, "start page": 2, "agenda": 1}  # loadtests/locustfile.py
def weighted(rows):
    total = weight = 0.0
    for kind, w in MIX.items():
        vals = [r["cpu_ms"] for label, r in rows.items() if label.startswith(kind) and "teammanager" not in label]
        if vals:
            total += w * sum(vals) / len(vals)
            weight += w
    return total / weight
print(f"{'page':30} {'before':>7} {'after':>7} {'q before':>8} {'q after':>7}")
for k, b in best["before"].items():
    a = best["after"].get(k, {"cpu_ms": float("nan"), "queries": -1})
    print(f"{k:30} {b['cpu_ms']:7.1f} {a['cpu_ms']:7.1f} {b['queries']:8d} {a['queries']:7d}")
print(f"{'weighted (locust mix)':30} {weighted(best['before']):7.1f} {weighted(best['after']):7.1f}")
print(open(f"{out}/load.txt").read())
PY
