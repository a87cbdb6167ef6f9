"""The bookkeeping that replaced scans and counters in the lab's state must agree with what it replaced, month by
month (the golden fingerprints check the results only for the cases they cover): the on-benefit index M10 keeps
is the scan of the status, spell months from the start month are the counter M10 advanced, the exemption ends
noted at the grant are the ones whose months left reach 1, motivation stays in [0, 1] (B4's bound), B3's
score kept per client (``rules.refresh_score``) is the score computed afresh, bit for bit, the pension flag is
the age's, B5's kept first month of an offer is its three conditions, B5's per-client key gathers the factors
the caseworker and group gave, the exempted count over the pool is the count over those on benefit, and the facts
the engine reads, gathered as rows, are the facts gathered column by column."""

from __future__ import annotations

import numpy as np
import pytest

from regie.core.lab import adapters, demand, rules
from regie.core.lab.behaviour import N_GROUPS, routine_factor
from regie.core.lab.model import begin_month, setup
from regie.core.lab.params import LabParams
from regie.core.lab.state import EV, ON_BENEFIT, derive_policy, level_ranks
from regie.core.policy import default_set


@pytest.mark.parametrize(
    "over",
    [
        {},
        {"steering_override": "rules", "sanction_factor": 2.0, "demand": {"accountmanagers": 3}},
        {"policy": "maastricht", "start": "2005-07-01", "work_first_override": True},
    ],
)
def test_state_bookkeeping_matches_the_scans_and_counters(over):
    p = LabParams().with_overrides({"clients": 1200, "caseworkers": 10, "months": 30, **over})
    s = setup(p, 4)
    dur = np.zeros(len(s.status), np.int64)  # the former counters, advanced as M10 did
    dur[: s.n0] = s.dur(np.arange(s.n0))
    ex_left = np.where(s.ex_end >= 0, s.ex_end + 1, 0)  # months left at the start (granted "in month -1")
    reviews = 0
    for t in range(p.months):
        m = begin_month(s, t)
        rules.rule_m2_inflow(s, m)
        rules.rule_m5_work_first_deterrence(s, m)
        status_before = s.status[: s.n_act].copy()
        rules.rule_m3_intake(s, m)
        assert np.array_equal(m.old, np.flatnonzero(status_before == ON_BENEFIT))
        assert np.array_equal(s.dur(m.old), dur[m.old])
        assert np.array_equal(m.review, m.old[dur[m.old] % 12 == 0])
        reviews += len(m.review)
        dur[m.fresh] = 0
        ex_left[m.fresh] = np.maximum(s.ex_end[m.fresh] - t, 0)
        rules.caseloads(s, m)
        on = np.flatnonzero(s.status[: s.n_act] == ON_BENEFIT)
        assert np.array_equal(m.caseload, np.bincount(s.who[on], minlength=s.C))
        due = m.old[ex_left[m.old] == 1]
        ex_left[m.old] = np.maximum(ex_left[m.old] - 1, 0)
        n_log = s.log.n
        rules.rule_m7_exemption_review(s, m)
        ended = s.log.arrays()["client"][n_log:][s.log.arrays()["type"][n_log:] == EV["ontheffing_einde"]]
        assert np.array_equal(np.sort(ended), due)
        renewed = due[s.ex_end[due] > t]
        ex_left[renewed] = s.ex_end[renewed] - t
        assert np.array_equal(np.maximum(s.ex_end[on] - t, 0), ex_left[on])
        rules.rule_m11_plan_review(s, m)
        rules.rule_b3_attention(s, m)
        assert np.array_equal(m.score, _b3_score_afresh(s, m.old))  # bit for bit, not approximately
        assert np.array_equal(s.pens[m.old], s.age[m.old] >= p.pension_age)
        o = m.old  # B5's kept first month of an offer is its three conditions (h/lab8)
        b5 = (s.traj_left[o] == 0) & (s.last_traj_end[o] <= t - 6) & (s.start_m[o] < t)
        assert np.array_equal(s.offer_from[o] <= t, b5)
        # B5's key per client (set at the intake) is the caseworker, group and barrier, and the B6 and B7 factors
        # gathered with it are the ones gathered from (caseworker, group) and (caseworker, barrier) (h/lab9)
        cw, G = s.cw, N_GROUPS
        assert np.array_equal(s.b5_key[o], s.who[o].astype(np.intp) * 2 * G + s.group[o] * 2 + s.cl["lang"][o])
        rf = routine_factor(cw.memory, 0.08, cw.routinisation[:, None]).ravel()
        lf = np.stack([np.ones(s.C), 1 - 0.5 * np.minimum(cw.ethnocentrism * (1 - cw.logic[:, 0]), 1)], 1).ravel()
        assert np.array_equal(np.repeat(rf, 2)[s.b5_key[o]], rf[s.who_i[o] * G + s.group[o]])
        assert np.array_equal(s.b5_lang[s.b5_key[o]], lf[s.who_i[o] * 2 + s.cl["lang"][o]])
        rules.rule_b5_offers(s, m)
        in_traj = s.traj_left[: s.n_act] > 0
        assert (s.status[: s.n_act][in_traj] == ON_BENEFIT).all()  # M8 scans the pool for them
        assert np.array_equal(s.who_i[m.old], s.who[m.old])
        rules.rule_m8_trajectories_end(s, m)
        if s.demand is not None:
            demand.rule_d1_d3_placements(s, m)
        rules.rule_b4_sanctions(s, m)
        assert (s.willen >= 0).all() and (s.willen <= 1).all()
        leave, lw, gone = rules.rule_m9_exits(s, m)
        ex_left[leave] = 0
        rules.rule_m6_relapse(s, m, leave, lw, gone)
        rules.rule_m10_money(s, m)
        assert s.monthly["exempt"][t] == s.ex_full[s.on_idx].sum()
        assert np.array_equal(s.on_idx, np.flatnonzero(s.status[: s.n_act] == ON_BENEFIT))
        dur[s.on_idx] += 1
    assert reviews > 1000


def _b3_score_afresh(s, old):
    """B3's score as rule_b3_attention computed it from the state before it was kept per client."""
    cl = s.cl
    score = cl["kunnen"][old]
    tmp = s.willen[old]
    tmp *= 0.5
    score += tmp
    np.multiply(s.age[old], 0.01, out=tmp)
    score -= tmp
    score -= 0.275 - 0.4 + 0.45
    li = np.flatnonzero(cl["lang"][old])
    score[li] -= s.ethno_pen[s.who[old][li]]
    return score * 4.0


def test_rank_from_the_routing_rule_is_the_rank_of_the_level_id():
    """rules.assess takes the rank from the index of the routing rule that decided (``BatchResult.routing_rule``);
    for every shipped policy version it must be the rank level_ranks gives for the level id."""
    s = setup(LabParams().with_overrides({"clients": 3000, "caseworkers": 20, "months": 12}), 2)
    s.now = 30  # spells of 30 months and more: rules on the duration decide too
    idx = np.arange(s.n0)
    versions = [pol for pols in default_set().by_id.values() for pol in pols]
    seen_ranks = set()
    for pol in versions:
        pv = derive_policy(pol)
        rec = adapters.recommend_batch(pol, rules.facts(s, idx), pol.valid_from)
        by_rule = pv["rank_by_rule"][rec.routing_rule]
        assert np.array_equal(by_rule, level_ranks(rec.level, pv)), pol.version_id
        seen_ranks |= {(pol.version_id, int(r)) for r in np.unique(by_rule)}
    assert len(versions) > 10 and len(seen_ranks) > 2 * len(versions)  # several levels per version, not one


def test_facts_gathered_as_rows_are_the_facts_gathered_by_column():
    """rules.facts with the policy's facts gathers the fixed facts as rows of ``LabState.facts_m`` (h/lab9): for
    every shipped policy version the columns it hands the engine equal, bit for bit, the separate gathers of the
    full fact table, and the engine gives the same recommendation for both."""
    s = setup(LabParams().with_overrides({"clients": 3000, "caseworkers": 20, "months": 12}), 3)
    s.now = 30
    idx = np.sort(np.random.default_rng(0).choice(len(s.status), 2500, replace=False))
    full = rules.facts(s, idx)
    for pol in (pol for pols in default_set().by_id.values() for pol in pols):
        pv = derive_policy(pol)
        used = rules.facts(s, idx, pv["facts_used"])
        assert set(used) == set(pv["facts_used"]) & set(full), pol.version_id
        for k, v in used.items():
            assert v.dtype == full[k].dtype and np.array_equal(v, full[k], equal_nan=True), (pol.version_id, k)
        a = adapters.recommend_batch(pol, used, pol.valid_from)
        b = adapters.recommend_batch(pol, {k: full[k] for k in used}, pol.valid_from)
        assert np.array_equal(a.routing_rule, b.routing_rule)
        assert np.array_equal(a.trajectory_eligible, b.trajectory_eligible, equal_nan=True)
