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


# ---------------------------------------------------------------------------------------------------------------
# The optimiser: Newton steps with the quadrature's Hessian, L-BFGS when they fail
# ---------------------------------------------------------------------------------------------------------------


def _poisson(seed, *, groups=40, per=60, sd=0.5):
    """Piecewise-exponential-like rows: Poisson counts with a log-exposure offset and a caseworker intercept."""
    rng = np.random.default_rng(seed)
    n = groups * per
    g = np.repeat(np.arange(groups), per)
    X = np.column_stack([np.ones(n), rng.random(n) < 0.5, rng.normal(size=n)])
    off = np.log(rng.uniform(0.5, 2.0, n))
    y = rng.poisson(np.exp(-1.0 + 0.4 * X[:, 1] - 0.3 * X[:, 2] + rng.normal(0, sd, groups)[g] + off)).astype(float)
    return X, y, g, groups, off


@pytest.mark.parametrize("family", ["binomial", "poisson"])
def test_the_hessian_is_the_derivative_of_the_gradient(family):
    """evaluate_hessian against central differences of the quadrature's gradient, in beta and log sd."""
    if family == "binomial":
        X, y, g, G = simulate(3)
        off, theta = None, np.array([-0.7, 0.5, -0.3, 0.4, math.log(0.6)])
    else:
        X, y, g, G, off = _poisson(3)
        theta = np.array([-0.9, 0.3, -0.2, math.log(0.4)])
    model = _AGHQ(X, y, g, G, family, off)
    f, grad, hess, _, _ = model.evaluate_hessian(theta[:-1], theta[-1])
    assert f == pytest.approx(model.evaluate(theta[:-1], theta[-1])[0], abs=1e-9)
    numeric = np.empty_like(hess)
    h = 1e-5

    def grad_at(t):
        return model.evaluate(t[:-1], float(t[-1]))[1]

    for i in range(len(theta)):
        e = np.zeros(len(theta))
        e[i] = h
        numeric[:, i] = (grad_at(theta + e) - grad_at(theta - e)) / (2 * h)
    assert np.allclose(hess, hess.T)
    assert np.max(np.abs(hess - numeric)) < 1e-5 * np.max(np.abs(hess))


@pytest.mark.parametrize("family", ["binomial", "poisson"])
def test_newton_reaches_the_lbfgs_optimum_in_few_evaluations(family):
    """Known caseworker sd (0.7 logistic, 0.5 Poisson): the Newton fit and the L-BFGS fit are the same optimum (the
    Newton one at least as likely), the sd is recovered, and Newton needs a fraction of the evaluations."""
    if family == "binomial":
        X, y, g, G = simulate(4)
        off, true_sd = None, 0.7
    else:
        X, y, g, G, off = _poisson(4)
        true_sd = 0.5
    newton = fit_glmm(X, y, g, G, family=family, offset=off, ci="wald")
    lbfgs = fit_glmm(X, y, g, G, family=family, offset=off, ci="wald", optimiser="lbfgs")
    assert newton.extra["optimiser"] == "Newton" and newton.extra["converged"]
    assert lbfgs.extra["optimiser"] == "L-BFGS"
    assert newton.loglik >= lbfgs.loglik - 1e-7
    assert newton.loglik == pytest.approx(lbfgs.loglik, abs=1e-4)
    assert math.sqrt(newton.var_u) == pytest.approx(math.sqrt(lbfgs.var_u), rel=1e-3)
    assert np.allclose(newton.beta, lbfgs.beta, atol=1e-3)
    assert np.allclose(newton.blup, lbfgs.blup, atol=1e-3)
    assert np.allclose(newton.icc_ci, lbfgs.icc_ci, atol=1e-4)
    assert abs(math.sqrt(newton.var_u) - true_sd) < 0.2
    assert newton.extra["evaluations"] <= 10 < lbfgs.extra["evaluations"]


def test_newton_goes_to_the_lower_bound_at_zero_variance():
    """No caseworker variance: the Newton iteration ends at the smallest sd (the same likelihood as L-BFGS's point
    there) in a few evaluations instead of walking log(sd) down by 1/2 a step."""
    from regie.core.equity.models import MIN_LOG_SD, _glmm_optimise, glm_irls

    X, y, g, G = simulate(5, sd=0.0)
    beta0 = glm_irls(X, y, "binomial")
    newton = _glmm_optimise(_AGHQ(X, y, g, G, "binomial"), beta0, math.log(0.3))
    lbfgs = _glmm_optimise(_AGHQ(X, y, g, G, "binomial"), beta0, math.log(0.3), method="lbfgs")
    assert newton.success and newton.method == "Newton"
    assert newton.x[-1] == MIN_LOG_SD
    assert -newton.fun >= -lbfgs.fun - 1e-7
    assert newton.nfev <= 8


def test_newton_profile_refit_at_a_fixed_sd_equals_lbfgs():
    from regie.core.equity.models import _glmm_optimise, glm_irls

    X, y, g, G = simulate(3)
    beta0 = glm_irls(X, y, "binomial")
    for lsd in (math.log(0.3), math.log(1.2)):
        newton = _glmm_optimise(_AGHQ(X, y, g, G, "binomial"), beta0, lsd, fix_log_sd=lsd)
        lbfgs = _glmm_optimise(_AGHQ(X, y, g, G, "binomial"), beta0, lsd, fix_log_sd=lsd, method="lbfgs")
        assert len(newton.x) == X.shape[1] and newton.method == "Newton"
        assert -newton.fun >= -lbfgs.fun - 1e-7 and newton.fun == pytest.approx(lbfgs.fun, abs=1e-5)
        assert np.allclose(newton.x, lbfgs.x, atol=1e-3)


class _WrongHessian(_AGHQ):
    """A quadrature whose Hessian is broken on purpose: "positive" (the sign flipped: no ascent step) or "descent"
    (a negative definite matrix that points the step downhill: no halving of it improves the likelihood)."""

    def __init__(self, *args, broken: str):
        super().__init__(*args)
        self.broken = broken

    def evaluate_hessian(self, beta, log_sd):
        f, grad, hess, m, s = super().evaluate_hessian(beta, log_sd)
        if self.broken == "positive":
            return f, grad, -hess, m, s
        return f, -grad, hess, m, s  # the step -H^-1 (-g) climbs down


@pytest.mark.parametrize(
    ("broken", "reason"),
    [("positive", "Hessian not negative definite"), ("descent", "no step along the Newton direction improved")],
)
def test_a_failing_newton_step_falls_back_to_lbfgs(broken, reason):
    """When the Newton step cannot be taken or does not improve the likelihood, L-BFGS continues from the best
    point and reaches the optimum of the working Newton iteration."""
    from regie.core.equity.models import _glmm_optimise, glm_irls

    X, y, g, G = simulate(4)
    beta0 = glm_irls(X, y, "binomial")
    good = _glmm_optimise(_AGHQ(X, y, g, G, "binomial"), beta0, math.log(0.3))
    res = _glmm_optimise(_WrongHessian(X, y, g, G, "binomial", broken=broken), beta0, math.log(0.3))
    assert res.method == "Newton, then L-BFGS" and res.newton_failed.startswith(reason)
    assert res.success
    assert res.fun == pytest.approx(good.fun, abs=1e-4)
    assert np.allclose(res.x, good.x, atol=2e-3)
    if broken == "descent":  # the Newton iteration tried all halvings before handing over
        from regie.core.equity.models import NEWTON_HALVINGS

        assert res.nfev > NEWTON_HALVINGS + 1


@pytest.mark.parametrize("seed", [0, 1, 5])
def test_with_zero_variance_inside_the_interval_the_wald_interval_is_the_profile_one(seed):
    """A small caseworker variance that the likelihood-ratio test does not tell from zero (estimate above zero, lower
    limit 0): the curvature in log(sd) says little there (the 50,000-client demo's outflow model: Wald upper ICC
    limit 0.032 against the profile's 0.0049), so the default interval is the profile-likelihood one."""
    X, y, g, G = simulate(seed, groups=40, per=60, sd=0.12)
    wald = fit_glmm(X, y, g, G, ci="wald")
    profile = fit_glmm(X, y, g, G, ci="profile")
    assert wald.var_u > 0 and wald.icc_ci[0] == 0.0
    assert "zero variance inside the interval" in wald.method
    assert wald.icc_ci == pytest.approx(profile.icc_ci, abs=1e-9)


def test_a_variance_told_from_zero_keeps_its_wald_interval():
    X, y, g, G = simulate(8, groups=40, per=60, sd=0.12)
    wald = fit_glmm(X, y, g, G, ci="wald")
    assert wald.icc_ci[0] > 0 and wald.method.endswith("Wald CI on log(sd)")
