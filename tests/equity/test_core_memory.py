"""The report's memory savings (docs/performance.md, "Under 500 MB") change no number:

- the uint8 design equals the float64 design (same columns kept, same entries), and its cells are the same;
- the quadrature evaluated block by block of caseworkers equals one pass over all rows (value, gradient, modes),
  also with caseworkers that have no rows and with a block smaller than one caseworker;
- the IRLS Gram matrix summed over row blocks equals the one-shot product;
- the event tables' categorical covariates read as the same text.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from regie.core.equity import COVARIATES, decision_table
from regie.core.equity.models import _AGHQ, _weighted_gram, design_cells
from regie.core.frames import from_jsonl
from regie.core.synth import generate


@pytest.fixture(scope="module")
def frames():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.jsonl"
        generate("0000", 1500, 5, path)
        return from_jsonl(path, normalise=False)


@pytest.mark.parametrize("decision", ["deviation", "sanction", "trajectory_12m", "time_to_trajectory"])
def test_the_byte_design_is_the_float_design(frames, decision):
    t = decision_table(frames, decision)
    X, names, y, g, labels, off = t.design()
    X8, names8, y8, g8, labels8, off8 = t.design(dtype=np.uint8)
    assert X8.dtype == np.uint8 and X.dtype == np.float64
    assert names8 == names and X8.shape == X.shape and X.shape[1] > 5
    assert np.array_equal(X8.astype(np.float64), X)
    assert np.array_equal(y8, y) and np.array_equal(g8, g)
    a, b = design_cells(X, g), design_cells(X8, g)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def _unblocked(model: _AGHQ, beta, log_sd):
    """The quadrature in one pass over all rows (the formulas before the blocks)."""
    from regie.core.equity.models import _GH_Z, _LOG_GH

    sd = math.exp(log_sd)
    eta0 = model.X @ beta + model.off
    m, s = model._modes(eta0, sd)
    nodes = m[:, None] + math.sqrt(2.0) * s[:, None] * _GH_Z[None, :]
    eta = model._rows(nodes) + eta0[:, None]
    ll, mu = model._ll_mu(eta, True)
    logf = model._gsum(ll) - nodes**2 / (2 * sd**2) + _LOG_GH[None, :]
    mx = logf.max(axis=1, keepdims=True)
    lse = mx[:, 0] + np.log(np.exp(logf - mx).sum(axis=1))
    total = float((lse + np.log(math.sqrt(2.0) * s) - 0.5 * math.log(2 * math.pi * sd**2)).sum())
    pi = np.exp(logf - lse[:, None])
    r = ((model.y[:, None] - mu) * model._rows(pi)).sum(axis=1)
    g_logsd = float((pi * (nodes**2 / sd**2 - 1.0)).sum())
    return total, np.concatenate([model.X.T @ r, [g_logsd]])


@pytest.mark.parametrize("family", ["binomial", "poisson"])
@pytest.mark.parametrize("block", [7, 300, 10**6])
def test_blockwise_quadrature_equals_one_pass(family, block):
    rng = np.random.default_rng(3)
    n, G, p = 3000, 40, 5
    g = np.sort(rng.integers(0, G, n))
    g[g == 7] = 8  # a caseworker without rows
    X = np.column_stack([np.ones(n), rng.integers(0, 2, (n, p - 1))]).astype(float)
    u = rng.normal(0, 0.5, G)[g]
    eta = X @ np.array([-0.5, 0.3, -0.2, 0.1, 0.4]) + u
    off = None
    if family == "binomial":
        y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    else:
        off = np.log(rng.uniform(0.5, 3.0, n))
        y = rng.poisson(np.exp(eta + off)).astype(float)
    beta, lsd = np.array([-0.4, 0.2, -0.1, 0.0, 0.3]), math.log(0.4)
    one = _AGHQ(X, y, g, G, family, off)
    want_total, want_grad = _unblocked(one, beta, lsd)
    model = _AGHQ(X, y, g, G, family, off)
    model.blocks = model._blocks(block)
    if block == 10**6:
        assert len(model.blocks) == 1
    if block == 7:
        assert len(model.blocks) == G - 1  # every caseworker with rows its own block
    total, grad, m, s = model.evaluate(beta, lsd)
    assert total == pytest.approx(want_total, rel=1e-12)
    assert np.allclose(grad, want_grad, rtol=1e-9, atol=1e-9)
    assert s[7] == pytest.approx(0.4) and m[7] == 0.0


def test_blockwise_weighted_gram_equals_the_product():
    rng = np.random.default_rng(1)
    X = rng.integers(0, 2, (10_000, 6)).astype(float)
    w = rng.uniform(0.01, 0.25, 10_000)
    assert np.allclose(_weighted_gram(X, w, block=999), (X * w[:, None]).T @ X, rtol=1e-12)


def test_event_tables_keep_covariates_as_categoricals_with_the_same_text(frames):
    t = decision_table(frames, "deviation")
    assert t.rows.height > 100
    assert t.rows.schema["sex"] == pl.Categorical and t.rows.schema["decision_type"] == pl.Categorical
    text = t.rows.select(pl.col(c).cast(pl.Utf8) for c in COVARIATES)
    assert text.null_count().sum_horizontal().item() < text.height * len(COVARIATES)
    assert set(text["age_band"].drop_nulls().unique()) <= {"18-26", "27-34", "35-44", "45-54", "55+"}


def _void_cells(X, g=None):
    """design_cells as it was: np.unique over the rows' packed bytes (with the group's 8 bytes) as void keys."""
    key = np.packbits(X.astype(np.uint8), axis=1)
    if g is not None:
        key = np.concatenate([key, np.asarray(g, np.int64)[:, None].view(np.uint8)], axis=1)
    key = np.ascontiguousarray(key)
    _, first, inverse = np.unique(
        key.view(np.dtype((np.void, key.shape[1]))).ravel(), return_index=True, return_inverse=True
    )
    return first, inverse.ravel()


@pytest.mark.parametrize(("p", "groups"), [(5, None), (34, 275), (40, 70_000), (63, None), (70, 30)])
def test_design_cells_as_integers_equal_the_byte_keys(p, groups):
    """Rows whose packed key fits 8 bytes are sorted as one big-endian integer: the same cells in the same order
    (first rows and inverse) as the void keys; longer keys still go the void way."""
    rng = np.random.default_rng(p)
    n = 20_000
    X = (rng.random((n, p)) < rng.uniform(0.02, 0.5, p)).astype(np.uint8)
    X[:, 0] = 1
    g = None if groups is None else rng.integers(0, groups, n)
    got, want = design_cells(X, g), _void_cells(X, g)
    assert len(got[0]) >= 16
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    as_float = design_cells(X.astype(np.float64), g)
    assert np.array_equal(as_float[0], want[0]) and np.array_equal(as_float[1], want[1])
    assert design_cells(X * 2.0) is None
