#!/usr/bin/env bash
# First requests of a fresh web worker: `regie serve` with 1 worker on DATABASE_URL, log in as km.dijkstra (the
# demo), then time the worklist, start page, agenda (day, week) and a case page with curl. Usage: first_request.sh PORT
set -u
mkdir -p "${OUT:-var/fw}"
PORT=$1
"${BIN:-.venv/bin}/regie" serve --port $PORT --workers 1 --no-worker > ${OUT:-var/fw}/serve_$PORT.log 2>&1 & srv=$!
for _ in $(seq 120); do curl -fs -o /dev/null http://127.0.0.1:$PORT/inloggen/ && break; sleep 0.5; done
J=${OUT:-var/fw}/cj_$PORT; rm -f $J
tok=$(curl -s -c $J -b $J http://127.0.0.1:$PORT/inloggen/ | grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' | sed 's/.*value="//;s/"//' | head -1)
curl -s -o /dev/null -c $J -b $J -e http://127.0.0.1:$PORT/inloggen/ -d "username=km.dijkstra&password=regie-demo-2026&csrfmiddlewaretoken=$tok" http://127.0.0.1:$PORT/inloggen/
for u in /clienten/ /vandaag/ /agenda/ /agenda/week/ /clienten/ /vandaag/; do
  curl -s -o ${OUT:-var/fw}/page.html -b $J -w "$u %{http_code} %{time_total}s\n" http://127.0.0.1:$PORT$u
done
cid=$(grep -o 'href="/clienten/[0-9]*/"' ${OUT:-var/fw}/page.html | head -1 | grep -o '[0-9]*')
cid=${cid:-$(curl -s -b $J http://127.0.0.1:$PORT/clienten/ | grep -o 'href="/clienten/[0-9]*/"' | head -1 | grep -o '[0-9]*')}
curl -s -o /dev/null -b $J -w "/clienten/$cid/ %{http_code} %{time_total}s\n" http://127.0.0.1:$PORT/clienten/$cid/
curl -s -o /dev/null -b $J -w "/clienten/$cid/ (again) %{http_code} %{time_total}s\n" http://127.0.0.1:$PORT/clienten/$cid/
kill $srv; wait $srv 2>/dev/null
