"""Every page of the sweep in chromium, as every role that opens it, in Dutch and in English.

- Text, for every page x role x language at 1280 px: the rendered DOM (htmx fragments loaded) passes the fast
  sweep's text checks (tests/platform/sweep.findings): no snake_case key, no research citation outside a "bron"
  disclosure, no English message in the Dutch UI, no Dutch msgid left untranslated in the English UI.
- Layout and accessibility, once per page and language (as the first role that opens it): no horizontal scroll at
  360 px (``document.documentElement.scrollWidth <= 360``) and axe-core WCAG 2.1 AA without violations at 1280 px.
- Screenshots (artefacts under $REGIE_SCREENSHOTS, default var/screenshots; not committed): one per page, language
  and width (1280 and 360 px, full page, JPEG) as that first role: ``<page>-<lang>-<width>.jpg``. The other roles' views
  are checked for text, not photographed (the pages differ per role in content, not in layout).

The world is the fast sweep's (tests/platform/sweep.py) in a real `regie serve`; which roles open which page is
tests/platform/sweep_access.toml. One browser context per role and language (logged in once, the language cookie
set), in parallel. What fails today is in tests/platform/sweep_allowlist.toml (the text checks' entries, and
"axe" with rule ids, "overflow360"); anything else fails.
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
from tests.platform.sweep import PASSWORD, allowed, dutch_msgids, findings, load_access, load_allowlist
from tests.security.test_backup_and_crash import cli_db, run  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"),
]
SHOTS = Path(os.environ.get("REGIE_SCREENSHOTS", "var/screenshots"))
LANGS = ("nl", "en")
PARALLEL = 4
CHUNK = 30  # pages per browser context (a context logs in once)
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


async def _login(browser, base: str, username: str, lang: str):
    from django.conf import settings

    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.set_default_timeout(60_000)
    page = await context.new_page()
    if username is not None:  # None: a visitor who is not logged in (the log-in page)
        await page.goto(base + "/inloggen/")
        await page.fill("#id_username", username)
        await page.fill("#id_password", PASSWORD)
        await page.click("form.form button[type=submit]")
        await page.wait_for_load_state()
        assert "/inloggen/" not in page.url, f"{username} could not log in"
    await context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": base}])
    return context, page


async def _sweep(base: str, world: dict, plan: list[tuple[str, str, str, bool]], axe: str, catalogue) -> dict:
    """Visit the plan's (page, role, lang, primary) in parallel contexts; results keyed by (page, role, lang)."""
    from playwright.async_api import async_playwright

    results: dict = {}
    queue: asyncio.Queue = asyncio.Queue()
    groups: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    for page_id, role, lang, primary in plan:
        groups.setdefault((role, lang), []).append((page_id, primary))
    # the largest groups first, so that the parallel contexts finish together
    for (role, lang), pages in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        for i in range(0, len(pages), CHUNK):
            queue.put_nowait((role, lang, pages[i : i + CHUNK]))

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])

        async def worker():
            while not queue.empty():
                role, lang, pages = queue.get_nowait()
                context, page = await _login(browser, base, world["users"].get(role), lang)
                try:
                    for page_id, primary in pages:
                        results[(page_id, role, lang)] = await _check(
                            page, base + world["pages"][page_id], page_id, lang, primary, axe, catalogue
                        )
                finally:
                    await context.close()

        await asyncio.gather(*(worker() for _ in range(PARALLEL)))
        await browser.close()
    return results


async def _check(page, url: str, page_id: str, lang: str, primary: bool, axe: str, catalogue) -> dict:
    found: dict = {"overflow360": [], "axe": [], "text": [], "status": None, "url": url}
    name = f"{page_id.replace(':', '_')}-{lang}"
    response = await page.goto(url, wait_until="load")
    found["status"] = response.status if response else None
    found["url"] = page.url  # after a redirect (to the role's own start page): the page shown
    if page_id != "login" and page.url.rstrip("/").endswith("/inloggen"):
        found["status"] = "logged out"
        return found
    found["text"] = findings(await page.content(), lang, catalogue)
    if not primary:
        return found
    await page.screenshot(path=str(SHOTS / f"{name}-1280.jpg"), full_page=True, type="jpeg", quality=70)
    await page.evaluate(axe)
    result = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    found["axe"] = [f"{v['id']}: {v['nodes'][0]['target'] if v['nodes'] else ''}" for v in result["violations"]]
    # 360 px: the same page resized (the media queries apply on resize; no second load)
    await page.set_viewport_size({"width": 360, "height": 900})
    try:
        scroll = await page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => r(document.documentElement.scrollWidth)))"
        )
        if scroll > 360:
            found["overflow360"].append(str(scroll))
        await page.screenshot(path=str(SHOTS / f"{name}-360.jpg"), full_page=True, type="jpeg", quality=70)
    finally:
        await page.set_viewport_size({"width": 1280, "height": 900})
    return found


def _page_id(url: str) -> str | None:
    """The URL name of the page at ``url`` ("letters:index"), for the allow-list."""
    from urllib.parse import urlparse

    from django.urls import Resolver404, resolve

    try:
        return resolve(urlparse(url).path).view_name
    except Resolver404:
        return None


def _plan(world: dict, access: dict) -> list[tuple[str, str, str, bool]]:
    """(page, role, lang, primary): every role that opens the page, in both languages; the first role is the one
    whose view is photographed and checked for layout and axe."""
    plan = []
    for page_id in world["pages"]:
        if page_id in FRAGMENTS:
            continue
        opens = [r for r in access.get(page_id, []) if r in world["users"] or r == "anonymous"]
        for lang in LANGS:
            plan += [(page_id, role, lang, i == 0) for i, role in enumerate(opens)]
    return plan


def test_every_page_as_every_role_in_dutch_and_english(sweep_server):
    base, world = sweep_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    access = load_access()
    allow = load_allowlist()
    plan = _plan(world, access)
    t0 = time.monotonic()
    results = asyncio.run(_sweep(base, world, plan, _axe_script(), dutch_msgids()))
    seconds = time.monotonic() - t0
    problems = []
    for page_id, role, lang, _primary in plan:
        r = results[(page_id, role, lang)]
        where = f"{page_id} ({role}, {lang})"
        if r["status"] == "logged out":
            problems.append(f"{where}: the session ended (a page logged the user out?)")
            continue
        if r["status"] not in (200, 302):
            problems.append(f"{where}: status {r['status']}")
            continue
        shown = _page_id(r["url"]) or page_id  # a redirect's findings are the page it lands on
        for check, found in r["text"]:
            if not allowed(allow, page_id, check, found, lang, role) and not allowed(
                allow, shown, check, found, lang, role
            ):
                problems.append(f"{where}: {check}: {found!r}")
        if r["overflow360"] and not allowed(allow, page_id, "overflow360", "*", lang, role):
            problems.append(f"{where}: page {r['overflow360'][0]} px wide at 360 px")
        for v in r["axe"]:
            rule = v.split(":", 1)[0]
            if not allowed(allow, page_id, "axe", rule, lang, role):
                problems.append(f"{where}: axe {v}")
    if path := os.environ.get("SWEEP_DUMP"):
        dump = {f"{p}|{r}|{lang}": v for (p, r, lang), v in results.items()}
        Path(path).write_text(json.dumps(dump, indent=1), encoding="utf-8")
    print(f"browser sweep: {len(plan)} page views ({len({p for p, *_ in plan})} pages) in {seconds:.0f} s")
    assert len(results) == len(plan)
    assert {lang for _p, _r, lang, _x in plan} == set(LANGS)
    assert not problems, "\n".join(sorted(set(problems))[:120])
