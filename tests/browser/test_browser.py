"""Browser tests: Playwright drives Debian's chromium against a real `regie serve` on loopback.

The server runs in its own process on a fresh database (SQLite file, or a new PostgreSQL database when the suite
runs on PostgreSQL), filled through the CLI. Screenshots go to test-artifacts/browser/. Skipped (with the reason)
when /usr/bin/chromium is absent; `.ci/run` installs it.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.foundation.sample import sample_records, write
from tests.security.test_backup_and_crash import cli_db, run  # noqa: F401  (fixture)

CHROMIUM = "/usr/bin/chromium"
ART = Path("test-artifacts/browser")
PASSWORD = "browser-test-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(cli_db, tmp_path):  # noqa: F811
    records = sample_records("1916")
    for r in records:
        if r["record"] == "header":
            r["municipality_name"] = "Leidschendam-Voorburg"
    path = tmp_path / "lv.jsonl"
    write(path, records)
    run(cli_db, "migrate")
    run(cli_db, "import", str(path), "--municipality", "1916")
    # Leidschendam-Voorburg splits casework: the inkomensconsulent grants benefit (decision_rights in its policy)
    for user, role, extra in (
        ("km.browser", "inkomensconsulent", ["--team", "T1"]),
        ("tm.browser", "teammanager", ["--team", "T1"]),
        ("coach.browser", "provider_coach", ["--provider", "P1"]),
    ):
        run(cli_db, "createuser", user, "--role", role, "--municipality", "1916", "--password", PASSWORD, *extra)
    with serving(cli_db, tmp_path / "var") as base:
        yield base


@contextmanager
def serving(database_url: str, var_dir):
    """A real `regie serve` (2 workers) on a free loopback port for the duration of the block; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "REGIE_VAR_DIR": str(var_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    # each web worker warms up before it accepts requests (regie.platform.server.warm: seconds of CPU), so on a
    # busy machine (another test process beside this one) the first answer can take a minute
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/inloggen/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(proc.stderr.read().decode())
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    ART.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


def login(browser, base: str, username: str):
    page = browser.new_page()
    page.goto(base + "/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]:not([name=advies_bijwerken])")
    page.wait_for_load_state()
    assert "/inloggen/" not in page.url, page.content()[:2000]
    return page


FIRST = object()


def step(page, label: str, fields: dict, effective: dt.date, shot: str | None = None) -> None:
    page.click(f"nav.steps a:text-is('{label}')")
    page.fill("#id_effective_date", effective.isoformat())
    for name, value in fields.items():
        sel = f"#id_{name}"
        tag = page.eval_on_selector(sel, "e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if tag.startswith("select") and value is FIRST:  # the first real choice (e.g. a number Regie gave)
            page.select_option(sel, index=1 if page.eval_on_selector(sel, "e => e.options[0].value") == "" else 0)
        elif tag.startswith("select"):
            page.select_option(sel, value)
        elif tag.endswith("checkbox"):
            page.check(sel) if value else page.uncheck(sel)
        else:
            page.fill(sel, str(value))
    if shot:
        page.screenshot(path=str(ART / shot), full_page=True)
    page.click("form.form button[type=submit]:not([name=advies_bijwerken])")
    page.wait_for_load_state()
    assert "Controleer de velden" not in page.content(), page.content()[:3000]


def test_whole_case_from_melding_to_aftercare(server, browser):
    page = login(browser, server, "km.browser")
    page.screenshot(path=str(ART / "worklist.png"), full_page=True)
    page.click("nav a:text-is('Nieuwe melding')")
    page.fill("#id_bsn", "222333443")
    page.fill("#id_given_name", "Sam")
    page.fill("#id_family_name", "Browser")
    page.fill("#id_birth_date", "1990-04-01")
    page.select_option("#id_sex", "X")
    page.fill("#id_melding_date", "2025-01-06")
    page.click("form.form button[type=submit]:not([name=advies_bijwerken])")
    page.wait_for_load_state()
    assert "Sam Browser" in page.content()
    d = dt.date(2025, 1, 8)
    step(page, "Aanvraag", {"norm_type": "alleenstaande"}, d)
    step(page, "Toekenning", {"norm_type": "alleenstaande"}, d + dt.timedelta(days=20))  # the amount: computed
    step(page, "Intake", {"expected_months_to_work": "2", "motivation": "hoog"}, d + dt.timedelta(days=25))
    # the classification form is pre-filled with the policy's advice (three tiers, seed 000:721): accept it
    page.click("nav.steps a:text-is('Classificatie')")
    assert "direct" in page.input_value("#id_level") and "leidschendam-voorburg@" in page.content()
    page.screenshot(path=str(ART / "classification-advice.png"), full_page=True)
    page.fill("#id_effective_date", (d + dt.timedelta(days=30)).isoformat())
    page.click("form.form button[type=submit]:not([name=advies_bijwerken])")
    page.wait_for_load_state()
    step(
        page,
        "Plan van aanpak",
        {"version": "1", "signed": True, "review_date": "2025-08-15"},
        d + dt.timedelta(days=40),
    )
    # the trajectory number is Regie's; the provider is chosen from the contracted ones
    step(
        page,
        "Verwijzing naar traject",
        {"kind": "reintegratie", "provider": "P1", "handover": "Wil graag in de logistiek werken."},
        d + dt.timedelta(days=50),
    )
    step(page, "Einde traject", {"trajectory_id": FIRST, "result": "werk"}, d + dt.timedelta(days=120))
    step(page, "Uitstroom", {"reason": "werk_regulier"}, d + dt.timedelta(days=121), shot="outflow-form.png")
    step(page, "Einde nazorg", {"result": "duurzaam_aan_het_werk"}, d + dt.timedelta(days=310))
    html = page.content()
    from regie.platform.labels import event_label

    for t in ("melding", "toekenning", "classificatie", "traject_start", "uitstroom", "nazorg_einde"):
        assert f"<strong>{event_label(t)}</strong>" in html and f"<strong>{t}</strong>" not in html  # by name
    assert "afgesloten" in html
    page.screenshot(path=str(ART / "case-closed.png"), full_page=True)


def test_deviation_goes_through_the_approval_queue(server, browser):
    km = login(browser, server, "km.browser")
    km.goto(server + "/clienten/?scope=all")
    km.click("text=Jansen, Anna")
    step(km, "Intake", {"expected_months_to_work": "2"}, dt.date(2023, 2, 5))
    km.click("nav.steps a:text-is('Classificatie')")
    km.select_option("#id_level", "work_first")  # the advice is 'direct'
    km.fill("#id_effective_date", "2023-02-10")
    km.click("form.form button[type=submit]:not([name=advies_bijwerken])")
    km.wait_for_load_state()
    assert "motivation" in km.content()  # refused without a motivation, the typed level kept
    assert km.input_value("#id_level") == "work_first"
    km.select_option("#id_motivation_code", "professioneel")
    km.fill("#id_motivation", "Werkritme ontbreekt; eerst Work First")
    km.click("form.form button[type=submit]:not([name=advies_bijwerken])")
    km.wait_for_load_state()
    assert "wacht op akkoord" in km.content()
    tm = login(browser, server, "tm.browser")
    tm.click("nav a:text-is('Akkoord gevraagd')")
    assert "Werkritme ontbreekt" in tm.content()
    tm.screenshot(path=str(ART / "approval-queue.png"), full_page=True)
    tm.fill("input[name=note]", "Akkoord, evalueren na drie maanden")
    tm.click("button[value=approve]")
    tm.wait_for_load_state()
    assert "Niets te beoordelen" in tm.content()
    km.goto(server + "/clienten/?scope=all")
    km.click("text=Jansen, Anna")
    assert "afwijking van advies" in km.content() and "tm.browser" in km.content()


def test_provider_submits_a_report(server, browser):
    coach = login(browser, server, "coach.browser")
    assert "Anna Jansen" in coach.content() and "Bram" not in coach.content()
    coach.click("text=Anna Jansen")
    coach.select_option("#id_kind", "voortgang")
    coach.fill("#id_summary", "Komt alle afspraken na en solliciteert actief.")
    coach.screenshot(path=str(ART / "provider-report.png"), full_page=True)
    coach.click("form.form button[type=submit]:not([name=advies_bijwerken])")
    coach.wait_for_load_state()
    assert "Komt alle afspraken na" in coach.content()
    assert "111222333" not in coach.content()


def test_worklist_filters_live_without_a_page_reload(server, browser):
    page = login(browser, server, "km.browser")
    page.goto(server + "/clienten/?scope=all")
    assert "Jansen, Anna" in page.content()
    page.evaluate("window.__marker = 'same page'")
    page.fill("#q", "Vries")
    page.wait_for_function("() => !document.querySelector('#results').innerText.includes('Jansen')")
    assert "de Vries, Bram" in page.content() or "Geen dossiers" in page.content()
    assert page.evaluate("window.__marker") == "same page"  # updated in place by htmx, not reloaded
    assert "q=Vries" in page.url  # the URL follows, so the filter survives a reload


def test_maatregel_advice_updates_live_without_a_page_reload(server, browser):
    """Choosing the obligation type and the category recomputes the advice panel in place (htmx) and pre-fills the
    measure of Leidschendam-Voorburg's afstemmingsverordening (national-default model ordinance: category 2 = 30 %,
    one month)."""
    km = login(browser, server, "km.browser")
    km.goto(server + "/clienten/?scope=all")
    km.click("text=Jansen, Anna")
    km.click("nav.steps a:text-is('Maatregel')")
    assert "Kan niet adviseren: soort verplichting" in km.inner_text("#advice")
    km.evaluate("window.__marker = 'same page'")
    km.select_option("#id_obligation_type", "reintegratie")
    km.wait_for_function("() => document.querySelector('#advice').innerText.includes('categorie van de gedraging')")
    km.select_option("#id_category", "2")
    km.wait_for_function("() => document.querySelector('#id_percentage').value === '30'")
    assert km.input_value("#id_months") == "1"
    panel = km.inner_text("#advice")
    assert "soort verplichting" not in panel and "nd-sanction-cat2" not in panel  # the rule id is behind Bron
    assert "nd-sanction-cat2" in km.inner_html("#advice")
    assert km.evaluate("window.__marker") == "same page"  # updated in place, not reloaded
    km.screenshot(path=str(ART / "maatregel-live-advice.png"), full_page=True)
