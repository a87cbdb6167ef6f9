"""The page sweep's shared parts: a seeded demo municipality with one object of every kind, the catalogue of every
page in the URL conf with the arguments to visit it, and the text checks (issue "every page as every role").

Used by tests/platform/test_page_sweep.py (Django test client, every role, Dutch and English) and by
tests/browser/test_page_sweep_browser.py (chromium at 1280 and 360 px, axe-core).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from regie.core.records import ROLES

PASSWORD = "sweep-2026"
# The sweep's municipality is rules-steered (its policy: steering mode "rules"), so deviating decisions wait for a
# teammanager (four-eyes) and the approval pages have something to show; the demo loads it beside Den Haag.
CODE = "1916"
OTHER_CODE = "0772"
ALLOWLIST = Path(__file__).with_name("sweep_allowlist.toml")
BROWSER_CHECKS = ("axe", "overflow360")  # the browser sweep's checks (tests/browser/test_page_sweep_browser.py)


# --- the world -------------------------------------------------------------------------------------------------
@dataclass
class SweepWorld:
    muni: object
    users: dict  # role -> User
    ids: dict  # URL kwarg name -> value (for the parametrised URLs)
    other_client_id: int  # a client of another municipality: every role must get a 404


def build_world(tmp_dir: Path, clients: int = 40) -> SweepWorld:
    """A synthetic demo municipality (the generator, the import and the demo seeders of `regie demo`), a second
    municipality, users of every role and one object of every kind a parametrised URL needs."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from regie.accounts.models import Municipality, Provider, Team, User
    from regie.casework.interchange import import_file
    from regie.casework.models import Case, Client, Event
    from regie.core.synth import generate

    today = timezone.localdate()
    path = tmp_dir / "sweep.jsonl"
    generate(
        CODE, clients, 7, path, name="Leidschendam-Voorburg (sweep)", start=dt.date(today.year - 3, 1, 1), end=today
    )
    import_file(path, CODE, demo_password=PASSWORD)
    muni = Municipality.objects.get(code=CODE)
    team = Team.objects.filter(municipality=muni).order_by("id").first()
    provider = Provider.objects.filter(municipality=muni).order_by("id").first()
    users = {}
    for i, role in enumerate(ROLES):
        u = User.objects.filter(municipality=muni, role=role).order_by("id").first()
        if u is None:
            u = User.objects.create_user(
                username=f"sweep{i}",
                password=PASSWORD,
                municipality=muni,
                role=role,
                team=team,
                provider=provider if role == "provider_coach" else None,
            )
        users[role] = u
    from regie.demo import seed_demo_extras

    seed_demo_extras(muni, PASSWORD)

    other = Municipality.objects.create(code=OTHER_CODE, name="Eindhoven (sweep)")
    foreign = Client.objects.create(
        municipality=other,
        external_id="X1",
        bsn="999999990",
        given_name="Vreemd",
        family_name="Anders",
        birth_date=dt.date(1980, 1, 1),
        sex="V",
    )

    kms = {u.username: u for u in User.objects.filter(municipality=muni, role="integrale_klantmanager")}
    case = (
        next(
            (
                c
                for c in Case.objects.filter(municipality=muni, state__status="lopend").order_by("id")
                if getattr(c.state, "caseworker", None) in kms
            ),
            None,
        )
        or Case.objects.filter(municipality=muni, state__status="lopend").order_by("id").first()
    )
    km = kms.get(getattr(case.state, "caseworker", None)) or users["integrale_klantmanager"]
    users["integrale_klantmanager"] = km
    ids: dict = {"client_id": case.client_id, "case_id": case.pk, "municipality_id": muni.pk}
    ids["event_id"] = Event.objects.filter(case=case).order_by("-id").values_list("id", flat=True).first()

    # the provider's coach: one whose provider has a client referred (the portal's referral page)
    from regie.casework.views.provider import _referrals

    for coach in User.objects.filter(municipality=muni, role="provider_coach").order_by("id"):
        if refs := _referrals(coach):
            users["provider_coach"] = coach
            ids["referral_case_id"] = refs[0].case.pk
            break

    from regie.documents.services import store_upload

    doc = store_upload(
        case, km, SimpleUploadedFile("brief.pdf", _pdf(), "application/pdf"), kind="overig", title="Brief van UWV"
    )
    ids["document_id"] = doc.pk
    from regie.worktasks import services as tasks

    ids["task_id"] = tasks.create(km, case=case, title="Bel de cliënt terug", assignee=km).pk
    from regie.agenda.models import Appointment

    appt = Appointment.objects.filter(municipality=muni).order_by("id").first()
    if appt is None:
        from regie.agenda.services import plan

        plan(case, km, kind="gesprek", date=today + dt.timedelta(days=2), start_time=dt.time(10, 0))
        appt = Appointment.objects.filter(municipality=muni).order_by("id").first()
    ids["appointment_id"] = appt.pk
    from regie.privacy import services as privacy

    ids["access_request_id"] = privacy.record_access_request(
        case.client, requested_by="De cliënt", received_on=today - dt.timedelta(days=3), user=km
    ).pk
    ids["rectification_request_id"] = privacy.record_rectification(
        case.client,
        requested_by="De cliënt",
        received_on=today - dt.timedelta(days=2),
        field="family_name",
        statement="Mijn achternaam is verkeerd gespeld.",
        requested_value="Jansen",
        user=km,
    ).pk
    from regie.retention import services as retention

    archivist = users["archivaris"]
    dl = retention.build_list(muni, f"{today.year}-{today.month:02d}", actor=archivist)
    ids["list_id"] = dl.pk
    ids["item_id"] = dl.items.order_by("id").values_list("id", flat=True).first()
    ids["hold_id"] = retention.place_hold(case, "bezwaar", "Lopend bezwaar", actor=archivist, origin="test").pk
    from regie.benefit.models import PaymentRun
    from regie.benefit.services import request_run

    try:
        ids["run_id"] = request_run(muni, users["inkomensconsulent"], f"{today.year}-{today.month:02d}").pk
    except Exception:  # noqa: BLE001 - a refused month still leaves the list page; the run page needs a run
        ids["run_id"] = PaymentRun.objects.filter(municipality=muni).values_list("id", flat=True).first()
    from regie.lab.models import LabRun

    ids["lab_run_id"] = LabRun.objects.create(
        municipality=muni, created_by=users["beleidsmedewerker"], scenario="policy:den-haag", params={}, total=2
    ).pk
    from regie.equity.models import Vignette, VignetteStudy

    study = VignetteStudy.objects.filter(municipality=muni).order_by("id").first()
    ids["study_id"] = study.pk
    ids["vignette_id"] = Vignette.objects.filter(study=study).values_list("id", flat=True).first()
    from regie.documents.models import DossierExport

    ids["export_id"] = DossierExport.objects.create(
        municipality=muni, client=case.client, purpose="bezwaar", requested_by=km
    ).pk
    from regie.casework.models import PendingDecision

    ids["pending_id"] = PendingDecision.objects.filter(municipality=muni).values_list("id", flat=True).first()
    from regie.employers.models import Employer, Vacancy  # employers: the demo's employers and vacancies

    ids["employer_id"] = Employer.objects.order_by("id").values_list("id", flat=True).first()
    vacancy = Vacancy.objects.filter(employer_id=ids["employer_id"]).order_by("id").first()
    ids["vacancy_id"] = vacancy.pk if vacancy else None
    objection_event = Event.objects.filter(municipality=muni, type="bezwaar").order_by("id").first()
    if objection_event is not None:
        ids["objection_case_id"] = objection_event.case_id
        ids["objection_id"] = objection_event.payload.get("objection_id", "")
    return SweepWorld(muni=muni, users=users, ids=ids, other_client_id=foreign.pk)


def _pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "Brief van UWV")
    c.save()
    return buf.getvalue()


# --- the text checks -------------------------------------------------------------------------------------------
_SKIP_BLOCKS = re.compile(
    r"<(script|style|code|pre|template|svg)\b.*?</\1>|<details[^>]*class=\"[^\"]*bron[^\"]*\"[^>]*>.*?</details>|"
    r"<!--.*?-->",
    re.S | re.I,
)
_TAGS = re.compile(r"<[^>]+>")
SNAKE = re.compile(r"(?<![\w./@:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])")
CITATIONS = re.compile(
    r"\bseed \d{3}\b|\bdocs/[\w./-]+|\bdomain brief\b|\bdomeinbrief\b|\bregie\.(?:core|casework|equity|lab)\.[\w.]+",
    re.I,
)
# English messages that must not appear in the Dutch UI (the known ones; the English catalogue check covers the rest)
ENGLISH_IN_DUTCH = (
    "Field required",
    "This field is required",
    "fails the elfproef",
    "must be 9 digits",
    "your decision differs",
    "give the reason",
    "cannot evaluate this rule",
    "missing ",
    "Input should be",
    "Enter a valid",
    "Not found",
    "Forbidden",
    "Page not found",
    "Server Error",
)


def visible_text(body: str) -> str:
    """The text a user reads: without scripts, styles, code, bron disclosures, comments, tags and attributes."""
    body = body.split("<body", 1)[-1].split(">", 1)[-1]
    return html.unescape(_TAGS.sub(" ", _SKIP_BLOCKS.sub(" ", body)))


def without_dutch_parts(body: str) -> str:
    """``body`` without the elements marked ``lang="nl"``: text that is Dutch by nature in the English UI (a letter's
    own subject and text; letters go to clients in Dutch; a text a person wrote), marked so for screen readers too
    (WCAG 3.1.2). Only the "untranslated" and "dutch" checks skip them; every other check still reads them."""
    return without_parts(body, "nl")


def without_parts(body: str, lang: str) -> str:
    """``body`` without the elements marked ``lang="<lang>"`` (the ``<html>`` element aside)."""
    return "".join(_split_parts(body, lang)[0])


def marked_parts(body: str, lang: str) -> list[str]:
    """The visible text of each element marked ``lang="<lang>"`` (the ``<html>`` element aside)."""
    texts = (" ".join(visible_text("<body>" + part).split()) for part in _split_parts(body, lang)[1])
    return [t for t in texts if t]


def _split_parts(body: str, lang: str) -> tuple[list[str], list[str]]:
    """(the pieces of ``body`` outside the elements marked ``lang="<lang>"``, those elements)."""
    part = re.compile(rf"<(\w+)\b[^>]*\blang=\"{lang}\"[^>]*>", re.I)
    out, marked, pos = [], [], 0
    for m in part.finditer(body):
        if m.start() < pos or m.group(1).lower() == "html":
            continue
        tag = m.group(1).lower()
        opener = re.compile(rf"<{tag}\b|</{tag}\s*>", re.I)
        depth, end = 1, len(body)
        for t in opener.finditer(body, m.end()):
            depth += -1 if t.group(0).startswith("</") else 1
            if depth == 0:
                end = t.end()
                break
        out.append(body[pos : m.start()])
        marked.append(body[m.start() : end])
        pos = end
    out.append(body[pos:])
    return out, marked


# --- the "dutch" check: a line of the English UI that reads as Dutch ------------------------------------------
# Dutch function words; a word English uses too ("in", "is", "was", "over", "met", "of": Dutch "or") counts for
# neither language.
DUTCH_WORDS = frozenset(
    """de het een van niet voor wordt worden werd naar bij geen ook nog als maar door uit deze dit dat die er u uw
    heeft hebben hebt kan kunt kunnen moet moeten mag mogen zal zullen wil wilt zijn bent en op aan te om tot dan
    wel nu wat wie waar hoe welke waarom wanneer omdat want dus zo zonder tussen onder tegen alle alleen andere ander
    hier daar toch pas eerst meer minder iets niets iemand niemand elke ieder zich hun ons onze mijn jouw je jij ik
    hij zij ze wij""".split()
)
ENGLISH_WORDS = frozenset(
    """the a an not for with are be been being to at no also yet as but by from this these that those there you
    your has have can could must should will would may might do does did which what who where when how why than
    then into about after before between without under all only any each other our their its it they them he she
    i if or and""".split()
)
# Name particles: "van der Linden", "Laan van Meerdervoort", "Bergen op Zoom", "Alphen aan den Rijn", "de Vries";
# and "en" between capitalised words: "Werk en Inkomen", "Nuenen, Gerwen en Nederwetten".
_PARTICLES = frozenset("van de der den het ter ten te op aan in 't t d' la le du".split())
_WORD = re.compile(r"[^\W\d_](?:[\w'’/-]*\w)?")
_QUOTED = re.compile(r"‘[^’]*’|“[^”]*”")  # a quoted word is mentioned, not used: job ‘bij’ employer
_PO = Path(__file__).resolve().parents[2] / "src/regie/platform/locale/en/LC_MESSAGES/django.po"


def _glossary_terms() -> tuple[str, ...]:
    """The glossary's Dutch terms (docs/glossary.md: "bijstand", "plan van aanpak", "beslissing op bezwaar"): the
    English UI keeps them in Dutch, so their words do not count as Dutch."""
    path = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
    terms = set()
    for row in path.read_text(encoding="utf-8").splitlines():
        cells = row.split("|")
        if len(cells) < 3 or cells[1].strip() in ("term", "---", ""):
            continue
        for term in re.split(r",|/|\(", cells[1]):
            if term := " ".join(term.replace(")", " ").split()).lower():
                terms.add(term)
    return tuple(sorted(terms, key=len, reverse=True))


GLOSSARY_TERMS = _glossary_terms()


@functools.cache
def lexicons() -> tuple[frozenset[str], frozenset[str]]:
    """(Dutch, English) content words of the catalogue: the words of its Dutch msgids that no English msgstr uses
    ("cliënt", "betalen", "wachtlijst"; not "plan", "team", "Participatiewet"), and the words of its English
    msgstrs that no Dutch msgid uses ("payment", "caseworker"); without the glossary's terms, the other language's
    function words and words of two letters."""
    import polib

    nl, en = set(), set()
    for e in polib.pofile(str(_PO)):
        if e.msgstr:
            nl.update(w.lower() for w in _WORD.findall(e.msgid))
            en.update(w.lower() for w in _WORD.findall(e.msgstr))
    glossary = {w for t in GLOSSARY_TERMS for w in t.split()}
    dutch = frozenset(w for w in nl - en - glossary - ENGLISH_WORDS if len(w) > 2)
    english = frozenset(w for w in en - nl - glossary - DUTCH_WORDS if len(w) > 2)
    return dutch, english


def dutch_words(line: str) -> tuple[list[str], list[str]]:
    """(Dutch, English) words of one line (lower-cased): function words and the catalogue's words of each language
    (:func:`lexicons`); without names (a particle run before a capitalised word, or closing a name: "Linden, Sanne
    van der"; capitalised words in a row or joined by "en"), the glossary's Dutch terms and quoted words."""
    line = _QUOTED.sub(" ", line)
    low = line.lower()
    for term in GLOSSARY_TERMS:
        for m in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", low):
            line = line[: m.start()] + " " * len(term) + line[m.end() :]
    matches = list(_WORD.finditer(line))
    words = [m.group(0) for m in matches]
    name = [False] * len(words)
    i = 0
    while i < len(words):
        word = words[i].lower()
        before = words[i - 1] if i else ""
        if word == "en":  # "Werk en Inkomen"
            if before[:1].isupper() and i + 1 < len(words) and words[i + 1][:1].isupper():
                name[i - 1] = name[i] = name[i + 1] = True
            i += 1
            continue
        if word not in _PARTICLES:
            i += 1
            continue
        j = i
        while j < len(words) and words[j].lower() in _PARTICLES:
            j += 1
        after = words[j] if j < len(words) else ""
        gap = line[matches[j - 1].end() : matches[j].start()] if j < len(words) else ""
        closes = j == len(words) or any(c in gap for c in ",;()·|")
        if (after[:1].isupper() and not gap.strip()) or (i and before[:1].isupper() and closes):
            for k in range(i, j):
                name[k] = True
        i = j
    function = DUTCH_WORDS | ENGLISH_WORDS
    for k in range(len(words) - 1):  # capitalised words in a row: "Gemeente Leidschendam-Voorburg", "Team Schulden"
        pair = words[k : k + 2]
        gap = line[matches[k].end() : matches[k + 1].start()]
        if all(w[:1].isupper() and w.lower() not in function for w in pair) and not gap.strip():
            name[k] = name[k + 1] = True
    dutch_lex, english_lex = lexicons()
    kept = [w.lower() for w, n in zip(words, name, strict=True) if not n]
    return [w for w in kept if w in DUTCH_WORDS or w in dutch_lex], [
        w for w in kept if w in ENGLISH_WORDS or w in english_lex
    ]


def reads_as_dutch(line: str) -> bool:
    """Whether a line of the English UI reads as Dutch: two Dutch words or more, and more Dutch words than English
    ones. Fires on "Geen afspraken voor deze week" and "Te betalen per maand", not on "Sanne van der Linden",
    "Stationsstraat 12" or "The beschikking on the bijstand is sent"."""
    dutch, english = dutch_words(line)
    return len(dutch) >= 2 and len(dutch) > len(english)


def reads_as_english(line: str) -> bool:
    """The mirror for the Dutch UI: two English words or more, and more English words than Dutch ones ("Enter a
    valid date", not "Work First-traject gestart")."""
    dutch, english = dutch_words(line)
    return len(english) >= 2 and len(english) > len(dutch)


_BLOCK_TAGS = re.compile(
    r"</?(?:p|div|li|ul|ol|td|th|tr|table|thead|tbody|caption|h[1-6]|label|legend|fieldset|option|select|button|"
    r"textarea|dt|dd|dl|summary|details|figcaption|figure|section|article|aside|header|footer|nav|main|form|br|hr|"
    r"input|blockquote|small)\b[^>]*>",
    re.I,
)


def visible_lines(body: str) -> list[str]:
    """The visible text as lines the way a user reads them: one per block element (a cell, an option, a
    paragraph), however the template wraps its source."""
    body = _SKIP_BLOCKS.sub(" ", body.split("<body", 1)[-1].split(">", 1)[-1])
    body = _TAGS.sub(" ", _BLOCK_TAGS.sub("\n", body.replace("\n", " ")))
    lines = (" ".join(html.unescape(line).split()) for line in body.split("\n"))
    return [line for line in lines if line]


# Numbers and dates written by hand instead of through the localisation (issue #18: "€ 1401.50" in a letter, 0.276
# beside 0,97, ISO dates): a date as 2025-01-01, a decimal point after a leading 0 in Dutch (a decimal comma in
# English), an amount in euro with the other language's decimal mark. Ids that hold a date (a policy version
# "den-haag@2015-01-01", a file name) are words joined to the date and not matched.
_ISO_DATE_IN_TEXT = re.compile(r"(?<![\w@./:-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\w./:-])")
_NUMBER_MARKS = {
    "nl": (re.compile(r"(?<![\w.,])0\.\d+(?![\w.])"), re.compile(r"€\s?\d+\.\d{2}(?![\d.,])")),
    "en": (re.compile(r"(?<![\w.,])0,\d+(?![\w,])"), re.compile(r"€\s?\d+,\d{2}(?![\d.,])")),
}


def number_findings(text: str, lang: str) -> list[tuple[str, str]]:
    """("number", the number or date as written) for hand-formatted numbers and ISO dates in ``text``."""
    found = set(_ISO_DATE_IN_TEXT.findall(text))
    for rx in _NUMBER_MARKS["nl" if lang == "nl" else "en"]:
        found |= set(rx.findall(text))
    return [("number", m) for m in sorted(found)]


# Attributes a user reads (a placeholder, a tooltip, a screen reader's label, an image's text), outside scripts,
# styles, code and bron disclosures and outside elements of the other language
_READ_ATTRIBUTES = re.compile(r"\s(placeholder|title|aria-label|alt)=\"([^\"]+)\"", re.I)


def attribute_findings(body: str, lang: str) -> list[tuple[str, str]]:
    """("attribute", 'name="value"') for a read attribute with a snake_case key, a citation, or text of the other
    language (the same rules as the page's lines)."""
    part = body.split("<body", 1)[-1]
    part = _SKIP_BLOCKS.sub(" ", without_parts(part, "en") if lang == "nl" else without_dutch_parts(part))
    out = set()
    for name, raw in _READ_ATTRIBUTES.findall(part):
        value = " ".join(html.unescape(raw).split())
        other = reads_as_english(value) if lang == "nl" else reads_as_dutch(value)
        if SNAKE.search(value) or CITATIONS.search(value) or other:
            out.add(("attribute", f'{name.lower()}="{value}"'))
    return sorted(out)


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def title_findings(body: str, lang: str, dutch_msgids: frozenset[str]) -> list[tuple[str, str]]:
    """("title", the page's <title> as read) for a missing or empty title, or one with a snake_case key, a citation,
    a hand-written number or date, or text of the other language: the browser tab, the history and a screen reader
    read it before anything on the page (WCAG 2.4.2). A fragment (no <html>, e.g. a live filter's answer) has none
    by design."""
    if "<html" not in body[:500].lower():
        return []
    m = _TITLE.search(body.split("<body", 1)[0])
    title = " ".join(html.unescape(m.group(1)).split()) if m else ""
    if not title:
        return [("title", "(none)")]
    # A name a person typed (a study's title) is Dutch in the English UI too; the page marks it lang="nl" where it
    # shows it, and a title cannot mark a part, so what the page marks Dutch is left out of the language check.
    read = title
    if lang != "nl":
        for part in sorted(marked_parts(body.split("<body", 1)[-1], "nl"), key=len, reverse=True):
            read = read.replace(part, " ")
    read = " ".join(read.split())
    other = reads_as_english(read) if lang == "nl" else (reads_as_dutch(read) or read in dutch_msgids)
    wrong = SNAKE.search(title) or CITATIONS.search(title) or number_findings(title, lang) or other
    return [("title", title)] if wrong else []


def findings(body: str, lang: str, dutch_msgids: frozenset[str]) -> list[tuple[str, str]]:
    """(check, what was found) for one rendered page."""
    text = visible_text(body)
    out = [("snake_case", m) for m in sorted(set(SNAKE.findall(text)))]
    out += [("citation", m.lower()) for m in sorted(set(CITATIONS.findall(text)))]
    # a letter's own text (marked lang="nl") is Dutch in the English UI too, and its numbers are Dutch
    out += number_findings(text if lang == "nl" else visible_text(without_dutch_parts(body)), lang)
    out += attribute_findings(body, lang)
    out += title_findings(body, lang, dutch_msgids)
    if lang == "nl":
        fixed = [s for s in ENGLISH_IN_DUTCH if s in text]
        out += [("english", s) for s in fixed]
        lines = visible_lines(without_parts(body, "en"))
        english = sorted({line for line in lines if reads_as_english(line)})
        out += [("english", line) for line in english if not any(s in line for s in fixed)]
    else:
        english = visible_text(without_dutch_parts(body))
        lines = {" ".join(line.split()) for line in english.splitlines()}
        out += [("untranslated", line) for line in sorted(lines) if line in dutch_msgids]
        dutch = sorted({line for line in visible_lines(without_dutch_parts(body)) if reads_as_dutch(line)})
        out += [("dutch", line) for line in dutch if line not in dutch_msgids]
    return out


# --- the forms -----------------------------------------------------------------------------------------------------
# Forms that are not the page's own: the language switch and the log-out button in every page's header.
CHROME_ACTIONS = ("/i18n/setlang/", "/uitloggen/")
_FIELD_TYPES_SKIPPED = ("hidden", "submit", "button", "reset", "image", "file")


@dataclass
class Form:
    action: str  # as written in the page ("" = the page itself)
    fields: list[dict]  # {"name", "type", "value", "required", "checked"} of every input, select and textarea
    index: int  # the form's place among the page's POST forms

    @property
    def visible_fields(self) -> list[dict]:
        return [f for f in self.fields if f["type"] not in _FIELD_TYPES_SKIPPED]

    @property
    def required(self) -> list[str]:
        return [f["name"] for f in self.visible_fields if f["required"]]

    def empty_submission(self) -> dict[str, str]:
        """What a user submits who fills in nothing: hidden values (CSRF token, expected_version) and the fields'
        defaults, with every required field left empty; checkboxes and radios only when checked and not required."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f["type"] in ("submit", "button", "reset", "image", "file") or not f["name"]:
                continue
            if f["required"]:
                value = ""
                if f["type"] in ("checkbox", "radio"):
                    continue
            elif f["type"] in ("checkbox", "radio"):
                if not f["checked"]:
                    continue
                value = f["value"] or "on"
            else:
                value = f["value"]
            data.setdefault(f["name"], []).append(value)
        return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


class _FormParser:
    """The POST forms of a page, with their fields (stdlib html.parser; a select's value is its selected option)."""

    def __init__(self, body: str):
        from html.parser import HTMLParser

        self.forms: list[Form] = []
        form: list = [None]
        select: list = [None]
        parent = self

        class P(HTMLParser):
            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "form":
                    if (a.get("method") or "get").lower() == "post":
                        form[0] = Form(action=a.get("action") or "", fields=[], index=len(parent.forms))
                        parent.forms.append(form[0])
                    else:
                        form[0] = None
                    return
                f = form[0]
                if f is None:
                    return
                if tag == "button" and a.get("name"):
                    f.fields.append(_field(a, "submit", a.get("value") or ""))
                elif tag == "input":
                    f.fields.append(_field(a, (a.get("type") or "text").lower(), a.get("value") or ""))
                elif tag == "textarea":
                    f.fields.append(_field(a, "textarea", ""))
                elif tag == "select":
                    select[0] = _field(a, "select", None)
                    f.fields.append(select[0])
                elif tag == "option" and select[0] is not None:
                    value = a.get("value") or ""
                    if select[0]["value"] is None or "selected" in a:
                        select[0]["value"] = value

            def handle_endtag(self, tag):
                if tag == "form":
                    form[0] = None
                elif tag == "select" and select[0] is not None:
                    select[0]["value"] = select[0]["value"] or ""
                    select[0] = None

        P(convert_charrefs=True).feed(body)


def _field(a: dict, type_: str, value) -> dict:
    return {
        "name": a.get("name") or "",
        "type": type_,
        "value": value,
        "required": "required" in a,
        "checked": "checked" in a,
    }


def page_forms(body: str) -> list[Form]:
    """The page's own POST forms with at least one field a user fills in (not the header's language switch or
    log-out, not a bare action button)."""
    return [
        f for f in _FormParser(body).forms if not any(f.action.endswith(a) for a in CHROME_ACTIONS) and f.visible_fields
    ]


# What a page shows when a submission is refused: Django's error list, the house style's error class or an alert.
ERROR_SHOWN = re.compile(r'class="[^"]*\b(?:errorlist|error|is-invalid|form-error)\b|role="alert"', re.I)


def dutch_msgids() -> frozenset[str]:
    """The catalogue's Dutch msgids that read as Dutch sentences or labels (two words or more and not the same in
    English), for the 'untranslated in the English UI' check."""
    import polib

    po = polib.pofile(str(Path("src/regie/platform/locale/en/LC_MESSAGES/django.po").resolve()))
    ids = set()
    for e in po:
        mid = " ".join(e.msgid.split())
        if e.msgstr and e.msgstr.strip() != e.msgid.strip() and len(mid.split()) >= 2 and "%" not in mid:
            ids.add(mid)
    return frozenset(ids)


# --- the allow-list ----------------------------------------------------------------------------------------------
def load_allowlist() -> list[dict]:
    """Entries: page (URL name), check, found (list of strings; '*' allows any), reason, optional lang/roles."""
    data = tomllib.loads(ALLOWLIST.read_text(encoding="utf-8"))
    entries = data.get("allow", [])
    for e in entries:
        assert e.get("reason", "").strip(), f"allow-list entry without a reason: {e}"
    return entries


def allowed(entries: list[dict], page: str, check: str, found: str, lang: str, role: str, used=None) -> bool:
    """Whether the allow-list has an entry for this finding; ``used`` (a set) collects (entry index, found)."""
    for i, e in enumerate(entries):
        whole = e["page"] in (page, "*") or (e["page"] in ("case_step", "record_edit") and page.startswith(e["page"]))
        if not whole or e["check"] != check:
            continue
        if e.get("lang") and e["lang"] != lang:
            continue
        if e.get("roles") and role not in e["roles"]:
            continue
        if "*" in e["found"] or found in e["found"]:
            if used is not None:
                used.add((i, "*" if "*" in e["found"] else found))
            return True
    return False


ACCESS = Path(__file__).with_name("sweep_access.toml")


def load_access() -> dict[str, list[str]]:
    """Page -> the roles that open it (200, or a redirect to their own start page); every other role must get a
    403 or 404 (or 405 for a page that only answers a form's POST)."""
    return tomllib.loads(ACCESS.read_text(encoding="utf-8"))["opens"]
