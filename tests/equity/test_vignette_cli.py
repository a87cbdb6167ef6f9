"""`regie equity vignettes list|report`: the same analysis as the web page, from the command line, audited."""

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from regie.audit.models import AuditRecord
from regie.cli import app

from .test_web_vignettes import _answer, _compose

pytestmark = pytest.mark.django_db


def test_list_and_report_as_json_and_files(world, login, tmp_path):
    study = _compose(login(world.users_a["beleidsmedewerker"]), [world.a], n=2)
    for user, level, months in (
        (world.users_a["integrale_klantmanager"], "4", "12"),
        (world.users_a["reintegratieconsulent"], "2", "30"),
    ):
        c = login(user)
        _answer(c, study, level=level, months=months)
        _answer(c, study, level=level, months=months)
    runner = CliRunner()
    listed = runner.invoke(app, ["equity", "vignettes", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    row = next(r for r in json.loads(listed.output) if r["id"] == study.pk)
    assert row["answers"] == 4 and row["vignettes"] == 2 and row["participants"] == [world.a.code]

    res = runner.invoke(app, ["equity", "vignettes", "report", str(study.pk), "--json"])
    assert res.exit_code == 0, res.output
    result = json.loads(res.output)
    assert result["answers"] == 4 and result["respondents"] == 2
    per = {v["vignette"]: v for v in result["per_vignette"]}
    assert all(v["months_mean"] == 21.0 for v in per.values())  # (12 + 30) / 2 on both vignettes
    assert all(v["level_mode_share"] == 0.5 for v in per.values())
    assert "km." not in res.output and "klantmanager" not in res.output  # respondents only as codes

    out = tmp_path / "report.xlsx"
    res = runner.invoke(app, ["equity", "vignettes", "report", str(study.pk), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert len(load_workbook(out).sheetnames) >= 2
    assert AuditRecord.objects.filter(object_type="vignette_study", object_id=str(study.pk), action="export").exists()

    bad = runner.invoke(app, ["equity", "vignettes", "report", "999999"])
    assert bad.exit_code == 1 and "no vignette study" in bad.output
    bad = runner.invoke(app, ["equity", "vignettes", "report", str(study.pk), "--out", str(tmp_path / "x.doc")])
    assert bad.exit_code == 2 and "out:" in bad.output


def test_between_municipalities_from_the_command_line(world, tmp_path):
    from regie.casework.interchange import import_file
    from regie.core.synth import generate

    for code, seed in (("0363", 3), ("0344", 5)):  # seeds whose synthetic usernames do not collide
        path = tmp_path / f"{code}.jsonl"
        generate(code, 300, seed, path)
        import_file(path, code)
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "equity",
            "between",
            "--municipality",
            "0363",
            "--municipality",
            "0344",
            "--decision",
            "exemption_12m",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["n_municipalities"] == 2 and {m["municipality"] for m in out["municipalities"]} == {"0363", "0344"}
    assert 0 <= out["icc_municipality"] <= 1 and 0 <= out["icc_caseworker"] <= 1
    assert AuditRecord.objects.filter(object_type="equity_between").count() == 2
    one = runner.invoke(app, ["equity", "between", "--municipality", "0363"])
    assert one.exit_code == 2 and "at least two" in one.output
