"""Synthetic municipalities for demos, tests, benchmarks and the policy lab (plain Python; no Django).

    generate(municipality, clients, seed, out, name=None, start=..., end=..., progress=None, caseworker_effect=1.0)

writes a regie-jsonl file (docs/import-format.md); calibration targets and sources are in ``params`` and
docs/synthetic-data.md; ``calibration_report(path)`` measures a generated file against them.
"""

from .calibration import calibration_report
from .generator import SynthStats, generate, iter_records

__all__ = ["generate", "iter_records", "SynthStats", "calibration_report"]
