"""Comparable-client pairs (docs/equity.md, "Comparable-client pairs") and the design matrix layout.

``comparable_pairs`` chooses one pair per stratum in a vectorised way; here it must return exactly what a plain
scan over the strata returns (the algorithm it replaced), and every pair must be a genuine one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from regie.core.equity import comparable_pairs
from regie.core.equity.data import COVARIATES, EXTRA, decision_table, design_matrix
from regie.core.equity.report import _side
from regie.core.frames import from_jsonl
from regie.core.synth import generate


@pytest.fixture(scope="module")
def frames():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.jsonl"
        generate("0000", 1500, 3, path)
        return from_jsonl(path, normalise=False)


def scan_pairs(frames, decision, limit):
    """Reference: for each stratum (largest first), the first high row with a low row under another caseworker."""
    kind = decision_table(frames, decision).kind
    rows = decision_table(frames, decision).rows
    covs = [c for c in list(COVARIATES) + EXTRA[decision] if c in rows.columns]
    rows = rows.with_columns(
        pl.col("y").cast(pl.Float64).alias("_y"), *[pl.col(c).cast(pl.Utf8).fill_null("onbekend") for c in covs]
    )
    strata = (
        rows.group_by(covs)
        .agg(pl.len().alias("_n"), pl.col("_y").n_unique().alias("_ny"), pl.col("caseworker").n_unique().alias("_ncw"))
        .filter((pl.col("_ny") > 1) & (pl.col("_ncw") > 1))
    )
    cand = rows.join(strata.select(covs + ["_n"]), on=covs, how="inner").sort(covs + ["_y", "date", "case_id"])
    out = []
    for key, grp in cand.group_by(covs, maintain_order=True):
        hi = grp.filter(pl.col("_y") == grp["_y"].max())
        lo = grp.filter(pl.col("_y") == grp["_y"].min())
        for a in hi.iter_rows(named=True):
            b = lo.filter(pl.col("caseworker") != a["caseworker"])
            if b.height:
                out.append(
                    {
                        "stratum": dict(zip(covs, key, strict=True)),
                        "stratum_size": int(grp.height),
                        "a": _side(a, kind),
                        "b": _side(b.row(0, named=True), kind),
                    }
                )
                break
    out.sort(key=lambda p: -p["stratum_size"])
    return out[:limit]


@pytest.mark.parametrize("decision", ["sanction", "classification_level", "trajectory_12m"])
def test_pairs_equal_a_plain_scan_and_are_genuine(frames, decision):
    got = comparable_pairs(frames, decision, limit=25)
    assert got == scan_pairs(frames, decision, 25)
    assert got, "expected some pairs on 1,500 synthetic clients"
    sizes = [p["stratum_size"] for p in got]
    assert sizes == sorted(sizes, reverse=True)
    for p in got:
        assert p["a"]["caseworker"] != p["b"]["caseworker"]
        assert p["a"]["value"] != p["b"]["value"]


def test_design_matrix_is_row_major(frames):
    """A column-major X made X.T @ WX and X @ b about 10x slower (docs/equity.md, Performance)."""
    t = decision_table(frames, "sanction")
    X, names, y, g, labels, off = design_matrix(t.rows, t.covariates)
    assert X.flags["C_CONTIGUOUS"] and X.shape == (len(y), len(names))
    assert np.all(np.diff(g) >= 0)  # sorted by caseworker: the quadrature then needs no reordering copy
    assert list(labels) == sorted(labels)


@pytest.mark.parametrize("decision", ["sanction", "time_to_trajectory"])
def test_report_fit_on_cells_equals_fit_on_rows(frames, decision, monkeypatch):
    """The report's cell path (``AGGREGATE_BELOW``; exact sufficient statistics) gives the row-level results:
    ICC, interval, caseworker effects, expected values and flags, to the optimiser's tolerance (the sums are
    taken in another order, so L-BFGS stops a hair apart)."""
    from regie.core.equity import report

    monkeypatch.setattr(report, "AGGREGATE_BELOW", 0.0)
    rows = report.analyse_decision(frames, decision, ci="wald")
    monkeypatch.setattr(report, "AGGREGATE_BELOW", 1.0)
    cells = report.analyse_decision(frames, decision, ci="wald")
    assert "cells" in cells["method"] and "cells" not in rows["method"]
    assert cells["icc"] == pytest.approx(rows["icc"], rel=1e-4, abs=1e-6)
    assert cells["icc_ci"] == pytest.approx(rows["icc_ci"], rel=1e-3, abs=1e-6)
    for a, b in zip(cells["caseworker_effects"], rows["caseworker_effects"], strict=True):
        assert a["caseworker"] == b["caseworker"] and a["flag"] == b["flag"]
        assert a["effect"] == pytest.approx(b["effect"], abs=1e-3)
        assert a["expected"] == pytest.approx(b["expected"], abs=1e-5)
