"""KPIs computed from the event log (plain Python + polars; no Django). See docs/kpi-definitions.md."""

from .cohorts import COUNTS, RATIOS, cohort_kpis, cohort_members

__all__ = ["cohort_kpis", "cohort_members", "COUNTS", "RATIOS"]
