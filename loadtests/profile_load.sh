#!/usr/bin/env bash
# Where a worker's CPU goes under load: `regie serve --no-worker` (LOAD_WORKERS workers) on an existing database
# (DATABASE_URL, REGIE_VAR_DIR: a copy of the 50,000-client demo, migrated), sampled by py-spy (all processes,
# 100 Hz, active threads only), while locust runs the mix of loadtests/locustfile.py with LOAD_USERS_N users for
# LOAD_TIME. Then loadtests/profile_split.py splits the samples into framework, audit, SQL, ORM, derivation and
# templates. Needs py-spy in the venv (pip install py-spy). Output in LOAD_DIR (var/profile).
set -euo pipefail
BIN=${BIN:-.venv/bin}
LOAD_DIR=${LOAD_DIR:-var/profile}
mkdir -p "$LOAD_DIR"
"$BIN/python" loadtests/users.py > "$LOAD_DIR/users.txt"
PORT=${LOAD_PORT:-$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
"$BIN/py-spy" record --subprocesses --rate 100 --format raw --output "$LOAD_DIR/pyspy.txt" -- \
  "$BIN/regie" serve --no-worker --port "$PORT" --workers "${LOAD_WORKERS:-4}" > "$LOAD_DIR/serve.log" 2>&1 & server=$!
trap 'kill -TERM $(pgrep -P $server) 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/inloggen/" && break; sleep 1; done
uptime | tee "$LOAD_DIR/uptime_before.txt"
LOAD_DIR="$LOAD_DIR" LOAD_USERS="$LOAD_DIR/users.txt" "$BIN/locust" -f loadtests/locustfile.py --headless \
  -u "${LOAD_USERS_N:-50}" -r 10 -t "${LOAD_TIME:-90s}" --host "http://127.0.0.1:$PORT" --csv "$LOAD_DIR/locust" \
  --only-summary
uptime | tee "$LOAD_DIR/uptime_after.txt"
