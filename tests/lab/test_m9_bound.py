"""M9 computes exit hazards only below ``rules._m9_bound``: the bound must hold for every client on benefit, also
with the levers that raise the hazards (the golden fingerprints check the leavers only for the cases they cover)."""

from __future__ import annotations

import numpy as np
import pytest

from regie.core.lab import demand, rules
from regie.core.lab.model import begin_month, setup
from regie.core.lab.params import LabParams


def _full_hazard(s, m) -> np.ndarray:
    """hw + ho of every client on benefit before this month's intakes, as M9 defines them (no filter)."""
    p, old, cw = s.p, m.old, s.cw
    mot = ((0.5 + s.willen[old]) / (0.5 + s.willen_mean)) ** p.motivation_effect
    hw = s.hw_cl[old] * s.scar[s.cum(old)] * mot * s.market.work_mult[m.t]
    hw = np.where(m.seen_m, hw * (1 + p.contact_lift), hw)
    hw = np.where(s.traj_left[old] > 0, hw * p.lock_in, hw)
    hw = np.where(s.ex_full[old], hw * p.exempt_work_factor, hw)
    hw = np.where(s.age[old] >= 55, hw * 0.6, hw)
    ho = s.ho_cl[old] * np.where(m.seen_m, (1 + 0.5 * cw.logic[:, 1])[m.c_old], 1.0)
    ho = np.where(s.sanc_left[old] > 0, ho * 1.5, ho)
    return hw + ho


@pytest.mark.parametrize(
    "over",
    [
        {},
        {"motivation_effect": 2.0, "contact_lift": 0.8, "market": "boom", "exempt_work_factor": 1.5},
        {"motivation_effect": 0.5, "lock_in": 1.3, "scarring_per_year": 0.0, "demand": {"accountmanagers": 3}},
    ],
)
def test_m9_bound_is_above_every_clients_exit_hazard(over):
    p = LabParams().with_overrides({"clients": 1500, "caseworkers": 12, "months": 30, **over})
    s = setup(p, 3)
    checked = 0
    for t in range(p.months):
        m = begin_month(s, t)
        rules.rule_m2_inflow(s, m)
        rules.rule_m5_work_first_deterrence(s, m)
        rules.rule_m3_intake(s, m)
        rules.caseloads(s, m)
        rules.rule_m7_exemption_review(s, m)
        rules.rule_m11_plan_review(s, m)
        rules.rule_b3_attention(s, m)
        rules.rule_b5_offers(s, m)
        rules.rule_m8_trajectories_end(s, m)
        if s.demand is not None:
            demand.rule_d1_d3_placements(s, m)
        rules.rule_b4_sanctions(s, m)
        h = _full_hazard(s, m)
        bound = rules._m9_bound(s, t)[s.cl["type"][m.old]]
        assert (h <= bound).all(), f"month {t}: hazard above the bound"
        # not vacuous: the bound stays within a few times the largest hazard
        assert bound.max() < 50 * max(h.max(), 1e-12)
        checked += len(h)
        leave, lw, gone = rules.rule_m9_exits(s, m)
        rules.rule_m6_relapse(s, m, leave, lw, gone)
        rules.rule_m10_money(s, m)
    assert checked > 30_000
