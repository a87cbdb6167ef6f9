"""A caseworker's scripted day in the browser, counting clicks and typed fields per action (docs/user-guide.md,
"Een werkdag in klikken").

The day: log in and land on the start page; five appointments today (from ``regie demo``'s agenda data), three
held and two no-shows, each no-show followed by the pre-filled waarschuwing; a provider report in, read from the
start page; a note of a telephone call. Documents and tasks are other helpers' (h/documents) and not in this day.

Clicks are clicks on links and buttons; typed fields are inputs the caseworker fills in; choices are selects they
change. Everything Regie already knows must be pre-filled: the test fails when an action needs more than its
budget. The counts are written to test-artifacts/caseworker-day.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.test_browser import ART, CHROMIUM, _free_port, browser  # noqa: F401  (fixture)
from tests.security.test_backup_and_crash import cli_db, run  # noqa: F401  (fixture)

DEMO_PASSWORD = "regie-demo-2026"  # regie.demo.DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"),
]

# After `regie demo`: who has five appointments today, and a provider report on one of their cases.
SETUP = """
import datetime as dt
from regie.platform.cli import django_setup
django_setup()
from django.utils import timezone
from regie.agenda.models import Appointment
from regie.casework.services import append_event
today = timezone.localdate()
a = Appointment.objects.filter(date=today, status="gepland").select_related("caseworker", "case").order_by(
    "caseworker_id", "start_time").first()
user = a.caseworker
cases = [x.case for x in Appointment.objects.filter(caseworker=user, date=today).order_by("start_time")]
report_case = next(c for c in user.caseload.filter(status="lopend").select_related("case") if c.case not in cases).case
append_event(report_case, type="rapportage", effective_date=today,
             payload={"kind": "voortgang", "summary": "Goede start op de werkervaringsplek."})
print(user.username, report_case.client.family_name)
"""


@contextmanager
def serving(database_url: str, var_dir, wait_seconds: int = 180):
    """`regie serve` as in test_browser.serving, with a longer start-up wait (a 400-client demo on a busy machine)."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "REGIE_VAR_DIR": str(var_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            urllib.request.urlopen(base + "/inloggen/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError(proc.stderr.read().decode()) from None
            time.sleep(0.5)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


class Counter:
    """Wraps a Playwright page: every click, fill and select is counted under the current action."""

    def __init__(self, page):
        self.page, self.action = page, "-"
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: {"clicks": 0, "typed": 0, "choices": 0})

    def click(self, selector: str) -> None:
        self.counts[self.action]["clicks"] += 1
        self.page.click(selector)
        self.page.wait_for_load_state()

    def fill(self, selector: str, value: str) -> None:
        self.counts[self.action]["typed"] += 1
        self.page.fill(selector, value)

    def select(self, selector: str, value: str) -> None:
        self.counts[self.action]["choices"] += 1
        self.page.select_option(selector, value)


def test_a_caseworkers_day(cli_db, tmp_path, browser):  # noqa: F811
    env = {**os.environ, "DATABASE_URL": cli_db, "REGIE_VAR_DIR": str(tmp_path / "var")}
    run(cli_db, "migrate")
    subprocess.run(
        [sys.executable, "-m", "regie.cli", "demo", "--clients", "400"], env=env, check=True, capture_output=True
    )
    out = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    username, report_client = out.stdout.split()[-2:]
    with serving(cli_db, tmp_path / "var") as base:
        page = browser.new_page()
        c = Counter(page)
        c.action = "Inloggen (landt op Vandaag)"
        page.goto(base + "/inloggen/")
        c.fill("#id_username", username)
        c.fill("#id_password", DEMO_PASSWORD)
        c.click("form.form button[type=submit]")
        assert page.url.endswith("/vandaag/"), page.url
        page.screenshot(path=str(ART / "start-page.png"), full_page=True)
        assert page.locator("#afspraken li.appointment").count() == 5

        for i, outcome in enumerate(("gehouden", "no_show", "gehouden", "no_show", "gehouden")):
            c.action = "Afspraak: gehouden" if outcome == "gehouden" else "Afspraak: niet verschenen"
            c.click(f"#afspraken li.appointment:nth-child({i + 1}) a")
            c.click(f"button[name=outcome][value={outcome}]")
            assert "Uitkomst vastgelegd" in page.content()
            if outcome == "no_show":
                c.action = "Waarschuwing na niet verschijnen"
                c.click("#start-warning")
                assert page.input_value("#id_obligation_type") == "administratief"
                assert "Niet verschenen op de afspraak" in page.input_value("#id_description")
                c.click("form.form button[type=submit]:not([name=advies_bijwerken])")
                assert "Controleer de velden" not in page.content(), page.content()[:3000]
                assert "Vastgelegd" in page.content() or "wacht op akkoord" in page.content()
            c.action = "Terug naar Vandaag"
            c.click("nav a:text-is('Vandaag')")
        statuses = page.locator("#afspraken li.appointment .badge").all_inner_texts()
        assert len(statuses) == 5, statuses

        c.action = "Rapportage lezen"
        assert report_client in page.locator("#rapportages").inner_text()
        c.click(f"#rapportages a:has-text('{report_client}')")
        assert "Goede start op de werkervaringsplek" in page.content()

        c.action = "Notitie (telefoongesprek)"
        c.click("section.case-journal a.button")
        c.fill("#id_text", "Cliënt belde: komt volgende week met loonstroken.")
        c.select("#id_channel", "telefoon")
        c.click("form.form button[type=submit]")
        assert "Notitie vastgelegd" in page.content()
        page.screenshot(path=str(ART / "journal.png"), full_page=True)

    counts = {k: dict(v) for k, v in c.counts.items()}
    ART.mkdir(parents=True, exist_ok=True)
    Path("test-artifacts/caseworker-day.json").write_text(json.dumps(counts, indent=2, ensure_ascii=False))
    print(json.dumps(counts, indent=2, ensure_ascii=False))
    # budgets: what Regie knows is pre-filled; the caseworker types only what only they know
    assert counts["Afspraak: gehouden"] == {"clicks": 6, "typed": 0, "choices": 0}  # 3 × (open, outcome)
    assert counts["Afspraak: niet verschenen"] == {"clicks": 4, "typed": 0, "choices": 0}
    assert counts["Waarschuwing na niet verschijnen"] == {"clicks": 4, "typed": 0, "choices": 0}
    assert counts["Rapportage lezen"]["clicks"] == 1 and counts["Rapportage lezen"]["typed"] == 0
    assert counts["Notitie (telefoongesprek)"] == {"clicks": 2, "typed": 1, "choices": 1}
