"""A client's sanction intended, heard, imposed, made known, objected to, reconsidered and appealed in a real
browser (Playwright on Debian's chromium against `regie serve` on the demo), the letters read from their PDFs.

The caseworker records the voornemen and invites the client to a hearing (the hearing lands in their agenda),
records the hearing, imposes the maatregel and sends its letter (the bekendmaking, from which the objection term
runs). The juridisch medewerker registers the objection, decides it (deels gegrond) and sends that letter, then
records the appeal and the ruling. Every term on the pages is the one regie.core.legal.terms computes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.test_browser import ART, CHROMIUM, browser  # noqa: F401  (fixture)
from tests.browser.test_caseworker_day import DEMO_PASSWORD, serving
from tests.security.test_backup_and_crash import cli_db, run  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"),
]

# After `regie demo`: a running case with an address, its caseworker, and the demo's juridisch medewerker.
SETUP = """
from regie.platform.cli import django_setup
django_setup()
from regie.accounts.models import User
from regie.casework.models import CaseState
from regie.clientrecord.selectors import record_for
states = CaseState.objects.filter(status="lopend", caseworker__isnull=False)
for st in states.select_related("case__client", "caseworker"):
    legal = st.case.events.filter(type__in=["voornemen", "bezwaar"]).exists()
    if record_for(st.case.client).address_lines and not legal:
        break
jm = User.objects.get(role="juridisch_medewerker", municipality=st.case.municipality)
print(st.caseworker.username, st.case.pk, st.case.client_id, jm.username)
"""


def _pdf_text(page, url: str) -> str:
    r = page.request.get(url)
    assert r.status == 200 and r.headers["content-type"].startswith("application/pdf")
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.body())).pages))


def _login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "/inloggen/" not in page.url, page.content()[:2000]


def _submit(page) -> str:
    page.click("form.form button[type=submit]:not([name=advies_bijwerken])")
    page.wait_for_load_state()
    html = page.content()
    assert "Controleer de velden" not in html, html[:4000]
    return html


def test_objection_life_in_the_browser(cli_db, tmp_path, browser):  # noqa: F811
    from regie.core.legal import terms

    env = {**os.environ, "DATABASE_URL": cli_db, "REGIE_VAR_DIR": str(tmp_path / "var")}
    run(cli_db, "migrate")
    subprocess.run(
        [sys.executable, "-m", "regie.cli", "demo", "--clients", "200"], env=env, check=True, capture_output=True
    )
    out = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    km, case_id, client_id, jm = out.stdout.split()[-4:]
    today = dt.date.today()
    hearing = today + dt.timedelta(days=7)
    with serving(cli_db, tmp_path / "var") as base:
        page = browser.new_page()
        _login(page, base, km)
        step = f"{base}/bezwaar/zaak/{case_id}/stap"

        # voornemen -> its letter states the zienswijze term computed from the policy (Awb 4:8)
        page.goto(f"{step}/voornemen/")
        page.select_option("#id_decision_type", "maatregel")
        page.fill("#id_summary", "U kwam twee keer niet op een afspraak.")
        _submit(page)
        page.goto(f"{base}/clienten/{client_id}/")
        assert "Voornemens" in page.content()
        vid = re.search(r"(VN-[0-9a-f]+)", page.content()).group(1)

        # invited to an oral hearing: day, time and place; it is in the caseworker's agenda
        page.goto(f"{step}/horen/?voornemen_id={vid}")
        page.select_option("#id_status", "uitgenodigd")
        page.fill("#id_planned_on", hearing.isoformat())
        page.fill("#id_start_time", "10:30")
        page.fill("#id_location", "Stadskantoor, spreekkamer 4")
        _submit(page)
        page.goto(f"{base}/agenda/?datum={hearing.isoformat()}")
        assert "Stadskantoor, spreekkamer 4" in page.content(), page.content()[:3000]

        # heard, then the maatregel (the gate's Awb 4:8 rule is met)
        page.goto(f"{step}/horen/?voornemen_id={vid}")
        page.select_option("#id_status", "gehoord")
        page.select_option("#id_form", "mondeling")
        page.fill("#id_summary", "Cliënt was ziek en had geen telefoon.")
        _submit(page)
        page.goto(f"{base}/dossiers/{case_id}/stap/maatregel/")
        page.select_option("#id_obligation_type", "administratief")
        page.wait_for_load_state("networkidle")
        if page.locator("#id_motivation").count():
            page.fill("#id_motivation", "Gehoord; maatregel volgens beleid.")
        html = _submit(page)
        assert "Vastgelegd" in html or "wacht op akkoord" in html, html[:3000]
        page.goto(f"{base}/clienten/{client_id}/")
        # the maatregel's letter: send it (bekendmaking) -> the objection term runs from tomorrow (Awb 6:7, 6:8)
        page.click("form[action*='/verstuurd/'] button")
        page.wait_for_load_state()
        assert "Verstuurd op" in page.content(), page.content()[:3000]
        objection_end = terms.objection_term(today).end
        assert "Bezwaartermijn" in page.content() and objection_end.strftime("%d-%m-%Y") in page.content()
        page.screenshot(path=str(ART / "objection-case-page.png"), full_page=True)

        # the juridisch medewerker registers the objection and decides it
        _login(page, base, jm)
        page.goto(f"{step}/bezwaar/")
        page.select_option("#id_decision_event", index=1)
        page.fill("#id_grounds", "Ik was ziek.")
        _submit(page)
        assert "/bezwaar/zaak/" in page.url and "BZ-" in page.content()  # the objection's page
        oid = re.search(r"(BZ-[0-9a-f]+)", page.url).group(1)
        page.goto(f"{base}/bezwaar/")
        assert oid in page.content()
        page.goto(f"{step}/beslissing_op_bezwaar/?objection_id={oid}")
        page.select_option("#id_outcome", "deels_gegrond")
        page.fill("#id_new_decision", "Een waarschuwing in plaats van een maatregel.")
        page.check("#id_revoked")
        _submit(page)
        page.goto(f"{base}/bezwaar/zaak/{case_id}/{oid}/")
        letters = page.locator("a[href*='/brief/']")
        assert letters.count() >= 2  # ontvangstbevestiging and beslissing op bezwaar
        text = _pdf_text(page, base + letters.last.get_attribute("href"))
        assert "deels gegrond" in text.lower() and "beroep" in text.lower()
        page.locator("form[action*='/verstuurd/'] button").last.click()
        page.wait_for_load_state()
        assert "Verstuurd op" in page.content()

        # beroep at the rechtbank
        page.goto(f"{step}/beroep/?objection_id={oid}&court=rechtbank&stage=ingesteld")
        _submit(page)
        page.goto(f"{base}/bezwaar/zaak/{case_id}/{oid}/")
        assert "Rechtbank" in page.content()
        page.screenshot(path=str(ART / "objection-page.png"), full_page=True)
