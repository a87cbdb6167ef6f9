"""`regie equity report`: JSON shape, readable table, funnel SVGs and an audit entry."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from regie.audit.models import AuditRecord
from regie.casework.interchange import import_file
from regie.cli import app
from regie.core.synth import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def muni(tmp_path):
    path = tmp_path / "m.jsonl"
    generate("0400", 1000, 8, path)
    import_file(path, "0400")
    return "0400"


def test_report_json_table_and_svg(muni, tmp_path):
    runner = CliRunner()
    out = runner.invoke(
        app,
        [
            "equity",
            "report",
            "--municipality",
            muni,
            "--decision",
            "sanction",
            "--decision",
            "exemption_12m",
            "--json",
            "--svg",
            str(tmp_path / "svg"),
        ],
    )
    assert out.exit_code == 0, out.output
    r = json.loads(out.stdout)
    assert r["municipality"] == muni and set(r["decisions"]) == {"sanction", "exemption_12m"}
    s = r["decisions"]["sanction"]
    assert s["kind"] == "binary" and s["n"] > 100 and s["n_caseworkers"] >= 3
    assert 0 <= s["icc_ci"][0] <= s["icc"] <= s["icc_ci"][1] <= 1
    e = s["caseworker_effects"][0]
    assert set(e) >= {"caseworker", "team", "n", "observed", "expected", "effect", "effect_ci", "funnel", "flag"}
    assert set(e["funnel"]) >= {"lo95", "hi95", "lo998", "hi998"}
    assert r["deviations"]["overall"]["n_decisions"] > 0
    assert (tmp_path / "svg" / "funnel_sanction.svg").read_text().lstrip().startswith("<?xml")
    rec = AuditRecord.objects.filter(object_type="equity", object_id=muni).latest("id")
    assert rec.action == "read" and "sanction" in rec.detail

    table = runner.invoke(app, ["equity", "report", "--municipality", muni, "--decision", "sanction"])
    assert table.exit_code == 0, table.output
    assert "sanction" in table.stdout and "ICC" in table.stdout and "Deviations" in table.stdout


def test_unknown_municipality_and_decision(muni):
    runner = CliRunner()
    assert runner.invoke(app, ["equity", "report", "--municipality", "9999"]).exit_code == 1
    assert runner.invoke(app, ["equity", "report", "--municipality", muni, "--decision", "nope"]).exit_code == 2
