import json

import polars as pl
import pytest
from typer.testing import CliRunner

from regie.core.lab.ensemble import run_ensemble, run_seeds
from regie.core.lab.params import LabParams
from regie.core.lab.scenario import load

SMALL = {"clients": 1200, "caseworkers": 10, "months": 30}


def test_ensemble_is_identical_with_one_or_two_workers():
    p = LabParams().with_overrides(SMALL)
    one = run_ensemble(p, 3, seed=11, workers=1)
    two = run_ensemble(p, 3, seed=11, workers=2)
    assert one == two
    assert [r["seed"] for r in one] == run_seeds(11, 3)
    assert len({r["summary"]["stock_end"] for r in one}) > 1  # runs differ from each other


def test_ensemble_on_a_dask_scheduler_gives_the_same_results():
    distributed = pytest.importorskip("distributed")
    p = LabParams().with_overrides(SMALL)
    local = run_ensemble(p, 2, seed=5, workers=1, kpis=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
        remote = run_ensemble(p, 2, seed=5, scheduler=cl.scheduler_address, kpis=False)
    assert local == remote


def test_scenario_arms_merge_over_the_base(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(
        "name: s\ntitle: {nl: s, en: s}\npolicy: weert\npolicy_on: 2008-01-01\npopulation: {clients: 900, months: 24}\n"
        "overrides: {creaming: 0.3}\narms:\n  a: {}\n  b: {policy: leidschendam-voorburg, overrides: {creaming: 2}}\n"
    )
    arms = load(f).arm_params()
    assert arms["a"].policy == "weert" and arms["a"].creaming == 0.3 and arms["a"].clients == 900
    assert arms["b"].policy == "leidschendam-voorburg" and arms["b"].creaming == 2
    f.write_text("name: s\ntitle: {nl: s, en: s}\npopulation: {clientz: 9}\n")
    with pytest.raises(ValueError):
        load(f).arm_params()


def test_cli_run_writes_parquet_report_and_json(tmp_path):
    from regie.cli import app

    f = tmp_path / "s.yaml"
    f.write_text(
        "name: tiny\ntitle: {nl: Klein, en: Tiny}\nquestion: {nl: 'v?', en: 'q?'}\n"
        "population: {clients: 900, caseworkers: 8, months: 30}\nruns: 2\n"
        "arms:\n  base: {}\n  strict: {overrides: {freedom_override: 0.0}}\n"
    )
    res = CliRunner().invoke(app, ["lab", "run", str(f), "--runs", "2", "--out", str(tmp_path / "o"), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout[res.stdout.index("{") :])
    assert set(summary["aggregate"]) == {"base", "strict"}
    # no freedom: no deviations from the recommendation at all
    assert summary["aggregate"]["strict"]["classification_deviation_rate"]["mean"] == 0
    assert summary["aggregate"]["base"]["classification_deviation_rate"]["mean"] > 0
    runs = pl.read_parquet(tmp_path / "o" / "runs.parquet")
    assert runs.height == 4 and "cohort.langdurigheid" in runs.columns
    # equal treatment between caseworkers through regie.core.equity.caseworker_icc (docs/equity.md)
    assert "equal_treatment.icc" in runs.columns and runs["equal_treatment.icc"].is_between(0, 1).all()
    html = (tmp_path / "o" / "report.html").read_text()
    assert "<svg" in html and "90%-band" in html


def test_cli_lists_shipped_scenarios_and_refuses_an_unknown_one():
    from regie.cli import app

    listed = CliRunner().invoke(app, ["lab", "list"])
    assert listed.exit_code == 0 and "h1-sturing" in listed.stdout and "sittard-geleen-2006" in listed.stdout
    unknown = CliRunner().invoke(app, ["lab", "run", "geen-scenario"])
    assert unknown.exit_code == 1 and "scenario" in unknown.output and "h1-sturing" in unknown.output
