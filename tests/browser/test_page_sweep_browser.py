"""Every page of the sweep in chromium, at 1280 and at 360 px: no horizontal scroll at 360 px
(``document.documentElement.scrollWidth <= 360``), axe-core WCAG 2.1 AA without violations, and a screenshot of each
page at each width under $REGIE_SCREENSHOTS (default var/screenshots; not committed).

The world is the fast sweep's (tests/platform/sweep.py) in a real `regie serve`. Each page is visited as one role
that opens it (tests/platform/sweep_access.toml: the pages are the same for the roles that open them, the text per
role and language is the fast sweep's job); pages run in parallel browser contexts. What fails today is in
tests/platform/sweep_allowlist.toml (checks "axe" with rule ids, "overflow360"); anything else fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.test_browser import CHROMIUM, _free_port
from tests.platform.sweep import PASSWORD, allowed, load_access, load_allowlist
from tests.security.test_backup_and_crash import cli_db, run  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"),
]
SHOTS = Path(os.environ.get("REGIE_SCREENSHOTS", "var/screenshots"))
WIDTHS = (1280, 360)
PARALLEL = 4
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Not full pages: not visited in the browser (the fast sweep reads them).
FRAGMENTS = {"lab:status": "htmx fragment of the lab run page (no <html>)"}


@contextmanager
def serving(database_url: str, var_dir, wait: float = 120.0):
    """`regie serve` as in test_browser.serving, waiting up to ``wait`` seconds for it (a loaded 2-core machine)."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "REGIE_VAR_DIR": str(var_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while True:
        try:
            urllib.request.urlopen(base + "/inloggen/", timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError(f"regie serve did not answer within {wait} s") from None
            time.sleep(0.5)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture
def sweep_server(cli_db, tmp_path):  # noqa: F811
    run(cli_db, "migrate")
    out = tmp_path / "sweep.json"
    env = {**os.environ, "DATABASE_URL": cli_db, "REGIE_VAR_DIR": str(tmp_path / "var")}
    subprocess.run([sys.executable, "-m", "tests.platform.sweep_seed", str(out)], env=env, check=True)
    with serving(cli_db, tmp_path / "var") as base:
        yield base, json.loads(out.read_text(encoding="utf-8"))


async def _login(browser, base: str, username: str):
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.set_default_timeout(60_000)
    page = await context.new_page()
    await page.goto(base + "/inloggen/")
    await page.fill("#id_username", username)
    await page.fill("#id_password", PASSWORD)
    await page.click("form.form button[type=submit]")
    await page.wait_for_load_state()
    assert "/inloggen/" not in page.url, f"{username} could not log in"
    return context, page


async def _sweep(base: str, world: dict, plan: list[tuple[str, str]], axe: str) -> dict[str, dict]:
    from playwright.async_api import async_playwright

    results: dict[str, dict] = {}
    queue: asyncio.Queue = asyncio.Queue()
    by_role: dict[str, list[str]] = {}
    for page_id, role in plan:
        by_role.setdefault(role, []).append(page_id)
    for role, pages in by_role.items():
        for i in range(0, len(pages), 12):  # a context per role and chunk: parallel, each logged in once
            queue.put_nowait((role, pages[i : i + 12]))

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])

        async def worker():
            while not queue.empty():
                role, pages = queue.get_nowait()
                context, page = await _login(browser, base, world["users"][role])
                try:
                    for page_id in pages:
                        results[page_id] = await _check(page, base + world["pages"][page_id], page_id, axe)
                finally:
                    await context.close()

        await asyncio.gather(*(worker() for _ in range(PARALLEL)))
        await browser.close()
    return results


async def _check(page, url: str, page_id: str, axe: str) -> dict:
    found: dict = {"overflow360": [], "axe": [], "status": None}
    name = page_id.replace(":", "_")
    for width in WIDTHS:
        await page.set_viewport_size({"width": width, "height": 900})
        response = await page.goto(url, wait_until="load")
        found["status"] = response.status if response else None
        await page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        if width == 360:
            scroll = await page.evaluate("document.documentElement.scrollWidth")
            if scroll > 360:
                found["overflow360"].append(str(scroll))
        else:
            await page.evaluate(axe)
            result = await page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                AXE_TAGS,
            )
            found["axe"] = [f"{v['id']}: {v['nodes'][0]['target'] if v['nodes'] else ''}" for v in result["violations"]]
    return found


def test_every_page_at_1280_and_360_px_with_axe(sweep_server):
    base, world = sweep_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    access = load_access()
    allow = load_allowlist()
    plan = []
    for page_id in world["pages"]:
        if page_id in FRAGMENTS:
            continue
        opens = [r for r in access.get(page_id, []) if r in world["users"]]
        if opens:
            plan.append((page_id, opens[0]))
    results = asyncio.run(_sweep(base, world, plan, _axe_script()))
    problems = []
    for page_id, role in plan:
        r = results[page_id]
        if r["status"] != 200:
            continue  # a redirect to the role's own start page: swept there
        if r["overflow360"] and not allowed(allow, page_id, "overflow360", "*", "nl", role):
            problems.append(f"{page_id}: page {r['overflow360'][0]} px wide at 360 px")
        for v in r["axe"]:
            rule = v.split(":", 1)[0]
            if not allowed(allow, page_id, "axe", rule, "nl", role):
                problems.append(f"{page_id}: axe {v}")
    if path := os.environ.get("SWEEP_DUMP"):
        Path(path).write_text(json.dumps(results, indent=1), encoding="utf-8")
    assert len(results) == len(plan)
    assert not problems, "\n".join(problems)
