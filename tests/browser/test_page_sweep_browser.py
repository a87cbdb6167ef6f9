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
import hashlib
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
from tests.platform.sweep import (
    CHROME_ACTIONS,
    PASSWORD,
    allowed,
    dutch_msgids,
    findings,
    load_access,
    load_allowlist,
)
from tests.security.test_backup_and_crash import cli_db, run  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"),
]
SHOTS = Path(os.environ.get("REGIE_SCREENSHOTS", "test-artifacts/browser/sweep"))
SHOT = {"type": "jpeg", "quality": 60}  # viewport screenshots (1280 x 900 and 360 x 900)
LANGS = ("nl", "en")
PARALLEL = 4  # pages loading at once (the server has 2 workers)
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


async def _login_state(browser, base: str, username: str | None):
    """The storage state (session cookie) of ``username`` after logging in once through the log-in form; None for a
    visitor who is not logged in (the log-in page)."""
    if username is None:
        return None
    context = await browser.new_context(locale="nl-NL")
    context.set_default_timeout(60_000)
    page = await context.new_page()
    await page.goto(base + "/inloggen/", wait_until="domcontentloaded")
    await page.fill("#id_username", username)
    await page.fill("#id_password", PASSWORD)
    async with page.expect_navigation(wait_until="domcontentloaded"):
        await page.click("form.form button[type=submit]")
    assert "/inloggen/" not in page.url, f"{username} could not log in"
    state = await context.storage_state()
    await context.close()
    return state


# The page is ready when htmx has no request, swap or settle in flight (fragments loaded on "load" are in the DOM).
# The bundle is a deferred script, so DOMContentLoaded comes after the stylesheets and after htmx has started the
# requests of its "load" triggers.
SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
# Submit the page's first own POST form that has a required field (else its first own POST form with a field to
# fill in) with every required field emptied and the other fields as they are (novalidate, so that the server's
# answer is what is shown). The header's language switch and log-out are not the page's forms. An empty submission
# of a form with a required field is refused (the fast sweep checks that); one without may be accepted, so the
# browser's database changes a little during the sweep: the checks do not depend on it.
SUBMIT_EMPTY = """chrome => {
  const own = [...document.querySelectorAll('form')].filter(f => f.method.toLowerCase() === 'post'
      && !chrome.some(a => (f.getAttribute('action') || '').endsWith(a)));
  const fields = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=file]), select, textarea';
  const form = own.find(f => f.querySelector('[required]')) || own.find(f => f.querySelector(fields));
  if (!form) return false;
  form.noValidate = true;
  for (const el of form.querySelectorAll('[required]')) {
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = false; else el.value = '';
  }
  const button = [...form.querySelectorAll('button, input[type=submit]')].find(
      b => (b.type || 'submit') === 'submit' && !b.hasAttribute('formaction'));
  form.requestSubmit(button || undefined);
  return true;
}"""


async def _sweep(base: str, world: dict, plan: list[tuple[str, str, str, bool]], axe: str, catalogue, stats) -> dict:
    """Visit the plan's (page, role, lang, primary) with PARALLEL pages in one browser; results by (page, role, lang).

    One log-in per role (its session shared by that role's contexts); one context per role, language and kind
    (primary views get axe-core as an init script, so it is injected once per page load and never sent again)."""
    from playwright.async_api import async_playwright

    results: dict = {}
    # primary views first (they take longest), grouped by context so that a worker keeps its page
    queue = sorted(plan, key=lambda item: (not item[3], item[1], item[2]))
    states: dict = {}
    contexts: dict = {}
    lock = asyncio.Lock()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])

        async def context_for(role: str, lang: str, primary: bool):
            from django.conf import settings

            async with lock:
                key = (role, lang, primary)
                if key not in contexts:
                    if role not in states:
                        states[role] = await _login_state(browser, base, world["users"].get(role))
                    context = await browser.new_context(
                        viewport={"width": 1280, "height": 900}, locale="nl-NL", storage_state=states[role]
                    )
                    context.set_default_timeout(60_000)
                    await context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": base}])
                    if primary:
                        await context.add_init_script(script=axe)
                    contexts[key] = context
                return contexts[key]

        async def worker():
            page, key = None, None
            while queue:
                page_id, role, lang, primary = queue.pop(0)
                if (role, lang, primary) != key:
                    if page is not None:
                        await page.close()
                    key = (role, lang, primary)
                    page = await (await context_for(*key)).new_page()
                results[(page_id, role, lang)] = await _check(
                    page, base, world["pages"][page_id], page_id, role, lang, primary, catalogue, stats
                )
            if page is not None:
                await page.close()

        await asyncio.gather(*(worker() for _ in range(PARALLEL)))
        for context in contexts.values():
            await context.close()
        await browser.close()
    return results


def _timed(stats: dict, phase: str, t0: float) -> float:
    now = time.monotonic()
    stats[phase] = stats.get(phase, 0.0) + now - t0
    return now


async def _text(page, role: str, lang: str, catalogue, stats) -> list:
    """The text checks of the DOM as shown; a byte-identical DOM already checked for this role and language is not
    checked again (its findings are the same), only counted."""
    body = await page.content()
    key = (role, lang, hashlib.sha1(body.encode()).hexdigest())
    if key in stats["seen"]:
        stats["duplicates"] = stats.get("duplicates", 0) + 1
        return stats["seen"][key]
    stats["seen"][key] = found = findings(body, lang, catalogue)
    return found


async def _layout(page, name: str, stats) -> tuple[list, list]:
    """Axe-core at 1280 px, the page width at 360 px, a viewport screenshot at each width: (axe, overflow360)."""
    t = time.monotonic()
    await page.screenshot(path=str(SHOTS / f"{name}-1280.jpg"), **SHOT)
    t = _timed(stats, "screenshot", t)
    result = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    axe = [f"{v['id']}: {v['nodes'][0]['target'] if v['nodes'] else ''}" for v in result["violations"]]
    t = _timed(stats, "axe", t)
    overflow = []
    # 360 px: the same page resized (the media queries apply on resize; no second load)
    await page.set_viewport_size({"width": 360, "height": 900})
    try:
        scroll = await page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => r(document.documentElement.scrollWidth)))"
        )
        if scroll > 360:
            overflow.append(str(scroll))
        t = _timed(stats, "overflow360", t)
        await page.screenshot(path=str(SHOTS / f"{name}-360.jpg"), **SHOT)
        _timed(stats, "screenshot", t)
    finally:
        await page.set_viewport_size({"width": 1280, "height": 900})
    return axe, overflow


async def _check(page, base: str, path: str, page_id: str, role: str, lang: str, primary: bool, catalogue, stats):
    found: dict = {"overflow360": [], "axe": [], "text": [], "status": None, "url": base + path, "form": None}
    name = f"{page_id.replace(':', '_')}-{lang}"
    t = time.monotonic()
    response = await page.goto(base + path, wait_until="domcontentloaded")
    await page.wait_for_function(SETTLED, polling=50)
    t = _timed(stats, "load", t)
    stats["views"] = stats.get("views", 0) + 1
    found["status"] = response.status if response else None
    found["url"] = page.url  # after a redirect (to the role's own start page): the page shown
    if page_id != "login" and page.url.rstrip("/").endswith("/inloggen"):
        found["status"] = "logged out"
        return found
    found["text"] = await _text(page, role, lang, catalogue, stats)
    _timed(stats, "text", t)
    if not primary:
        return found
    found["axe"], found["overflow360"] = await _layout(page, name, stats)
    # the error state: the page's form submitted empty (only on the page itself, not on a redirect's target)
    if page.url.split("?")[0] != base + path.split("?")[0]:
        return found
    t = time.monotonic()
    try:
        async with page.expect_navigation(wait_until="domcontentloaded", timeout=60_000) as nav:
            if not await page.evaluate(SUBMIT_EMPTY, list(CHROME_ACTIONS)):
                raise _NoForm
    except _NoForm:
        return found
    answer = await nav.value
    await page.wait_for_function(SETTLED, polling=50)
    _timed(stats, "form", t)
    stats["forms"] = stats.get("forms", 0) + 1
    form = {"status": answer.status if answer else None, "url": page.url}
    form["text"] = await _text(page, role, lang, catalogue, stats)
    form["axe"], form["overflow360"] = await _layout(page, f"{name}-leeg-formulier", stats)
    found["form"] = form
    return found


class _NoForm(Exception):
    """The page has no form of its own to submit."""


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


def _problems(r: dict, page_id: str, role: str, lang: str, where: str, allow) -> list[str]:
    """What one view (or one form's error state) shows that the allow-list does not allow."""
    problems = []
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
    return problems


def test_every_page_as_every_role_in_dutch_and_english(sweep_server):
    base, world = sweep_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    access = load_access()
    allow = load_allowlist()
    plan = _plan(world, access)
    stats: dict = {"seen": {}}
    t0 = time.monotonic()
    results = asyncio.run(_sweep(base, world, plan, _axe_script(), dutch_msgids(), stats))
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
        problems += _problems(r, page_id, role, lang, where, allow)
        if form := r.get("form"):
            where = f"{where}, form submitted empty"
            if form["status"] is not None and form["status"] >= 500:
                problems.append(f"{where}: status {form['status']}")
                continue
            problems += _problems(form, page_id, role, lang, where, allow)
    if path := os.environ.get("SWEEP_DUMP"):
        dump = {f"{p}|{r}|{lang}": v for (p, r, lang), v in results.items()}
        Path(path).write_text(json.dumps(dump, indent=1), encoding="utf-8")
    phases = ", ".join(f"{k} {v:.0f} s" for k, v in stats.items() if isinstance(v, float))
    print(
        f"browser sweep: {len(plan)} page views ({len({p for p, *_ in plan})} pages), {stats.get('forms', 0)} forms"
        f" submitted empty, {stats.get('duplicates', 0)} identical DOMs not re-checked, in {seconds:.0f} s"
        f" (summed over the parallel pages: {phases})"
    )
    assert len(results) == len(plan)
    assert {lang for _p, _r, lang, _x in plan} == set(LANGS)
    # the error states were seen: every step form and client-record form, in both languages
    submitted = {(p, lang) for (p, _r, lang), v in results.items() if v.get("form")}
    for page_id in world["pages"]:
        if page_id.startswith(("case_step:", "record_edit:")) or page_id == "client_new":
            assert {(page_id, "nl"), (page_id, "en")} <= submitted, f"{page_id}: its form was not submitted"
    assert not problems, "\n".join(sorted(set(problems))[:120])
