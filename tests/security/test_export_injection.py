"""Formula injection in every CSV and Excel export: a name, an id, a title or a free text that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return (OWASP "CSV Injection") is planted, the export is downloaded and
parsed (csv module, openpyxl), and no cell may start with a formula character unless it carries the ``'`` prefix;
openpyxl must see no formula. Every export goes through regie.platform.exports: a new writer elsewhere fails
``test_no_writer_outside_the_shared_module`` and a new download module not listed in EXPORTS fails
``test_every_export_module_is_covered``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from typer.testing import CliRunner

from regie.audit.models import AuditRecord
from regie.audit.services import log
from regie.casework.models import Case
from regie.casework.services import append_event
from regie.platform import exports

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "regie"
PAYLOADS = ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]
FORMULA = tuple("=+-@\t\r")


# --- parsing and the check ---------------------------------------------------------------------------------------


def _csv_cells(data: bytes, delimiter: str = ",") -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter) for c in row]


def _xlsx_cells(data: bytes) -> list:
    wb = load_workbook(io.BytesIO(data))
    cells = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                # XML keeps no carriage return: a planted "\r" reads back as "\n"
                cells.append(cell.value.replace("\n", "\r") if isinstance(cell.value, str) else cell.value)
    return cells


def _assert_safe(cells: list, planted: list[str], where: str) -> None:
    live = [c for c in cells if isinstance(c, str) and c.startswith(FORMULA)]
    assert live == [], f"{where}: cells a spreadsheet would evaluate: {live!r}"
    texts = {c for c in cells if isinstance(c, str)}
    missing = [p for p in planted if not any(t.startswith("'" + p) or ("'" + p) in t for t in texts)]
    assert missing == [], f"{where}: planted values not in the export (the test planted nothing?): {missing!r}"


def _check(kind: str, data: bytes, planted: list[str], where: str, delimiter: str = ",") -> None:
    cells = _csv_cells(data, delimiter) if kind == "csv" else _xlsx_cells(data)
    _assert_safe(cells, planted, where)


# --- planting and downloading, one function per export -------------------------------------------------------------


def _audit_records(world, client):
    """The finding: a request for case ``=1+1`` puts that id into the audit log; the other fields too."""
    km = world.users_a["integrale_klantmanager"]
    client.force_login(km)
    for p in PAYLOADS:
        client.get("/api/v1/cases/" + quote(p, safe="") + "/events/")
    for p in PAYLOADS:
        log(
            actor=p,
            action="read",
            object_type="client",
            object_id=p,
            origin="127.0.0.1",
            municipality_id=world.a.pk,
            detail=p,
        )


def export_audit_web(world, client, tmp_path):
    _audit_records(world, client)
    client.force_login(world.users_a["auditor"])
    r = client.get(reverse("audit_export"))
    assert r.status_code == 200
    return [("csv", r.content, ",")]


def export_audit_cli(world, client, tmp_path):
    from regie.cli import app

    _audit_records(world, client)
    out = tmp_path / "audit.csv"
    res = CliRunner().invoke(app, ["audit", "export", "--out", str(out)])
    assert res.exit_code == 0, res.output
    return [("csv", out.read_bytes(), ",")]


def _trajectories(world):
    """Free-text module names of trajectories (and so the monitoring tables and the SRG records)."""
    km = world.users_a["integrale_klantmanager"]
    cases = list(Case.objects.filter(municipality=world.a).order_by("pk"))
    for i, p in enumerate(PAYLOADS):
        case = cases[i % len(cases)]
        append_event(
            case,
            type="traject_start",
            effective_date=dt.date(2025, 3, 1),
            payload={"trajectory_id": f"TR{i}", "kind": "bemiddeling", "provider": "P1", "module": p},
            actor=km,
        )
        append_event(
            case,
            type="traject_einde",
            effective_date=dt.date(2025, 5, 1),
            payload={"trajectory_id": f"TR{i}", "result": "werk", "cost": 1000.0},
            actor=km,
        )


YEAR = {"from": "2025-01-01", "to": "2026-01-01"}


def export_monitoring_tables(world, client, tmp_path):
    _trajectories(world)
    client.force_login(world.users_a["teammanager"])
    out = []
    for fmt in ("csv", "xlsx"):
        r = client.get(reverse("monitoring:trajectories"), {**YEAR, "table": "trajectories", "export": fmt})
        assert r.status_code == 200, r.status_code
        out.append((fmt, r.content, ","))
    return out


def export_statistics_web(world, client, tmp_path):
    _trajectories(world)
    client.force_login(world.users_a["functioneel_beheerder"])
    r = client.get(reverse("monitoring:statistics"), {"month": "2025-03", "records": "srg", "format": "csv"})
    assert r.status_code == 200
    return [("csv", r.content, ";")]


def export_statistics_cli(world, client, tmp_path):
    from regie.cli import app

    _trajectories(world)
    out = tmp_path / "srg.csv"
    res = CliRunner().invoke(
        app, ["stats", "srg", "--municipality", world.a.code, "--month", "2025-03", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    return [("csv", out.read_bytes(), ";")]


def _vignette_study(world, client):
    """The study's title is the one free text in the analysis (its summary sheet); the tables hold codes,
    choices and numbers."""
    from tests.equity.test_web_vignettes import _answer, _compose

    client.force_login(world.users_a["beleidsmedewerker"])
    study = _compose(client, [world.a])
    study.title = PAYLOADS[0]
    study.save(update_fields=["title"])
    client.force_login(world.users_a["integrale_klantmanager"])
    for _ in range(2):
        _answer(client, study, motivation=PAYLOADS[1])
    return study


def export_vignettes_web(world, client, tmp_path):
    study = _vignette_study(world, client)
    client.force_login(world.users_a["beleidsmedewerker"])
    url = reverse("equity:analysis", args=[study.pk])
    out = [("xlsx", client.get(url, {"export": "xlsx"}).content, ",", PAYLOADS[:1])]
    out.append(("csv", client.get(url, {"export": "csv", "table": "per_vignette"}).content, ",", []))
    return out


def export_vignettes_cli(world, client, tmp_path):
    from regie.cli import app

    study = _vignette_study(world, client)
    out = []
    for suffix in ("xlsx", "csv"):
        path = tmp_path / f"v.{suffix}"
        res = CliRunner().invoke(app, ["equity", "vignettes", "report", str(study.pk), "--out", str(path)])
        assert res.exit_code == 0, res.output
        out.append((suffix, path.read_bytes(), ",", PAYLOADS[:1] if suffix == "xlsx" else []))
    return out


def export_equity_report(world, client, tmp_path):
    """A finished report run whose team names and case ids are the payloads (as an imported file could set)."""
    from regie.equity import services
    from regie.equity.models import ReportRun

    teams = [{"team": p, "n_decisions": 10, "n_deviations": 1, "rate": 0.1} for p in PAYLOADS]
    pairs = {
        "sanction": [
            {
                "stratum": {"x": "y"},
                "a": {"case": p, "caseworker": "U1", "date": "2025-01-01", "value": "ja"},
                "b": {"case": "K1", "caseworker": "U2", "date": "2025-01-02", "value": "nee"},
            }
            for p in PAYLOADS
        ]
    }
    ReportRun.objects.create(
        municipality=world.a,
        as_of=dt.date.today(),
        watermark=services.watermark(world.a),
        state="done",
        result={"decisions": {}, "deviations": {"teams": teams}, "pairs": pairs},
    )
    client.force_login(world.users_a["beleidsmedewerker"])
    out = []
    for table, fmt in (("deviation_teams", "csv"), ("deviation_teams", "xlsx"), ("pairs", "csv")):
        r = client.get(reverse("equity:report"), {"table": table, "export": fmt})
        assert r.status_code == 200, (table, fmt, r.status_code)
        out.append((fmt, r.content, ","))
    return out


def export_lab_run(world, client, tmp_path):
    """A finished lab run whose arm names carry the payloads."""
    from regie.lab.models import LabRun

    officer = world.users_a["beleidsmedewerker"]
    runs = [{"arm": p, "run": i, "uitstroom": 0.5} for i, p in enumerate(PAYLOADS)]
    run = LabRun.objects.create(
        municipality=world.a,
        created_by=officer,
        scenario="policy:x",
        status="done",
        result={"measures": [], "runs": runs},
    )
    client.force_login(officer)
    out = []
    for fmt in ("csv", "xlsx"):
        r = client.get(reverse("lab:export", args=[run.pk, fmt]), {"table": "runs"} if fmt == "csv" else {})
        assert r.status_code == 200, (fmt, r.status_code)
        out.append((fmt, r.content, ","))
    return out


#: Every export, with the modules that serve it (the download view or command).
EXPORTS = {
    "audit-web": (export_audit_web, ["audit/views.py", "audit/selectors.py"]),
    "audit-cli": (export_audit_cli, ["audit/cli.py"]),
    "monitoring-tables": (export_monitoring_tables, ["monitoring/views.py"]),
    "statistics-web": (export_statistics_web, ["monitoring/views.py"]),
    "statistics-cli": (export_statistics_cli, ["monitoring/cli.py"]),
    "vignettes-web": (export_vignettes_web, ["equity/views.py"]),
    "vignettes-cli": (export_vignettes_cli, ["equity/vignette_cli.py"]),
    "equity-report": (export_equity_report, ["equity/report_views.py"]),
    "lab-run": (export_lab_run, ["lab/views.py"]),
}


@pytest.mark.parametrize("name", list(EXPORTS))
def test_export_neutralises_formulas(name, world, client, tmp_path):
    before = AuditRecord.objects.filter(action="export").count()
    files = EXPORTS[name][0](world, client, tmp_path)
    assert files
    for kind, data, delimiter, *planted in files:
        _check(kind, data, planted[0] if planted else PAYLOADS, f"{name} {kind}", delimiter)
    assert AuditRecord.objects.filter(action="export").count() >= before + len(files), f"{name}: export not audited"


# --- the one writer ----------------------------------------------------------------------------------------------

WRITER = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(|openpyxl\.Workbook\b")
DOWNLOAD = re.compile(
    r"text/csv|spreadsheetml|\.xlsx\b|table_response|csv_response|xlsx_response|"
    r"xlsx_bytes|csv_bytes|csv_string|csv_text|exports\.write_csv|write_xlsx"
)


def _sources():
    return [(p.relative_to(SRC).as_posix(), p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.py"))]


def test_no_writer_outside_the_shared_module():
    offenders = [rel for rel, text in _sources() if rel != "platform/exports.py" and WRITER.search(text)]
    assert offenders == [], f"CSV/Excel written outside regie.platform.exports: {offenders}"


def test_every_export_module_is_covered():
    covered = {m for _, modules in EXPORTS.values() for m in modules}
    found = {rel for rel, text in _sources() if rel != "platform/exports.py" and DOWNLOAD.search(text)}
    assert found - covered == set(), f"exports without an injection test (add them to EXPORTS): {found - covered}"


@pytest.mark.parametrize("value", PAYLOADS + ["-", "=", "@", "\n=1"])
def test_the_writer_prefixes_every_formula_string_and_keeps_numbers(value):
    rows = [{"text": value, "int": -1, "float": -1.5, "none": None, "ok": "Jansen"}]
    cells = _csv_cells(exports.csv_bytes(rows))
    assert cells[5] == "'" + value and cells[6:] == ["-1", "-1.5", "", "Jansen"]
    wb = load_workbook(io.BytesIO(exports.xlsx_bytes({"t": rows})))
    values = [c.value for c in wb.active[2]]
    assert values[0].replace("\n", "\r") == ("'" + value).replace("\n", "\r")
    assert values[1:4] == [-1, -1.5, None] and wb.active["A2"].data_type == "s"
