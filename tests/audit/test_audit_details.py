"""The access log's free-text detail in the reader's language: every detail the code writes has a pattern, every
pattern renders in Dutch and English, and the auditor's page and download show the translation while the stored
text stays as it was written."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

from regie.audit import details
from regie.audit.models import AuditRecord
from regie.audit.services import log

from .detail_sites import OPAQUE, scan

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "src" / "regie" / "platform" / "locale" / "en" / "LC_MESSAGES" / "django.po"
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")

# a value of each kind, as the code would write it
SAMPLES = {
    "": "Q-7",
    "id": "K-12",
    "int": "12",
    "amount": "1400.00",
    "text": "abc",
    "event": "intake",
    "field": "family_name",
    "fields": "family_name,given_name",
    "role": "integrale_klantmanager",
    "roles": "integrale_klantmanager,teammanager",
    "capability": "view_audit",
    "key": "-",
    "date": "2026-03-01",
    "month": "2026-03",
    "format": "xlsx",
    "outcome": "pending",
    "verdict": "approved",
    "state": "done",
    "yesno": "yes",
    "task_source": "provider_report",
    "task_action": "reassign",
    "portal_form": "income",
    "portal_kind": "vertegenwoordiger",
    "codes": "0518,0363",
    "counts": '{"clients": 3, "cases": 4}',
    "team": "-",
    "scopes": "cases:read,events:write",
    "rule": "payments.four_eyes",
    "exception": "ValueError",
    "reason": "id token nonce differs",
    "detail": "plan signed",
}


def _sample(p: details.Pattern) -> str:
    return details._PLACEHOLDER.sub(lambda m: SAMPLES[m[2] or ""], p.template)


def _covered(shape: str) -> bool:
    """Whether a pattern's shape matches a shape the source writes; a nested detail must be covered itself."""
    for p in details.PATTERNS:
        parts, pos = [], 0
        for m in details._PLACEHOLDER.finditer(p.template):
            parts.append(re.escape(p.template[pos : m.start()]))
            kind = details.KINDS[m[2] or ""]
            parts.append("(.*)" if m[2] == "detail" else f"(?:{re.escape(OPAQUE)}|(?:{kind.regex}))")
            pos = m.end()
        parts.append(re.escape(p.template[pos:]))
        found = re.fullmatch("".join(parts), shape, re.DOTALL)
        if found is None:
            continue
        rests = list(found.groups())  # only a nested detail is a group
        if all(r and r != shape and _covered(r) for r in rests):
            return True
    return False


def test_the_scan_finds_the_writers_and_their_frames():
    """The scan itself: sites behind a wrapper (not_found's default, the portal's frame, the API's helpers) and a
    detail written by position or through a constant are found, so the coverage test below can fail."""
    sites = scan(ROOT / "src" / "regie")
    shapes = {s for site in sites for s in site.shapes}
    assert len(sites) > 200
    assert "not found in user's municipalities" in shapes  # accounts.access.not_found's default
    assert "portal {} level {}; plan signed" in shapes  # portal.services.audit's frame
    assert "api {} case {}" not in shapes and "api download case {}" in shapes  # an inherited helper, by position
    assert "unknown account" in shapes and "mfa: code wrong" in shapes  # constants
    assert "candidates for vacancy {}: {} shown named" in shapes  # a conditional inside an f-string
    # and the coverage check refuses what no pattern knows, a nested frame included
    assert _covered("{} records") and _covered("portal {} level {}; plan signed") and _covered("lacks manage_users")
    assert not _covered("exported {} rows") and not _covered("portal {} level {}; something new")


def test_every_detail_the_code_writes_has_a_pattern():
    """A new ``detail=`` (or a changed one) without a pattern in regie.audit.details fails here."""
    missing = {}
    for site in scan(ROOT / "src" / "regie"):
        for shape in site.shapes:
            if shape and not _covered(shape):
                missing.setdefault(shape, []).append(f"{site.path}:{site.line}")
    assert not missing, "add a pattern to regie.audit.details.PATTERNS for:\n" + "\n".join(
        f"  {shape!r}  ({', '.join(where)})" for shape, where in sorted(missing.items())
    )


def test_every_pattern_has_an_english_translation():
    po = polib.pofile(str(PO))
    translated = {e.msgid for e in po if e.msgstr and "fuzzy" not in e.flags}
    kinds = [details.OUTCOMES, details.VERDICTS, details.RUN_STATES, details.YES_NO, details.TASK_SOURCES]
    kinds += [details.TASK_ACTIONS, details.PORTAL_FORMS, details.PORTAL_KINDS, details.COUNT_LABELS]
    msgids = {p.msgid for p in details.PATTERNS + details.REASONS} | {v for k in kinds for v in k.values()}
    msgids |= {"alle", "alle teams", "geen"}
    assert not sorted(msgids - translated)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("which", ["detail", "reason"])
def test_every_pattern_renders_in_both_languages(lang, which):
    table = details.PATTERNS if which == "detail" else details.REASONS
    with translation.override(lang):
        for p in table:
            text = _sample(p)
            found = details.pattern_of(text, which)
            assert found is not None, text
            assert found.msgid == p.msgid or found.template.split("{")[0] != p.template.split("{")[0], (p, found)
            rendered = details.describe(text) if which == "detail" else details._reason(text)
            assert "%(" not in rendered and rendered, (text, rendered)
            assert not SNAKE.search(rendered.replace(SAMPLES["rule"], "")), (text, rendered)
            if lang == "en" and p.msgid.startswith("niet gevonden"):
                assert rendered.startswith("not found"), rendered


@pytest.mark.parametrize(
    ("stored", "nl", "en"),
    [
        ("12 records", "12 regels", "12 rows"),
        ("lacks view_audit", "mist het recht: auditlog inzien", "lacks the right: see the audit log"),
        (
            "sso refused: id token nonce differs",
            "single sign-on geweigerd: het id-token hoort niet bij deze aanmelding",
            "single sign-on refused: the id token does not belong to this log-in",
        ),
        (
            "portal client level substantieel; plan signed",
            "Mijn Regie, cliënt, niveau substantieel: plan ondertekend",
            "Mijn Regie, client, level substantieel: plan signed",
        ),
        ("pending intake", "Intake ter beoordeling (vier ogen)", "Intake awaiting review (four eyes)"),
        ("api preview case K-1", "via de API: voorbeeld bekeken, dossier K-1", "via the API: preview viewed, case K-1"),
        ("fields family_name", "velden: Achternaam", "fields: Family name"),
        (
            '{"header": 1, "client": 3, "case": 3}',
            "aantallen: kopregels: 1, cliënten: 3, dossiers: 3",
            "counts: header lines: 1, clients: 3, cases: 3",
        ),
        ("w_deel/i_deel 10 -> 12/13", "W-deel/I-deel 10 gewijzigd in 12/13", "W-deel/I-deel 10 changed to 12/13"),
        (
            "2026-05: 12 payments, 1400.00 EUR, 0 skipped",
            "mei 2026: 12 betalingen, € 1.400,00, 0 overgeslagen",
            "May 2026: 12 payments, € 1,400.00, 0 skipped",
        ),
        (
            "refused: Deze API-sleutel is ingetrokken.",
            "geweigerd: Deze API-sleutel is ingetrokken.",
            "refused: This API key has been revoked.",
        ),
    ],
)
def test_stored_texts_read_in_the_users_language(stored, nl, en):
    with translation.override("nl"):
        assert details.describe(stored) == nl
    with translation.override("en"):
        assert details.describe(stored) == en


def test_an_unknown_text_is_shown_as_stored_with_field_labels():
    with translation.override("nl"):
        assert details.describe("something old about family_name") == "something old about Achternaam"
        assert details.describe("") == ""
        # a frame whose nested part no pattern knows does not apply: the text is shown as stored
        assert details.describe("api weird thing") == "api weird thing"


@pytest.fixture
def auditor(world):
    return world.users_a["functioneel_beheerder"]


def _rows(user):
    log(
        actor="fb",
        action="export",
        object_type="auditlog",
        origin="cli@x",
        municipality_id=user.municipality_id,
        detail="12 records",
    )
    log(
        actor="fb",
        action="login_failed",
        object_type="session",
        origin="10.0.0.1",
        result="denied",
        municipality_id=user.municipality_id,
        detail="sso refused: id token nonce differs",
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", ["12 regels", "single sign-on geweigerd: het id-token hoort niet bij deze aanmelding"]),
        ("en", ["12 rows", "single sign-on refused: the id token does not belong to this log-in"]),
    ],
)
def test_the_audit_page_and_download_show_the_translation(client, auditor, lang, expected):
    from django.conf import settings

    _rows(auditor)
    client.force_login(auditor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang  # the language switch
    page = client.get("/audit/").content.decode()
    for text in expected:
        assert text in page
    assert "sso refused" not in page and "12 records" not in page
    body = client.get("/audit/export.csv").content.decode("utf-8-sig")
    cells = [row[-1] for row in csv.reader(io.StringIO(body))][1:]
    for text in expected:
        assert text in cells
    # the stored text is the audit trail: unchanged
    stored = set(AuditRecord.objects.values_list("detail", flat=True))
    assert {"12 records", "sso refused: id token nonce differs"} <= stored


@pytest.mark.parametrize(
    ("lang", "failed", "bad_date"), [("nl", "inloggen mislukt", "Vanaf: geen"), ("en", "log-in failed", "From: no")]
)
def test_the_filters_offer_actions_and_object_types_by_label(client, auditor, lang, failed, bad_date):
    """The auditor chooses an action and an object type from their labels (no key to type), and a wrong date names
    its field by its label."""
    from django.conf import settings
    from django.utils import translation

    _rows(auditor)
    client.force_login(auditor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = client.get("/audit/").content.decode()
    with translation.override(lang):
        assert f'<option value="login_failed">{translation.gettext("inloggen mislukt")}</option>' in page
    assert failed in page
    chosen = client.get("/audit/", {"action": "login_failed"}).content.decode()
    assert '<option value="login_failed" selected>' in chosen
    assert "nonce" not in chosen and ("regels" in chosen or "rows" in chosen)
    table = chosen.split("<tbody>", 1)[1]
    assert table.count("<tr>") == 1  # only the failed log-in (the page's own read is an other action)
    refused = client.get("/audit/", {"since": "gisteren"}).content.decode()
    assert bad_date in refused and "since:" not in refused


def test_parse_gives_the_pattern_and_the_stored_values():
    assert details.parse("letter toekenning K-12") == (details.LETTER_MADE, {"event": "toekenning", "ref": "K-12"})
    assert details.parse("inzage pdf request 4") == (details.INZAGE_REQUEST, {"fmt": "pdf", "req": "4"})
    assert details.parse("inzage json (command line)") == (details.INZAGE_CLI, {"fmt": "json"})
    # a dotted client field (the rectification of an address) is a field too, shown by its label
    assert details.parse("rectification 3 field contact.street") == (
        details.RECTIFIED,
        {"req": "3", "field": "contact.street"},
    )
    with translation.override("nl"):
        assert details.describe("rectification 3 field contact.street") == "rectificatie 3, veld Straat"
        assert details.describe("rectification 3 field housing") == "rectificatie 3, veld Woonsituatie"
    assert details.parse("letter sent toekenning K-12")[0] != details.LETTER_MADE
    assert details.parse("inzage exe request 4") is None  # not a format the code writes
