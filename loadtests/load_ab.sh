#!/usr/bin/env bash
# A/B under load: `make load-test`'s run (loadtests/run.sh) alternately on the code of REF and of the work tree, on
# the same database, ROUNDS times (default 2), so that both sides share the machine's hour. Usage (SQLite):
#   DATABASE_URL=sqlite:///$PWD/var/load/sqlite/regie.sqlite3 LOAD_DIR=$PWD/var/load/sqlite \
#     loadtests/load_ab.sh da9d0ed [ROUNDS]
# REF's src is exported with `git archive` into var/ab/REF/src and put first on PYTHONPATH (before the editable
# install); each run's locust_stats.csv is kept as var/ab/<side>_<round>.csv, and loadtests/load_ab_summary.py
# prints median / p95 / p99 per page and side.
set -euo pipefail
REF=$1
ROUNDS=${2:-2}
BIN=${BIN:-.venv/bin}
LOAD_DIR=${LOAD_DIR:-var/load/sqlite}
OUT=var/ab
mkdir -p "$OUT/$REF"
rm -rf "$OUT/$REF/src" && git archive "$REF" src | tar -x -C "$OUT/$REF"
for round in $(seq "$ROUNDS"); do
  for side in "$REF" work; do
    if [ "$side" = work ]; then pp="$PWD/src"; else pp="$PWD/$OUT/$REF/src"; fi
    echo "== round $round, $side ($(uptime))"
    PYTHONPATH="$pp" BIN="$BIN" LOAD_DIR="$LOAD_DIR" loadtests/run.sh > "$OUT/${side}_$round.log" 2>&1
    cp "$LOAD_DIR/locust_stats.csv" "$OUT/${side}_$round.csv"
  done
done
"$BIN/python" loadtests/load_ab_summary.py "$OUT" "$REF"
