"""The page sweep's shared parts: a seeded demo municipality with one object of every kind, the catalogue of every
page in the URL conf with the arguments to visit it, and the text checks (issue "every page as every role").

Used by tests/platform/test_page_sweep.py (Django test client, every role, Dutch and English) and by
tests/browser/test_page_sweep_browser.py (chromium at 1280 and 360 px, axe-core).
"""

from __future__ import annotations

import datetime as dt
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
    body = body.split("<body", 1)[-1]
    return html.unescape(_TAGS.sub(" ", _SKIP_BLOCKS.sub(" ", body)))


_DUTCH_PART = re.compile(r"<(\w+)\b[^>]*\blang=\"nl\"[^>]*>", re.I)


def without_dutch_parts(body: str) -> str:
    """``body`` without the elements marked ``lang="nl"``: text that is Dutch by nature in the English UI (a letter's
    own subject and text; letters go to clients in Dutch), marked so for screen readers too (WCAG 3.1.2). Only the
    "untranslated" check skips them; every other check still reads them."""
    out, pos = [], 0
    for m in _DUTCH_PART.finditer(body):
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
        pos = end
    out.append(body[pos:])
    return "".join(out)


def findings(body: str, lang: str, dutch_msgids: frozenset[str]) -> list[tuple[str, str]]:
    """(check, what was found) for one rendered page."""
    text = visible_text(body)
    out = [("snake_case", m) for m in sorted(set(SNAKE.findall(text)))]
    out += [("citation", m.lower()) for m in sorted(set(CITATIONS.findall(text)))]
    if lang == "nl":
        out += [("english", s) for s in ENGLISH_IN_DUTCH if s in text]
    else:
        english = visible_text(without_dutch_parts(body))
        lines = {" ".join(line.split()) for line in english.splitlines()}
        out += [("untranslated", line) for line in sorted(lines) if line in dutch_msgids]
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
