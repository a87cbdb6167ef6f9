"""Browser test of the policy lab and the monitoring pages against a real `regie serve` in Debian chromium: a
policy officer runs a small ensemble (computed by the server's job worker, progress polled by htmx), sees
the effect table and the charts and downloads the effects; the monitoring pages draw their bar and line charts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.browser.test_browser import ART, CHROMIUM, browser  # noqa: F401  (fixture)
from tests.browser.test_equity_browser import _fill, _login, equity_server, go  # noqa: F401  (fixture)
from tests.security.test_backup_and_crash import cli_db  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"),
]


def test_policy_officer_runs_a_policy_change_in_the_lab(equity_server, browser):  # noqa: F811
    base = equity_server
    bm = _login(browser, base, "bm.eq")
    go(bm, "nav a:text-is('Beleidslab')")
    bm.wait_for_selector("#id_baseline")
    # Leidschendam-Voorburg works with Work First (seed 000:721); the change switches it off
    _fill(bm, {"work_first": "uit", "clients": "300", "caseworkers": "4", "months": "24", "runs": "2", "seed": "3"})
    go(bm, "form.lab-form button[type=submit]")
    # the run page polls the status fragment until the job has finished, then reloads itself
    bm.wait_for_selector("text=Effect van de wijziging", timeout=180_000)
    assert "Work First: uit" in bm.content()
    rows = bm.locator("table.table tbody tr")
    assert rows.count() >= 4  # outflow, duration, cost, equal treatment measures at least
    diffs = bm.locator("table.table tbody tr td:last-child").all_inner_texts()
    assert any(not d.startswith("0 ") for d in diffs), diffs  # switching Work First off changes something
    charts = bm.locator(".lab-charts img")
    assert charts.count() >= 1
    assert charts.first.evaluate("img => img.complete && img.naturalWidth > 0")  # the SVG decoded under the CSP
    bm.screenshot(path=str(ART / "lab-run.png"), full_page=True)
    href = bm.get_attribute("a:text-is('effecten (CSV)')", "href")
    resp = bm.request.get(base + href)
    assert resp.status == 200 and "text/csv" in resp.headers["content-type"]
    table = list(csv.DictReader(io.StringIO(resp.text())))
    assert len(table) == rows.count() and "Maat" in table[0]  # the column by its label, not its key


def test_monitoring_pages_draw_their_charts(equity_server, browser):  # noqa: F811
    base = equity_server
    bm = _login(browser, base, "bm.eq")
    go(bm, "nav a:text-is('Monitoring')")
    bm.wait_for_selector("text=Bestand en stromen")
    bars = bm.locator("svg.bar-chart rect.bar")
    assert bars.count() >= 3
    widths = [float(w) for w in bars.evaluate_all("rs => rs.map(r => r.getAttribute('width'))")]
    assert max(widths) == 340 and all(w >= 0 for w in widths)
    box = bars.first.bounding_box()
    assert box is not None and box["width"] > 0  # really drawn, not only present in the markup
    bm.screenshot(path=str(ART / "monitoring-overview.png"), full_page=True)
    go(bm, "nav.steps a:text-is('Budget')")
    bm.wait_for_selector("text=W-deel (participatiebudget)")
    assert bm.locator("svg polyline.actual").count() >= 1
    bm.screenshot(path=str(ART / "monitoring-budget.png"), full_page=True)
