"""Issue 20's "Done when" in a real browser (Playwright on Debian's chromium against `regie serve` on the demo).

The demo's accountmanager registers an employer (a KvK number) and a vacancy (ISCO code, hours, postcode, a
requirement) and sees ranked candidates, without names, with their reasons. The caseworker of a candidate
records the client's consent for that employer and proposes the client, then records a placement with
loonkostensubsidie (a decision: through the gate; a teammanager approves if four-eyes asks for it) and the
aftercare results at 6 and 12 months (still working: durable). The employer page then shows the subsidy due for
the placement and the monitoring page counts one more durable placement and more subsidy.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.browser.test_browser import ART, CHROMIUM, browser  # noqa: F401  (fixture)
from tests.browser.test_caseworker_day import DEMO_PASSWORD, serving
from tests.security.test_backup_and_crash import cli_db, run  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"),
]

# After `regie demo`: the demo's accountmanager, a caseworker and a teammanager of the demo municipality.
USERS = """
from regie.platform.cli import django_setup
django_setup()
from regie.accounts.models import User
am = User.objects.filter(role="accountmanager").order_by("pk").first()
km = User.objects.filter(role="integrale_klantmanager", municipality=am.municipality).order_by("pk").first()
tm = User.objects.filter(role="teammanager", municipality=am.municipality).order_by("pk").first()
print(am.username, km.username, tm.username)
"""

# The best-ranked of the given case ids (after the start date) with a caseworker whose melding is before the
# placement's start (a placement cannot start before the case's melding): its caseworker, external id and the
# client's family name.
CASEWORKER = """
import datetime as dt
import sys
from django.db.models import Min
from regie.platform.cli import django_setup
django_setup()
from regie.casework.models import CaseState, Event
start = dt.date.fromisoformat(sys.argv[1])
ids = [int(x) for x in sys.argv[2:]]
early = set(Event.objects.filter(case_id__in=ids, type="melding").values("case_id")
            .annotate(first=Min("effective_date")).filter(first__lte=start).values_list("case_id", flat=True))
states = {s.case_id: s for s in CaseState.objects.filter(case_id__in=early, caseworker__isnull=False)
          .select_related("caseworker", "case__client")}
cid = next(i for i in ids if i in states)
st = states[cid]
print("|".join(map(str, (cid, st.caseworker.username, st.case.external_id, st.case.client.family_name))))
"""

EMPLOYER = "Drukkerij De Lettergieter"
KVK = "69599084"
VACANCY = "Productiemedewerker drukkerij"
TIMEOUT = 120_000  # ms: a CI run shares the cores


def _login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "/inloggen/" not in page.url, page.content()[:2000]


def _form(page, name: str):
    """The case work page's form with hidden field form=<name> (opening its <details> first, as a user would)."""
    form = page.locator(f"form:has(input[name=form][value={name}])").first
    details = page.locator(f"details:has(input[name=form][value={name}])").first
    if details.count() and details.get_attribute("open") is None:
        details.locator("summary").first.click()
    return form


def _submit(page, form) -> str:
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    html = page.content()
    assert "Niet vastgelegd" not in html, html[:4000]
    return html


def _monitoring(page, base: str) -> tuple[int, Decimal]:
    """Durable placements at 12 months and the subsidy so far, as the monitoring page shows them."""
    page.goto(base + "/werkgevers/monitoring/")
    durable = page.locator("dt:text-is('Duurzaam na 12 maanden') + dd").inner_text()
    subsidy = page.locator("dt:text-is('Loonkostensubsidie tot nu toe') + dd").inner_text()
    euros = re.match(r"€\s*([\d.]+,\d\d)", subsidy.strip())
    assert euros, subsidy
    return int(durable.split()[0]), Decimal(euros.group(1).replace(".", "").replace(",", "."))


def test_employer_vacancy_match_placement_to_durable_in_the_browser(cli_db, tmp_path, browser):  # noqa: F811
    env = {**os.environ, "DATABASE_URL": cli_db, "REGIE_VAR_DIR": str(tmp_path / "var")}
    run(cli_db, "migrate")
    subprocess.run(
        [sys.executable, "-m", "regie.cli", "demo", "--clients", "200"], env=env, check=True, capture_output=True
    )
    out = subprocess.run([sys.executable, "-c", USERS], env=env, check=True, capture_output=True, text=True)
    am, km, tm = out.stdout.split()[-3:]
    start = dt.date.today() - dt.timedelta(days=400)  # 13 months ago: both milestones are due, subsidy runs
    with serving(cli_db, tmp_path / "var") as base:
        page = browser.new_page()
        page.set_default_timeout(TIMEOUT)
        _login(page, base, am)
        durable_before, subsidy_before = _monitoring(page, base)

        # the accountmanager registers the employer: a bad KvK number is refused, what was typed kept
        page.goto(base + "/werkgevers/")
        new = page.locator("form:has(input[name=kvk_number])")
        new.locator("input[name=name]").fill(EMPLOYER)
        new.locator("input[name=kvk_number]").fill("00000000")
        new.locator("select[name=sector]").select_option("C")
        new.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "00000000 is geen KvK-nummer" in page.content()
        assert page.locator("input[name=name]").input_value() == EMPLOYER
        page.fill("input[name=kvk_number]", KVK)
        page.click("form:has(input[name=kvk_number]) button[type=submit]")
        page.wait_for_load_state()
        assert re.search(r"/werkgevers/\d+/$", page.url), page.content()[:3000]
        assert f"<h1>{EMPLOYER}</h1>" in page.content() and KVK in page.content()
        employer_url = page.url

        # ... and a vacancy
        page.click("a.button:text-is('Nieuwe vacature')")
        page.wait_for_load_state()
        page.fill("input[name=title]", VACANCY)
        page.fill("input[name=occupation_code]", "9329")
        page.fill("input[name=hours]", "24")
        page.fill("input[name=postcode]", "2521ab")
        page.fill("textarea[name=requirements_hard]", "certificaat: VCA")
        page.fill("textarea[name=requirements_soft]", "vaardigheid: Samenwerken")
        page.click("form:has(input[name=title]) button[type=submit]")
        page.wait_for_load_state()
        assert re.search(r"/werkgevers/vacatures/\d+/$", page.url), page.content()[:3000]
        vacancy_url = page.url
        html = page.content()
        assert "9329" in html and "2521 AB" in html and "VCA (eis)" in html

        # ranked candidates without names, each with reasons
        rows = page.locator("table tbody tr:has(ul.reasons)")
        assert rows.count() >= 3, html[:4000]
        assert rows.first.locator("td").nth(1).inner_text().strip() == "Kandidaat 1"
        assert rows.first.locator("ul.reasons li").count() >= 2
        assert "VCA" in rows.first.locator("ul.reasons").inner_text()
        assert "/werkgevers/dossier/" not in html  # no link to a client's case for the accountmanager
        page.screenshot(path=str(ART / "employers-vacancy-candidates.png"), full_page=True)

        # a caseworker sees the same list with names; take the best-ranked candidate that has a caseworker
        _login(page, base, km)
        page.goto(vacancy_url)
        links = page.locator("table tbody tr a[href*='/werkgevers/dossier/']")
        assert links.count() >= 3
        case_ids = [
            re.search(r"/dossier/(\d+)/", links.nth(i).get_attribute("href")).group(1) for i in range(links.count())
        ]
        out = subprocess.run(
            [sys.executable, "-c", CASEWORKER, start.isoformat(), *case_ids],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        case_id, cw, external_id, family_name = out.stdout.strip().splitlines()[-1].split("|")

        # the candidate's caseworker: no proposal without consent; consent for this employer, then propose
        _login(page, base, cw)
        page.goto(f"{base}/werkgevers/dossier/{case_id}/")
        row = page.locator(f"tr:has(a:text-is('{VACANCY}'))")
        assert row.count() == 1, page.content()[:4000]
        assert "eerst toestemming" in row.inner_text() and row.locator("button").count() == 0
        form = _form(page, "consent")
        form.locator("select[name=granted]").select_option("1")
        form.locator("select[name=employer_id]").select_option(label=EMPLOYER)
        form.locator("select[name=how]").select_option("schriftelijk")
        html = _submit(page, form)
        assert "Vastgelegd." in html
        consent = page.locator("section:has(h2:text-is('Toestemming om gegevens te delen')) li").filter(
            has_text=EMPLOYER
        )
        assert consent.count() == 1 and "gegeven" in consent.inner_text(), page.content()[:4000]
        assert dt.date.today().strftime("%d-%m-%Y") in consent.inner_text()
        row = page.locator(f"tr:has(a:text-is('{VACANCY}'))")
        row.locator("button:text-is('Voorstellen')").click()
        page.wait_for_load_state()
        assert "Vastgelegd." in page.content()
        assert "voorgesteld" in page.locator(f"tr:has(a:text-is('{VACANCY}'))").inner_text()

        # the accountmanager's list for the employer now names the client
        _login(page, base, am)
        page.goto(employer_url + "lijst/")
        listed = page.locator("table tbody tr").filter(has_text=family_name)
        assert listed.count() == 1, page.content()[:3000]
        assert dt.date.today().strftime("%d-%m-%Y") in listed.inner_text()  # proposed today

        # the caseworker records the placement with loonkostensubsidie: without loonwaarde it is refused
        _login(page, base, cw)
        page.goto(f"{base}/werkgevers/dossier/{case_id}/")
        vacancy_id = re.search(r"/vacatures/(\d+)/", vacancy_url).group(1)
        form = _form(page, "placement")
        form.locator("select[name=kind]").select_option("loonkostensubsidie")
        form.locator("select[name=employer_id]").select_option(label=EMPLOYER)
        form.locator("input[name=vacancy_id]").fill(vacancy_id)
        form.locator("input[name=effective_date]").fill(start.isoformat())
        form.locator("input[name=hours]").fill("24")
        form.locator("input[name=wage_per_hour]").fill("14,06")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "Bij loonkostensubsidie zijn loonwaarde" in page.content(), page.content()[:4000]
        form = _form(page, "placement")
        assert form.locator("input[name=hours]").input_value() == "24"  # what was typed is kept
        assert form.locator("input[name=effective_date]").input_value() == start.isoformat()
        form.locator("input[name=wage_per_hour]").fill("14,06")
        form.locator("input[name=loonwaarde_pct]").fill("60")
        form.locator("input[name=subsidy_per_month]").fill("900")
        form.locator("input[name=subsidy_months]").fill("24")
        form.locator("textarea[name=motivation]").fill("Loonwaarde 60% volgens de loonwaardemeting op de werkplek.")
        html = _submit(page, form)
        if "wacht op akkoord" in html:  # four-eyes: the teammanager approves it in the queue
            _login(page, base, tm)
            page.click("nav a:text-is('Akkoord gevraagd')")
            page.wait_for_load_state()
            assert EMPLOYER in page.content() or external_id in page.content(), page.content()[:4000]
            page.locator("button[value=approve]").first.click()
            page.wait_for_load_state()
            _login(page, base, cw)
            page.goto(f"{base}/werkgevers/dossier/{case_id}/")
        placement = page.locator(f"article:has(h3:has-text('bij {EMPLOYER}'))")
        assert placement.count() == 1, page.content()[:4000]
        text = placement.inner_text()
        assert start.strftime("%d-%m-%Y") in text and "loonwaarde 60%" in text and "900,00 × 24" in text, text
        due = page.locator("section:has(h2:text-is('Plaatsingen')) li").all_inner_texts()
        assert any("6 maanden na de start (duurzaamheid meten)" in d for d in due), due

        # aftercare at 6 and 12 months: still working
        for milestone in ("6", "12"):
            placement = page.locator(f"article:has(h3:has-text('bij {EMPLOYER}'))")
            placement.locator("summary:text-is('Nazorgcontact')").click()
            form = placement.locator("form:has(input[name=form][value=aftercare])")
            form.locator("select[name=still_working]").select_option("1")
            form.locator("select[name=milestone]").select_option(milestone)
            form.locator("textarea[name=summary]").fill(f"Na {milestone} maanden nog aan het werk, tevreden.")
            assert "Vastgelegd." in _submit(page, form)
        text = page.locator(f"article:has(h3:has-text('bij {EMPLOYER}'))").inner_text()
        assert "6 maanden: duurzaam (nog aan het werk)" in text and "12 maanden: duurzaam (nog aan het werk)" in text
        due = page.locator("section:has(h2:text-is('Plaatsingen')) li").all_inner_texts()
        assert not any("duurzaamheid meten" in d for d in due), due
        page.screenshot(path=str(ART / "employers-case-work.png"), full_page=True)

        # the employer page: the placement's subsidy due so far (about 13 of 24 months of € 900)
        _login(page, base, am)
        page.goto(employer_url)
        row = page.locator("section#loonkostensubsidie tbody tr").filter(has_text=external_id)
        assert row.count() == 1, page.locator("section#loonkostensubsidie").inner_text()
        cells = row.locator("td").all_inner_texts()
        owed = Decimal(re.sub(r"[^\d,]", "", cells[3]).replace(",", "."))
        assert 900 * 12 <= owed <= 900 * 15, cells
        page.screenshot(path=str(ART / "employers-employer-subsidy.png"), full_page=True)

        # the placement filled the vacancy (on its start date)
        page.goto(vacancy_url)
        assert "Vacature · Vervuld" in page.locator("dt:text-is('Soort') + dd").inner_text()

        # monitoring: one more durable placement at 12 months, and this placement's subsidy in the total
        durable_after, subsidy_after = _monitoring(page, base)
        assert durable_after == durable_before + 1
        assert subsidy_after - subsidy_before == owed
        page.screenshot(path=str(ART / "employers-monitoring.png"), full_page=True)
