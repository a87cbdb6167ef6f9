"""The default parameters reproduce the published aggregates, measured through the KPI code
(docs/lab-calibration.md)."""

import time

from regie.core.lab.calibrate import TARGETS, calibration_table


def test_default_parameters_hit_every_target_within_tolerance():
    t0 = time.perf_counter()
    rows = calibration_table(seed=2004)
    elapsed = time.perf_counter() - t0
    assert [r["key"] for r in rows] == [t.key for t in TARGETS]
    misses = [f"{r['key']}: {r['simulated']} not in [{r['low']}, {r['high']}]" for r in rows if not r["ok"]]
    assert not misses, misses
    assert elapsed < 15, f"calibration run took {elapsed:.1f}s"


def test_calibration_detects_a_miscalibrated_model():
    from regie.core.lab.calibrate import CALIBRATION_SIZE
    from regie.core.lab.params import LabParams

    # halving every exit hazard must push langdurigheid and outflow out of their bands
    p = LabParams().with_overrides(CALIBRATION_SIZE)
    p.types = {k: (w / 2, o / 2) for k, (w, o) in p.types.items()}
    rows = {r["key"]: r for r in calibration_table(seed=2004, params=p)}
    assert not rows["langdurigheid"]["ok"] and rows["langdurigheid"]["simulated"] > 0.64
    assert not rows["outflow_pct"]["ok"]
