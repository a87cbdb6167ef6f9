"""The random-intercept models recover a known caseworker variance and agree with reference computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from regie.core.equity.models import _AGHQ, fit_glmm, fit_linear


def simulate(seed, *, groups=60, per=80, sd=0.7, family="binomial"):
    rng = np.random.default_rng(seed)
    n = groups * per
    g = np.repeat(np.arange(groups), per)
    x = rng.normal(size=(n, 2))
    X = np.column_stack([np.ones(n), x, rng.random(n) < 0.3])
    u = rng.normal(0, sd, groups)
    eta = -0.8 + 0.6 * x[:, 0] - 0.4 * x[:, 1] + 0.5 * X[:, 3] + u[g]
    if family == "binomial":
        y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    else:
        y = eta + rng.normal(size=n)
    return X, y, g, groups


def test_aghq_matches_direct_numerical_integration():
    X, y, g, G = simulate(1, groups=4, per=30)
    beta, sd = np.array([-0.7, 0.5, -0.3, 0.4]), 0.9
    model = _AGHQ(X, y, g, G, "binomial")
    approx, _, _, _ = model.evaluate(beta, math.log(sd), want_grad=False)
    exact = 0.0
    eta = X @ beta
    for j in range(G):
        m = g == j

        def f(u, m=m):
            e = eta[m] + u
            return (
                math.exp(float((y[m] * e - np.logaddexp(0, e)).sum()))
                * math.exp(-u * u / (2 * sd * sd))
                / math.sqrt(2 * math.pi * sd * sd)
            )

        exact += math.log(integrate.quad(f, -10, 10, limit=200, epsabs=0)[0])
    assert approx == pytest.approx(exact, abs=1e-6)


def test_linear_reml_matches_statsmodels_mixedlm():
    import statsmodels.api as sm

    X, y, g, G = simulate(2, groups=40, per=25, sd=0.5, family="gaussian")
    fit = fit_linear(X, y, g, G)
    ref = sm.MixedLM(y, X, groups=g).fit(reml=True, method="lbfgs")
    assert fit.var_u == pytest.approx(float(np.asarray(ref.cov_re).ravel()[0]), rel=1e-3)
    assert fit.var_e == pytest.approx(float(ref.scale), rel=1e-4)
    assert np.allclose(fit.beta, ref.fe_params, atol=1e-4)
    blups = np.array([float(np.asarray(ref.random_effects[j]).ravel()[0]) for j in range(G)])
    assert np.allclose(fit.blup, blups, atol=1e-3)
    assert fit.icc_ci[0] < fit.icc < fit.icc_ci[1]


@pytest.mark.parametrize("seed", [3, 4])
def test_logistic_glmm_recovers_injected_caseworker_sd(seed):
    """Injected sd 0.7 on the logit scale (latent ICC 0.130); tolerance: sd within 0.2, true ICC inside the CI."""
    X, y, g, G = simulate(seed)
    fit = fit_glmm(X, y, g, G, family="binomial")
    true_icc = 0.49 / (0.49 + math.pi**2 / 3)
    assert abs(math.sqrt(fit.var_u) - 0.7) < 0.2
    assert fit.icc_ci[0] <= true_icc <= fit.icc_ci[1]
    assert fit.icc_ci[0] > 0.02
    assert np.allclose(fit.beta[1:], [0.6, -0.4, 0.5], atol=0.25)
    # caseworker effects (posterior modes) track the injected ones
    rng = np.random.default_rng(seed)
    rng.normal(size=(G * 80, 2)), rng.random(G * 80)
    u = rng.normal(0, 0.7, G)
    assert np.corrcoef(u, fit.blup)[0, 1] > 0.8


def test_no_caseworker_variance_gives_interval_from_zero():
    X, y, g, G = simulate(5, sd=0.0)
    fit = fit_glmm(X, y, g, G, family="binomial")
    assert fit.icc_ci[0] == 0.0 and fit.icc < 0.02 and fit.icc_ci[1] < 0.05
    wald = fit_glmm(X, y, g, G, family="binomial", ci="wald")
    assert wald.icc_ci[0] == 0.0


@pytest.mark.parametrize("family", ["binomial", "poisson"])
def test_aggregated_cells_fit_equals_row_level_fit(family):
    """Collapsing rows to (group x covariate pattern) cells with counts is exact: same estimates, interval,
    caseworker effects and log-likelihood as the fit on the rows."""
    from regie.core.equity.models import aggregate_cells

    rng = np.random.default_rng(21)
    G, per = 30, 60
    n = G * per
    g = np.repeat(np.arange(G), per)
    a, b = rng.random(n) < 0.4, rng.integers(0, 3, n)
    X = np.column_stack([np.ones(n), a, b == 1, b == 2]).astype(float)
    eta = -0.5 + 0.7 * X[:, 1] - 0.4 * X[:, 2] + 0.3 * X[:, 3] + rng.normal(0, 0.6, G)[g]
    if family == "binomial":
        y, off = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float), None
    else:
        expo = rng.uniform(0.2, 3.0, n)
        off = np.log(expo)
        y = rng.poisson(np.exp(eta - 1.0) * expo).astype(float)
    Xc, yc, gc, offc, trials, inv, const = aggregate_cells(X, y, g, family, off)
    assert len(yc) <= G * 6 < n / 5
    row = fit_glmm(X, y, g, G, family=family, offset=off)
    agg = fit_glmm(Xc, yc, gc, G, family=family, offset=offc, trials=trials)
    assert agg.var_u == pytest.approx(row.var_u, rel=1e-4)
    assert np.allclose(agg.beta, row.beta, atol=1e-4)
    assert np.allclose(agg.icc_ci, row.icc_ci, atol=2e-3)  # profile roots located to xtol 0.01 in log(sd)
    assert np.allclose(agg.blup, row.blup, atol=1e-4) and np.allclose(agg.blup_sd, row.blup_sd, atol=1e-5)
    assert agg.loglik + const == pytest.approx(row.loglik, abs=1e-6)
    # the covariates-only expectation per unit is recovered through the inverse index
    if family == "binomial":
        assert np.allclose(agg.expected[inv], row.expected, atol=1e-6)


def test_row_order_does_not_matter():
    """The quadrature sorts rows by group internally; a shuffled table gives the same fit."""
    X, y, g, G = simulate(8, groups=20, per=40)
    perm = np.random.default_rng(0).permutation(len(y))
    a = fit_glmm(X, y, g, G, family="binomial", ci="wald")
    b = fit_glmm(X[perm], y[perm], g[perm], G, family="binomial", ci="wald")
    assert b.var_u == pytest.approx(a.var_u, rel=1e-4)
    assert np.allclose(a.blup, b.blup, atol=1e-4) and np.allclose(a.icc_ci, b.icc_ci, atol=1e-5)
    assert np.allclose(a.expected[perm], b.expected)  # per row, in the caller's order


def test_sparse_covariate_levels_do_not_separate_the_data():
    """A level in which a yes/no decision is always the same (or with very few rows) gets no coefficient of its own:
    otherwise its coefficient runs off and drags the caseworker variance with it (seen on small lab runs: ICC 0.46
    for three caseworkers with trajectory rates 0.10, 0.15, 0.15)."""
    import polars as pl

    from regie.core.equity.data import MIN_LEVEL_ROWS, design_matrix
    from regie.core.equity.models import fit_glmm

    rng = np.random.default_rng(5)
    n = 240
    cw = rng.integers(0, 3, n)
    y = (rng.random(n) < 0.15).astype(int)
    period = np.where(np.arange(n) < 12, "2016", np.where(np.arange(n) < 17, "2015", "2014"))
    y[:12] = 1  # "2016": always yes -> complete separation of that level
    rows = pl.DataFrame({"caseworker": [f"U{c}" for c in cw], "y": y, "period": period})
    X, names, yy, g, labels, off = design_matrix(rows, ["period"])
    assert "period=2016" not in names  # always yes: pooled with the reference level
    assert "period=2015" not in names and MIN_LEVEL_ROWS > 5  # five rows: too sparse for a coefficient
    fit = fit_glmm(X, yy, g, len(labels), family="binomial", offset=off)
    assert fit.icc < 0.2 and fit.icc_ci[0] == 0.0
