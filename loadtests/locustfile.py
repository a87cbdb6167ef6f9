"""Mixed caseworker traffic against a running Regie (make load-test).

Each simulated caseworker logs in once, then works: the worklist with filters and name searches, client pages from
the worklist, step forms, the start page (/vandaag/) and the agenda (day and week). Usernames come from LOAD_USERS
(one per line), password from LOAD_PASSWORD.
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

USERS = [u.strip() for u in open(os.environ.get("LOAD_USERS", "var/load/users.txt")) if u.strip()]
PASSWORD = os.environ.get("LOAD_PASSWORD", "regie-demo-2026")
NAMES = ["Jansen", "de Vries", "Bakker", "Yilmaz", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos"]
CLIENT_LINK = re.compile(r'href="/clienten/(\d+)/"')
STEP_LINK = re.compile(r'href="(/dossiers/\d+/stap/[a-z_]+/)"')


class Caseworker(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.username = random.choice(USERS)
        page = self.client.get("/inloggen/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/inloggen/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            headers={"Referer": self.host + "/inloggen/"},
        )
        self.clients: list[str] = []
        self.steps: list[str] = []

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
        r = self.client.get("/clienten/", params=params, name="worklist")
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
