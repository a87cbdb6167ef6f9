"""Mixed caseworker traffic against a running Regie (make load-test).

Each simulated caseworker logs in once, then works: the worklist with filters and name searches, client pages from
the worklist, step forms, the start page (/vandaag/) and the agenda (day and week). Usernames come from LOAD_USERS
(one per line), password from LOAD_PASSWORD.

Two windows are measured. The log-in storm (every user logging in within seconds: PBKDF2 is deliberately slow) is
written to $LOAD_DIR/rampup.json when the last user has logged in; then the statistics are reset, so the locust
CSVs describe the working day's steady state only (the figures docs/performance.md compares with the 150 ms target).
FastHttpUser (geventhttpclient) is the load generator because it shares the 2 cores with the server: it needs a
fraction of the CPU of the requests-based HttpUser per request.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from urllib.parse import urlencode

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

USERS = [u.strip() for u in open(os.environ.get("LOAD_USERS", "var/load/users.txt")) if u.strip()]
PASSWORD = os.environ.get("LOAD_PASSWORD", "regie-demo-2026")
RAMPUP_FILE = os.path.join(os.environ.get("LOAD_DIR", "var/load"), "rampup.json")
NAMES = ["Jansen", "de Vries", "Bakker", "Yilmaz", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos"]
CLIENT_LINK = re.compile(r'href="/clienten/(\d+)/"')
STEP_LINK = re.compile(r'href="(/dossiers/\d+/stap/[a-z_]+/)"')

_started = time.monotonic()
_logged_in = 0


def _summary(stats) -> dict:
    return {
        name: {
            "count": entry.num_requests,
            "failures": entry.num_failures,
            "median_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "max_ms": entry.max_response_time,
        }
        for (name, _method), entry in stats.entries.items()
    }


def _all_logged_in(environment) -> None:
    """Keep the log-in window's figures, then reset: the CSVs then hold the steady state only."""
    with open(RAMPUP_FILE, "w") as fh:
        json.dump({"seconds": round(time.monotonic() - _started, 1), "requests": _summary(environment.stats)}, fh)
    environment.stats.reset_all()


@events.test_start.add_listener
def _start(environment, **_kw):
    global _started, _logged_in
    _started, _logged_in = time.monotonic(), 0


class Caseworker(FastHttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        global _logged_in
        self.username = random.choice(USERS)
        page = self.client.get("/inloggen/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/inloggen/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            headers={"Referer": self.host + "/inloggen/"},
        )
        self.clients: list[str] = []
        self.steps: list[str] = []
        _logged_in += 1
        runner = self.environment.runner
        if runner is not None and _logged_in == runner.target_user_count:
            _all_logged_in(self.environment)

    def _remember(self, html: str) -> None:
        found = CLIENT_LINK.findall(html)
        if found:
            self.clients = found[:50]

    @task(4)
    def worklist(self):
        params = random.choice(
            [
                {},
                {"scope": "team"},
                {"status": "lopend"},
                {"scope": "all", "q": random.choice(NAMES)},
                {"scope": "mine", "page": "2"},
            ]
        )
        r = self.client.get("/clienten/" + ("?" + urlencode(params) if params else ""), name="worklist")
        self._remember(r.text)

    @task(4)
    def client_page(self):
        if not self.clients:
            return self.worklist()
        r = self.client.get(f"/clienten/{random.choice(self.clients)}/", name="client page")
        self.steps = STEP_LINK.findall(r.text)[:10] or self.steps

    @task(1)
    def step_form(self):
        if self.steps:
            self.client.get(random.choice(self.steps), name="step form")

    @task(2)
    def start_page(self):
        self.client.get("/vandaag/", name="start page")

    @task(1)
    def agenda(self):
        self.client.get(random.choice(["/agenda/", "/agenda/week/"]), name="agenda")
