#!/usr/bin/env bash
# One load test against the database in DATABASE_URL (make load-test [DB=postgres]): migrate, the 50,000-client
# demo, `regie serve` (4 workers) on a free port (or LOAD_PORT), locust with LOAD_USERS_N (50) caseworkers for
# LOAD_TIME (3m).
# The load starts when the job queue is idle (loadtests/wait_idle.py). Figures: $LOAD_DIR/locust_stats.csv; the
# machine's load (uptime) is written before and after.
set -euo pipefail
BIN=${BIN:-.venv/bin}
LOAD_DIR=${LOAD_DIR:-var/load}
mkdir -p "$LOAD_DIR"
export REGIE_VAR_DIR="$LOAD_DIR"
"$BIN/regie" migrate > /dev/null
"$BIN/regie" demo --clients "${LOAD_CLIENTS:-50000}" --seed 7 > /dev/null
"$BIN/python" loadtests/users.py > "$LOAD_DIR/users.txt"
PORT=${LOAD_PORT:-$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
"$BIN/regie" serve --port "$PORT" --workers "${LOAD_WORKERS:-4}" & server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/inloggen/" && break; sleep 1; done
# the analytic store builds `regie demo` queued (one write_copy job per municipality) are not page traffic
"$BIN/python" loadtests/wait_idle.py "${LOAD_IDLE_TIMEOUT:-900}"
uptime | tee "$LOAD_DIR/uptime_before.txt"
LOAD_DIR="$LOAD_DIR" LOAD_USERS="$LOAD_DIR/users.txt" "$BIN/locust" -f loadtests/locustfile.py --headless -u "${LOAD_USERS_N:-50}" -r 10 \
  -t "${LOAD_TIME:-3m}" --host "http://127.0.0.1:$PORT" --csv "$LOAD_DIR/locust" --only-summary
uptime | tee "$LOAD_DIR/uptime_after.txt"
echo "log-in window (not in locust_stats.csv): $(cat "$LOAD_DIR/rampup.json" 2>/dev/null)"
