"""A caseworker's scripted day in the browser, counting clicks and typed fields per action (docs/user-guide.md,
"Een werkdag in klikken").

The day: log in and land on the start page; five appointments today (from ``regie demo``'s agenda data), three
held and two no-shows, each no-show followed by the pre-filled waarschuwing; a provider report in, read from the
start page; a note of a telephone call; a payslip uploaded to the client's file; a task handed on to a colleague.
Screenshots of the start page, agenda, journal, documents and tasks (1280 wide) go to docs/img/ for the user guide.
Last, a 20 MB upload is streamed slowly while another request must answer: an upload does not block other users.

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
from urllib.parse import urlsplit

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
from regie.worktasks.models import Task
from regie.worktasks.services import create
if not Task.objects.filter(assignee=user, status="open").exists():
    create(user, case=report_case, title="Loonstroken opvragen", assignee=user, due_on=today)
print(user.username, report_case.client.family_name)
"""
IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
MB = 1024 * 1024


def _shot(page, name: str) -> None:
    """A 1280-wide screenshot of the viewport (not the full page: small enough for the guide, < ~200 KB)."""
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / f"{name}.png"))


def _slow_upload(base: str, path: str, cookies: dict, token: str, size: int, on_the_way) -> int:
    """POST a ``size``-byte PDF to ``path`` over a raw socket, 1 MB at a time with a pause, calling
    ``on_the_way()`` while the body is still streaming; returns the HTTP status of the answer."""
    import socket
    from urllib.parse import urlsplit

    host, port = urlsplit(base).hostname, urlsplit(base).port
    boundary = "----regieupload"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\noverig\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    pdf_head, pdf_tail = b"%PDF-1.4\n%", b"\n%%EOF\n"
    body_len = len(head) + size + len(tail)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookie}\r\nReferer: {base}{path}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {body_len}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, port), timeout=60) as sock:
        sock.sendall(request + head + pdf_head)
        sent, called = len(pdf_head), False
        while sent < size - len(pdf_tail):
            n = min(MB, size - len(pdf_tail) - sent)
            sock.sendall(b"0" * n)
            sent += n
            time.sleep(0.05)
            if not called and sent > 3 * MB:
                on_the_way()
                called = True
        sock.sendall(pdf_tail + tail)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


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
        _shot(page, "journaal")

        c.action = "Document toevoegen (loonstrook)"
        c.click(f"main a:has-text('{report_client}')")  # from the journal back to the client's page
        c.click("section.documents a.button")
        payslip = tmp_path / "loonstrook-november.pdf"
        payslip.write_bytes(b"%PDF-1.4\n% loonstrook november\n%%EOF\n")
        c.counts[c.action]["choices"] += 1  # choosing the file
        page.set_input_files("#id_file", str(payslip))
        c.select("#id_kind", "loonstrook")
        c.click("form.form button[type=submit]")
        assert "Document toegevoegd" in page.content(), page.content()[:2000]
        page.locator("section.documents").first.scroll_into_view_if_needed()
        _shot(page, "documenten")
        client_url = page.url

        c.action = "Taak overdragen aan een collega"
        c.click("nav a:text-is('Mijn taken')")
        _shot(page, "taken")
        c.click("table a[href*='/taken/']")
        options = page.locator("#id_assignee option").all()
        colleague = next(o.get_attribute("value") for o in options if o.inner_text() not in ("—", username))
        c.select("#id_assignee", colleague)
        c.click("form.form button[type=submit]")
        assert "Taak overgedragen" in page.content(), page.content()[:2000]

        page.goto(base + "/agenda/")
        _shot(page, "agenda")
        page.goto(base + "/vandaag/")
        _shot(page, "vandaag")

        # an upload of 20 MB streams slowly; meanwhile another request answers
        page.goto(client_url)
        page.click("section.documents a.button")
        form_path = urlsplit(page.url).path
        token = page.input_value("input[name=csrfmiddlewaretoken]")
        cookies = {k["name"]: k["value"] for k in page.context.cookies()}
        answered: list[float] = []

        def other_user() -> None:
            t0 = time.monotonic()
            with urllib.request.urlopen(base + "/inloggen/", timeout=10) as resp:
                assert resp.status == 200
            answered.append(time.monotonic() - t0)

        status = _slow_upload(base, form_path, cookies, token, 20 * MB, other_user)
        assert status == 302, status  # stored, back to the client's page
        assert answered and answered[0] < 2.0, answered
        Path("test-artifacts/upload-concurrency.json").write_text(
            json.dumps({"upload_mb": 20, "other_request_seconds": round(answered[0], 3)})
        )

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
    assert counts["Document toevoegen (loonstrook)"] == {"clicks": 3, "typed": 0, "choices": 2}  # file and kind
    assert counts["Taak overdragen aan een collega"] == {"clicks": 3, "typed": 0, "choices": 1}
