"""Discretion monitor: how much of what happens to a client depends on the caseworker (docs/equity.md).

Plain Python (numpy, polars, scipy, statsmodels); no Django. Everything reads the analytic tables of
:mod:`regie.core.frames` (pseudonymised clients; ``actor``/``caseworker`` are user ids).

Public API (stable names; web, CLI and policy lab call these)
------------------------------------------------------------

``equity_report(frames, *, as_of=None, decisions=None, min_caseload=20, progress=None, human_codes=None) -> dict``
    JSON-serialisable::

        {"municipality": str, "as_of": "YYYY-MM-DD", "n_clients": int, "n_caseworkers": int,
         "covariates": [str, ...],                       # adjustment covariates (names, see COVARIATES)
         "decisions": {name: {
             "kind": "binary" | "continuous" | "duration",
             "description": str, "unit": "case" | "event", "scale": "logit" | "units" | "log_hazard",
             "n": int,                                     # analysis units (cases or events)
             "n_caseworkers": int, "mean": float,          # observed mean (binary: share; duration: events/unit)
             "icc": float | None, "icc_ci": [lo, hi] | None, "var_caseworker": float, "sd_caseworker": float,
             "method": str,                                # e.g. "logistic GLMM, adaptive Gauss-Hermite ML; profile CI"
             "caseworker_effects": [{"caseworker": user_id, "team": str | None, "n": int,
                                     "observed": float, "expected": float,   # mean outcome, and mean expected
                                                                             # from the covariates-only model
                                     "effect": float, "effect_ci": [lo, hi], # random intercept on ``scale``
                                     "funnel": {"y": float, "lo95": float, "hi95": float,
                                                "lo998": float, "hi998": float},
                                     "flag": "above" | "below" | None}],     # outside the 99.8% limits
             "funnel_target": float, "funnel_y": str,     # what "y" is: standardised rate or O/E ratio
             "n_flagged": int, "error": str | None}},      # error set (and figures None) if the model could not fit
         "deviations": {"caseworkers": [row], "teams": [row], "overall": row},
             # row = {"caseworker"|"team": id, "n_decisions": int, "n_deviations": int, "rate": float | None,
             #        "by_logic": {"professional": int, "bureaucratic": int, "market": int, "unclassified": int},
             #        "motivations": [{"text": str, "code": str | None, "logic": str | None, "n": int}]}
         "pairs": {decision_name: [pair, ...]}}            # see comparable_pairs

``profile_intervals(frames, decisions, *, as_of=None) -> {decision: {"icc_ci": [lo, hi], "method": str}}``
    Profile-likelihood intervals for a report computed with the (default) Wald intervals; run afterwards, in a job.

``caseworker_icc(frames, decision, *, as_of=None) -> dict``
    ``{"icc", "icc_ci": [lo, hi], "n", "n_caseworkers", "method", "var_caseworker", "kind"}``; cheap (seconds).

``between_municipalities(frames_list, decision, *, as_of=None) -> dict``
    ``{"decision", "kind", "n", "n_municipalities", "n_caseworkers", "var_municipality", "var_caseworker",
    "var_residual", "icc_municipality", "icc_caseworker", "icc_caseworker_ci", "municipalities":
    [{"municipality", "n", "effect", "effect_ci"}], "method", "warning"}``.

``comparable_pairs(frames, decision, *, covariates=None, limit=50, as_of=None) -> list[dict]``
    ``[{"stratum": {covariate: value}, "a": side, "b": side}]`` with side = ``{"client", "case", "event",
    "caseworker", "team", "date", "value"}``: exactly matched (coarsened) clients with different caseworkers and
    different decisions.

``code_motivation(text) -> {"logic": "professional" | "bureaucratic" | "market" | None, "matched": [term, ...]}``
``cohen_kappa(labels_a, labels_b) -> {"kappa", "ci": [lo, hi], "n", "agreement"}``
``funnel_svg(decision_result, *, title=None) -> str``   (an SVG document of one ``decisions[name]`` entry)

``report_events(events) -> LazyFrame``, ``report_frames(frames) -> Frames``, ``last_effective_date(events)``
    Only what the report reads (a tenth of the events table); ``equity_report(report_frames(f), as_of=
    last_effective_date(f.events))`` equals ``equity_report(f)``. ``analytics.store.report_frames`` reads it so from
    the store's disk copy (docs/performance.md "Equity report in seconds").

``DECISIONS``: name -> (kind, description); ``COVARIATES``: the default adjustment set.
"""

from __future__ import annotations

from .coding import LEXICON, code_motivation, cohen_kappa
from .data import COVARIATES, DECISIONS, decision_table, last_effective_date, report_events, report_frames
from .funnel import funnel_svg
from .report import between_municipalities, caseworker_icc, comparable_pairs, equity_report, profile_intervals

__all__ = [
    "COVARIATES",
    "DECISIONS",
    "LEXICON",
    "between_municipalities",
    "caseworker_icc",
    "code_motivation",
    "cohen_kappa",
    "comparable_pairs",
    "decision_table",
    "equity_report",
    "funnel_svg",
    "last_effective_date",
    "profile_intervals",
    "report_events",
    "report_frames",
]
