"""Browser test of equal treatment: a policy officer composes a vignette study, two caseworkers answer it, the
analysis page shows its charts; the discretion report is computed by the server's job worker and appears
through htmx polling. Real `regie serve` + Debian chromium, as in tests/browser/test_browser.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from regie.core.synth import generate
from tests.browser.test_browser import ART, CHROMIUM, browser, login, serving  # noqa: F401  (fixture)
from tests.security.test_backup_and_crash import cli_db, run  # noqa: F401  (fixture)

PASSWORD = "browser-test-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"),
]


@pytest.fixture
def equity_server(cli_db, tmp_path):  # noqa: F811
    path = tmp_path / "lv.jsonl"
    generate("1916", 300, 3, path)  # Leidschendam-Voorburg: three tiers (seed 000:721)
    run(cli_db, "migrate")
    run(cli_db, "import", str(path), "--municipality", "1916")
    for user, role in (
        ("bm.eq", "beleidsmedewerker"),
        ("km1.eq", "integrale_klantmanager"),
        ("km2.eq", "reintegratieconsulent"),
    ):
        run(
            cli_db, "createuser", user, "--role", role, "--municipality", "1916", "--password", PASSWORD, "--team", "T1"
        )
    with serving(cli_db, tmp_path / "var") as base:
        yield base


def _login(browser, base, username):  # noqa: F811
    import tests.browser.test_browser as tb

    tb.PASSWORD = PASSWORD
    return login(browser, base, username)


VIGNETTES = [
    {
        "title": "Jonge man, schulden",
        "age": "23",
        "sex": "M",
        "household": "alleenstaande",
        "education": "vmbo",
        "language": "goed",
        "health": "geen",
        "motivation_willen": "laag",
        "motivation_kunnen": "hoog",
        "sketch": "Net uit de schoolbanken, schulden, weinig zin in werk.",
    },
    {
        "title": "Moeder met peuter",
        "age": "34",
        "sex": "V",
        "household": "alleenstaande_ouder",
        "n_children": "1",
        "youngest_child_age": "3",
        "education": "mbo2_4",
        "language": "matig",
        "health": "licht",
        "motivation_willen": "hoog",
        "motivation_kunnen": "midden",
        "sketch": "Wil werken, geen kinderopvang.",
    },
]


def go(page, selector: str) -> None:
    """Click a link or submit button and wait until the next page has loaded."""
    with page.expect_navigation():
        page.click(selector)


def _fill(page, fields: dict) -> None:
    for name, value in fields.items():
        sel = f"#id_{name}"
        page.wait_for_selector(sel, state="attached")  # the click that led here may still be navigating
        tag = page.eval_on_selector(sel, "e => e.tagName.toLowerCase()")
        page.select_option(sel, value) if tag == "select" else page.fill(sel, value)


def _answer_all(page, answers: list[dict]) -> None:
    go(page, "nav a:text-is('Vignetonderzoek')")
    go(page, "a:text-is('Beantwoorden')")
    for k, fields in enumerate(answers):
        page.wait_for_selector(f"text=Vignet {k + 1} van {len(answers)}")
        _fill(page, fields)
        go(page, "form.form button[type=submit]")
    page.wait_for_selector(f"text=alle {len(answers)} vignetten beantwoord")


def test_compose_answer_analyse_and_report(equity_server, browser):  # noqa: F811
    base = equity_server
    today = dt.date.today()
    bm = _login(browser, base, "bm.eq")
    go(bm, "nav a:text-is('Vignetonderzoek')")
    go(bm, "a:text-is('Nieuw onderzoek')")
    bm.wait_for_selector("#id_title")
    bm.fill("#id_title", "Vignetstudie browser")
    bm.fill("#id_starts_on", (today - dt.timedelta(days=1)).isoformat())
    bm.fill("#id_ends_on", (today + dt.timedelta(days=14)).isoformat())
    go(bm, "form.form button[type=submit]")
    assert "Onderzoek aangemaakt" in bm.content()
    for v in VIGNETTES:
        go(bm, "a:text-is('Vignet toevoegen')")
        _fill(bm, v)
        go(bm, "form.form button[type=submit]")
        assert "opgeslagen" in bm.content(), bm.content()[:3000]
    bm.screenshot(path=str(ART / "equity-study.png"), full_page=True)

    km1 = _login(browser, base, "km1.eq")
    go(km1, "nav a:text-is('Vignetonderzoek')")
    go(km1, "a:text-is('Beantwoorden')")
    km1.wait_for_selector("#id_level")
    # the municipality's own three tiers (seed 000:721) are offered
    assert "Direct bemiddelbaar" in km1.content()
    km1.screenshot(path=str(ART / "equity-answer.png"), full_page=True)
    km1.close()
    base_answer = {"route": "bemiddeling", "exemption": "nee", "motivation": "zoals een echte cliënt"}
    _answer_all(
        _login(browser, base, "km1.eq"),
        [{**base_answer, "level": "work_first", "months": "6"}, {**base_answer, "level": "direct", "months": "4"}],
    )
    _answer_all(
        _login(browser, base, "km2.eq"),
        [
            {**base_answer, "level": "work_first", "months": "9"},
            {**base_answer, "level": "participatie", "months": "18", "exemption": "ja"},
        ],
    )

    go(bm, "nav a:text-is('Vignetonderzoek')")
    go(bm, "a:text-is('Analyse')")
    bm.wait_for_selector("svg.chart.spread")
    assert "4 antwoorden van 2 klantmanagers" in bm.content()
    assert bm.locator("svg.chart.spread circle").count() == 4 + 1  # four answers, one municipality in the legend
    assert bm.locator("svg.chart.agreement").is_visible()
    assert "km1.eq" not in bm.content() and "km2.eq" not in bm.content()
    bm.screenshot(path=str(ART / "equity-analysis.png"), full_page=True)

    # the discretion report: started by its button, computed by the server's job worker, swapped in by htmx polling
    go(bm, "nav a:text-is('Gelijke behandeling')")
    go(bm, "button:text-is('Rapport berekenen')")  # opening the page never computes; the button queues the job
    bm.wait_for_selector("text=Invloed van de klantmanager per beslissing", timeout=180_000)
    funnels = bm.locator("figure.funnel img")
    assert funnels.count() >= 1
    assert funnels.first.evaluate("img => img.complete && img.naturalWidth > 0")  # the SVG decoded
    bm.screenshot(path=str(ART / "equity-report.png"), full_page=True)
