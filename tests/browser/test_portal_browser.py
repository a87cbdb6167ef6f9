"""Mijn Regie in the browser: a client logs in through the local OpenID Provider (the DigiD broker's stand-in),
signs the plan, fills in the income form, uploads a document, reports a change, lodges an objection and reads the
resulting ontvangstbevestiging and the decision letter; a second client sees none of it. Against a real
`regie serve`, the provider on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.browser.test_browser import ART, CHROMIUM, _free_port, browser  # noqa: F401  (fixture)
from tests.letters.conftest import pdf_text
from tests.security.oidc_provider import LocalProvider
from tests.security.test_backup_and_crash import cli_db, run  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"),
]

CODE = "0518"
MIDDEN = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"
BSN_1, BSN_2 = "111222333", "123456782"

# Den Haag (it has a policy in force) with a caseworker and two clients; client 1 has a plan and a sent decision.
SETUP = """
import datetime as dt
from regie.platform.cli import django_setup
django_setup()
from regie.accounts.models import Municipality, Team, User
from regie.casework.models import Case, Client
from regie.casework.services import append_event
from regie.letters import services as letters
muni = Municipality.objects.create(code="0518", name="Den Haag")
team = Team.objects.create(municipality=muni, code="T1", name="Team 1")
km = User.objects.create_user(username="km.portal", password="x-portal-2026", municipality=muni,
                              role="integrale_klantmanager", team=team)
fb = User.objects.create_user(username="fb.portal", password="x-portal-2026", municipality=muni,
                              role="functioneel_beheerder", team=team)
letters.save_letterhead(muni, {
    "sender": "Gemeente Den Haag, Werk en Inkomen", "address": "Postbus 12600\\n2500 DJ DEN HAAG",
    "contact": "Vragen? Bel 14 070.", "objection_address": "Postbus 12600\\n2500 DJ DEN HAAG",
    "objection_online": "denhaag.nl/bezwaar", "signature": "Het college van burgemeester en wethouders",
}, fb, expected_version=0)
for i, (bsn, name) in enumerate((("111222333", "Portaaltest"), ("123456782", "Anderklant"))):
    client = Client.objects.create(municipality=muni, external_id=f"C{i}", bsn=bsn, given_name=f"Sanne{i}",
        family_name=name, birth_date=dt.date(1985, 1, 1), sex="V",
        contact={"street": "Laan van Meerdervoort 12", "postcode": "2517 AK", "city": "Den Haag"})
    case = Case.objects.create(municipality=muni, client=client, external_id=f"K{i}", opened_on=dt.date(2025, 1, 6),
                               team=team)
    append_event(case, type="melding", effective_date=dt.date(2025, 1, 6), actor=km)
    append_event(case, type="aanvraag", effective_date=dt.date(2025, 1, 8), payload={"norm_type": "alleenstaande"},
                 actor=km)
    t = append_event(case, type="toekenning", effective_date=dt.date(2025, 2, 1),
                     payload={"norm_type": "alleenstaande", "monthly_amount": 1400.0}, actor=km)
    append_event(case, type="caseworker_toewijzing", effective_date=dt.date(2025, 2, 1),
                 payload={"caseworker": km.username}, actor=km)
    if i == 0:
        append_event(case, type="bekendmaking", effective_date=dt.date.today() - dt.timedelta(days=3),
                     payload={"decision_event": t.pk}, actor=km)
        append_event(case, type="plan_van_aanpak", effective_date=dt.date(2025, 3, 3),
                     payload={"version": 1, "goal": "Werk in de zorg binnen een jaar"}, actor=km)
print("ok")
"""

CHECK = """
from regie.platform.cli import django_setup
django_setup()
from regie.casework.models import Event
from regie.worktasks.models import Task
types = sorted(Event.objects.filter(case__client__bsn="111222333", actor_role="client").values_list("type", flat=True))
other = Event.objects.filter(case__client__bsn="123456782", actor_role="client").count()
print(",".join(types), other, Task.objects.filter(case__client__bsn="111222333").count())
"""


@contextmanager
def serving(database_url: str, var_dir, port: int, config: Path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REGIE_VAR_DIR": str(var_dir),
        "REGIE_PORTAL_CONFIG": str(config),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
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


def _sees(page, text: str) -> None:
    """Wait until the page (after a form's redirect) shows ``text``; fails after 20 s."""
    page.wait_for_load_state()
    page.get_by_text(text).first.wait_for(timeout=20_000)


def _login(chromium, base, op, bsn):
    op.user, op.acr = {"sub": f"digid-{bsn}", "preferred_username": bsn}, MIDDEN
    page = chromium.new_page(viewport={"width": 360, "height": 780})  # a phone
    page.goto(f"{base}/mijn/{CODE}/")
    page.click("text=Inloggen met DigiD")
    page.wait_for_url(f"{base}/mijn/{CODE}/overzicht/")
    return page


def test_client_route_in_the_portal(cli_db, tmp_path, browser):  # noqa: F811
    env = {**os.environ, "DATABASE_URL": cli_db, "REGIE_VAR_DIR": str(tmp_path / "var")}
    run(cli_db, "migrate")
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    port = _free_port()
    op = LocalProvider("mijnregie-0518", "browser-secret", f"http://127.0.0.1:{port}/mijn/{CODE}/inloggen/terug/")
    op.start()
    try:
        meta = requests.get(f"{op.issuer}/.well-known/openid-configuration", timeout=5).json()
        config = tmp_path / "brokers.json"
        config.write_text(
            json.dumps(
                {
                    CODE: {
                        "issuer": meta["issuer"],
                        "client_id": "mijnregie-0518",
                        "client_secret": "browser-secret",
                        "authorization_endpoint": meta["authorization_endpoint"],
                        "token_endpoint": meta["token_endpoint"],
                        "jwks_uri": meta["jwks_uri"],
                        "bsn_claim": "preferred_username",
                        "acr_min": "midden",
                        "scopes": "openid profile",
                    }
                }
            )
        )
        with serving(cli_db, tmp_path / "var", port, config) as base:
            page = _login(browser, base, op, BSN_1)
            assert "Welkom, Sanne0" in page.content() and "Werk in de zorg binnen een jaar" in page.content()
            page.screenshot(path=str(ART / "portal-overview-360.png"), full_page=True)
            # sign the plan
            page.check("#akkoord")
            page.click("text=Plan ondertekenen")
            _sees(page, "U heeft uw plan van aanpak ondertekend")
            # the income form
            page.click("text=Inkomsten doorgeven")
            page.fill("#month", "2025-03")
            page.fill("#work_income", "250,00")
            page.click("button:text-is('Versturen')")
            _sees(page, "Wij hebben uw inkomsten ontvangen")
            # a document
            pdf = tmp_path / "loonstrook.pdf"
            pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
            page.click("text=Document sturen")
            page.select_option("#kind", "loonstrook")
            page.set_input_files("#file", str(pdf))
            page.click("button:text-is('Versturen')")
            _sees(page, "Wij hebben uw document ontvangen")
            # a change
            page.click("text=Wijziging doorgeven")
            page.check("#kind-verhuizing")
            page.fill("#change_on", time.strftime("%d-%m-%Y"))
            page.fill("#description", "Ik ga verhuizen naar Delft")
            page.click("button:text-is('Versturen')")
            _sees(page, "Uw klantmanager bekijkt uw wijziging")
            # an objection against the sent decision
            page.click("text=Bezwaar maken")
            page.check("input[name=decision_event]")
            page.fill("#grounds", "De norm klopt niet.")
            page.click("text=Bezwaar versturen")
            _sees(page, "Wij hebben uw bezwaar ontvangen. In de brief")
            assert "wordt behandeld" in page.content() and "een beslissing" in page.content()
            # the resulting letter: the ontvangstbevestiging (Awb art. 6:14), listed with the objection, as PDF
            receipt = page.get_attribute("a:text('Wij hebben uw bezwaar ontvangen')", "href")
            receipt_pdf = page.request.get(base + receipt)
            assert receipt_pdf.status == 200 and receipt_pdf.headers["content-type"] == "application/pdf"
            assert "bezwaar" in pdf_text(receipt_pdf.body()).lower()
            # the letter (the decision objected to) opens as PDF
            href = page.get_attribute("#letters-h ~ ul a", "href")
            pdf_response = page.request.get(base + href)
            assert pdf_response.status == 200 and pdf_response.headers["content-type"] == "application/pdf"
            page.screenshot(path=str(ART / "portal-after-360.png"), full_page=True)
            # a second client sees none of it, and not the first client's letter
            other = _login(browser, base, op, BSN_2)
            body = other.content()
            assert "Welkom, Sanne1" in body and "Portaaltest" not in body and "Werk in de zorg" not in body
            assert other.request.get(base + href).status == 404
            assert other.request.get(base + receipt).status == 404 and "Uw bezwaren" not in body
        out = subprocess.run([sys.executable, "-c", CHECK], env=env, check=True, capture_output=True, text=True)
        types, other_count, tasks = out.stdout.split()
        # the objection is the legal bezwaar itself; the contact is the ontvangstbevestiging sent
        assert types == "bezwaar,contact,document,inkomstenopgave,plan_ondertekend,wijziging_gemeld"
        assert other_count == "0" and int(tasks) == 2
    finally:
        op.stop()
