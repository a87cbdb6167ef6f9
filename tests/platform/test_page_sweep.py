"""Every page and form of the URL conf, as every role, in Dutch and in English (Django test client).

For each page and role: the status is one of the expected ones (200, or a deliberate 403/404 for a role without
the right; never a 500), and the visible text has no snake_case key, no research citation outside a "bron"
disclosure, no English message in the Dutch UI and no Dutch msgid left untranslated in the English UI. Every form on
a page (each POST form with a field to fill in, not the header's language switch or log-out) is then submitted
empty, as every role that opens the page and in both languages, inside a savepoint that is rolled back: the answer
is never a 500, a form with a required field is refused (no redirect) and shows its error, and the error page passes
the same text checks. What fails
today is listed, with a reason, in tests/platform/sweep_allowlist.toml; anything else fails the test, and so does
an allow-list entry that no longer matches anything (so the list only shrinks). A new URL without an entry in PAGES
or SKIPPED fails test_every_url_is_swept.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from regie.core.records import ROLES

from .sweep import (
    BROWSER_CHECKS,
    CHROME_ACTIONS,
    ERROR_SHOWN,
    allowed,
    build_world,
    dutch_msgids,
    findings,
    load_access,
    load_allowlist,
    page_forms,
)

# URL name -> the URL kwargs taken from the world's ids (a value is an ids key, or a literal in a 1-tuple).
# "file": a download (PDF, CSV, XML, ICS): status only, no text checks.
PAGES: dict[str, dict] = {
    "home": {},
    "login": {"anonymous": True},
    "mfa_policy": {},
    "worklist": {},
    "client_detail": {"client_id": "client_id"},
    "client_new": {},
    "machtiging_new": {"client_id": "client_id"},  # portal: the caseworker records a machtiging
    "approvals": {},
    "policy_signals": {},
    "policy_signal_new": {"case_id": "case_id"},
    "provider:clients": {},
    "provider:referral": {"case_id": "referral_case_id"},
    "provider_register": {},
    "brp_check": {"client_id": "client_id"},
    "audit_log": {},
    "audit_export": {"file": True},
    "monitoring:dashboard": {},
    "monitoring:trajectories": {},
    "monitoring:budget": {},
    "monitoring:budget_edit": {},
    "monitoring:statistics": {},
    "equity:report": {},
    "equity:studies": {},
    "equity:study_new": {},
    "equity:study": {"study_id": "study_id"},
    "equity:vignette_new": {"study_id": "study_id"},
    "equity:vignette_edit": {"study_id": "study_id", "vignette_id": "vignette_id"},
    "equity:answer": {"study_id": "study_id"},
    "equity:analysis": {"study_id": "study_id"},
    "equity:coding": {},
    "equity:between": {},
    "lab:index": {},
    "lab:run": {"run_id": "lab_run_id"},
    "lab:status": {"run_id": "lab_run_id"},
    "privacy:index": {},
    "privacy:access": {"request_id": "access_request_id"},
    "privacy:rectification": {"request_id": "rectification_request_id"},
    "privacy:register": {},
    "retention:index": {},
    "retention:list": {"list_id": "list_id"},
    "legal:worklist": {},
    "legal:monitoring": {},
    "legal:objection": {"case_id": "objection_case_id", "objection_id": "objection_id"},
    "legal:step": {"case_id": "objection_case_id", "event_type": ("beslissing_op_bezwaar",)},
    "documents:upload": {"case_id": "case_id"},
    "documents:detail": {"document_id": "document_id"},
    "documents:download": {"document_id": "document_id", "file": True},
    "documents:export_new": {"client_id": "client_id"},
    "documents:export": {"export_id": "export_id"},
    "worktasks:mine": {},
    "worktasks:new": {},
    "worktasks:detail": {"task_id": "task_id"},
    "worktasks:absence": {},
    "worktasks:team": {},
    "worktasks:bulk": {},
    "letters:home": {},
    "letters:index": {"municipality_id": "municipality_id"},
    "letters:letterhead": {"municipality_id": "municipality_id"},
    "letters:edit": {"municipality_id": "municipality_id", "name": ("toekenning",)},
    "agenda:start": {},
    "agenda:day": {},
    "agenda:week": {},
    "agenda:feed": {"file": True},
    "agenda:new": {"case_id": "case_id"},
    "agenda:appointment": {"appointment_id": "appointment_id"},
    "agenda:ics": {"appointment_id": "appointment_id", "file": True},
    "journal:case": {"case_id": "case_id"},
    "journal:search": {},
    "notifications:index": {},
    "benefit:income": {"case_id": "case_id"},
    "benefit:bank_account": {"case_id": "case_id"},
    "benefit:runs": {},
    "benefit:run": {"run_id": "run_id"},
    # day2: the calendar subscription page, the BRP connection page
    "agenda:subscription": {},
    "brp_config": {},
    # legal: objections upheld per caseworker on the equity monitor
    "equity:objections": {},
    # employers
    "employers:index": {},
    "employers:employer": {"pk": "employer_id"},
    "employers:employer_list": {"pk": "employer_id"},
    "employers:vacancy_new": {"employer_pk": "employer_id"},
    "employers:vacancy_edit": {"employer_pk": "employer_id", "pk": "vacancy_id"},
    "employers:vacancy": {"pk": "vacancy_id"},
    "employers:case_work": {"case_id": "case_id"},
    "employers:social_map": {},
    "employers:monitoring": {},
}

# URL names not visited, each with the reason.
SKIPPED: dict[str, str] = {
    "logout": "POST only; ends the session",
    "set_language": "POST only (the language switch)",
    "mfa_verify": "second log-in step: only reachable in the middle of a log-in",
    "mfa_enrol": "second log-in step: only reachable in the middle of a log-in",
    "mfa_reset": "POST only (functioneel beheerder resets a colleague's second step)",
    "oidc_authenticate": "redirects to the organisation's identity provider",
    "oidc_callback": "the identity provider's answer",
    "reveal_bsn": "POST only (audited reveal)",
    "signal_ack": "POST only",
    "case_step_advice": "htmx fragment of the step form (swept inside case_step)",
    "brp_adopt_address": "POST only",
    "brp_address_lookup": "htmx fragment (needs a postcode)",
    "record_edit_person": "needs a contact person id (the contact person form is swept as record_edit)",
    "record_end": "POST only",
    "record_end_person": "POST only",
    "lab:export": "download of a finished run (the swept run is queued)",
    "privacy:access_action": "POST only",
    "privacy:access_download": "download of a completed inzage (the swept request is open)",
    "privacy:rectification_action": "POST only",
    "retention:approve": "POST only",
    "retention:remove_item": "POST only",
    "retention:hold_release": "POST only",
    "documents:export_download": "download of a built dossier PDF (built by a job)",
    "letters:version": "needs a saved template version",
    "letter": "PDF of a letter event (tests/letters)",
    "letter_send": "POST only",
    "agenda:start_seen": "POST only",
    "notifications:read": "POST only",
    "benefit:release": "POST only",
}
SKIPPED.update(
    {
        "agenda:invite": "POST only (sends the invitation)",
        "brp_prefill": "POST only (fills the new-client form from the BRP)",
        "letters:preview": "POST only (previews the template being edited)",
        "notifications:preference": "POST only",
        "privacy:access_new": "POST only (the form is on privacy:index)",
        "privacy:rectification_new": "POST only (the form is on privacy:index)",
        "retention:hold_new": "POST only (the form is on retention:index)",
        "approval_review": "POST only (the verdict; the queue is swept as approvals)",
        "benefit:sepa": "the SEPA file of a released run (the swept run is not released)",
        "documents:preview": "a preview of an image document (the swept document is a PDF: 404)",
        "agenda:subscription_feed": "the feed behind a secret link, no session (tests/agenda/test_subscription.py)",
        # portal
        "machtiging_end": "POST only (the form is on client_detail)",
        "eherkenning_start": "redirects to the provider's eHerkenning broker (tests/portal/test_eherkenning.py)",
        "eherkenning_callback": "the eHerkenning broker's answer (tests/portal/test_eherkenning.py)",
    }
)
# Mijn Regie: a citizen's session, not a staff role; its own sweep (tests/portal/test_portal_sweep.py) visits every
# portal URL as a second client, a logged-out browser and a staff user.
SKIPPED.update(
    {
        name: "Mijn Regie: swept in tests/portal/test_portal_sweep.py"
        for name in (
            "portal:access_request",
            "portal:act_for",
            "portal:appointment",
            "portal:callback",
            "portal:change",
            "portal:demo_login",
            "portal:document",
            "portal:income",
            "portal:letter",
            "portal:login",
            "portal:logout",
            "portal:message",
            "portal:objection",
            "portal:overview",
            "portal:sign_plan",
            "portal:start",
        )
    }
)
# Expanded: one page per step form and per client-record form.
EXPANDED = {"case_step", "record_edit"}


def _url_names() -> set[str]:
    def walk(patterns, ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "api" or str(p.pattern).startswith("api/"):
                    continue  # the REST API: tests/api (schemathesis)
                yield from walk(p.url_patterns, p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}:{p.name}" if ns else p.name

    return set(walk(get_resolver().url_patterns))


def _step_types() -> list[str]:
    from regie.casework.steps import NEXT_STEPS

    return sorted({t for types in NEXT_STEPS.values() for t in types})


def _record_kinds() -> list[str]:
    from regie.clientrecord.forms import FORMS

    return list(FORMS)


def _page_ids() -> list[str]:
    ids = sorted(PAGES)
    ids += [f"case_step:{t}" for t in _step_types()]
    ids += [f"record_edit:{k}" for k in _record_kinds()]
    return ids


def test_every_url_is_swept():
    """A new page must be added to the sweep (PAGES) or skipped with a reason (SKIPPED)."""
    missing = _url_names() - set(PAGES) - set(SKIPPED) - EXPANDED
    assert not missing, f"pages not in the sweep: {sorted(missing)} (add them to PAGES or SKIPPED)"
    stale = (set(PAGES) | set(SKIPPED)) - _url_names()
    assert not stale, f"sweep entries without a URL: {sorted(stale)}"


@pytest.fixture(scope="module")
def sweep_documents(tmp_path_factory):
    return tmp_path_factory.mktemp("sweep-documents")


def _storages(settings, location):
    return {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }


@pytest.fixture(autouse=True)
def _documents_storage(settings, sweep_documents):
    """The module's world keeps its documents for all its tests (tests/conftest.py gives each test its own)."""
    settings.STORAGES = _storages(settings, sweep_documents)


@pytest.fixture(scope="module")
def sweep_world(django_db_setup, django_db_blocker, tmp_path_factory, sweep_documents):
    """One seeded demo municipality for the whole module, rolled back at the end."""
    from django.conf import settings
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(STORAGES=_storages(settings, sweep_documents)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(tmp_path_factory.mktemp("sweep"))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def catalogue():
    return dutch_msgids()


@pytest.fixture(scope="module")
def allow_list():
    return load_allowlist()


@pytest.fixture(scope="module")
def access():
    return load_access()


USED: set = set()  # (allow-list entry index, found) that matched something


def url_for(page_id: str, world) -> tuple[str | None, dict]:
    """(URL, spec) of one page id, or (None, spec) when the world has no object for it."""
    name, _, arg = page_id.partition(":") if page_id.split(":")[0] in EXPANDED else (page_id, "", "")
    if name == "case_step":
        return reverse("case_step", kwargs={"case_id": world.ids["case_id"], "event_type": arg}), {}
    if name == "record_edit":
        return reverse("record_edit", kwargs={"client_id": world.ids["client_id"], "kind": arg}), {}
    spec = PAGES[page_id]
    kwargs = {}
    for k, v in spec.items():
        if k in ("file", "anonymous"):
            continue
        value = v[0] if isinstance(v, tuple) else world.ids.get(v)
        if value in (None, ""):
            return None, spec
        kwargs[k] = value
    return reverse(page_id, kwargs=kwargs), spec


def visit(client, url: str, lang: str):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang)


SWEPT: dict[str, dict[str, int]] = {}  # page -> role -> status (for the status matrix)


@pytest.mark.parametrize("page_id", _page_ids())
def test_page_as_every_role(page_id, sweep_world, catalogue, allow_list, access, db, client):
    url, spec = url_for(page_id, sweep_world)
    assert url is not None, f"the sweep's world has no object for {page_id}: add one in tests/platform/sweep.py"
    problems = []
    statuses = {}
    roles = ["anonymous"] if spec.get("anonymous") else list(ROLES)
    for role in roles:
        client.logout()
        if role != "anonymous":
            client.force_login(sweep_world.users[role])
        for lang in ("nl", "en"):
            r = visit(client, url, lang)
            statuses[role] = r.status_code
            if r.status_code not in (200, 302, 403, 404, 405):
                problems.append(f"{role}/{lang}: status {r.status_code}")
                continue
            if r.status_code != 200 or spec.get("file") or "text/html" not in r.get("Content-Type", ""):
                continue
            body = r.content.decode()
            for check, found in findings(body, lang, catalogue):
                if not allowed(allow_list, page_id, check, found, lang, role, USED):
                    problems.append(f"{role}/{lang}: {check}: {found!r}")
            for form in page_forms(body):
                problems += _submit_empty(client, url, form, page_id, lang, role, catalogue, allow_list)
    SWEPT[page_id] = statuses
    _dump(page_id, statuses, problems)
    opens = access.get(page_id)
    assert opens is not None, f"{page_id}: not in tests/platform/sweep_access.toml (which roles may open it?)"
    assert opens, f"{page_id}: no role may open it"
    for role, status in statuses.items():
        if role in opens:
            assert status in (200, 302), f"{page_id}: {role} should open it, got {status}"
        else:
            assert status in (403, 404, 405), f"{page_id}: {role} should not open it, got {status}"
    if "provider_coach" in opens:
        assert page_id in PROVIDER_COACH_PAGES, f"{page_id}: the provider's (external) coach may open it"
    assert not problems, f"{page_id} ({url}):\n" + "\n".join(sorted(set(problems))[:80])


FORMS_POSTED: dict[str, int] = {}  # page -> empty submissions made (all roles and languages)


def _submit_empty(client, url, form, page_id, lang, role, catalogue, allow_list) -> list[str]:
    """POST ``form`` of the page at ``url`` with nothing filled in, following a redirect (a refusal may redirect
    back with an error message), all rolled back; the problems found."""
    action = form.action or url
    where = f"{role}/{lang}: POST form {form.index} ({action})"
    with transaction.atomic():
        r = client.post(action, form.empty_submission(), HTTP_ACCEPT_LANGUAGE=lang, follow=True)
        transaction.set_rollback(True)
    FORMS_POSTED[page_id] = FORMS_POSTED.get(page_id, 0) + 1
    if r.status_code >= 500:
        return [f"{where}: status {r.status_code}"]
    if r.status_code not in (200, 400, 409, 422) or "text/html" not in r.get("Content-Type", ""):
        return []
    body = r.content.decode()
    problems = []
    if form.required and not ERROR_SHOWN.search(body.split("<body", 1)[-1]):
        if r.redirect_chain:
            problems.append(f"{where}: an empty submission was accepted (required: {', '.join(form.required)})")
        else:
            problems.append(f"{where}: refused without an error message on the page")
    if r.redirect_chain:
        REFUSED_BY_REDIRECT.add((page_id, action))
    for check, found in findings(body, lang, catalogue):
        if not allowed(allow_list, page_id, check, found, lang, role, USED):
            problems.append(f"{where}: {check}: {found!r}")
    return problems


REFUSED_BY_REDIRECT: set = set()  # (page, form action) answering an empty submission with a redirect


def test_the_header_forms_are_known():
    """The forms the sweep leaves out are the header's language switch and log-out (sweep.CHROME_ACTIONS)."""
    assert sorted(CHROME_ACTIONS) == sorted([reverse("set_language"), reverse("logout")])


def _dump(page_id, statuses, problems):
    """SWEEP_DUMP=path: append what was found (to write or shrink the allow-list by hand)."""
    import json
    import os

    if path := os.environ.get("SWEEP_DUMP"):
        with open(path, "a", encoding="utf-8") as fh:
            posted = FORMS_POSTED.get(page_id, 0)
            fh.write(json.dumps({"page": page_id, "statuses": statuses, "forms_posted": posted, "problems": problems}))
            fh.write("\n")


# Pages an external provider coach may open besides the provider portal (the rest is the municipality's).
PROVIDER_COACH_PAGES = {"home", "provider:clients", "provider:referral", "notifications:index"}


def test_foreign_client_is_a_404_for_every_role(sweep_world, db, client):
    url = reverse("client_detail", kwargs={"client_id": sweep_world.other_client_id})
    for role, user in sweep_world.users.items():
        client.force_login(user)
        assert client.get(url).status_code in (403, 404), role


def test_allowlist_has_no_stale_entries(allow_list):
    """Runs after the page tests (file order): every allow-list entry, and every string in it, still matches a
    finding, so a fix must shrink the list. Skipped when only some pages ran (-k)."""
    if len(SWEPT) < len(_page_ids()):
        pytest.skip("only part of the sweep ran")
    # the forms were submitted: at least the step forms, the client-record forms and the new-client form
    posted = set(FORMS_POSTED)
    assert {f"case_step:{t}" for t in _step_types()} <= posted, sorted(set(_page_ids()) - posted)
    assert {f"record_edit:{k}" for k in _record_kinds()} | {"client_new"} <= posted
    stale = []
    for i, e in enumerate(allow_list):
        if e["check"] in BROWSER_CHECKS:
            continue  # the browser sweep checks its own entries
        for found in e["found"]:
            if (i, found) not in USED:
                stale.append(f"{e['page']} / {e['check']}: {found!r}")
    assert not stale, "allow-list entries that match nothing any more (remove them):\n" + "\n".join(stale)


def test_the_demo_shows_four_eyes_a_vignette_study_and_recent_history(sweep_world, db):
    """The demo's additions (regie.demo.seed_demo_extras) on the rules-steered municipality: deviations waiting for
    a teammanager, a vignette study with answers, appointments, and a history that ends near today."""
    import datetime as dt

    from regie.agenda.models import Appointment
    from regie.casework.models import Event, PendingDecision
    from regie.equity.models import VignetteAnswer, VignetteStudy

    muni = sweep_world.muni
    pending = PendingDecision.objects.filter(municipality=muni)
    assert pending.count() >= 1 and all(p.event_type == "classificatie" and p.status == "pending" for p in pending)
    study = VignetteStudy.objects.get(municipality=muni)
    assert study.vignettes.count() == 4 and VignetteAnswer.objects.filter(study=study).count() >= 4
    assert Appointment.objects.filter(municipality=muni).exists()
    last = Event.objects.filter(municipality=muni).order_by("-effective_date").first().effective_date
    assert (dt.date.today() - last).days <= 31
