"""A refused form keeps what the user typed, on every page (the guide: "bad input ... loses nothing").

For every POST form on every page of the sweep (tests/platform/sweep.py's world, test_page_sweep's catalogue of
pages), as the first role that opens the page and may use the form (403/404 for a role: the next role): a
distinctive value is typed in each text-like field and textarea, and a field is made to fail (see
``typed_submission``: one required non-text field left empty, an invalid date or number, required fields left
empty, or the typed text itself), all inside a savepoint that is rolled back. When the answer is a refusal (a 4xx,
a page showing its error, or a redirect to a page with an error message), it must be the page again with every
typed value on it, never a redirect (REDIRECT_ALLOWED, empty), and its status a 4xx (REFUSED_200_ALLOWED, with a
reason). The module's last test prints the counts (with -s) and fails when fewer forms than measured were checked.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from .sweep import ERROR_SHOWN, Form, page_forms
from .test_page_sweep import (  # noqa: F401 - the sweep's fixtures, shared with this module
    _documents_storage,
    _page_ids,
    access,
    sweep_documents,
    sweep_world,
    url_for,
    visit,
)

TYPED = "Typtekst{}-123"  # the distinctive value typed in the n-th text field
TEXT_TYPES = ("text", "textarea", "search", "email", "url", "tel")
INVALID = "geen-waarde"  # typed in a date or number field to make it fail
# A redirect with an error message after a refusal loses what was typed. (page id, form action) -> reason.
# Keep it empty: fix the view instead (re-render the form with the values, status 400).
REDIRECT_ALLOWED: dict[tuple[str, str], str] = {}
# A refusal re-rendered with status 200 keeps the input but reads as a success (to scripts, monitoring, assistive
# technology): page id -> reason. Only shrinks (test_enough_forms_were_checked fails on an entry that matches none).
REFUSED_200_ALLOWED: dict[str, str] = {
    page: "employers' forms answer a refusal with 200; the employers pages are another change's area this session"
    for page in (
        "employers:case_work",
        "employers:employer",
        "employers:index",
        "employers:social_map",
        "employers:vacancy_edit",
        "employers:vacancy_new",
    )
}

# <ul class="messages"><li class="error">...: the flash message a view leaves before redirecting back
ERROR_MESSAGE = re.compile(r'<ul class="messages">(?:(?!</ul>).)*<li class="[^"]*\berror\b', re.S)

STATS: dict[str, int] = {"checked": 0, "accepted": 0, "not_for_role": 0, "nothing_typed": 0, "redirect": 0}
CHECKED: list[str] = []
RAN: set[str] = set()  # the page ids the page test ran for


def typed_submission(form: Form, variant: int = 0) -> tuple[dict, dict[str, str], str] | None:
    """(data, typed values by field name, what was made to fail) for ``form``; None when the ``variant`` cannot make
    a field fail while a typed value is left to check. Variant 0 makes one field fail (a required field that is not
    typed text left empty, else an invalid date or number, else the last of several required text fields left
    empty); variant 1 leaves every required field empty and types in the others; variant 2 makes every date and
    number invalid; variant 3 submits the typed values as they are."""
    data: dict[str, list[str]] = {}
    typed: dict[str, str] = {}
    radios_seen: set[str] = set()
    button_done = False
    for f in form.fields:
        name, kind = f["name"], f["type"]
        if not name or kind in ("reset", "image", "file", "button"):
            continue
        if kind == "submit":  # the first named button: the one a user clicks
            if not button_done:
                data.setdefault(name, []).append(f["value"])
                button_done = True
            continue
        if kind in TEXT_TYPES:
            value = TYPED.format(len(typed))
            typed[name] = value
        elif kind == "checkbox":
            if not (f["checked"] or f["required"]):
                continue
            value = f["value"] or "on"
        elif kind == "radio":
            if name in radios_seen or not (f["checked"] or f["required"]):
                continue
            radios_seen.add(name)
            value = f["value"]
        else:
            value = f["value"] or ""
        data.setdefault(name, []).append(value)
    named = [f for f in form.fields if f["name"] and f["type"] not in ("submit", "hidden", "file")]
    how = None
    if variant == 0:
        for f in named:
            if f["required"] and f["type"] not in TEXT_TYPES:
                data.pop(f["name"], None)
                how = f"{f['name']} left empty"
                break
        if how is None:
            for f in named:
                if f["type"] in DATE_NUMBER:
                    data[f["name"]] = [INVALID]
                    how = f"{f['name']} = {INVALID!r}"
                    break
        if how is None:
            required_texts = [f["name"] for f in named if f["required"] and f["type"] in TEXT_TYPES]
            if required_texts and len(typed) >= 2:
                data[required_texts[-1]] = [""]
                typed.pop(required_texts[-1])
                how = f"{required_texts[-1]} left empty"
    elif variant == 1:
        required = [f["name"] for f in named if f["required"]]
        for name in required:
            data[name] = [""]
            typed.pop(name, None)
        how = f"{', '.join(required)} left empty" if required else None
    elif variant == 2:
        invalid = [f["name"] for f in named if f["type"] in DATE_NUMBER]
        for name in invalid:
            data[name] = [INVALID]
        how = f"{', '.join(invalid)} = {INVALID!r}" if invalid else None
    elif variant == 3:  # the typed text may be refused itself (a telephone number, an e-mail address, a code)
        how = "the typed values as they are"
    if how is None or not typed:
        return None
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}, typed, how


VARIANTS = (0, 1, 2, 3)
DATE_NUMBER = ("date", "number", "month", "time", "datetime-local")


def _form_key(form: Form) -> tuple:
    return form.action, tuple(f["name"] for f in form.fields if f["type"] not in ("hidden", "submit"))


@pytest.mark.parametrize("page_id", _page_ids())
def test_refused_form_keeps_input(page_id, sweep_world, access, db, client):  # noqa: F811 - the fixtures
    RAN.add(page_id)
    url, spec = url_for(page_id, sweep_world)
    if url is None or spec.get("file") or spec.get("anonymous"):
        pytest.skip("no form page")
    problems: list[str] = []
    done: set = set()
    for role in access.get(page_id, []):
        client.logout()
        client.force_login(sweep_world.users[role])
        r = visit(client, url, "nl")
        if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
            continue
        for form in page_forms(r.content.decode()):
            key = _form_key(form)
            if key in done:
                continue
            problem = _submit_typed(client, url, form, page_id, role)
            if problem != "not_for_role":
                done.add(key)
                if problem:
                    problems.append(problem)
    assert not problems, f"{page_id} ({url}):\n" + "\n".join(problems)


def _submit_typed(client, url: str, form: Form, page_id: str, role: str) -> str | None:
    """Submit ``form`` with typed values and a failing field, variant after variant until one is refused; a problem,
    "not_for_role", or None."""
    action = form.action or url
    where = f"{role}: POST form {form.index} ({action})"
    outcome = "nothing_typed"
    for variant in VARIANTS:
        if variant == 3 and outcome == "accepted":
            break  # a form that accepted a failing field accepts the typed text too
        built = typed_submission(form, variant)
        if built is None:
            continue
        data, typed, how = built
        with transaction.atomic():
            r = client.post(action, data, HTTP_ACCEPT_LANGUAGE="nl", follow=True)
            transaction.set_rollback(True)
        if r.status_code in (403, 404, 405) and not r.redirect_chain:
            STATS["not_for_role"] += 1
            return "not_for_role"
        body = r.content.decode() if "text/html" in r.get("Content-Type", "") else ""
        if r.status_code >= 500:
            return f"{where}: status {r.status_code} ({how})"
        if r.redirect_chain and ERROR_MESSAGE.search(body):
            STATS["redirect"] += 1
            if (page_id, form.action) in REDIRECT_ALLOWED:
                return None
            return f"{where}: refused by a redirect ({how}): what was typed is lost"
        shown = ERROR_SHOWN.search(body.split("<body", 1)[-1])
        if r.redirect_chain or (r.status_code < 400 and not shown):
            outcome = "accepted"
            continue
        STATS["checked"] += 1
        CHECKED.append(f"{page_id} {action} ({how})")
        lost = [name for name, value in typed.items() if value not in body]
        if lost:
            return f"{where}: refused ({r.status_code}, {how}) without the typed value of {', '.join(lost)}"
        if r.status_code < 400:  # the form again with its error, but answered as a success
            STATUS_200.add(page_id)
            if page_id not in REFUSED_200_ALLOWED:
                return f"{where}: refused ({how}) with status 200: a refusal is a 400 (409 for a concurrent edit)"
        return None
    STATS[outcome] += 1
    OUTCOMES.append(f"{outcome}: {page_id} {action}")
    return None


STATUS_200: set[str] = set()  # pages whose refusals were re-rendered with status 200
OUTCOMES: list[str] = []  # the forms not checked, and why (printed by the last test with -s)


# The sweep's world has this many forms that refuse a typed submission and were checked (66 measured 2026-12-02;
# raise it when forms are added; a drop means forms were no longer found or no longer refused).
MIN_CHECKED = 66


def test_enough_forms_were_checked():
    """Runs after the page tests (file order): the count of forms checked, and the class is not empty."""
    if not CHECKED and not STATS["redirect"]:
        pytest.skip("the page tests did not run")
    print(f"forms: {STATS}")
    print("\n".join(["checked: " + c for c in CHECKED] + ["status 200: " + c for c in sorted(STATUS_200)] + OUTCOMES))
    assert STATS["checked"] >= MIN_CHECKED, STATS
    if len(RAN) == len(_page_ids()):  # the whole sweep ran (not -k)
        stale = sorted(set(REFUSED_200_ALLOWED) - STATUS_200)
        assert not stale, f"REFUSED_200_ALLOWED entries that match nothing any more (remove them): {stale}"
