"""A straightforward object-per-agent port of the policy lab's rules on Mesa, for the benchmark only
(``pip install -e '.[bench]'``; docs/perf/lab.md).

Every client and every caseworker is a ``mesa.Agent`` with Python attributes and step methods, stepped monthly
through Mesa's ``AgentSet.do`` in the same phases as ``regie.core.lab.model.simulate``. It implements the SAME rules
(numbered as in docs/lab.md) with ordinary per-agent Python code:

- M1 clients (attributes drawn from the same distributions as Regie: ``model._draw_pool``), M1 starting stock with
  spells begun in the past; M2 first-time inflow (Poisson per month × labour market); M3 intake with the events
  melding … classificatie, the policy's level from ``regie.core.policy.recommend`` (the single-case API, one call
  per client) and B8 discretion; M4 exemptions from the same recommendation (9a on request, B7 refusal of the
  medical ground); plan van aanpak; M5 Work First at the gate within its yearly capacity and deterrence; M6 relapse
  (monthly hazard with half-life); M7 exemption terms and renewal; M8 trajectory ends (provider, Work First,
  ability, motivation, market, kind), "no cure, less pay", B6 routinisation memory; M9 exits (work and other
  hazards with scarring, motivation, contact, lock-in, exemption, age, checks, sanctions; pension); M10 benefit
  payments against the I-deel, W-deel commitments; M11 yearly plan review (``recommend`` per client).
- B1 caseworker attributes (``behaviour.make_caseworkers``, the same draws), B2 time budget, B3 attention weights
  (creaming, pressure, deadline worklist under rules-steering), B4 breaches with the policy's sanction
  (``regie.core.policy.sanction_for`` per breach) or a warning, B5 offers mixing the rule and the own preference
  (creaming, routinisation, ethnocentrism) normalised per caseworker, provider capacity and the W-deel.
- Events: one tuple per event appended to ``model.events`` by the agent (the same fields as Regie's compact log).

Differences that do not change the work done: random numbers come from Python's ``random`` (Mesa's
``model.random``) agent by agent, so a run is not draw-for-draw equal to Regie's; the routinisation memory is
updated per ended trajectory rather than once a month per caseworker and group; providers are picked per offer
among those with free places.

``run(...)`` returns a dict with the final stock, the number of events and of agent-steps (agents stepped per
month, summed over months) so the benchmark can report µs per agent-step.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math

import mesa
import numpy as np

from regie.core import policy as policy_api
from regie.core.lab import adapters
from regie.core.lab.behaviour import make_caseworkers
from regie.core.lab.budget import Budget
from regie.core.lab.market import build as build_market
from regie.core.lab.model import (
    EV,
    GONE_REASONS,
    GROUNDS,
    KIND_SUCCESS,
    KINDS,
    OTHER_REASONS,
    REASONS,
    ROUTE_KIND,
    TYPES,
    _draw_pool,
    _month_date,
)
from regie.core.lab.params import LabParams

GONE = {REASONS.index(r) for r in GONE_REASONS}


def _derive(pol) -> dict:
    levels = sorted(pol.scheme.levels, key=lambda lv: lv.rank)
    route_of = {}
    for r in pol.routing.rules:
        route_of.setdefault(r.level, r.route)
    ex = {}
    for g in pol.exemptions:
        ex.setdefault(g.ground, (g.scope, g.max_months))
    return {
        "policy": pol,
        "rank_of": {lv.id: lv.rank for lv in levels},
        "min_rank": levels[0].rank,
        "max_rank": levels[-1].rank,
        "kind_of_rank": {
            lv.rank: KINDS.index(ROUTE_KIND.get(route_of.get(lv.id, "reintegratie"), "reintegratie")) for lv in levels
        },
        "wf": pol.work_first,
        "exemptions": ex,
        "within": pol.deadlines.trajectory_within_months,
        "norm": float(pol.caseload_norm.value),
        "steering": pol.steering.mode,
        "payment": pol.provider_payment,
    }


class Client(mesa.Agent):
    def __init__(self, model, row: int, cl: dict):
        super().__init__(model)
        self.row = row
        for k in (
            "type",
            "household",
            "origin",
            "n_children",
            "health",
            "claim",
            "lang",
            "kunnen",
            "emw",
            "amount",
            "childcare",
            "care",
            "requested",
        ):
            setattr(self, k, cl[k][row].item())
        self.age = float(cl["age"][row])
        self.youngest = float(cl["youngest"][row])
        self.willen = float(cl["willen"][row])
        self.group = self.household * 2 + (1 if self.origin == 2 else 0)
        self.status = 0  # 1 on benefit, 2 left (may relapse), 3 gone
        self.case = -1
        self.dur = 0
        self.cum = 0
        self.caseworker: Caseworker | None = None
        self.rank = 0
        self.rec_rank = 0
        self.eligible = 1.0
        self.traj_left = 0
        self.traj_prov = 0
        self.traj_kind = 0
        self.traj_price = 0.0
        self.traj_no = 0
        self.traj_spell = 0
        self.last_traj_end = -999
        self.traj_end_day = 0
        self.ex_left = 0
        self.ex_ground = -1
        self.ex_full = False
        self.ex_no = 0
        self.exit_month = 0
        self.exit_work = False
        self.last_breach = -999
        self.sanc_left = 0
        self.sanc_pct = 0.0
        self.forced = False
        self.forced_day = 0
        self.forced_sub = False
        self.fresh = False
        self.seen = False

    # --- helpers -------------------------------------------------------------------------------------------
    def log(self, etype, t, day, actor=-1, a=-1, b=-1, c=-1, x=math.nan, r=-1, dev=False):
        self.model.events.append((EV[etype], self.row, self.case, t, day, actor, a, b, c, x, r, dev))

    def facts(self) -> dict:
        return {
            "age": self.age,
            "expected_months_to_work": self.emw,
            "youngest_child_age": None if math.isnan(self.youngest) else self.youngest,
            "n_children": self.n_children,
            "has_partner": self.household == 2,
            "childcare_arranged": self.childcare,
            "medical_claim": self.claim,
            "health_limitation": self.health,
            "care_duties": self.care,
            "requested_trajectory": self.requested,
            "days_on_benefit": self.dur * 30.44,
            "level_rank": self.rank,
            # as Regie's rules.facts: a claim is assumed assessed as not able to work (the lab has no medical advice)
            "medically_unfit": self.claim,
            "medically_partly_fit": False,
        }

    def assess(self, pv, on):
        """The policy engine's single-case API: level (as rank), trajectory eligibility, exemption grounds."""
        rec = policy_api.recommend(pv["policy"], self.facts(), on)
        lv = rec.classification.value["level"] if rec.classification.decided else None
        rank = pv["rank_of"].get(lv, pv["max_rank"])
        elig = 1.0 if not rec.trajectory.decided else (1.0 if rec.trajectory.value["eligible"] else 0.0)
        return rank, elig, rec

    def perceived(self, cw) -> float:  # B7 / creaming score
        return (
            self.kunnen
            + 0.5 * (self.willen - 0.55)
            - 0.01 * (self.age - 40)
            - cw.ethnocentrism * (1 - cw.professional) * 0.25 * self.lang
            - 0.45
        ) / 0.25

    # --- M3 intake -----------------------------------------------------------------------------------------
    def intake(self, t: int, day: int, on: dt.date, relapse_prev: int = -1, dur0: int = 0):
        m = self.model
        pv = m.pv
        self.case = m.n_cases
        m.n_cases += 1
        self.status = 1
        self.fresh = True
        self.dur = dur0
        self.traj_spell = 0
        # M11: reviewed when the spell's months are a multiple of 12: in the months ≡ the spell's first month (mod 12)
        # (t is that month, in the past for the starting stock, whose dur0 = -t)
        self.review_slot = t % 12
        m.review_due[self.review_slot][self] = None
        cw = m.random.choice(m.caseworkers)
        self.caseworker = cw
        cw.clients.append(self)
        self.log("melding", t, day)
        if relapse_prev >= 0:
            self.log("herinstroom", t, day, b=relapse_prev)
        self.log("aanvraag", t, day, a=self.household)
        self.log("toekenning", t, day, cw.uid, a=self.household, x=self.amount)
        self.log("caseworker_toewijzing", t, day, a=cw.uid)
        motiv = 0 if self.willen < 0.45 else (1 if self.willen < 0.7 else 2)
        self.log("intake", t, day, cw.uid, a=int(self.claim), b=int(self.emw), c=motiv)
        rank, elig, rec = self.assess(pv, on)
        self.rec_rank, self.eligible = rank, elig
        # B8 classification with discretion
        score = self.perceived(cw)
        mem = cw.memory[self.group]
        own = (
            (-1 if score > 1.0 else 0)
            + (1 if mem < 0.05 and cw.routinisation > 0.5 else 0)
            + (1 if self.lang and cw.ethnocentrism > 0.6 else 0)
        )
        own = max(-1, min(1, own))
        act = own != 0 and m.random.random() < cw.freedom * m.p.classification_deviation
        dec = max(pv["min_rank"], min(pv["max_rank"], rank + (own if act else 0)))
        self.rank = dec
        self.log("classificatie", t, day, cw.uid, a=dec, r=rank, dev=dec != rank)
        if t >= 0:
            m.monthly["classifications"][t] += 1
            m.monthly["class_deviations"][t] += dec != rank
        # M4 exemptions from the same recommendation
        self.ex_ground, self.ex_full, self.ex_left = -1, False, 0
        granted_grounds = {g["ground"] for g in (rec.exemptions.value or [])}
        for gi, g in enumerate(GROUNDS):
            if g not in granted_grounds or g not in pv["exemptions"]:
                continue
            if g == "kind_onder_5" and not m.random.random() < m.pp["ask_9a"]:
                continue
            if g == "medisch" and m.random.random() < cw.freedom * cw.ethnocentrism * 0.3:
                continue
            scope, months = pv["exemptions"][g]
            self.ex_ground, self.ex_full, self.ex_left = gi, scope == "volledig", months
            if months > 0:
                m.exempted[self] = None
            self.ex_no += 1
            self.log("ontheffing_start", t, day, cw.uid, a=gi, b=self.ex_no, c=months, r=1)
            break
        if not self.ex_full:
            self.log("plan_van_aanpak", t, day, cw.uid, b=1)
        # M5 Work First at the gate within its yearly capacity
        wf = pv["wf"]
        if wf.enabled and t >= 0 and not self.ex_full:
            if any(pv["rank_of"].get(lv) == self.rank for lv in wf.levels):
                year = t // 12
                cap = int((wf.capacity_per_year or 250) * m.n0 / 2000)
                if m.wf_used.get(year, 0) < cap and m.budget.affordable([m.p.work_first_price], t) == 1:
                    m.wf_used[year] = m.wf_used.get(year, 0) + 1
                    k = KINDS.index("work_first")
                    self.start_traj(t, k, m.WF, m.p.work_first_price, k, False, day)

    # --- trajectories --------------------------------------------------------------------------------------
    def start_traj(self, t, kind, prov, price, rec_kind, dev, day):
        m = self.model
        self.traj_no += 1
        self.traj_spell += 1
        self.traj_kind, self.traj_prov, self.traj_price = kind, prov, price
        self.traj_left = max(1, round((m.pv["wf"].max_weeks or 20) / 4.33)) if prov == m.WF else m.prov_months[prov]
        m.in_traj[self] = None  # M8 steps the clients in a trajectory only
        m.budget.spend_w(price)
        if prov != m.WF:
            m.prov_occ[prov] += 1
        self.log(
            "traject_start", t, day, self.caseworker.uid, a=kind, b=self.traj_no, c=prov, x=price, r=rec_kind, dev=dev
        )
        m.monthly["traj_started"][t] += 1

    def end_traj(self, t, result, day, success):
        m = self.model
        pay = m.pv["payment"]
        eff = (pay.effort_percentage or 100) / 100 if pay.model == "no_cure_less_pay" else 1.0
        if not success:
            m.budget.spend_w(-self.traj_price * (1 - eff))
        self.log(
            "traject_einde",
            t,
            day,
            self.caseworker.uid,
            a=result,
            b=self.traj_no,
            x=self.traj_price * (1.0 if success else eff),
        )
        if self.traj_prov != m.WF:
            m.prov_occ[self.traj_prov] -= 1
        self.traj_left = 0
        del m.in_traj[self]
        self.last_traj_end = t
        m.monthly["traj_ended"][t] += 1
        m.monthly["traj_success"][t] += success
        self.caseworker.remember(self.group, success)  # B6

    # --- monthly phases ------------------------------------------------------------------------------------
    def depart(self):
        """M9 → M6: the client leaves the model (``Agent.remove``: no longer stepped). Unless gone for good, the month
        of return is drawn now by inverting the survival curve of the monthly relapse hazard (h0 × 0.5^(s /
        half-life) in month s after the exit: the same distribution as a Bernoulli draw every month off benefit, as
        in Regie) and the agent is kept in the model's schedule of returns."""
        m = self.model
        self.remove()
        if self.status != 2:
            return
        neg_surv = m.neg_surv_work if self.exit_work else m.neg_surv_other
        back = m.t + bisect.bisect_right(neg_surv, -m.random.random()) + 1
        if back < m.p.months:
            self.ticks_at_exit = m.year_ticks
            m.relapse_sched[back].append(self)

    def come_back(self):
        """M6 the client returns (re-registered with the model): the ages advance by the years that passed."""
        m = self.model
        m.register_agent(self)
        years = m.year_ticks - self.ticks_at_exit
        self.age += years
        self.youngest += years

    def review(self):
        """M7 exemption terms end (the model steps the exempted only); M11 plan review every 12 months on benefit
        (the model steps the clients whose review month it is: :meth:`plan_review`)."""
        m = self.model
        if self.status != 1 or self.fresh:
            return
        t = m.t
        if self.ex_left == 1:
            self.log("ontheffing_einde", t, 0, self.caseworker.uid, a=0, b=self.ex_no)
            g = self.ex_ground
            keep_p = (1.0 if self.youngest < 5 else 0.0) if g == 0 else (0.7 if g == 2 else 0.5)
            if m.random.random() < keep_p:
                months = m.pv["exemptions"].get(GROUNDS[g], ("volledig", 12))[1]
                self.ex_left = months
                self.ex_no += 1
                self.log("ontheffing_start", t, 0, self.caseworker.uid, a=g, b=self.ex_no, c=months, r=1)
            else:
                self.ex_left, self.ex_ground, self.ex_full = 0, -1, False
                m.exempted.pop(self, None)
        elif self.ex_left > 1:
            self.ex_left -= 1

    def plan_review(self):
        """M11 plan review every 12 months on benefit (stepped in its month of the year only)."""
        m = self.model
        if self.status != 1 or self.fresh:
            return
        self.rec_rank, self.eligible, _ = self.assess(m.pv, m.on_date)

    def trajectory(self):
        """M8 a trajectory ends: success at the provider's rate × ability, motivation, market, kind (the model steps
        the clients in a trajectory only)."""
        m = self.model
        if self.status != 1 or self.traj_left <= 0:
            return
        self.traj_left -= 1
        if self.traj_left:
            return
        t = m.t
        base = m.p.work_first_success if self.traj_prov == m.WF else m.prov_succ[self.traj_prov]
        ps = (
            base
            * (self.kunnen / 0.45)
            * ((0.5 + self.willen) / (0.5 + m.willen_mean))
            * m.market.work_mult[t]
            * KIND_SUCCESS[self.traj_kind]
        )
        success = m.random.random() < min(max(ps, 0.0), 0.95)
        if not success:
            self.willen = max(0.0, self.willen - 0.08)
        result = (1 if m.random.random() < 0.15 else 0) if success else (3 if m.random.random() < 0.4 else 2)
        day = m.random.randrange(14, 28)
        self.end_traj(t, result, day, success)
        self.traj_end_day = day
        if success:
            self.forced, self.forced_day, self.forced_sub = True, day, result == 1

    def exit(self):
        """M9 exits of spells that began before this month; pension at the AOW age."""
        m = self.model
        if self.status != 1 or self.fresh:
            return
        t, p = m.t, m.p
        cw = self.caseworker
        hw = (
            m.hw_type[self.type]
            * m.market.work_mult[t]
            * math.exp(-p.scarring_per_year * self.cum / 12)
            * ((0.5 + self.willen) / (0.5 + m.willen_mean)) ** p.motivation_effect
            * (1 + p.contact_lift if self.seen else 1.0)
            * (p.lock_in if self.traj_left > 0 else 1.0)
            * (p.exempt_work_factor if self.ex_full else 1.0)
            * (0.6 if self.age >= 55 else 1.0)
        )
        ho = (
            m.ho_type[self.type]
            * (1 + 0.5 * cw.bureaucratic if self.seen else 1.0)
            * (1.5 if self.sanc_left > 0 else 1.0)
        )
        u = m.random.random()
        pension = self.age >= p.pension_age
        to_work = (u < hw or self.forced) and not pension
        other = not to_work and u < hw + ho and not pension
        if not (to_work or other or pension):
            return
        if to_work:
            reason = 1 if m.random.random() < 0.15 else 0
        elif pension:
            reason = 2
        else:
            reason = 3 + m.other_idx[m.random.choices(m.other_idx, cum_weights=m.other_cum)[0]]
        day = m.random.randrange(14, 28)
        if self.forced:
            day = self.forced_day
            if to_work:
                reason = 1 if self.forced_sub else 0
        if self.last_traj_end == t:
            day = max(day, self.traj_end_day)
        self.forced = False
        if self.traj_left > 0:
            self.end_traj(t, (1 if reason == 1 else 0) if to_work else 5, day, to_work)
        if self.ex_left > 0:
            self.log("ontheffing_einde", t, day, cw.uid, a=2, b=self.ex_no)
        m.exempted.pop(self, None)
        self.ex_left, self.ex_full = 0, False
        del m.review_due[self.review_slot][self]
        self.log("uitstroom", t, day, cw.uid, a=reason)
        self.status = 3 if reason in GONE else 2
        self.exit_month, self.exit_work = t, to_work
        cw.clients.remove(self)
        m.monthly["outflow"][t] += 1
        m.monthly["outflow_work"][t] += to_work
        self.depart()

    def exit_and_pay(self):
        """M9 and M10 in one pass over the clients: M10 draws nothing and reads no other client, so paying each
        client right after its exit check gives the same results as a second pass over those still on benefit."""
        self.exit()
        if self.status == 1:
            self.pay()

    def pay(self):
        """M10 benefit against the I-deel (less a sanction); months on benefit."""
        m = self.model
        self.fresh = False
        self.seen = False
        if m.t % 12 == 11:  # ages advance once a year (off benefit: added at the return, come_back)
            self.age += 1.0
            self.youngest += 1.0
        amount = self.amount
        if self.sanc_left > 0:
            amount -= self.amount * self.sanc_pct / 100
            self.sanc_left -= 1
        m.budget.spend_i(amount)
        m.monthly["i_spent"][m.t] += amount
        m.monthly["stock"][m.t] += 1
        self.dur += 1
        self.cum += 1


class Caseworker(mesa.Agent):
    def __init__(self, model, i: int, cw):
        super().__init__(model)
        self.uid = i
        self.team = int(cw.team[i])
        self.freedom = float(cw.freedom[i])
        self.creaming = float(cw.creaming[i])
        self.ethnocentrism = float(cw.ethnocentrism[i])
        self.routinisation = float(cw.routinisation[i])
        self.professional, self.bureaucratic, self.market = (float(x) for x in cw.logic[i])
        self.offer_mult = float(cw.offer_mult[i])
        self.warn_pref = float(cw.warn_pref[i])
        self.capacity = float(model.p.hours_per_month * (1 - cw.admin_share[i]) * cw.effort[i] / model.p.contact_hours)
        self.memory = [0.08] * 6
        # B7 ethnocentrism's factor on offers to a client with a language barrier: fixed for the caseworker
        self.lang_factor = 1 - 0.5 * min(self.ethnocentrism * (1 - self.professional), 1)
        self.clients: list[Client] = []
        self.seen: list[Client] = []  # B3: the old clients seen this month, in caseload order (for B4)

    def remember(self, group, success):  # B6 routinisation
        self.memory[group] = 0.7 * self.memory[group] + 0.3 * (1.0 if success else 0.0)

    def step(self):
        """B2 time budget, B3 attention, B5 offers."""
        m = self.model
        p, pv, t = m.p, m.pv, m.t
        old = [c for c in self.clients if not c.fresh]
        cap = max(0.0, self.capacity - (len(self.clients) - len(old)))  # less this month's intakes
        self.seen = []
        if not old:
            return
        pressure = min(max(len(self.clients) / pv["norm"] - 1.0, 0.0), 2.0) + (0.5 if m.w_scarce else 0.0)
        s_eff = self.creaming * (0.5 + self.market) * (1 + pressure)
        within = pv["within"]
        # B6: the routine factor per group, once per month (the memory changes only when trajectories end, after B5)
        routine = [(max(mem, 1e-3) / 0.08) ** self.routinisation for mem in self.memory]
        scores, weights = [], []
        for c in old:
            sc = c.perceived(self)
            w = math.exp(max(-6.0, min(6.0, self.freedom * s_eff * sc)))
            if m.rules and c.traj_spell == 0 and within - 3 <= c.dur <= within:
                w *= p.deadline_boost
            scores.append(sc)
            weights.append(w)
        total = sum(weights) or 1e-9
        cands = []
        for c, sc, w in zip(old, scores, weights, strict=True):
            c.seen = m.random.random() < cap * w / total
            if c.seen:
                self.seen.append(c)
            if c.seen and c.traj_left == 0 and t - c.last_traj_end >= 6 and c.dur >= 1:
                dl = m.rules and c.traj_spell == 0 and within - 3 <= c.dur <= within
                rule = p.offer_rate * c.eligible * (p.deadline_boost if dl else 1.0)
                own = (
                    p.offer_rate
                    * math.exp(max(-6.0, min(6.0, s_eff * sc)))
                    * routine[c.group]
                    * (self.lang_factor if c.lang else 1.0)
                )
                cands.append((c, rule, own))
        if not cands:
            return
        k = sum(r for _, r, _ in cands) / max(sum(o for _, _, o in cands), 1e-12)
        for c, rule, own in cands:
            p_off = (
                ((1 - self.freedom) * rule + self.freedom * own * k)
                * self.offer_mult
                * (p.exempt_offer_factor if c.ex_full else 1.0)
            )
            if m.random.random() < p_off:
                free = [i for i in range(len(m.prov_cap)) if m.prov_occ[i] < m.prov_cap[i]]
                if not free:
                    continue
                prov = m.random.choices(free, [m.prov_cap[i] - m.prov_occ[i] for i in free])[0]
                price = m.prov_price[prov]
                if m.budget.affordable([price], t) < 1:
                    continue
                kind = pv["kind_of_rank"][c.rank]
                rec_kind = -1 if c.eligible == 0 else pv["kind_of_rank"][c.rec_rank]
                c.start_traj(t, kind, prov, price, rec_kind, rec_kind != kind, m.random.randrange(0, 14))

    def respond(self):
        """B4 breaches by seen, non-exempted clients: the policy's sanction (single-case call) or a warning."""
        m = self.model
        t = m.t
        for c in self.seen:  # only the seen can breach: not a pass over the whole caseload
            if c.ex_full:
                continue
            if not m.random.random() < m.p.breach_rate * (1.6 - c.willen) / (1.6 - m.willen_mean):
                continue
            ob = 1 if m.random.random() < 0.5 else 0
            step = 2 if t - c.last_breach <= 12 else 1
            c.last_breach = t
            obligation = ("arbeidsverplichting", "reintegratie")[ob]
            out = policy_api.sanction_for(m.pv["policy"], obligation, 2 if ob == 1 else None, step, c.rank)
            if out.decided and out.value:
                pct, months = out.value.get("percentage", 0), out.value.get("months", 1)
            else:
                pct, months = (100.0, 1) if ob == 0 else (30.0, 1)
            day = m.random.randrange(0, 14)
            if m.random.random() < self.freedom * self.warn_pref:
                c.log("waarschuwing", t, day, self.uid, a=ob, dev=True)
                m.monthly["warnings"][t] += 1
            else:
                c.log("maatregel", t, day, self.uid, a=ob, b=step, c=months, x=pct)
                c.sanc_left, c.sanc_pct = months, pct
                c.willen = min(1.0, c.willen + 0.05)
                m.monthly["sanctions"][t] += 1


class LabModel(mesa.Model):
    def __init__(self, p: LabParams, seed: int = 1):
        super().__init__(seed=seed)
        self.p = p
        self.n0 = p.clients
        T = p.months
        rng = np.random.default_rng(seed)  # set-up draws (the same distributions as Regie)
        self.market = build_market(p.market, p.start, T, p.market_overrides)
        self.pp = adapters.population_params()
        self.arrivals = rng.poisson(p.first_inflow_per_year * p.clients / 12 * self.market.inflow_mult)
        self.pool = _draw_pool(p, rng, p.clients, int(self.arrivals.sum()))
        self.next_row = 0
        self.t = -1
        self.on_date = p.policy_on or p.start
        self.pv = _derive(adapters.policy_for(p.policy, self.on_date))
        self.rules = (p.steering_override or self.pv["steering"]) == "rules"
        cw = make_caseworkers(p, p.steering_override or self.pv["steering"], rng, prior_success=0.08)
        self.caseworkers = [Caseworker(self, i, cw) for i in range(p.caseworkers)]
        self.budget = Budget(
            i_deel_per_year=p.clients * float(self.pool["amount"][: p.clients].mean()) * 12,
            w_deel_per_year=p.w_deel_per_client * p.clients,
        )
        self.prov_cap = [max(1, round(pr["capacity"] * p.clients)) for pr in p.providers]
        self.prov_price = [pr["price"] for pr in p.providers]
        self.prov_succ = [pr["success"] for pr in p.providers]
        self.prov_months = [pr["months"] for pr in p.providers]
        self.prov_occ = [0] * len(p.providers)
        self.WF = len(p.providers)
        self.hw_type = [p.types[k][0] for k in TYPES]
        self.ho_type = [p.types[k][1] for k in TYPES]
        other = [self.pp["other_reasons"][k] for k in OTHER_REASONS]
        self.other_p = [x / sum(other) for x in other]
        self.other_idx = list(range(len(OTHER_REASONS)))
        self.other_cum = list(itertools.accumulate(self.other_p))  # what random.choices makes of weights, once
        self.willen_mean = 4.0 / 7.0
        self.wf_used: dict = {}
        # the clients a monthly phase has to step, kept as they change (dicts: insertion order, so a run is
        # reproducible): in a trajectory (M8), with an exemption running (M7), by their month of the plan review (M11)
        self.in_traj: dict[Client, None] = {}
        self.exempted: dict[Client, None] = {}
        self.review_due: list[dict[Client, None]] = [{} for _ in range(12)]
        self.n_cases = 0
        self.events: list[tuple] = []
        self.relapse_sched: list[list[Client]] = [[] for _ in range(T)]  # M6 returns by month
        self.year_ticks = 0  # year ends passed (ages advance)
        decay = [0.5 ** (s / p.relapse_half_life_months) for s in range(1, T + 1)]
        self.neg_surv_work = self._neg_survival(p.relapse_after_work, decay)
        self.neg_surv_other = self._neg_survival(p.relapse_after_other, decay)
        self.agent_steps = 0
        self.monthly = {
            k: [0.0] * T
            for k in (
                "stock",
                "outflow",
                "outflow_work",
                "traj_started",
                "traj_ended",
                "traj_success",
                "i_spent",
                "sanctions",
                "warnings",
                "classifications",
                "class_deviations",
            )
        }
        self.w_scarce = False
        # M1 starting stock: spells begun in the past (geometric durations), intake dated then
        for _ in range(p.clients):
            c = Client(self, self.next_row, self.pool)
            self.next_row += 1
            h = self.hw_type[c.type] + self.ho_type[c.type]
            d0 = min(int(rng.geometric(h)), 240)
            c.age = max(18.0, c.age)
            c.intake(-d0, self.random.randrange(0, 14), self.on_date, dur0=d0)
            c.cum = d0
            c.fresh = False
            if c.ex_left > 0:
                c.ex_left = max(1, int(c.ex_left * self.random.random()))

    @staticmethod
    def _neg_survival(h0: float, decay: list[float]) -> list[float]:
        out, s = [], 1.0
        for d in decay:
            s *= 1 - min(1.0, h0 * d)
            out.append(-s)
        return out

    def step(self):
        self.t += 1
        t, p = self.t, self.p
        self.on_date = p.policy_on or _month_date(p.start, t)
        self.pv = _derive(adapters.policy_for(p.policy, self.on_date))
        self.rules = (p.steering_override or self.pv["steering"]) == "rules"
        self.budget.start_month(t)
        clients = self.agents_by_type[Client]
        # M2 arrivals, M6 relapse (scheduled at the exit), M5 deterrence, M3 intake
        back = self.relapse_sched[t]
        for c in back:
            c.come_back()
        new = []
        for _ in range(int(self.arrivals[t])):
            c = Client(self, self.next_row, self.pool)
            self.next_row += 1
            new.append(c)
        clients = self.agents_by_type[Client]
        wf = self.pv["wf"]
        for c in new:
            if wf.enabled:
                _, _, rec = c.assess(self.pv, self.on_date)
                lv = rec.classification.value["level"] if rec.classification.decided else None
                if lv in wf.levels and self.random.random() < p.work_first_deterrence:
                    c.status = 3
                    c.log("melding", t, self.random.randrange(0, 14))
                    c.remove()
                    continue
            c.intake(t, self.random.randrange(0, 14), self.on_date)
        for c in back:
            prev = c.case
            c.intake(t, self.random.randrange(0, 14), self.on_date, relapse_prev=prev)
        self.w_scarce = self.budget.w_left < 0.25 * self.budget.w_deel_per_year
        # M7 / M11, then the caseworkers (B2, B3, B5), trajectory ends (M8), breaches (B4), exits (M9), money (M10)
        # (M7, M8 and M11 step only the clients they concern, not every client on benefit)
        for c in list(self.exempted):
            c.review()
        for c in list(self.review_due[t % 12]):
            c.plan_review()
        cws = self.agents_by_type[Caseworker]
        cws.do("step")
        for c in list(self.in_traj):
            c.trajectory()
        cws.do("respond")
        self.agent_steps += len(clients) + len(cws)  # the agents stepped this month (on benefit, and caseworkers)
        clients.do("exit_and_pay")  # M9 then M10 in one pass (no draw in M10; a leaver is not paid)
        if t % 12 == 11:
            self.year_ticks += 1


def run(clients=40_000, caseworkers=300, months=120, seed=1, params: LabParams | None = None) -> dict:
    p = (params or LabParams()).with_overrides({"clients": clients, "caseworkers": caseworkers, "months": months})
    m = LabModel(p, seed)
    for _ in range(months):
        m.step()
    by_type = [0] * len(EV)
    for e in m.events:
        by_type[e[0]] += 1
    return {
        "stock_end": int(m.monthly["stock"][-1]),
        "events": len(m.events),
        "events_by_type": {name: by_type[i] for name, i in EV.items()},
        "agent_steps": m.agent_steps,
        "agents": len(m.agents),
        "outflow": int(sum(m.monthly["outflow"])),
        "traj_started": int(sum(m.monthly["traj_started"])),
    }


if __name__ == "__main__":
    import sys
    import time

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    t0 = time.perf_counter()
    out = run(n, max(1, n // 133), 120)
    out["seconds"] = round(time.perf_counter() - t0, 2)
    print(out)
