"""Decision tables: one row per analysis unit (case or event) with outcome, caseworker and covariates."""

from __future__ import annotations

DECISIONS: dict[str, tuple[str, str]] = {
    "classification_level": ("continuous", "Level of the first classification of a case (ladder rung)"),
    "trajectory_12m": ("binary", "Trajectory started within 12 months of benefit start"),
    "exemption_12m": ("binary", "Exemption from the work obligation granted within 12 months of benefit start"),
    "sanction": ("binary", "Sanction (maatregel) rather than a warning, among recorded violations"),
    "deviation": ("binary", "Decision deviates from the policy recommendation, among decisions with one"),
    "time_to_trajectory": ("duration", "Time from benefit start to the first trajectory"),
    "outflow_work_12m": ("binary", "Outflow to work within 12 months of benefit start"),
}
COVARIATES = ["age_band", "sex", "education", "origin", "household", "child_under_5", "health", "language",
              "debts", "medical_claim", "prior_cases", "period"]


def decision_table(frames, decision, *, as_of=None):
    raise NotImplementedError
