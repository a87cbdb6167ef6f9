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
            decision = {"policy_version": row["policy_version"], "deviates": row["deviates"],
                        "decided": pl.Series([row["decided"]]).str.json_decode().to_list()[0],
                        "motivation_code": row["motivation_code"]}
        validate_event(row["type"], payload, decision)
    assert {"toekenning", "classificatie", "traject_start", "traject_einde", "uitstroom", "maatregel"} <= set(
        frames.events["type"].unique())


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
    base = {**SMALL, "months": 48, "start": "2005-01-01", "policy": "sittard-geleen", "policy_on": "2008-01-01"}
    calm = simulate(LabParams().with_overrides(base), 9)
    shock = simulate(LabParams().with_overrides({**base, "market": "sittard-geleen-2006"}), 9)
    assert shock.monthly["unemployment"][23] == pytest.approx(0.19, abs=0.01)
    y3 = slice(24, 36)
    assert shock.monthly["outflow_work"][y3].sum() < 0.75 * calm.monthly["outflow_work"][y3].sum()
    assert shock.monthly["stock"][35] > calm.monthly["stock"][35]
