"""Every CSV and Excel download on the page sweep's world, in Dutch and in English: headers, sheet names and cells
are labels from the registry (regie.platform.labels) in the user's language, never an internal key.

The downloads are found the way a user finds them: the export links on the pages that offer them (monitoring,
equal treatment, vignette analysis, policy lab, audit log), each fetched as a role that opens the page. A
snake_case word (the sweep's check, tests/platform/sweep.SNAKE) in a header, a sheet name or a cell fails the test.
Not checked, each with its reason (FORMATS): the CBS delivery files, whose field names the CBS prescribes.
"""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse

from . import test_page_sweep as page_sweep
from .sweep import SNAKE

# the page sweep's module-scoped world and its document storage (fixtures)
sweep_world = page_sweep.sweep_world
sweep_documents = page_sweep.sweep_documents
_documents_storage = page_sweep._documents_storage

# Downloads whose layout is a published format, not text for people.
FORMATS = {
    "records=bus": "CBS Bijstandsuitkeringenstatistiek: the field names are the CBS record layout",
    "records=srg": "CBS Statistiek re-integratie gemeenten: the field names are the CBS record layout",
}
# Columns that hold a source or method description (shown behind "bron" on the page): a citation belongs there.
SOURCE_COLUMNS = {"Methode", "Method", "Bron", "Source"}
_LINK = re.compile(r'href="([^"]*(?:export=(?:csv|xlsx)|format=csv|/export\.(?:csv|xlsx))[^"]*)"')


def _client(client, user, lang: str):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def _links(page_url: str, body: str) -> list[str]:
    out = []
    for href in _LINK.findall(body):
        href = html.unescape(href)
        if any(f in href for f in FORMATS):
            continue
        out.append(page_url.split("?")[0] + href if href.startswith("?") else href)
    return sorted(set(out))


def _tables(response) -> dict[str, list[list]]:
    """{sheet: rows (header first)} of a CSV or Excel download."""
    kind = response["Content-Type"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("text/csv"):
        text = body.decode("utf-8")
        return {"": list(csv.reader(io.StringIO(text)))}
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(body), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _snake_findings(url: str, tables: dict[str, list[list]]) -> list[str]:
    found = []
    for sheet, rows in tables.items():
        found += [f"{url}: sheet {sheet!r}" for _ in SNAKE.findall(sheet)]
        if not rows:
            continue
        header = [str(h or "") for h in rows[0]]
        found += [f"{url} [{sheet}]: header {h!r}" for h in header if SNAKE.search(h)]
        for row in rows[1:]:
            for h, v in zip(header, row, strict=False):
                if h in SOURCE_COLUMNS or not isinstance(v, str):
                    continue
                found += [f"{url} [{sheet}] {h}: {m!r}" for m in SNAKE.findall(v)]
    return found


@pytest.fixture(scope="module")
def finished(sweep_world, django_db_blocker):
    """The world plus what the report and the lab pages need for their downloads: a computed equal-treatment
    report and a finished (small) policy-lab run, computed here by the functions their jobs run."""
    import datetime as dt

    from regie.equity import services as equity
    from regie.equity.models import ReportRun
    from regie.lab import runner
    from regie.lab.models import LabRun

    with django_db_blocker.unblock():
        muni = sweep_world.muni
        run = ReportRun.objects.create(municipality=muni, as_of=dt.date.today(), watermark=equity.watermark(muni))
        equity.compute_run(run.pk)
        lab = LabRun.objects.create(
            municipality=muni,
            created_by=sweep_world.users["beleidsmedewerker"],
            scenario="policy:national-default",
            params={
                "clients": 120,
                "caseworkers": 2,
                "months": 12,
                "runs": 2,
                "seed": 7,
                "change": {"steering": "rules"},
            },
            total=4,
        )
        runner.execute(lab.pk)
        lab.refresh_from_db()
        assert lab.status == "done", lab.error
    return {"lab_run": lab.pk}


def _pages(world, finished) -> list[tuple[str, str]]:
    """(role, page URL) of every page with downloads."""
    ids = world.ids
    return [
        ("auditor", reverse("audit_log")),
        ("teammanager", reverse("monitoring:dashboard")),
        ("teammanager", reverse("monitoring:trajectories")),
        ("teammanager", reverse("monitoring:budget")),
        ("teammanager", reverse("monitoring:statistics")),
        ("teammanager", reverse("equity:report")),
        ("beleidsmedewerker", reverse("equity:analysis", kwargs={"study_id": ids["study_id"]})),
        ("beleidsmedewerker", reverse("lab:run", kwargs={"run_id": finished["lab_run"]})),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_export_has_labels_not_keys(lang, sweep_world, finished, db, client):
    problems, fetched = [], []
    for role, page in _pages(sweep_world, finished):
        c = _client(client, sweep_world.users[role], lang)
        r = c.get(page)
        assert r.status_code == 200, f"{role} {page}: {r.status_code}"
        links = _links(page, r.content.decode())
        assert links, f"{page}: no downloads found"
        for url in links:
            d = c.get(url)
            assert d.status_code == 200, f"{role} {url}: {d.status_code}"
            problems += _snake_findings(url, _tables(d))
            fetched.append(url)
    assert any("export=xlsx" in u for u in fetched) and any("export=csv" in u for u in fetched), fetched
    assert not problems, "\n".join(problems[:60])


def test_lab_export_names_its_columns(sweep_world, finished, db, client):
    """The lab's effect table: a column per arm and statistic, named for a policy officer."""
    c = _client(client, sweep_world.users["beleidsmedewerker"], "nl")
    d = c.get(reverse("lab:export", kwargs={"run_id": finished["lab_run"], "fmt": "xlsx"}))
    sheets = _tables(d)
    assert set(sheets) == {"Effecten", "Runs"}
    header = sheets["Effecten"][0]
    assert header[:2] == ["Maat", "Groep"] and any(str(h).endswith(": gemiddelde") for h in header)


@pytest.mark.parametrize(("lang", "heading"), [("nl", "Overeenstemming"), ("en", "Agreement")])
def test_vignette_analysis_pdf_in_the_users_words(lang, heading, sweep_world, db, client):
    """The vignette analysis as PDF: headings, columns and counts in the user's language, no keys."""
    from pypdf import PdfReader

    c = _client(client, sweep_world.users["beleidsmedewerker"], lang)
    d = c.get(reverse("equity:analysis", kwargs={"study_id": sweep_world.ids["study_id"]}), {"export": "pdf"})
    assert d.status_code == 200 and d["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(d.content)).pages)
    assert heading in text
    assert not SNAKE.findall(text), SNAKE.findall(text)


def test_an_empty_workbook_names_its_sheet_in_the_readers_language():
    import io

    from django.utils import translation
    from openpyxl import load_workbook

    from regie.platform.exports import write_xlsx

    for lang, title in (("nl", "leeg"), ("en", "empty")):
        buf = io.BytesIO()
        with translation.override(lang):
            write_xlsx({}, buf)
        buf.seek(0)
        assert load_workbook(buf).sheetnames == [title]
