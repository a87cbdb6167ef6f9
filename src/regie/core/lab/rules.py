"""The rules of the policy lab, one function per rule of docs/lab.md (M1-M11 population and flows; the caseworker
rules B1-B9 are computed in behaviour.py and applied here). ``model.step`` calls them in this order each month:

    rule_m2_inflow → rule_m5_work_first_deterrence → rule_m3_intake (B8, M4, M5 inside; M11 assessed in the same
    engine batch) → caseloads → rule_m7_exemption_review → rule_m11_plan_review → rule_b3_attention (B2, B7, B9) →
    rule_b5_offers → rule_m8_trajectories_end (B6) → rule_b4_sanctions → rule_m9_exits → rule_m6_relapse →
    rule_m10_money

Every rule reads and writes the :class:`~regie.core.lab.state.LabState` ``s`` and the month's
:class:`~regie.core.lab.state.Month` ``m``. Random draws come from ``s.rng`` only; their order is part of the model
(a run is a pure function of params and seed), so a rule must not draw more, less or earlier than it does.
"A" marks an assumption, as in docs/lab.md.
"""

from __future__ import annotations

import numpy as np

from . import adapters
from .behaviour import N_GROUPS, capacity, perceived, pressure, routine_factor, update_memory
from .state import (
    EDUCATION,
    FIXED_FACTS,
    GONE,
    GONE_REASONS,
    GROUNDS,
    HOUSEHOLDS,
    KIND_SUCCESS,
    KINDS,
    LEFT,
    OFFER_NEVER,
    ON_BENEFIT,
    ORIGINS,
    REASONS,
    TYPES,
    LabState,
    Month,
    month_date,
    sub,
)


# --- M1 clients, M2 first-time inflow (drawn before the run) ---------------------------------------------------
def rule_m2_first_inflow(p, market, rng: np.random.Generator) -> np.ndarray:
    """M2 inflow: first-time arrivals per month, Poisson with 18.5% of the starting stock a year × the labour
    market's inflow multiplier (domain brief section 8; level A, calibrated). Drawn up front: the pool is fixed."""
    lam = p.first_inflow_per_year * p.clients / 12 * market.inflow_mult
    return rng.poisson(lam)


def rule_m1_clients(p, rng: np.random.Generator, n0: int, arrivals: int) -> dict:
    """M1 clients: the starting stock and all first-time arrivals, drawn from the synthetic generator's
    distributions (regie.core.synth.params; seed 000 Tabel 2.1-2.3). Duration type kort/midden/graniet (the
    starting stock in the stationary mix of constant hazards, A); "kunnen" Beta by type, "willen" Beta(4,3)
    (seed 000:366); health, medical claim, language barrier, childcare, care duties by assumption (A)."""
    pp = adapters.population_params()
    n = n0 + arrivals
    shares = np.array([pp["duration_types"][k][0] for k in TYPES])
    h_tot = np.array([sum(p.types[k]) for k in TYPES])
    stock_shares = shares / h_tot / (shares / h_tot).sum()  # M1: stationary stock mix for constant hazards
    typ = np.concatenate([rng.choice(3, size=n0, p=stock_shares), rng.choice(3, size=arrivals, p=shares)]).astype(
        np.int8
    )
    bands = pp["age_bands"]
    w = np.array([b[2] for b in bands]) / sum(b[2] for b in bands)
    band = rng.choice(len(bands), size=n, p=w)
    lo = np.array([b[0] for b in bands])[band]
    hi = np.array([b[1] for b in bands])[band]
    age = rng.uniform(lo, hi)
    age[n0:] -= rng.uniform(0, pp["inflow_age_shift"], size=arrivals)
    age = np.clip(age, 18, 64.9)
    hh = rng.choice(3, size=n, p=[pp["household"][k] for k in HOUSEHOLDS]).astype(np.int8)
    female = rng.random(n) < pp["share_female_other"]
    sp = hh == 1
    female[sp] = rng.random(int(sp.sum())) < pp["single_parent_female"]
    origin = rng.choice(3, size=n, p=[pp["origin"][k] for k in ORIGINS]).astype(np.int8)
    edu = rng.choice(len(EDUCATION), size=n, p=[pp["education"][k] for k in EDUCATION]).astype(np.int8)
    kids = np.where(
        hh == 1, 1 + rng.poisson(0.7, n), np.where((hh == 2) & (rng.random(n) < 0.5), 1 + rng.poisson(0.8, n), 0)
    )
    youngest = np.where(kids > 0, rng.uniform(0, 16, n), np.nan)
    youngest = np.minimum(youngest, np.maximum(age - 18, 0))
    health = rng.random(n) < np.array([p.health_limitation[k] for k in TYPES])[typ]
    claim = health & (rng.random(n) < p.medical_claim_if_limited)
    lang = rng.random(n) < np.array([p.language_barrier[k] for k in ORIGINS])[origin]
    ka = np.array([6.0, 4.0, 2.0])[typ]
    kb = np.array([3.0, 4.0, 5.0])[typ]
    kunnen = rng.beta(ka, kb)
    willen = rng.beta(4.0, 3.0, n)
    ranges = [pp["duration_types"][k][2] for k in TYPES]
    emw = rng.uniform(np.array([r[0] for r in ranges])[typ], np.array([r[1] for r in ranges])[typ]).round()
    amount = np.where(hh == 2, p.benefit_single * 1.43, p.benefit_single) * rng.normal(1.0, 0.08, n)
    return {
        "type": typ,
        "age": age,
        "household": hh,
        "female": female,
        "origin": origin,
        "education": edu,
        "n_children": kids.astype(np.int16),
        "youngest": youngest,
        "health": health,
        "claim": claim,
        "lang": lang,
        "kunnen": kunnen,
        "willen": willen,
        "emw": emw,
        "amount": amount,
        "childcare": rng.random(n) < p.childcare_arranged,
        "care": rng.random(n) < p.care_duties,
        "requested": rng.random(n) < 0.10,
    }


def rule_m1_starting_stock(s: LabState) -> None:
    """M1 starting stock: spells that began before the start, durations geometric with the type's total exit
    hazard (at most 240 months); their start events are dated in the past and classified by the version in force
    at the start; an exemption has a random part of its term behind it (A)."""
    rng, n0, cl = s.rng, s.n0, s.cl
    h_tot = s.hw_type + s.ho_type
    d0 = np.minimum(rng.geometric(h_tot[cl["type"][:n0]]), 240).astype(np.int32)  # began before the start
    idx0 = np.arange(n0)
    s.start_m[idx0] = -d0  # spell months at month 0: d0 (LabState.dur), in total: d0
    offer_from_now(s, idx0)
    s.phase[idx0] = (-d0) % 12
    s.age[idx0] = np.maximum(18, s.age[idx0])
    intake(s, idx0, -d0.astype(np.int32), s.pol0, rng.integers(0, 14, n0).astype(np.int8))
    # the term granted at the intake, L = ex_end + 1 (granted "in month -1"), becomes max(1, L × u)
    has = idx0[s.ex_end[idx0] >= 0]
    s.ex_end[has] = np.maximum(1, ((s.ex_end[has] + 1) * rng.random(len(has))).astype(np.int16)) - 1
    schedule_exemption_ends(s, has)
    s.on_idx = idx0  # on benefit, in client order (kept up to date by M10)
    s.review_next = idx0[s.phase[idx0] == 0]  # M11: due in month 0 (then M10 notes next month's)


# --- shared steps: the engine's assessment, Work First, trajectories --------------------------------------------
def schedule_exemption_ends(s: LabState, idx) -> None:
    """Note the month each exemption of ``idx`` comes up for the M7 review (``s.ex_end``), so that M7 looks at
    those clients only: months left of the exemption in month t = ex_end - t (after M7), running while > 0."""
    e = s.ex_end[idx]
    keep = (e >= 0) & (e < s.T)
    if not keep.all():
        idx, e = idx[keep], e[keep]
    if len(idx):
        o = np.argsort(e, kind="stable")
        months, first = np.unique(e[o], return_index=True)
        parts = idx[o]
        for mo, a, b in zip(months.tolist(), first.tolist(), [*first[1:].tolist(), len(parts)]):
            s.ex_sched[mo].append(parts[a:b])  # the pieces np.split gives, without its overhead


def refresh_score(s: LabState, idx) -> None:
    """B3's score of how promising clients ``idx`` look (``behaviour.perceived`` with the caseworker's B7 term
    cached per caseworker), into ``s.score_all``: called wherever an input changes (the caseworker at the intake,
    willen in M8 and B4, ages once a year in M10), so that B3 reads it with one gather. The operations are B3's
    former ones, in the same order, elementwise: bit for bit the same scores."""
    sc = s.cl["kunnen"][idx]  # + 0.5 willen - 0.01 age - const - ethno × lang, evaluated in this order
    tmp = s.willen[idx]
    tmp *= 0.5
    sc += tmp
    np.multiply(s.age[idx], 0.01, out=tmp)
    sc -= tmp
    sc -= 0.275 - 0.4 + 0.45
    li = np.flatnonzero(s.cl["lang"][idx])  # the ethnocentrism term is 0 without a language barrier
    sc[li] -= s.ethno_pen[s.who[idx[li]]]
    sc *= 4.0  # = behaviour.perceived ((raw - 0.45) / 0.25)
    s.score_all[idx] = sc


def offer_from_now(s: LabState, idx) -> None:
    """B5's first month of an offer for clients ``idx`` without a running trajectory (``LabState.offer_from``):
    called where ``last_traj_end`` or ``start_m`` changes (the end of a trajectory, the intake)."""
    s.offer_from[idx] = np.maximum(s.last_traj_end[idx] + 6, s.start_m[idx] + 1)


def facts(s: LabState, idx, used=None) -> dict:
    """The facts the policy engine assesses (the same names as casework's). ``used``: only the facts the policy's
    rules read (``state.derive_policy``); the engine takes a fact it is not given as unknown, which no rule sees."""
    ff = s.facts_f
    if used is not None:
        # the fixed facts of idx in one gather of their rows (LabState.facts_m), turned into one contiguous array
        # per fact: the same values as the gathers of the separate columns
        rows = s.facts_m.take(idx, axis=0).T.copy()  # fact × client: contiguous columns for the engine
        claim = rows[_FIXED_COL["medical_claim"]]
        get = _FACT_GETTERS
        return {k: get[k](s, idx, claim, rows) for k in used if k in get}  # a fact the lab has no value for: unknown
    claim = ff["medical_claim"][idx]
    return {
        "age": s.age[idx],
        "expected_months_to_work": s.cl["emw"][idx],
        "youngest_child_age": s.youngest[idx],
        "n_children": ff["n_children"][idx],
        "has_partner": ff["has_partner"][idx],
        "childcare_arranged": ff["childcare_arranged"][idx],
        "medical_claim": claim,
        "health_limitation": ff["health_limitation"][idx],
        "care_duties": ff["care_duties"][idx],
        "requested_trajectory": ff["requested_trajectory"][idx],
        "days_on_benefit": s.dur(idx) * 30.44,
        "level_rank": s.rank[idx].astype(float),
        # The lab does not model the wait for the medical advice: a claim is assumed assessed as not able to work
        # (assumption, as the lab's medical exemption was before a claim alone stopped being one, seed 000:694-696).
        "medically_unfit": claim,
        "medically_partly_fit": np.zeros(len(idx)),
    }


_FIXED_COL = {k: j for j, k in enumerate(FIXED_FACTS)}
_FACT_GETTERS = {
    "age": lambda s, idx, claim, rows: s.age[idx],
    "youngest_child_age": lambda s, idx, claim, rows: s.youngest[idx],
    "days_on_benefit": lambda s, idx, claim, rows: s.dur(idx) * 30.44,
    "level_rank": lambda s, idx, claim, rows: s.rank[idx].astype(float),
    "medically_unfit": lambda s, idx, claim, rows: claim,
    "medically_partly_fit": lambda s, idx, claim, rows: np.zeros(len(idx)),
    "medical_claim": lambda s, idx, claim, rows: claim,
    **{k: (lambda s, idx, claim, rows, j=j: rows[j]) for k, j in _FIXED_COL.items() if k != "medical_claim"},
}


def assess(s: LabState, idx, pv, on):
    """The policy engine's assessment (batch API) → recommended rank and trajectory eligibility, and the result."""
    rec = adapters.recommend_batch(pv["policy"], facts(s, idx, pv["facts_used"]), on)
    # the level's rank straight from the index of the routing rule that decided it (-1: the farthest rank), as
    # level_ranks maps the level ids
    return (
        pv["rank_by_rule"][rec.routing_rule],
        np.where(np.isnan(rec.trajectory_eligible), 1.0, rec.trajectory_eligible),
        rec,
    )


def work_first(s: LabState, pv):
    """M5 Work First as the policy has it, or switched on/off by ``work_first_override``. Switched on for a policy
    without Work First levels, it applies to the routed level closest to work (A)."""
    p = s.p
    if p.work_first_override is None:
        return pv["wf"].enabled, pv["wf_ranks"], list(pv["wf"].levels)
    if not p.work_first_override:
        return False, np.zeros(0, int), []
    routed = [pv["rank_of"][r.level] for r in pv["policy"].routing.rules if r.level in pv["rank_of"]]
    ranks = pv["wf_ranks"] if len(pv["wf_ranks"]) else np.array([min(routed, default=pv["min_rank"])])
    return True, ranks, [pv["level_ids"][int(r)] for r in ranks]


def start_trajectory(s: LabState, idx, t, pv, kind, prov_idx, price, rec_kind, dev, day) -> None:
    """A trajectory starts (B5 offers, M5 Work First): its months from the provider (Work First: the policy's
    weeks), its full price committed against the W-deel (M10)."""
    s.traj_no[idx] += 1
    s.traj_spell[idx] += 1
    s.traj_kind[idx] = kind
    s.traj_prov[idx] = prov_idx
    months = np.where(
        prov_idx == s.WF,
        max(1, round((pv["wf"].max_weeks or 20) / 4.33)),
        s.prov_months[np.minimum(prov_idx, len(s.prov_months) - 1)],
    )
    s.traj_left[idx] = months
    s.offer_from[idx] = OFFER_NEVER
    # the full price is committed against the W-deel; "no cure, less pay" releases the unpaid part at the end
    s.traj_price[idx] = price
    s.budget.spend_w(float(price.sum()))
    s.monthly["w_spent"][t] += price.sum()
    s.log.add(
        "traject_start",
        idx,
        s.case[idx],
        t,
        day,
        s.who[idx],
        a=kind,
        b=s.traj_no[idx],
        c=prov_idx,
        x=price,
        r=rec_kind,
        dev=dev,
    )
    s.monthly["traj_started"][t] += len(idx)
    s.monthly["traj_deviations"][t] += int(np.sum(dev))


def end_trajectory(s: LabState, idx, t, result_code, day, success) -> None:
    """A trajectory ends (M8, or M9 when the client leaves during it): "no cure, less pay" releases the unpaid part
    of the price (seed 001:983-998, M10); B6 routinisation: the caseworker's memory of this group's success is
    updated (seed 000:540-545)."""
    p, monthly = s.p, s.monthly
    pv = s.policy_on(p.policy_on or month_date(p.start, max(t, 0)))
    pay = pv["payment"]
    eff = (pay.effort_percentage or 100) / 100 if pay.model == "no_cure_less_pay" else 1.0
    release = np.where(success, 0.0, s.traj_price[idx] * (1 - eff))
    s.budget.spend_w(-float(release.sum()))
    if t >= 0:
        monthly["w_spent"][t] -= release.sum()
    cost = s.traj_price[idx] * np.where(success, 1.0, eff)
    s.log.add("traject_einde", idx, s.case[idx], t, day, s.who[idx], a=result_code, b=s.traj_no[idx], x=cost)
    n_prov = len(s.prov_cap)
    np.subtract.at(s.prov_occ, s.traj_prov[idx][s.traj_prov[idx] < n_prov], 1)
    s.traj_left[idx] = 0
    s.last_traj_end[idx] = t
    offer_from_now(s, idx)
    if t >= 0:
        monthly["traj_ended"][t] += len(idx)
        monthly["traj_success"][t] += int(np.sum(success))
    update_memory(s.cw, s.who_i[idx], s.group[idx], success)  # B6 (who_i: who as an index, int64)


# --- M3 intake and what happens in it (B8, M4, M5) --------------------------------------------------------------
def intake(s: LabState, idx, t, pv, day, relapse_prev=None, review=None):
    """M3 intake: a new spell — melding, (herinstroom,) aanvraag, toekenning, caseworker assignment (a random
    caseworker), intake (~1 hour, seed 000:688-696), classification by the policy engine (``recommend_batch``) with
    B8 discretion, M4 exemptions, the plan van aanpak for clients with a work obligation (Pw art. 44a), M5 Work
    First at the gate (domain brief section 3). ``t`` is a month, or per client for the starting stock (months in
    the past). ``review``: clients of the M11 plan review, assessed in the same batch call; returns their
    (rank, eligible)."""
    k = len(idx)
    if k == 0:
        return
    p, cl, cw, log = s.p, s.cl, s.cw, s.log
    ids = np.arange(s.n_cases, s.n_cases + k, dtype=np.int32)
    s.n_cases += k
    s.case[idx] = ids
    s.status[idx] = ON_BENEFIT
    if np.ndim(t) == 0:
        s.start_m[idx] = t  # a new spell: 0 months (LabState.dur)
        offer_from_now(s, idx)
        s.phase[idx] = t % 12
    s.traj_spell[idx] = 0
    s.start_day[idx] = day
    s.who[idx] = s.who_i[idx] = s.rng.integers(0, s.C, size=k)
    s.b5_key[idx] = s.who_i[idx] * (2 * N_GROUPS) + s.b5_gl[idx]  # B5's (caseworker, group, barrier) key
    who = s.who
    refresh_score(s, idx)  # a new caseworker (B7 term)
    s.case_client.append(idx.copy())
    s.case_month.append(np.full(k, t) if np.ndim(t) == 0 else t.copy())
    s.case_day.append(np.asarray(day).copy() if np.ndim(day) else np.full(k, day))
    s.case_team.append(cw.team[who[idx]])
    log.add("melding", idx, ids, t, day, -1)
    if relapse_prev is not None:
        rb = relapse_prev >= 0
        log.add("herinstroom", idx[rb], ids[rb], t, sub(day, rb), -1, b=relapse_prev[rb])
    log.add("aanvraag", idx, ids, t, day, -1, a=cl["household"][idx])
    log.add("toekenning", idx, ids, t, day, who[idx], a=cl["household"][idx], x=cl["amount"][idx])
    log.add("caseworker_toewijzing", idx, ids, t, day, -1, a=who[idx])
    motiv = np.digitize(s.willen[idx], [0.45, 0.7])
    log.add("intake", idx, ids, t, day, who[idx], a=cl["claim"][idx], b=cl["emw"][idx], c=motiv)
    on = p.policy_on or month_date(p.start, max(int(np.max(t)) if np.ndim(t) else t, 0))
    both = review is not None and len(review) > 0
    rank_all, elig_all, rec = assess(s, np.concatenate([idx, review]) if both else idx, pv, on)
    rec_rank = rank_all[:k]
    s.rec_rank_of[idx] = rec_rank
    s.elig_of[idx] = elig_all[:k]
    grounds = {g: a[:k] for g, a in rec.exemption_grounds.items()}
    rule_b8_classification(s, idx, ids, t, day, pv, rec_rank)
    rule_m4_exemptions(s, idx, t, day, pv, grounds)
    # plan van aanpak for those with a work obligation (Pw art. 44a)
    ob = idx[~s.ex_full[idx]]
    log.add("plan_van_aanpak", ob, s.case[ob], sub(t, ~s.ex_full[idx]), sub(day, ~s.ex_full[idx]), who[ob], b=1)
    rule_m5_work_first_gate(s, idx, t, day, pv)
    return (rank_all[k:], elig_all[k:]) if both else None


def rule_b8_classification(s: LabState, idx, ids, t, day, pv, rec_rank) -> None:
    """B8 classification: the engine's level is the recommendation. A free caseworker (freedom ×
    ``classification_deviation``) acts on an own judgement: one rung towards work for promising clients (market
    logic, "A-tjes", seed 003:534), one rung away for groups with bad experiences (routinisation, seed 000:540-545
    "lager op de ladder dan noodzakelijk") or language problems (B7 ethnocentrism, seed 000:548-550); recorded
    with ``deviates``. Sizes A."""
    cl, cw = s.cl, s.cw
    k = len(idx)
    c = s.who[idx]
    score = perceived(
        cl["kunnen"][idx], s.willen[idx], s.age[idx], cl["lang"][idx], cw.ethnocentrism[c], cw.logic[c, 0]
    )
    mem = cw.memory[c, s.group[idx]]
    own = (
        np.where(score > 1.0, -1, 0)
        + np.where((mem < 0.05) & (cw.routinisation[c] > 0.5), 1, 0)
        + np.where(cl["lang"][idx] & (cw.ethnocentrism[c] > 0.6), 1, 0)
    )
    own = np.clip(own, -1, 1)
    act = (own != 0) & (s.rng.random(k) < cw.freedom[c] * s.p.classification_deviation)
    dec_rank = np.clip(rec_rank + np.where(act, own, 0), pv["min_rank"], pv["max_rank"]).astype(np.int8)
    dev = dec_rank != rec_rank
    s.rank[idx] = dec_rank
    s.log.add("classificatie", idx, ids, t, day, c, a=dec_rank, r=rec_rank, dev=dev)
    if np.ndim(t) == 0 and t >= 0:
        s.monthly["classifications"][t] += k
        s.monthly["class_deviations"][t] += int(dev.sum())


def rule_m4_exemptions(s: LabState, idx, t, day, pv, grounds: dict) -> None:
    """M4 exemptions (Pw art. 9, 9a; seed 002:692-717): the policy file's grounds from the engine, in the order of
    GROUNDS; art. 9a (kind_onder_5) is asked with probability ``ask_9a`` (synth ASK_9A, 0.8); B7 a caseworker's
    own view may refuse the medical ground (freedom × ethnocentrism × 0.3, seed 000:548). Grounds listed in
    ``exemptions_off`` are not granted."""
    p, cw, rng = s.p, s.cw, s.rng
    k = len(idx)
    c = s.who[idx]
    s.ex_ground[idx] = -1
    s.ex_full[idx] = False
    s.ex_end[idx] = -1  # no exemption running
    granted = np.zeros(k, bool)
    g_code = np.full(k, -1)
    rec_g = np.zeros(k, bool)
    for gi, g in enumerate(GROUNDS):
        arr = grounds.get(g)
        if arr is None or g not in pv["exemptions"] or g in p.exemptions_off:
            continue
        yes = (arr == 1) & ~granted
        if g == "kind_onder_5":
            yes &= rng.random(k) < s.pp["ask_9a"]
        rec_g |= yes
        if g == "medisch":
            refuse = yes & (rng.random(k) < cw.freedom[c] * cw.ethnocentrism[c] * 0.3)
            yes &= ~refuse
        g_code[yes] = gi
        granted |= yes
    sel = np.flatnonzero(rec_g | granted)
    if len(sel):
        gi = g_code[sel]
        gsel = granted[sel]  # a refused medical ground is not logged (the rule would have exempted)
        ii = idx[sel][gsel]
        codes = gi[gsel]
        scope_full = pv["ex_full_by_ground"][codes]  # the policy's scope and term of each ground granted
        months = pv["ex_term_by_ground"][codes]
        s.ex_ground[ii] = codes
        s.ex_full[ii] = scope_full
        # decremented from the next month (the starting stock: from month 0, as if granted in month -1)
        s.ex_end[ii] = (t if np.ndim(t) == 0 else -1) + months
        if np.ndim(t) == 0:
            schedule_exemption_ends(s, ii)
        s.ex_no[ii] += 1
        s.log.add(
            "ontheffing_start",
            ii,
            s.case[ii],
            sub(t, sel, gsel),
            sub(day, sel, gsel),
            c[sel][gsel],
            a=codes,
            b=s.ex_no[ii],
            c=months,
            r=1,
            dev=False,
        )


def rule_m5_work_first_gate(s: LabState, idx, t, day, pv) -> None:
    """M5 Work First at the gate (seed 001:420-468 Kader 2.1): clients at a Work First level without a full
    exemption start a Work First trajectory at intake, within the yearly capacity (the policy's places × stock /
    2,000, A) and the W-deel. Not for the starting stock."""
    wf_on, wf_ranks, _ = work_first(s, pv)
    if not (wf_on and len(wf_ranks) and np.ndim(t) == 0 and t >= 0):
        return
    p = s.p
    wf_m = np.isin(s.rank[idx], wf_ranks) & ~s.ex_full[idx]
    wf_idx = idx[wf_m]
    wf_day = sub(day, wf_m)
    year = t // 12
    cap = int((pv["wf"].capacity_per_year or 250) * s.n0 / 2000)  # A: capacity scales with the stock
    room = max(0, cap - s.wf_used.get(year, 0))
    wf_idx = wf_idx[:room]
    wf_day = wf_day[:room] if np.ndim(wf_day) else wf_day
    if len(wf_idx):
        price = np.full(len(wf_idx), p.work_first_price)
        kfit = s.budget.affordable(price, t)
        wf_idx, price = wf_idx[:kfit], price[:kfit]
        wf_day = wf_day[:kfit] if np.ndim(wf_day) else wf_day
        s.wf_used[year] = s.wf_used.get(year, 0) + len(wf_idx)
        wf_kind = np.full(len(wf_idx), KINDS.index("work_first"))
        start_trajectory(
            s,
            wf_idx,
            t,
            pv,
            wf_kind,
            np.full(len(wf_idx), s.WF),
            price,
            wf_kind.copy(),
            np.zeros(len(wf_idx), bool),
            wf_day,
        )


# --- the month's rules, in the order model.step calls them ------------------------------------------------------
def rule_m2_inflow(s: LabState, m: Month) -> None:
    """M2 inflow this month: the first-time arrivals drawn up front (``rule_m2_first_inflow``) and the re-entries
    whose month M6 drew at their exit (together ~23% of the stock a year; domain brief section 8)."""
    t = m.t
    m.new = np.arange(s.n_act, s.n_act + s.arrivals[t])
    s.n_act += s.arrivals[t]
    s.start_m[m.new] = t  # never on benefit: 0 months in a spell for the M5 assessment before the intake
    offer_from_now(s, m.new)
    sched = s.relapse_sched[t]
    m.back = np.sort(np.concatenate(sched)) if sched else np.zeros(0, np.int64)


def rule_m5_work_first_deterrence(s: LabState, m: Month) -> None:
    """M5 Work First deters part of the applicants it would take in: ``work_first_deterrence`` (10%) of the new
    applicants the engine routes to a Work First level withdraw after the melding (seed 000:384; size A)."""
    wf_on, _, wf_levels = work_first(s, m.pv)
    new = m.new
    if not (wf_on and len(new)):
        return
    t, rng = m.t, s.rng
    rec = adapters.recommend_batch(m.pv["policy"], facts(s, new, m.pv["facts_used"]), m.on_date)
    wf_lv = np.isin(np.array([str(x) for x in rec.level]), np.array(wf_levels, dtype=str))
    gone = new[wf_lv & (rng.random(len(new)) < s.p.work_first_deterrence)]
    if len(gone):
        s.status[gone] = GONE
        s.log.add("melding", gone, -1, t, rng.integers(0, 14, len(gone)), -1)
        s.monthly["withdrawn"][t] = len(gone)
        m.new = new[s.status[new] != GONE]


def rule_m3_intake(s: LabState, m: Month) -> None:
    """M3 intake of this month's arrivals and relapses (:func:`intake`); the clients due for the M11 plan review
    (every 12 months on benefit) are assessed in the same engine batch call. ``m.old`` = on benefit before."""
    t = m.t
    prev_case = s.case[m.back].copy()
    m.fresh = np.concatenate([m.new, m.back])
    m.old = s.on_idx  # = flatnonzero(status == ON_BENEFIT): M10 keeps it (nothing changes status in between)
    # months in the spell of the old clients: only the deadline worklist of rules-steering reads them all (B3)
    m.dur_o = s.dur(m.old) if m.rules_steering else None
    # M11: due every 12 months on benefit, (t - start) % 12 == 0, i.e. the start's month in the year is t's:
    # = old[phase[old] == t % 12], noted by last month's M10 (rule_m10_money) from its scan of the pool
    m.review = s.review_next
    m.reviewed = intake(
        s,
        m.fresh,
        t,
        m.pv,
        s.rng.integers(0, 14, len(m.fresh)).astype(np.int8),
        relapse_prev=np.concatenate([np.full(len(m.new), -1, np.int32), prev_case]),
        review=m.review,
    )
    if m.reviewed is None and len(m.review):
        m.reviewed = assess(s, m.review, m.pv, m.on_date)[:2]
    s.monthly["inflow_new"][t] = len(m.new)
    s.monthly["inflow_re"][t] = len(m.back)
    s.monthly["inflow"][t] = len(m.fresh)


def caseloads(s: LabState, m: Month) -> None:
    """Who is on benefit after the intakes, the caseload per caseworker, and whether the W-deel is scarce (B9)."""
    t = m.t
    # on benefit after the intakes = old + fresh (disjoint): the caseload counts both
    m.c_old = s.who_i[m.old]  # an index (intp): no cast in every gather and bincount (B3, M9)
    m.caseload = np.bincount(m.c_old, minlength=s.C) + np.bincount(s.who[m.fresh], minlength=s.C)
    s.monthly["caseload_max"][t] = m.caseload.max()
    s.monthly["caseload_mean"][t] = m.caseload.mean()
    m.w_scarce = s.budget.w_left < 0.25 * s.budget.w_deel_per_year


def rule_m7_exemption_review(s: LabState, m: Month) -> None:
    """M7 exemption review: at the end of the term an exemption is renewed if the youngest child is still under 5,
    medical with probability 0.7, others 0.5 (A); a renewal gets the policy's term for the ground."""
    t = m.t
    # the exemptions whose last month is this one (months left 1 before this month's count-down), noted when
    # they were granted; a note is stale when the exemption ended with the spell or a new one was granted
    due = s.ex_sched[t]
    if not due:
        return
    ending = np.unique(np.concatenate(due)) if len(due) > 1 else np.unique(due[0])
    ending = ending[s.ex_end[ending] == t]
    if not len(ending):
        return
    log, case, who = s.log, s.case, s.who
    log.add("ontheffing_einde", ending, case[ending], t, 0, who[ending], a=0, b=s.ex_no[ending])
    gcode = s.ex_ground[ending]
    keep_p = np.where(gcode == 0, np.where(s.youngest[ending] < 5, 1.0, 0.0), np.where(gcode == 2, 0.7, 0.5))
    rn = s.rng.random(len(ending)) < keep_p
    renew = ending[rn]
    stop = ending[~rn]
    s.ex_ground[stop] = -1
    s.ex_full[stop] = False
    if len(renew):
        months = m.pv["ex_months"][s.ex_ground[renew]]  # the policy's term for the ground (else 12)
        s.ex_end[renew] = t + months
        schedule_exemption_ends(s, renew)
        s.ex_no[renew] += 1
        log.add(
            "ontheffing_start",
            renew,
            case[renew],
            t,
            0,
            who[renew],
            a=s.ex_ground[renew],
            b=s.ex_no[renew],
            c=months,
            r=1,
        )


def rule_m11_plan_review(s: LabState, m: Month) -> None:
    """M11 plan review (Pw art. 44a; seed 002:933-949): every 12 months on benefit the engine re-assesses the level
    and trajectory eligibility (age, duration, date-bound rules such as Maastricht's 46+ rule); assessed in
    ``rule_m3_intake``'s batch call, applied here."""
    if len(m.review):
        s.rec_rank_of[m.review], s.elig_of[m.review] = m.reviewed


def rule_b3_attention(s: LabState, m: Month) -> None:
    """B3 attention, with B2 time budget, B9 pressure and B7 ethnocentrism (seed 000:552-558, 001:1602, 003:498,
    000:556, 000:546-550): intakes first; the remaining contacts of each caseworker (``behaviour.capacity``) are
    spread over the caseload in proportion to exp(freedom × creaming × how promising the client looks), creaming ×
    (0.5 + market weight) × (1 + pressure); under rules-steering clients near the trajectory deadline (sluitende
    aanpak) weigh × ``deadline_boost``. Draws who is seen this month (and logs contacts when asked)."""
    p, cw, rng, t, old = s.p, s.cw, s.rng, m.t, m.old
    C = s.C
    cap = capacity(cw, p) - np.bincount(s.who[m.fresh], minlength=C)
    cap = np.maximum(cap, 0)
    c_old = m.c_old
    pres = pressure(m.caseload, p.caseload_norm_override or m.pv["norm"], m.w_scarce)
    m.s_eff = cw.creaming * (0.5 + cw.logic[:, 2]) * (1 + pres)
    score = m.score = s.score_all[old]  # behaviour.perceived, kept up to date per client (refresh_score)
    # the deadline worklist (sluitende aanpak) only counts under rules-steering (B3, B5)
    dur_o = m.dur_o
    within = m.pv["within"]
    m.deadline = ((s.traj_spell[old] == 0) & (dur_o >= within - 3) & (dur_o <= within)) if m.rules_steering else None
    # = behaviour.attention_weight, with freedom × creaming taken per caseworker (one gather)
    wgt = (cw.freedom * m.s_eff)[c_old] * score
    np.clip(wgt, -6, 6, out=wgt)
    np.exp(wgt, out=wgt)
    if m.rules_steering:
        wgt *= np.where(m.deadline, p.deadline_boost, 1.0)
    wsum = np.bincount(c_old, weights=wgt, minlength=C)
    p_seen = wgt * (cap / np.maximum(wsum, 1e-9))[c_old]
    m.seen_m = rng.random(len(old)) < p_seen
    m.seen_i = np.flatnonzero(m.seen_m)
    m.seen = old[m.seen_i]
    s.monthly["seen"][t] = len(m.seen) + len(m.fresh)
    if s.contacts:
        seen = m.seen
        s.log.add("contact", seen, s.case[seen], t, rng.integers(0, 14, len(seen)), s.who[seen])


def rule_b5_offers(s: LabState, m: Month) -> None:
    """B5 trajectory offers (seed 000:540-560; providers seed 001:983-998, 002:756-760; sizes A): a seen client
    without a trajectory (none ended in the last 6 months) is offered one with p = (1 − freedom) × rule + freedom ×
    own preference, × volume by view of clients. Rule: ``offer_rate`` if eligible (× ``deadline_boost`` near the
    deadline under rules-steering). Own preference: creaming on the promising score, B6 routinisation, B7
    ethnocentrism halving offers to clients with a language barrier; normalised per caseworker so discretion
    re-allocates the same volume. Offers are matched at random to free provider places; the W-deel must cover the
    price (M10)."""
    p, cw, rng, t, old = s.p, s.cw, s.rng, m.t, m.old
    C = s.C
    si, seen = m.seen_i, m.seen  # candidates among the seen only
    # no trajectory running, none ended in the last 6 months (last_traj_end <= t - 6), in the spell for at least a
    # month (t - start >= 1): t >= offer_from, kept per client (LabState.offer_from)
    cand_i = si[np.flatnonzero(s.offer_from[seen] <= t)]
    cand = old[cand_i]
    if not len(cand):
        return
    cc = m.c_old[cand_i]  # = who[cand], already an index
    p_rule = p.offer_rate * s.elig_of[cand]
    if m.rules_steering:
        p_rule *= np.where(m.deadline[cand_i], p.deadline_boost, 1.0)
    sc = m.score[cand_i]
    # B6 and B7 per (caseworker, group, language barrier) first, then gathered with the client's key
    # (LabState.b5_key, set at the intake): the same values, in the same order of products, as per candidate
    key = s.b5_key[cand]
    own = (
        p.offer_rate
        * np.exp(np.clip(m.s_eff[cc] * sc, -6, 6))
        # B6: the caseworker's routine factor for the client's group (repeated over the barrier bit of the key)
        * np.repeat(routine_factor(cw.memory, 0.08, cw.routinisation[:, None]).ravel(), 2)[key]
        # B7: 1.0 without a language barrier, else the caseworker's factor (LabState.b5_lang, fixed in a run)
        * s.b5_lang[key]
    )
    # discretion re-allocates the same volume (scarce time and money) — normalise per caseworker
    k_cw = np.bincount(cc, weights=p_rule, minlength=C) / np.maximum(np.bincount(cc, weights=own, minlength=C), 1e-12)
    own = own * k_cw[cc]
    f = cw.freedom[cc]
    p_off = ((1 - f) * p_rule + f * own) * cw.offer_mult[cc] * np.where(s.ex_full[cand], p.exempt_offer_factor, 1.0)
    offered = cand[np.flatnonzero(rng.random(len(cand)) < p_off)]  # positions, then a gather: cheaper than a mask
    if len(offered):
        offered = rng.permutation(offered)
        free = np.maximum(s.prov_cap - s.prov_occ, 0)
        slots = rng.permutation(np.repeat(np.arange(len(s.prov_cap)), free))
        offered = offered[: len(slots)]
        pidx = slots[: len(offered)]
        price = s.prov_price[pidx]
        kfit = s.budget.affordable(price, t)
        offered, pidx, price = offered[:kfit], pidx[:kfit], price[:kfit]
        np.add.at(s.prov_occ, pidx, 1)
    if len(offered):
        pv = m.pv
        kind = pv["kind_by_rank"][s.rank[offered]]
        # recommended kind: the route of the level the policy proposed; -1 when not eligible
        rec_kind = np.where(s.elig_of[offered] == 0, -1, pv["kind_by_rank"][s.rec_rank_of[offered]])
        dev = rec_kind != kind
        start_trajectory(s, offered, t, pv, kind, pidx, price, rec_kind, dev, rng.integers(0, 14, len(offered)))


def rule_m8_trajectories_end(s: LabState, m: Month) -> None:
    """M8 trajectories end (seed 000:366; rates A, calibrated to seed 002:793): success at the provider's rate (Work
    First: ``work_first_success``) × ability (kunnen / 0.45) × motivation × labour market × kind, at most 0.95;
    success (15% subsidised) ends the benefit the same day (M9); failure costs motivation (−0.08)."""
    p, cl, rng, t = s.p, s.cl, s.rng, m.t
    traj_left, willen = s.traj_left, s.willen
    # in a trajectory among those on benefit (old + fresh), in client order
    # only a client on benefit is in a trajectory (B5 and M5 start them, M9 ends them with the spell): one
    # contiguous pass over the pool instead of gathers over old and fresh and a merge
    in_t = np.flatnonzero(traj_left[: s.n_act] > 0)
    traj_left[in_t] -= 1
    done = in_t[traj_left[in_t] == 0]
    if not len(done):
        return
    prov_succ = s.prov_succ
    ps = np.where(
        s.traj_prov[done] == s.WF, p.work_first_success, prov_succ[np.minimum(s.traj_prov[done], len(prov_succ) - 1)]
    )
    ps = (
        ps
        * (cl["kunnen"][done] / 0.45)
        * ((0.5 + willen[done]) / (0.5 + s.willen_mean))
        * s.market.work_mult[t]
        * KIND_SUCCESS[s.traj_kind[done]]
    )
    succ = rng.random(len(done)) < np.clip(ps, 0, 0.95)
    fail = done[~succ]
    willen[fail] = np.maximum(0.0, willen[fail] - 0.08)  # seed 000:366: failed attempts cost motivation
    refresh_score(s, fail)
    res = np.where(succ, np.where(rng.random(len(done)) < 0.15, 1, 0), np.where(rng.random(len(done)) < 0.4, 3, 2))
    dday = rng.integers(14, 28, len(done))
    end_trajectory(s, done, t, res, dday, succ)
    s.traj_end_day[done] = dday
    s.forced[done[succ]] = True  # a trajectory that ends in work ends the benefit the same day
    s.forced_day[done[succ]] = dday[succ]
    s.forced_sub[done[succ]] = res[succ] == 1


def rule_b4_sanctions(s: LabState, m: Month) -> None:
    """B4 sanctions (seed 004:111, 002:2551, 000:510; rates A): a seen, non-exempted client breaches an obligation
    at ``breach_rate`` × (1.6 − willen)/(1.6 − mean). The policy's sanction (repeat within 12 months = step 2,
    percentage × ``sanction_factor``, at most 100%) is the recommendation; a free caseworker warns instead with
    probability freedom × warn preference — a deviating ``waarschuwing``. A sanction raises motivation (+0.05, A)."""
    p, cw, rng, t, seen = s.p, s.cw, s.rng, m.t, m.seen
    willen, who, case = s.willen, s.who, s.case
    # breach when u < breach_rate × (1.6 − willen) / (1.6 − mean): with willen in [0, 1] at most the value at
    # willen = 0, so the rule is evaluated (the same products) only for those with u below that
    u = rng.random(len(seen))
    c = np.flatnonzero(u < p.breach_rate * 1.6 / (1.6 - s.willen_mean) * (1 + 1e-9))
    sc = seen[c]
    br = sc[~s.ex_full[sc] & (u[c] < p.breach_rate * (1.6 - willen[sc]) / (1.6 - s.willen_mean))]
    if not len(br):
        return
    pv = m.pv
    ob = (rng.random(len(br)) < 0.5).astype(int)
    step = np.where(t - s.last_breach[br] <= 12, 2, 1)
    s.last_breach[br] = t
    pct = np.minimum(100.0, pv["sanctions"][ob, step, s.rank[br], 0] * p.sanction_factor)
    mon = pv["sanctions"][ob, step, s.rank[br], 1]
    warn = rng.random(len(br)) < cw.freedom[who[br]] * cw.warn_pref[who[br]]
    wi, si = br[warn], br[~warn]
    day = rng.integers(0, 14, len(br))
    s.log.add("waarschuwing", wi, case[wi], t, day[warn], who[wi], a=ob[warn], dev=True)
    s.log.add("maatregel", si, case[si], t, day[~warn], who[si], a=ob[~warn], b=step[~warn], c=mon[~warn], x=pct[~warn])
    s.sanc_left[si] = mon[~warn]
    s.sanc_pct[si] = pct[~warn]
    willen[si] = np.minimum(1.0, willen[si] + 0.05)  # A: a sanction activates a little
    refresh_score(s, si)
    s.monthly["sanctions"][t] = len(si)
    s.monthly["warnings"][t] = len(wi)


_GONE_CODES = [REASONS.index(r) for r in GONE_REASONS]
_GONE_TABLE = np.isin(np.arange(len(REASONS)), _GONE_CODES)  # reason code -> gone for good


def _m9_bound(s: LabState, t: int) -> np.ndarray:
    """An upper bound of M9's exit hazard hw + ho per duration type this month: the type's base hazards × the
    largest value of every factor of ``rule_m9_exits`` (scarring, motivation with willen in [0, 1], the labour
    market, contact, lock-in, exemption; other exits: checks by the most bureaucratic caseworker, sanction), with a
    relative margin far above the rounding of the rule's products. Only a filter: clients with u at or above it
    cannot leave by hazard."""
    p = s.p
    e = p.motivation_effect
    mot = max(0.5**e, 1.5**e) / (0.5 + s.willen_mean) ** e  # (0.5 + willen) / (0.5 + mean), willen in [0, 1]
    fw = float(s.scar.max()) * mot * float(s.market.work_mult[t])
    fw *= max(1.0, 1 + p.contact_lift) * max(1.0, p.lock_in) * max(1.0, p.exempt_work_factor)
    fo = max(1.0, float((1 + 0.5 * s.cw.logic[:, 1]).max())) * 1.5
    return (s.hw_type * fw + s.ho_type * fo) * (1 + 1e-9) + 1e-300


def rule_m9_exits(s: LabState, m: Month):
    """M9 exits of the clients on benefit before this month's intakes (seed 000:556; sizes A): work hazard × labour
    market × scarring exp(−scarring × years on benefit) × motivation × (1 + ``contact_lift``) when seen × lock-in
    during a trajectory × ``exempt_work_factor`` when exempted × 0.6 at 55+, or a trajectory that ended in work
    (M8); other exits × (1 + 0.5 × bureaucratic weight) when seen (checks) × 1.5 during a sanction; pension at
    ``pension_age`` (AOW). A running trajectory or exemption ends with the spell. Returns the leavers, whether to
    work, and whether gone for good (moved, deceased, pensioned) for M6."""
    p, cw, rng, t, old = s.p, s.cw, s.rng, m.t, m.old
    seen_m = m.seen_m
    traj_left, forced, log, case, who = s.traj_left, s.forced, s.log, s.case, s.who
    # Who leaves: to work (u < hw, or a trajectory/placement that ended in work), other (u < hw + ho), pension.
    # ~2% of the clients leave in a month, so the hazards are computed only where u is below an upper bound of
    # hw + ho (the type's hazards × the largest value each factor can take, see _m9_bound); for every other client
    # u >= bound >= hw + ho, so the rule gives the same leavers, and the products below are the rule's products
    # (elementwise, in the same order: bit for bit the same hazards where they are computed).
    u = rng.random(len(old))
    # u below the largest type's bound first (one comparison over all), then the type's own bound among those;
    # forced (M8) or at the pension age (s.pens, kept by M10): one gather of both from the pool
    bound = _m9_bound(s, t)
    pos = np.flatnonzero((u < bound.max()) | (forced | s.pens)[old])
    po = old[pos]
    f_pos, p_pos = forced[po], s.pens[po]
    sel = np.flatnonzero((u[pos] < bound[s.cl["type"][po]]) | f_pos | p_pos)
    pos, po, f_pos, p_pos = pos[sel], po[sel], f_pos[sel], p_pos[sel]
    mot = (0.5 + s.willen[po]) * (1 / (0.5 + s.willen_mean))
    if p.motivation_effect != 1.0:
        mot **= p.motivation_effect
    # the factors are applied in place where they hold (ufunc ``where=``): bit for bit the products of the rule
    hw = s.hw_cl[po] * s.scar[s.cum(po)]
    hw *= mot
    hw *= s.market.work_mult[t]
    seen_p = seen_m[pos]
    np.multiply(hw, 1 + p.contact_lift, out=hw, where=seen_p)
    np.multiply(hw, p.lock_in, out=hw, where=traj_left[po] > 0)
    np.multiply(hw, p.exempt_work_factor, out=hw, where=s.ex_full[po])
    np.multiply(hw, 0.6, out=hw, where=s.age[po] >= 55)
    ho = s.ho_cl[po]
    sp = np.flatnonzero(seen_p)
    ho[sp] *= (1 + 0.5 * cw.logic[:, 1])[m.c_old[pos[sp]]]
    np.multiply(ho, 1.5, out=ho, where=s.sanc_left[po] > 0)
    # u < hw implies u < hw + ho (ho >= 0), so the leavers are found first and the reasons taken among them only
    ho += hw
    keep = np.flatnonzero((u[pos] < ho) | f_pos | p_pos)
    leave_i = pos[keep]
    hw = hw[keep]
    leave = old[leave_i]
    if not len(leave):
        return leave, None, None
    lp = p_pos[keep]
    lw = ((u[leave_i] < hw) | f_pos[keep]) & ~lp
    reason = np.where(
        lw,
        np.where(rng.random(len(leave)) < 0.15, 1, 0),
        # = rng.choice(len(OTHER_REASONS), size, p=s.other_p): the same uniforms, the same cdf (Generator.choice)
        np.where(lp, 2, 3 + s.other_cdf.searchsorted(rng.random(len(leave)), side="right")),
    )
    day = rng.integers(14, 28, len(leave))
    fl = forced[leave]
    day[fl] = s.forced_day[leave[fl]]
    just = s.last_traj_end[leave] == t  # a trajectory ended earlier this month: leave on or after that day
    day[just] = np.maximum(day[just], s.traj_end_day[leave[just]])
    reason[fl & lw] = np.where(s.forced_sub[leave[fl & lw]], 1, 0)
    forced[leave] = False
    intr = traj_left[leave] > 0
    ti = leave[intr]
    if len(ti):
        end_trajectory(s, ti, t, np.where(lw[intr], np.where(reason[intr] == 1, 1, 0), 5), day[intr], lw[intr])
    ex_m = s.ex_end[leave] > t  # an exemption running
    ex = leave[ex_m]
    log.add("ontheffing_einde", ex, case[ex], t, day[ex_m], who[ex], a=2, b=s.ex_no[ex])
    s.ex_end[leave] = -1
    s.ex_full[leave] = False
    log.add("uitstroom", leave, case[leave], t, day, who[leave], a=reason)
    gone = _GONE_TABLE[reason]
    s.status[leave] = np.where(gone, GONE, LEFT)
    s.exit_month[leave] = t
    s.cum0[leave] += t - s.start_m[leave]  # the spell's months join the months on benefit in total
    s.exit_work[leave] = lw
    s.monthly["outflow"][t] = len(leave)
    s.monthly["outflow_work"][t] = int(lw.sum())
    return leave, lw, gone


def rule_m6_relapse(s: LabState, m: Month, leave, lw, gone) -> None:
    """M6 relapse (synth REENTRY, A): after outflow a monthly hazard ``relapse_after_work`` (0.0195) or
    ``relapse_after_other`` (0.030), halving every ``relapse_half_life_months`` (12): ≈22% / 35% within two years.
    Moved, deceased and pensioned clients do not return. The month of return is drawn once at the exit by inverting
    the survival curve (the same distribution as a monthly Bernoulli draw); ``rule_m2_inflow`` takes them in."""
    if not len(leave):
        return
    t, T = m.t, s.T
    may = ~gone
    u_rel = s.rng.random(int(may.sum()))
    lm, lwm = leave[may], lw[may]
    surv = s.surv
    s_rel = (
        np.where(
            lwm, np.searchsorted(-surv[True], -u_rel, side="right"), np.searchsorted(-surv[False], -u_rel, side="right")
        )
        + 1
    )
    m_rel = t + s_rel
    if s.demand is not None:  # D4: a placement that breaks brings the client back then
        from .demand import relapse_months

        m_rel = relapse_months(s, t, lm, m_rel)
    keep = m_rel < T
    lm, m_rel = lm[keep], m_rel[keep]
    if len(lm):
        o = np.argsort(m_rel, kind="stable")
        months_u, first = np.unique(m_rel[o], return_index=True)
        parts = lm[o]
        for mo, a, b in zip(months_u.tolist(), first.tolist(), [*first[1:].tolist(), len(parts)]):
            s.relapse_sched[mo].append(parts[a:b])


def rule_m10_money(s: LabState, m: Month) -> None:
    """M10 money and time (seed 000:250; 001:983-998; amounts A): the benefit is paid for everyone on benefit, less
    sanctions, against the I-deel; sanction months, spell months and months on benefit advance; ages advance once a
    year (the rules use years). Trajectory prices are committed in ``start_trajectory``."""
    t, cl, monthly = m.t, s.cl, s.monthly
    # on benefit now; kept for next month's M3 (one scan of the pool a month: cheaper than merging the old less
    # M9's leavers with the relapses and arrivals)
    on_m = s.status[: s.n_act] == ON_BENEFIT
    on = s.on_idx = np.flatnonzero(on_m)
    # next month's M11 plan reviews among them (their phase is fixed during the spell; in client order, as the
    # positions in ``on`` that rule_m3_intake selected before): a contiguous pass instead of a gather over ``on``
    s.review_next = np.flatnonzero(on_m & (s.phase[: s.n_act] == (t + 1) % 12))
    # contiguous passes over the pool instead of gathers over the ~40,000 on benefit (the same clients, in order)
    sanctioned = np.flatnonzero((s.sanc_left[: s.n_act] > 0) & on_m)
    pay = float(cl["amount"][on].sum() - (cl["amount"][sanctioned] * s.sanc_pct[sanctioned] / 100).sum())
    s.budget.spend_i(pay)
    monthly["i_spent"][t] = pay
    s.sanc_left[sanctioned] -= 1
    monthly["stock"][t] = len(on)
    monthly["exempt"][t] = np.count_nonzero(s.ex_full[: s.n_act])  # only a client on benefit is exempted (M4, M9)
    # spell months and months on benefit in total advance by themselves: LabState.dur / cum count from start_m
    if t % 12 == 11:  # ages advance once a year (cheaper than monthly; the rules use years)
        s.age[: s.n_act] += 1.0
        s.youngest[: s.n_act] += 1.0
        s.pens[: s.n_act] = s.age[: s.n_act] >= s.p.pension_age
        refresh_score(s, on)  # off benefit: refreshed at the return (intake)
