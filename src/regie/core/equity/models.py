"""Random-intercept models for the discretion monitor (one grouping factor: the caseworker).

- :func:`fit_linear`: linear mixed model ``y = Xb + u_g + e`` by exact REML. With a single random intercept the
  REML likelihood profiles to one parameter (lambda = var_u / var_e) and every term is a sum over groups, so a fit
  costs O(groups x p^2) after one pass over the data. Cross-checked against statsmodels ``MixedLM`` in
  tests/equity/test_core_models.py.
- :func:`fit_glmm`: logistic (``family="binomial"``) or log-linear Poisson (``family="poisson"``, with an offset:
  piecewise-exponential survival) random-intercept GLMM by maximum likelihood, the marginal likelihood integrated
  per caseworker with adaptive Gauss-Hermite quadrature (as lme4 ``glmer(nAGQ=k)``), optimised by L-BFGS with the
  quadrature's gradient. Cross-checked against direct numerical integration in the tests.
- Confidence intervals for the caseworker variance by profile likelihood (``ci="profile"``) or by a Wald interval
  on log(sd) (``ci="wald"``, cheaper, used by the policy lab); a lower limit of 0 when the likelihood at zero
  variance lies inside the interval.

The fixed-effects-only models (OLS, logistic/Poisson GLM by IRLS) give the "expected" values for indirect
standardisation and the funnel plot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import linalg, optimize, special

CHI2_95 = 3.841458820694124
LATENT_RESIDUAL = {"binomial": math.pi**2 / 3, "poisson": math.pi**2 / 6}
_GH_Z, _GH_W = np.polynomial.hermite.hermgauss(9)
_LOG_GH = np.log(_GH_W) + _GH_Z**2
MIN_LOG_SD = math.log(1e-3)
BLOCK_ROWS = 16_384  # rows per block of the quadrature (a group is never split; see _AGHQ._blocks)


@dataclass
class Fit:
    kind: str
    beta: np.ndarray
    var_u: float
    var_e: float  # residual variance (linear) or the latent-scale constant (GLMM)
    icc: float
    icc_ci: tuple[float, float] | None
    blup: np.ndarray  # per group, on the linear-predictor scale
    blup_sd: np.ndarray
    expected: np.ndarray  # per unit: fixed-effects-only prediction (response scale)
    loglik: float
    method: str
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------
# Fixed-effects-only models
# ---------------------------------------------------------------------------------------------------------------


def _mu(family: str, eta: np.ndarray) -> np.ndarray:
    if family == "binomial":
        return special.expit(eta)
    return np.exp(np.minimum(eta, 50.0))


def _loglik_terms(family: str, y: np.ndarray, eta: np.ndarray, trials=None) -> np.ndarray:
    """Per-row log-likelihood without constants; binomial rows may be cells of ``trials`` Bernoulli units with
    ``y`` successes (the Bernoulli likelihood summed over the cell: identical, no binomial coefficient)."""
    if family == "binomial":
        sp = -special.log_expit(-eta)  # log(1 + exp(eta)), stable
        return y * eta - (sp if trials is None else trials * sp)
    return y * eta - np.exp(np.minimum(eta, 50.0))


def _weighted_gram(X: np.ndarray, w: np.ndarray, block: int = 32768) -> np.ndarray:
    """``X' diag(w) X`` summed over row blocks: a weighted copy of the whole design (164,000 x 40 floats for the
    time-to-trajectory rows) was the report's memory peak."""
    H = np.zeros((X.shape[1], X.shape[1]))
    for i in range(0, X.shape[0], block):
        xw = X[i : i + block] * np.sqrt(w[i : i + block])[:, None]
        H += xw.T @ xw
    return H


def glm_irls(
    X: np.ndarray,
    y: np.ndarray,
    family: str,
    offset: np.ndarray | None = None,
    iters: int = 50,
    ridge: float = 1e-8,
    trials: np.ndarray | None = None,
) -> np.ndarray:
    """Maximum-likelihood GLM coefficients (canonical link) by iteratively reweighted least squares.

    ``trials``: binomial cell sizes when rows are aggregated cells (``y`` = successes); None = one trial per row.
    Converged when the largest step is below 1e-8 or the log-likelihood changes by less than 1e-10 relative (the
    R ``glm`` deviance rule, tighter): under (quasi-)separation a coefficient drifts off to +/- infinity without
    changing the likelihood, and the step rule alone then ran all ``iters`` iterations.
    """
    off = np.zeros(len(y)) if offset is None else offset
    nt = np.ones(len(y)) if trials is None else trials
    beta = np.zeros(X.shape[1])
    if family == "poisson":
        beta[0] = math.log(max(y.sum(), 0.5) / np.exp(off).sum())
    else:
        m = min(max(y.sum() / nt.sum(), 1e-4), 1 - 1e-4)
        beta[0] = math.log(m / (1 - m))
    ll_old = -math.inf
    for _ in range(iters):
        eta = X @ beta + off
        mu = _mu(family, eta)
        if family == "binomial":
            w, resid = nt * mu * (1 - mu), y - nt * mu
        else:
            w, resid = mu, y - mu
        ll = float(_loglik_terms(family, y, eta, nt).sum())
        if abs(ll - ll_old) < 1e-10 * (abs(ll) + 1.0):
            break
        ll_old = ll
        w = np.maximum(w, 1e-10)
        H = _weighted_gram(X, w) + ridge * np.eye(X.shape[1])
        step = np.linalg.solve(H, X.T @ resid)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta


# ---------------------------------------------------------------------------------------------------------------
# Linear mixed model, exact REML
# ---------------------------------------------------------------------------------------------------------------


class _LinearREML:
    def __init__(self, X: np.ndarray, y: np.ndarray, g: np.ndarray, n_groups: int):
        self.n, self.p = X.shape
        self.nj = np.bincount(g, minlength=n_groups).astype(float)
        self.S = np.zeros((n_groups, self.p))
        np.add.at(self.S, g, X)
        self.t = np.bincount(g, weights=y, minlength=n_groups)
        self.XtX, self.Xty, self.yty = X.T @ X, X.T @ y, float(y @ y)

    def solve(self, lam: float):
        c = lam / (1.0 + self.nj * lam)
        A = self.XtX - (self.S * c[:, None]).T @ self.S
        b = self.Xty - self.S.T @ (c * self.t)
        q = self.yty - float(c @ (self.t**2))
        beta = np.linalg.solve(A, b)
        rss = max(q - float(b @ beta), 1e-300)
        return c, A, beta, rss

    def neg2(self, log_lam: float) -> float:
        lam = math.exp(log_lam)
        _, A, _, rss = self.solve(lam)
        sign, logdet = np.linalg.slogdet(A)
        return (self.n - self.p) * math.log(rss / (self.n - self.p)) + float(np.log1p(self.nj * lam).sum()) + logdet


def fit_linear(X: np.ndarray, y: np.ndarray, g: np.ndarray, n_groups: int, *, ci: str = "profile") -> Fit:
    m = _LinearREML(X, y, g, n_groups)
    lo_b, hi_b = math.log(1e-8), math.log(1e4)
    res = optimize.minimize_scalar(m.neg2, bounds=(lo_b, hi_b), method="bounded", options={"xatol": 1e-6})
    best, f_best = res.x, res.fun
    f0 = m.neg2(lo_b)
    if f0 <= f_best:
        best, f_best = lo_b, f0
    lam = math.exp(best)
    c, A, beta, rss = m.solve(lam)
    var_e = rss / (m.n - m.p)
    var_u = lam * var_e if best > lo_b + 1e-6 else 0.0
    blup = c * (m.t - m.S @ beta)
    blup_sd = np.sqrt(var_e * c)
    icc = var_u / (var_u + var_e)
    # profile (REML likelihood-ratio) interval for lambda, hence for ICC = lambda / (1 + lambda)
    target = f_best + CHI2_95

    def root(a, b):
        return optimize.brentq(lambda z: m.neg2(z) - target, a, b, xtol=1e-4)

    if m.neg2(lo_b) <= target:
        lam_lo = 0.0
    else:
        lam_lo = math.exp(root(lo_b, best))
    hi = best + 1.0
    while m.neg2(hi) <= target and hi < hi_b:
        hi += 2.0
    lam_hi = math.exp(root(best, min(hi, hi_b))) if m.neg2(min(hi, hi_b)) > target else math.inf
    icc_ci = (lam_lo / (1 + lam_lo), 1.0 if math.isinf(lam_hi) else lam_hi / (1 + lam_hi))
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    fitted = X @ ols
    resid_var = float(((y - fitted) ** 2).sum() / max(m.n - m.p, 1))
    ll = -0.5 * (f_best + (m.n - m.p) * (1 + math.log(2 * math.pi)))
    return Fit(
        "continuous",
        beta,
        var_u,
        var_e,
        icc,
        icc_ci,
        blup,
        blup_sd,
        fitted,
        ll,
        "linear mixed model, caseworker random intercept, exact REML; profile-likelihood CI",
        {"ols_resid_var": resid_var},
    )


# ---------------------------------------------------------------------------------------------------------------
# GLMM by adaptive Gauss-Hermite quadrature
# ---------------------------------------------------------------------------------------------------------------


class _AGHQ:
    """Marginal log-likelihood of a random-intercept GLMM and its gradient, per group by adaptive Gauss-Hermite
    quadrature. Rows are kept sorted by group (sorted once here if they are not), so that per-group sums are one
    ``np.add.reduceat`` over a rows x nodes array. Binomial rows may be aggregated cells (``trials``)."""

    def __init__(self, X, y, g, n_groups, family, offset=None, trials=None):
        g = np.asarray(g)
        off = np.zeros(len(y)) if offset is None else np.asarray(offset, float)
        nt = None if trials is None else np.asarray(trials, float)
        if len(g) > 1 and np.any(np.diff(g) < 0):
            order = np.argsort(g, kind="stable")
            X, y, g, off = X[order], np.asarray(y)[order], g[order], off[order]
            nt = None if nt is None else nt[order]
        self.X, self.y, self.g, self.G, self.family = X, np.asarray(y, float), g, n_groups, family
        self.off, self.nt = off, nt
        self.mode = np.zeros(n_groups)
        self.nj = np.bincount(g, minlength=n_groups)
        self.present = np.flatnonzero(self.nj)
        self.starts = (np.cumsum(self.nj) - self.nj)[self.present]
        self.all_present = len(self.present) == n_groups
        self.blocks = self._blocks()

    def _blocks(self, rows_per_block: int = BLOCK_ROWS) -> list[tuple[int, int, int, int]]:
        """Consecutive runs of the present groups of about ``rows_per_block`` rows each, as (first group index
        into ``present``, end index, first row, end row): the quadrature's rows x nodes arrays are built one block
        at a time (a group never splits), so they stay in the CPU cache and the full n x K arrays (five of them:
        70 MB for the deviation table's 181,832 cells) never exist."""
        ends = np.cumsum(self.nj[self.present])
        out, a, row = [], 0, 0
        while a < len(self.present):
            b = int(np.searchsorted(ends, row + rows_per_block, side="right"))
            b = max(b, a + 1)
            end = int(ends[b - 1])
            out.append((a, b, row, end))
            a, row = b, end
        return out

    def _rows(self, a: np.ndarray) -> np.ndarray:
        """A per-group array expanded to the rows (``a[self.g]``): rows are sorted by group, so this is a repeat
        of each group's row by its size, a block copy instead of a gather."""
        return np.repeat(a, self.nj, axis=0)

    def _gsum(self, a: np.ndarray) -> np.ndarray:
        """Per-group sums of a rows (x nodes) array."""
        if len(a) == 0:
            return np.zeros((self.G,) + a.shape[1:])
        s = np.add.reduceat(a, self.starts, axis=0)
        if self.all_present:
            return s
        out = np.zeros((self.G,) + a.shape[1:])
        out[self.present] = s
        return out

    def _mu_w(self, eta):
        """Expected count and IRLS weight per row (binomial cells: trials x p)."""
        mu = _mu(self.family, eta)
        if self.family == "binomial":
            w = mu * (1 - mu)
            return (mu, w) if self.nt is None else (self.nt * mu, self.nt * w)
        return mu, mu

    def _modes(self, eta0, sd):
        """Posterior mode and curvature sd of each group's intercept (vectorised Newton)."""
        u = self.mode.copy()
        prec = 1.0 / sd**2
        ysum = self._gsum(self.y)
        for _ in range(30):
            mu, w = self._mu_w(eta0 + self._rows(u))
            grad = ysum - self._gsum(mu) - u * prec
            hess = self._gsum(w) + prec
            step = np.clip(grad / hess, -2.0, 2.0)
            u += step
            if np.max(np.abs(step)) < 1e-7:
                break
        _, w = self._mu_w(eta0 + self._rows(u))
        hess = self._gsum(w) + prec
        self.mode = u
        return u, 1.0 / np.sqrt(hess)

    def _ll_mu(self, eta: np.ndarray, want_mu: bool, rows: slice = slice(None)):
        """Per-row (x node) log-likelihood terms and, if wanted, the expected counts of the rows ``rows``, from
        one ``exp`` per element (binomial: softplus and expit share exp(-|eta|); Poisson: exp(eta)). Same values
        as :func:`_loglik_terms` and :func:`_mu`; the quadrature's rows x K arrays make these the report's hot
        loop."""
        y = self.y[rows]
        nt = None if self.nt is None else self.nt[rows]
        if eta.ndim == 2:
            y = y[:, None]
            nt = None if nt is None else nt[:, None]
        if self.family == "binomial":
            e = np.exp(-np.abs(eta))
            sp = np.log1p(e)
            sp += np.maximum(eta, 0.0)  # log(1 + exp(eta))
            ll = y * eta
            ll -= sp if nt is None else nt * sp
            if not want_mu:
                return ll, None
            mu = np.where(eta >= 0, 1.0, e)
            e += 1.0
            mu /= e
            if nt is not None:
                mu *= nt
            return ll, mu
        mu = np.exp(np.minimum(eta, 50.0))
        ll = y * eta
        ll -= mu
        return ll, mu

    def evaluate(self, beta, log_sd, want_grad=True):
        """Marginal log-likelihood, its gradient in (beta, log sd), and the groups' modes and curvature sds.

        Block by block of groups (:meth:`_blocks`): per group everything (node log-likelihoods, the log-sum-exp
        over nodes, the nodes' posterior weights, the rows' residual weighted by them) depends on its own rows
        only, so the blocks give the same sums as one pass over all rows."""
        total, grad, _, m, s = self._evaluate(beta, log_sd, want_grad, False)
        return total, grad, m, s

    def evaluate_hessian(self, beta, log_sd):
        """:meth:`evaluate` with the Hessian in (beta, log sd): ``(loglik, gradient, hessian, modes, sds)``.

        The quadrature with its nodes held where they are (the gradient is the same one): per group the
        log-likelihood is ``log sum_k exp(h_k)`` over the nodes, so its Hessian is the posterior mean of the nodes'
        Hessians plus the posterior covariance of their gradients, ``E[d2 h] + Cov[dh]``. In beta:
        ``-X' diag(w_bar) X + sum_g B_g diag(pi_g) B_g'`` with ``w_bar`` the rows' IRLS weights averaged over the
        nodes and ``B_g = X_g' (mu_bar - mu_k)`` the nodes' score deviations (the quadrature's form of the Laplace
        term ``- s_g s_g' / (W_g + 1/sd^2)``); in log sd, ``t_k = u_k^2 / sd^2 - 1`` is the nodes' score and
        ``-2 u_k^2 / sd^2`` their curvature."""
        return self._evaluate(beta, log_sd, True, True)

    def _evaluate(self, beta, log_sd, want_grad, want_hess):
        sd = math.exp(log_sd)
        eta0 = self.X @ beta + self.off
        m, s = self._modes(eta0, sd)
        nodes = m[:, None] + math.sqrt(2.0) * s[:, None] * _GH_Z[None, :]  # G x K
        const = np.log(math.sqrt(2.0) * s) - 0.5 * math.log(2 * math.pi * sd**2)  # per group
        prior = _LOG_GH[None, :] - nodes**2 / (2 * sd**2)  # G x K
        total, g_logsd = 0.0, 0.0
        r = np.empty(len(self.y)) if want_grad else None
        p = self.X.shape[1]
        if want_hess:
            h_bb, h_bt, h_tt = np.zeros((p, p)), np.zeros(p), 0.0
        done = np.zeros(self.G, dtype=bool)
        for a, b, ra, rb in self.blocks:
            grp = self.present[a:b]
            nj = self.nj[grp]
            rows = slice(ra, rb)
            eta = np.repeat(nodes[grp], nj, axis=0)  # the block's rows x K
            eta += eta0[rows, None]
            ll, mu = self._ll_mu(eta, want_grad, rows)
            del eta
            logf = np.add.reduceat(ll, self.starts[a:b] - ra, axis=0)
            del ll
            logf += prior[grp]
            mx = logf.max(axis=1, keepdims=True)
            lse = mx[:, 0] + np.log(np.exp(logf - mx).sum(axis=1))
            total += float((lse + const[grp]).sum())
            done[grp] = True
            if want_grad:
                pi = np.exp(logf - lse[:, None])  # the block's groups x K posterior weights of the nodes
                pi_rows = np.repeat(pi, nj, axis=0)
                t = nodes[grp] ** 2 / sd**2 - 1.0  # the nodes' score in log sd
                if want_hess:
                    h_bb, h_bt, h_tt = self._hessian_block(a, b, rows, mu, pi, pi_rows, t, (h_bb, h_bt, h_tt))
                    h_tt -= float((pi * 2.0 * (t + 1.0)).sum())
                resid = np.subtract(self.y[rows, None], mu, out=mu)
                r[rows] = np.einsum("nk,nk->n", resid, pi_rows)
                g_logsd += float((pi * t).sum())
        if not self.all_present:  # groups without rows: the prior alone
            rest = np.flatnonzero(~done)
            logf = prior[rest]
            mx = logf.max(axis=1, keepdims=True)
            lse = mx[:, 0] + np.log(np.exp(logf - mx).sum(axis=1))
            total += float((lse + const[rest]).sum())
            if want_grad:
                pi = np.exp(logf - lse[:, None])
                t = nodes[rest] ** 2 / sd**2 - 1.0
                g_logsd += float((pi * t).sum())
                if want_hess:
                    tc = t - (pi * t).sum(axis=1, keepdims=True)
                    h_tt += float((pi * tc**2).sum() - (pi * 2.0 * (t + 1.0)).sum())
        if not want_grad:
            return total, None, None, m, s
        grad = np.concatenate([self.X.T @ r, [g_logsd]])
        if not want_hess:
            return total, grad, None, m, s
        hess = np.empty((p + 1, p + 1))
        hess[:p, :p], hess[:p, p], hess[p, :p], hess[p, p] = h_bb, h_bt, h_bt, h_tt
        return total, grad, hess, m, s

    def _hessian_block(self, a, b, rows, mu, pi, pi_rows, t, acc):
        """One block's share of :meth:`evaluate_hessian` (``mu``: the rows x K expected counts, before they
        become residuals)."""
        h_bb, h_bt, h_tt = acc
        Xb = self.X[rows]
        if self.family == "binomial":
            w = mu * mu
            w = np.subtract(mu, w if self.nt is None else w / self.nt[rows, None], out=w)  # n p (1 - p)
        else:
            w = mu
        w_bar = np.einsum("nk,nk->n", w, pi_rows)
        xw = Xb * np.sqrt(w_bar)[:, None]
        h_bb = h_bb - xw.T @ xw
        mu_bar = np.einsum("nk,nk->n", mu, pi_rows)
        dev = np.subtract(mu_bar[:, None], mu)  # the nodes' residuals minus their posterior mean, per row
        tc = t - (pi * t).sum(axis=1, keepdims=True)
        starts = self.starts[a:b] - rows.start
        ends = np.append(starts[1:], rows.stop - rows.start)
        for j, (i0, i1) in enumerate(zip(starts, ends, strict=True)):
            B = Xb[i0:i1].T @ dev[i0:i1]  # p x K: each node's score minus the posterior mean score
            h_bb = h_bb + (B * pi[j]) @ B.T
            h_bt = h_bt + B @ (pi[j] * tc[j])
        h_tt += float((pi * tc**2).sum())
        return h_bb, h_bt, h_tt


@dataclass
class _Optimum:
    """The optimiser's result (the fields of scipy's ``OptimizeResult`` that the fits read)."""

    x: np.ndarray  # beta, then log sd unless it was fixed
    fun: float  # minus the log-likelihood
    success: bool
    nit: int
    nfev: int
    method: str
    newton_failed: str | None = None  # why the Newton iteration handed over to L-BFGS
    at_x: tuple | None = None  # (hessian, modes, mode sds) of the last evaluation, when it was at x


NEWTON_MAX_ITER = 30
NEWTON_HALVINGS = 8
NEWTON_TOL = 1e-12  # converged when the Newton step's predicted gain is below this times (1 + |loglik|)
MAX_LOG_SD = math.log(20.0)
SMALL_SD = 0.01  # below this sd the variance is stepped as sd^2 (see _newton)


def _neg_def_solve(H: np.ndarray, g: np.ndarray) -> np.ndarray | None:
    """The Newton step ``-H^-1 g``, or None when ``H`` is not negative definite (no ascent step from it)."""
    try:
        c = linalg.cho_factor(-H)
    except linalg.LinAlgError:
        return None
    step = linalg.cho_solve(c, g)
    return step if np.all(np.isfinite(step)) else None


def _newton(model: _AGHQ, beta0, log_sd0, fix_log_sd=None, trace: list | None = None) -> _Optimum:
    """Maximise the quadrature's log-likelihood by Newton steps with its Hessian (:meth:`_AGHQ.evaluate_hessian`):
    3-7 evaluations from the GLM's coefficients (L-BFGS: 22-37).

    The variance is stepped in log sd, where the likelihood is closest to quadratic; below ``SMALL_SD`` in sd^2,
    where it is (about linear at zero variance, so the step does not shrink with sd). Towards zero variance a log-sd
    step walks down by about 1/2 an iteration: when the step heads down by more than 1/4 (or the Hessian has no
    ascent step) with the gradient pointing down, the lower bound is tried first (beta stepped alone), and kept if
    it is better. At a bound with the gradient pointing outwards only beta is stepped (a projected Newton step).

    Every accepted step improves the likelihood: a step that does not is halved (up to ``NEWTON_HALVINGS`` times).
    When halving fails, the Hessian is not negative definite, or ``NEWTON_MAX_ITER`` iterations do not converge,
    the result says why (``newton_failed``) and holds the best point found, from which :func:`_glmm_optimise`
    continues with L-BFGS. Converged when the step's predicted gain ``g' H^-1 g / 2`` is below
    ``NEWTON_TOL * (1 + |loglik|)``; the point returned is the last one evaluated (its Hessian and modes come
    with it, ``at_x``).
    """
    p = len(beta0)
    lo_v, hi_v = math.exp(2 * MIN_LOG_SD), math.exp(2 * MAX_LOG_SD)
    beta = np.asarray(beta0, float).copy()
    tau = float(fix_log_sd) if fix_log_sd is not None else min(max(float(log_sd0), MIN_LOG_SD), MAX_LOG_SD)
    f, g, H, m, s = model.evaluate_hessian(beta, tau)
    nfev = 1

    def result(it: int, failed: str | None) -> _Optimum:
        x = beta if fix_log_sd is not None else np.concatenate([beta, [tau]])
        return _Optimum(x, -f, failed is None, it, nfev, "Newton", failed, (H, m, s) if failed is None else None)

    for it in range(NEWTON_MAX_ITER):
        free = fix_log_sd is None and not (
            (tau <= MIN_LOG_SD + 1e-12 and g[p] <= 0) or (tau >= MAX_LOG_SD - 1e-12 and g[p] >= 0)
        )
        v = math.exp(2 * tau)
        if not free:
            space, gs = "beta", g[:p]
            step = _neg_def_solve(H[:p, :p], gs)
        elif math.exp(tau) < SMALL_SD:  # in v = sd^2: d/dv = d/dtau / (2v), d2/dv2 = (d2/dtau2 - 2 d/dtau) / (4v^2)
            space, gs = "var", np.concatenate([g[:p], [g[p] / (2 * v)]])
            Hs = H.copy()
            Hs[:p, p] /= 2 * v
            Hs[p, :p] /= 2 * v
            Hs[p, p] = (H[p, p] - 2 * g[p]) / (4 * v * v)
            step = _neg_def_solve(Hs, gs)
        else:
            space, gs = "log_sd", g
            step = _neg_def_solve(H, g)
            if g[p] < 0 and (step is None or step[p] < -0.25):  # heading for zero variance: try the bound
                step_b = _neg_def_solve(H[:p, :p], g[:p])
                if step_b is not None:
                    trial = model.evaluate_hessian(beta + step_b, MIN_LOG_SD)
                    nfev += 1
                    if trial[0] > f:
                        beta, tau = beta + step_b, MIN_LOG_SD
                        f, g, H, m, s = trial
                        if trace is not None:
                            trace.append((it, f, None, tau, "bound"))
                        continue
        if step is None:
            return result(it, "Hessian not negative definite")
        gain = float(gs @ step)  # twice the predicted gain
        if trace is not None:
            trace.append((it, f, gain, tau, space))
        if gain / 2 < NEWTON_TOL * (1 + abs(f)):
            return result(it, None)
        alpha = 1.0
        for _ in range(NEWTON_HALVINGS + 1):
            b_new, t_new = beta + alpha * step[:p], tau
            if space == "var":
                t_new = 0.5 * math.log(min(max(v + alpha * step[p], lo_v), hi_v))
            elif space == "log_sd":
                t_new = min(max(tau + alpha * step[p], MIN_LOG_SD), MAX_LOG_SD)
            trial = model.evaluate_hessian(b_new, t_new)
            nfev += 1
            if trial[0] > f:
                break
            alpha /= 2
        else:
            return result(it + 1, "no step along the Newton direction improved the likelihood")
        beta, tau = b_new, t_new
        f, g, H, m, s = trial
    return result(NEWTON_MAX_ITER, f"not converged in {NEWTON_MAX_ITER} Newton iterations")


def _lbfgs(model: _AGHQ, beta0, log_sd0, fix_log_sd=None):
    p = len(beta0)

    def f(theta):
        beta = theta[:p]
        lsd = fix_log_sd if fix_log_sd is not None else theta[p]
        val, grad, _, _ = model.evaluate(beta, lsd)
        return -val, (-grad if fix_log_sd is None else -grad[:p])

    x0 = np.concatenate([beta0, [log_sd0]]) if fix_log_sd is None else np.asarray(beta0, float)
    bounds = [(None, None)] * p + ([(MIN_LOG_SD, MAX_LOG_SD)] if fix_log_sd is None else [])
    res = optimize.minimize(
        f, x0, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 500, "ftol": 1e-10, "gtol": 1e-6}
    )
    return _Optimum(np.asarray(res.x), float(res.fun), bool(res.success), int(res.nit), int(res.nfev), "L-BFGS")


def _glmm_optimise(model: _AGHQ, beta0, log_sd0, fix_log_sd=None, method: str = "newton") -> _Optimum:
    """The maximum of the quadrature's log-likelihood in (beta, log sd), or in beta at ``fix_log_sd``: Newton
    steps (:func:`_newton`, 3-8 evaluations) and, when they fail, L-BFGS from the best point they reached (so the
    optimum is never worse than L-BFGS's from there); ``method="lbfgs"``: L-BFGS alone (22-37 evaluations)."""
    if method == "lbfgs":
        return _lbfgs(model, beta0, log_sd0, fix_log_sd)
    res = _newton(model, beta0, log_sd0, fix_log_sd)
    if res.success:
        return res
    p = len(beta0)
    start_sd = fix_log_sd if fix_log_sd is not None else float(res.x[p])
    more = _lbfgs(model, res.x[:p], start_sd, fix_log_sd)
    if more.fun > res.fun:  # L-BFGS did not get further than the Newton steps: keep their point
        more = _Optimum(res.x, res.fun, more.success, more.nit, more.nfev, more.method)
    return _Optimum(
        more.x,
        more.fun,
        more.success,
        res.nit + more.nit,
        res.nfev + more.nfev,
        "Newton, then L-BFGS",
        res.newton_failed,
    )


def design_cells(X: np.ndarray, g: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """(first row, inverse) of the distinct rows of a 0/1 design (with the group code when ``g`` is given),
    hashed from the rows packed to bits; None when ``X`` is not 0/1 (then no cells)."""
    if X.size == 0 or not (X.dtype == np.uint8 and X.max() <= 1 or np.isin(X, (0.0, 1.0)).all()):
        return None
    key = np.packbits(X.astype(np.uint8, copy=False), axis=1)
    if g is not None:
        g = np.asarray(g, np.int64)
        g_bytes = max(1, (int(g.max()).bit_length() + 7) // 8) if len(g) and g.min() >= 0 else 8
        key = np.concatenate([key, g[:, None].view(np.uint8)[:, :g_bytes]], axis=1)  # little-endian low bytes
    if key.shape[1] <= 8:
        # one big-endian integer per row: its order is the bytes' order (as the void keys below sort), at a
        # fraction of the sort's cost (0.1 s of 266,000 rows' void keys)
        padded = np.zeros((key.shape[0], 8), np.uint8)
        padded[:, : key.shape[1]] = key
        sortable: np.ndarray = padded.view(">u8").ravel().astype(np.uint64)
    else:
        key = np.ascontiguousarray(key)
        sortable = key.view(np.dtype((np.void, key.shape[1]))).ravel()
    _, first, inverse = np.unique(sortable, return_index=True, return_inverse=True)
    return first, inverse.ravel()


def _glm_on_cells(X, y, family, offset=None, trials=None) -> np.ndarray:
    """:func:`glm_irls` on the distinct design rows (the same maximum-likelihood coefficients: binomial rows add
    up to cells of successes out of trials, Poisson rows to events over summed exposure), a fraction of the rows."""
    cells = design_cells(X) if not (family == "binomial" and offset is not None) else None
    if cells is None or len(cells[0]) > 0.8 * len(y):
        return glm_irls(X, y, family, offset, trials=trials)
    first, inv = cells
    k = len(first)
    yc = np.bincount(inv, weights=y, minlength=k)
    if family == "binomial":
        tc = np.bincount(inv, weights=None if trials is None else trials, minlength=k).astype(float)
        return glm_irls(X[first], yc, family, None, trials=tc)
    expo = np.bincount(inv, weights=np.ones(len(y)) if offset is None else np.exp(offset), minlength=k)
    return glm_irls(X[first], yc, family, np.log(expo))


def fit_glmm(
    X,
    y,
    g,
    n_groups,
    *,
    family: str = "binomial",
    offset=None,
    ci: str = "profile",
    trials=None,
    optimiser: str = "newton",
) -> Fit:
    """Random-intercept logistic or Poisson GLMM; ICC on the latent scale var_u / (var_u + c),
    c = pi^2/3 (logistic) or pi^2/6 (Poisson / proportional hazards, extreme-value residual).

    ``trials``: binomial rows are cells of that many units with ``y`` successes (see :func:`aggregate_cells`;
    the likelihood is the same as for the units, so is the fit); ``expected`` is then per cell (a probability).
    ``optimiser``: "newton" (Newton steps, L-BFGS when they fail: :func:`_glmm_optimise`) or "lbfgs" (L-BFGS only,
    as before 2026-12-02; the tests compare the two).
    """
    beta_glm = _glm_on_cells(X, y, family, offset, trials)
    expected = _mu(family, X @ beta_glm + (0 if offset is None else offset))
    model = _AGHQ(X, y, g, n_groups, family, offset, trials)
    res = _glmm_optimise(model, beta_glm, math.log(0.3), method=optimiser)
    beta, log_sd = res.x[:-1], float(res.x[-1])
    ll_max = -float(res.fun)
    # the boundary (no caseworker variance) is the GLM; compare explicitly
    ll_glm = float(_loglik_terms(family, model.y, model.X @ beta_glm + model.off, model.nt).sum())
    at_zero = ll_glm >= ll_max - 1e-6 or log_sd <= MIN_LOG_SD + 1e-3
    var_u = 0.0 if at_zero else math.exp(2 * log_sd)
    if at_zero:
        ll_max = max(ll_max, ll_glm)
    c = LATENT_RESIDUAL[family]
    hess = None
    if at_zero:  # no caseworker effects
        m = s = np.zeros(n_groups)
    elif res.at_x is not None:  # the Newton iteration's last evaluation was at the optimum
        hess, m, s = res.at_x
    else:
        _, _, m, s = model.evaluate(beta, log_sd, want_grad=False)
    icc_ci = None
    extra: dict = {
        "converged": bool(res.success),
        "iterations": int(res.nit),
        "beta_glm": beta_glm,
        "evaluations": int(res.nfev),
        "optimiser": res.method,
        "newton_failed": res.newton_failed,
    }
    target = ll_max - CHI2_95 / 2
    cache: dict[float, float] = {}
    starts: dict[float, np.ndarray] = {log_sd: beta}

    def prof(lsd: float) -> float:
        """Profile log-likelihood at log(sd) = lsd (fixed effects re-estimated), memoised. Each refit starts from
        the fixed effects of the nearest log(sd) refitted so far (the root search's points close in: fewer
        evaluations than from the joint optimum each time; the same maximum)."""
        if lsd not in cache:
            near = min(starts, key=lambda z: abs(z - lsd))
            res = _glmm_optimise(model, starts[near], lsd, fix_log_sd=lsd, method=optimiser)
            cache[lsd] = -float(res.fun)
            starts[lsd] = res.x
        return cache[lsd]

    def profile_upper() -> float:
        start = max(log_sd, math.log(0.05))
        hi = start + 0.5
        while prof(hi) > target and hi < math.log(20.0):
            hi += 0.7
        return (
            math.exp(optimize.brentq(lambda z: prof(z) - target, start, hi, xtol=0.01)) if prof(hi) <= target else 20.0
        )

    if ci == "profile":
        lo_sd = 0.0
        if not at_zero and ll_glm < target:
            try:
                lo_sd = math.exp(optimize.brentq(lambda z: prof(z) - target, MIN_LOG_SD, log_sd, xtol=0.01))
            except ValueError:  # the profile does not cross the threshold above the smallest sd: the limit is 0
                lo_sd = 0.0
        hi_sd = profile_upper()
        ci_name = "profile-likelihood CI"
    else:
        # Wald interval on log(sd): curvature of the log-likelihood in log(sd) at the fixed effects' estimate
        # (the quadrature's Hessian, :meth:`_AGHQ.evaluate_hessian`; until 2026-12-02 a finite difference of its
        # gradient, the same to 1e-6). Conditioning on beta ignores the (small, since caseworkers are not chosen by
        # client covariates) beta-sd covariance, so the interval is slightly narrow.
        # At zero variance a Wald interval has no meaning (its upper limit came out as ICC 0.44 on 48,000 cases
        # whose profile limit is 0.003): there the upper limit is the profile-likelihood one.
        # The same holds near zero: when zero variance lies inside the interval (the likelihood-ratio test against
        # the GLM not significant, so the lower limit is 0) the curvature in log(sd) says little about the upper
        # limit. On the 50,000-client demo (2026-12-02) the outflow model, sd 0.057, had a Wald upper ICC limit of
        # 0.032 against the profile's 0.0049 (5.6 profile widths off; docs/performance.md, h/equity9); there the
        # upper limit is the profile one too (a few refits of the upper limit only), so the interval is the
        # profile interval.
        if at_zero or ll_max - ll_glm < CHI2_95 / 2:
            lo_sd = 0.0
            hi_sd = profile_upper()
            ci_name = (
                "Wald CI on log(sd); at zero variance the profile-likelihood upper limit"
                if at_zero
                else "Wald CI on log(sd); zero variance inside the interval: the profile-likelihood upper limit"
            )
        else:
            lsd = max(log_sd, math.log(0.02))
            if hess is None or lsd != log_sd:
                hess = model.evaluate_hessian(beta, lsd)[2]
            curv = float(hess[-1, -1])
            se = math.sqrt(-1.0 / curv) if curv < 0 else math.inf
            lo_sd = math.exp(lsd - 1.96 * se)
            hi_sd = math.exp(min(lsd + 1.96 * se, math.log(20.0)))
            ci_name = "Wald CI on log(sd)"
    icc_ci = (lo_sd**2 / (lo_sd**2 + c), hi_sd**2 / (hi_sd**2 + c))
    extra["profile_fits"] = len(cache)
    fam = "logistic" if family == "binomial" else "Poisson (piecewise-exponential hazard)"
    return Fit(
        "binary" if family == "binomial" else "duration",
        beta,
        var_u,
        c,
        var_u / (var_u + c),
        icc_ci,
        m if not at_zero else np.zeros(n_groups),
        s if not at_zero else np.zeros(n_groups),
        expected,
        ll_max,
        f"{fam} GLMM, caseworker random intercept, ML by adaptive Gauss-Hermite quadrature "
        f"({len(_GH_Z)} nodes); latent-scale ICC var_u/(var_u+{'pi^2/3' if family == 'binomial' else 'pi^2/6'}); "
        f"{ci_name}",
        extra,
    )


# ---------------------------------------------------------------------------------------------------------------
# Sufficient statistics: rows -> (group x design row) cells
# ---------------------------------------------------------------------------------------------------------------


def aggregate_cells(
    X: np.ndarray,
    y: np.ndarray,
    g: np.ndarray,
    family: str,
    offset: np.ndarray | None = None,
    cells: np.ndarray | None = None,
):
    """Collapse rows with the same group and the same design row into one cell each.

    Binomial: ``y`` = successes and ``trials`` = units per cell; the Bernoulli likelihood summed over a cell's
    units is exactly ``y * eta - trials * log(1 + exp(eta))``. Poisson with ``offset`` = log exposure: ``y`` = events
    and the offset log(total exposure); the cell likelihood differs from the sum over its rows by the constant
    sum(y_i * offset_i) - y * offset_cell, returned as ``ll_const``. So estimates, intervals and caseworker effects are
    those of the row-level fit; only work shrinks (rows / cells).

    ``cells``: integer cell id per row when the caller knows it (e.g. from the covariate strings); otherwise rows
    are compared on (g, X). Returns ``(X_c, y_c, g_c, offset_c, trials, inverse, ll_const)``, ``inverse`` mapping
    each row to its cell.
    """
    if cells is None:
        _, first, inverse = np.unique(np.column_stack([g, X]), axis=0, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(cells, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    k = len(first)
    # cells ordered by group (stable: within a group in cell order), so that the quadrature need not sort (and so
    # copy) the cell design again; the same order it sorted them into before
    order = np.argsort(g[first], kind="stable")
    first = first[order]
    pos = np.empty(k, dtype=np.int64)
    pos[order] = np.arange(k)
    inverse = pos[inverse]
    y_c = np.bincount(inverse, weights=y, minlength=k)
    trials = np.bincount(inverse, minlength=k).astype(float)
    off_c, ll_const = None, 0.0
    if offset is not None:
        if family == "binomial":
            raise ValueError("aggregate_cells: a binomial model with an offset cannot be aggregated")
        expo = np.bincount(inverse, weights=np.exp(offset), minlength=k)
        off_c = np.log(expo)
        ll_const = float((y * offset).sum() - (y_c * off_c).sum())
    return X[first], y_c, g[first], off_c, (trials if family == "binomial" else None), inverse, ll_const
