import datetime as dt

import numpy as np
import polars as pl
import pytest

from regie.core.events import validate_event
from regie.core.lab.events import to_frames
from regie.core.lab.model import simulate
from regie.core.lab.params import LabParams

SMALL = {"clients": 1500, "caseworkers": 12, "months": 24}


@pytest.fixture(scope="module")
def run():
    return simulate(LabParams().with_overrides(SMALL), seed=5)


@pytest.fixture(scope="module")
def frames(run):
    return to_frames(run)


def test_same_seed_same_run_and_other_seed_differs():
    p = LabParams().with_overrides(SMALL)
    a, b, c = simulate(p, 1), simulate(p, 1), simulate(p, 2)
    for k in a.log:
        assert np.array_equal(a.log[k], b.log[k], equal_nan=True), k
    assert a.summary == b.summary
    assert a.summary != c.summary


def test_frames_have_the_core_schema_and_valid_payloads(frames):
    from regie.core.frames import EVENT_SCHEMA

    assert dict(frames.events.schema) == EVENT_SCHEMA
    # every event type's payload and decision validate against the casework's own schemas
    sample = frames.events.group_by("type").head(20)
    for row in sample.iter_rows(named=True):
        payload = pl.Series([row["payload"]]).str.json_decode().to_list()[0]
        decision = None
        if row["decided"] is not None:
            decision = {
                "policy_version": row["policy_version"],
                "deviates": row["deviates"],
                "decided": pl.Series([row["decided"]]).str.json_decode().to_list()[0],
                "motivation_code": row["motivation_code"],
            }
        validate_event(row["type"], payload, decision)
    assert {"toekenning", "classificatie", "traject_start", "traject_einde", "uitstroom", "maatregel"} <= set(
        frames.events["type"].unique()
    )


def test_every_case_starts_with_a_grant_and_ends_at_most_once(frames):
    ev = frames.events
    first = ev.group_by("case_id", maintain_order=True).first()
    assert set(first["type"].unique()) == {"melding"}
    assert ev.filter(pl.col("type") == "uitstroom").group_by("case_id").len()["len"].max() == 1
    # nothing happens in a case after its outflow, except closing trajectories and exemptions on the same day
    last = ev.filter(pl.col("type") == "uitstroom").select("case_id", pl.col("effective_date").alias("end"))
    after = ev.join(last, on="case_id").filter(pl.col("effective_date") > pl.col("end"))
    assert after.height == 0


def test_stock_bookkeeping_matches_the_event_log(run, frames):
    from regie.core.lab import adapters

    end = dt.date(2016, 12, 31)
    flows = adapters.stock_and_flows(frames, dt.date(2016, 1, 1), dt.date(2017, 1, 1))
    assert flows["stock_end"] == pytest.approx(run.monthly["stock"][23], abs=5)
    assert flows["inflow"] == int(run.monthly["inflow"][12:24].sum())
    assert flows["outflow"] == int(run.monthly["outflow"][12:24].sum())
    assert end


def test_decisions_record_recommendation_and_deviation(frames):
    cls = frames.events.filter(pl.col("type") == "classificatie")
    dev = cls.filter(pl.col("deviates"))
    assert dev.height > 0 and dev.height < cls.height
    rec = dev["recommendation"].str.json_decode().struct.field("level")
    dec = dev["decided"].str.json_decode().struct.field("level")
    assert (rec != dec).all()
    assert dev["motivation_code"].is_not_null().all()


def test_w_deel_runs_out_and_stops_trajectories():
    p = LabParams().with_overrides({**SMALL, "w_deel_per_client": 150.0})
    r = simulate(p, 3)
    assert r.budget["w_deel_depleted_month"][0] is not None
    assert max(r.budget["w_deel_spent"]) <= 150.0 * 1500 + 1e-6
    rich = simulate(LabParams().with_overrides(SMALL), 3)
    assert rich.summary["trajectories_started"] > r.summary["trajectories_started"]


def test_labour_market_shock_lowers_outflow_to_work():
    """The Sittard-Geleen 2006 shock (unemployment 19 % by month 24) clearly lowers outflow to work in year 3 and
    leaves a larger caseload.

    Judged over six seeds pooled, not one: a single run has only 100-170 exits to work in year 3, so one seed's ratio
    shock/calm scatters widely (seeds 1-10 measured 0.67 to 1.08 on 1-12-2026, seed 9 alone 0.805, after the childcare
    fix tm 12; before it seeds 1-4 gave 0.64-0.77). Pooled over seeds 1-6 the ratio is 0.77 (665 vs 865 exits), its
    sampling error about 0.05. The bound 0.85 asks for at least 15 % fewer exits to work across the pooled runs:
    a shock that clearly lowers outflow passes, one that did not lower it (ratio near 1) fails by about three
    standard errors. About 6 s (one run of 48 months with 1500 clients takes about 0.45 s)."""
    base = {**SMALL, "months": 48, "start": "2005-01-01", "policy": "sittard-geleen", "policy_on": "2008-01-01"}
    y3 = slice(24, 36)
    calm_work = shock_work = calm_stock = shock_stock = 0
    for seed in range(1, 7):
        calm = simulate(LabParams().with_overrides(base), seed)
        shock = simulate(LabParams().with_overrides({**base, "market": "sittard-geleen-2006"}), seed)
        assert shock.monthly["unemployment"][23] == pytest.approx(0.19, abs=0.01)
        calm_work += calm.monthly["outflow_work"][y3].sum()
        shock_work += shock.monthly["outflow_work"][y3].sum()
        calm_stock += calm.monthly["stock"][35]
        shock_stock += shock.monthly["stock"][35]
    assert shock_work < 0.85 * calm_work
    assert shock_stock > calm_stock


def _count(r, etype, **where):
    from regie.core.lab.model import EV

    m = r.log["type"] == EV[etype]
    for col, val in where.items():
        m &= r.log[col] == val
    return int(m.sum())


def test_policy_change_parameters_change_what_they_say():
    from regie.core.lab.model import GROUNDS, KINDS

    base = simulate(LabParams().with_overrides(SMALL), 4)
    assert _count(base, "ontheffing_start") > 0
    none = simulate(LabParams().with_overrides({**SMALL, "exemptions_off": list(GROUNDS)}), 4)
    assert _count(none, "ontheffing_start") == 0
    # Work First at the gate (the programme: provider index after the contracted providers): off in a policy that
    # has it, on in one that does not (the routed level closest to work)
    wf = {"a": KINDS.index("work_first"), "c": len(LabParams().providers)}
    lv = {**SMALL, "policy": "leidschendam-voorburg", "policy_on": "2008-01-01"}
    assert _count(simulate(LabParams().with_overrides(lv), 4), "traject_start", **wf) > 0
    off = simulate(LabParams().with_overrides({**lv, "work_first_override": False}), 4)
    assert _count(off, "traject_start", **wf) == 0 and off.monthly["withdrawn"].sum() == 0
    assert _count(base, "traject_start", **wf) == 0
    on = simulate(LabParams().with_overrides({**SMALL, "work_first_override": True}), 4)
    assert _count(on, "traject_start", **wf) > 0 and on.monthly["withdrawn"].sum() > 0
    # sanctions: the policy's percentages scaled (capped at 100%)
    from regie.core.lab.model import EV

    def pcts(r):
        return r.log["x"][r.log["type"] == EV["maatregel"]]

    assert (pcts(simulate(LabParams().with_overrides({**SMALL, "sanction_factor": 0.0}), 4)) == 0).all()
    strict = pcts(simulate(LabParams().with_overrides({**SMALL, "sanction_factor": 3.0}), 4))
    assert strict.max() == 100 and strict.mean() > pcts(base).mean()
    # provider capacity: fewer places, fewer trajectories
    scarce = simulate(LabParams().with_overrides({**SMALL, "provider_capacity_factor": 0.2}), 4)
    assert scarce.summary["trajectories_started"] < 0.6 * base.summary["trajectories_started"]


def test_the_mesa_reference_runs_the_same_rules():
    """benchmarks/mesa_reference.py (object per agent) and the array model agree in distribution."""
    pytest.importorskip("mesa")
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import mesa_reference

    size = {"clients": 3000, "caseworkers": 24, "months": 36}
    regie_runs = [simulate(LabParams().with_overrides(size), s) for s in (1, 2)]
    mesa_runs = [mesa_reference.run(**size, seed=s) for s in (1, 2)]

    def mean(xs):
        return sum(xs) / len(xs)

    for ours, theirs in (
        (mean([r.summary["stock_end"] for r in regie_runs]), mean([m["stock_end"] for m in mesa_runs])),
        (mean([len(r.log["type"]) for r in regie_runs]), mean([m["events"] for m in mesa_runs])),
        (mean([r.summary["trajectories_started"] for r in regie_runs]), mean([m["traj_started"] for m in mesa_runs])),
        (mean([int(r.monthly["outflow"].sum()) for r in regie_runs]), mean([m["outflow"] for m in mesa_runs])),
    ):
        assert abs(ours - theirs) / ours < 0.08, (ours, theirs)
