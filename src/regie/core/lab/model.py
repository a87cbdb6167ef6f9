"""The policy lab's simulation: a municipality month by month, as arrays (clients × state), not objects.

One run = :func:`simulate(params, seed)`. Every random draw comes from one ``numpy.random.Generator`` seeded with
``seed``, in a fixed order, so a run is a pure function of (params, scenario, seed). The run records a compact
event log (integer codes in numpy arrays); :mod:`regie.core.lab.events` turns it into the analytic tables of
``regie.core.frames`` so that the KPI, signal and equity code measures a simulated municipality exactly as it
measures a real one. Rules are numbered (M1-M12 here, B1-B9 in behaviour.py) and documented in docs/lab.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from . import adapters
from .behaviour import N_GROUPS, Caseworkers, attention_weight, capacity, make_caseworkers, perceived, pressure
from .behaviour import routine_factor, update_memory
from .budget import Budget
from .market import build as build_market
from .params import LabParams

# --- vocabularies (codes in the compact log) ------------------------------------------------------------------
EVENT_TYPES = ("melding", "aanvraag", "toekenning", "afwijzing", "intake", "classificatie", "plan_van_aanpak",
               "traject_start", "traject_einde", "ontheffing_start", "ontheffing_einde", "waarschuwing", "maatregel",
               "contact", "uitstroom", "herinstroom", "caseworker_toewijzing")
EV = {name: i for i, name in enumerate(EVENT_TYPES)}
TYPES = ("kort", "midden", "graniet")
ORIGINS = ("nederland", "westers", "niet_westers")
HOUSEHOLDS = ("alleenstaande", "alleenstaande_ouder", "gehuwden")
EDUCATION = ("geen", "basis", "vmbo", "mbo1", "mbo2_4", "havo_vwo", "hbo", "wo")
KINDS = ("work_first", "bemiddeling", "reintegratie", "scholing", "diagnose", "zorg", "participatie")
KIND_SUCCESS = np.array([1.0, 1.3, 1.0, 0.8, 0.5, 0.2, 0.3])  # A: work-oriented kinds succeed more often
ROUTE_KIND = {"bemiddeling": "bemiddeling", "reintegratie": "reintegratie", "zorg": "zorg", "participatie": "participatie",
              "work_first": "work_first", "arbeidsactivering": "reintegratie", "sociale_activering": "participatie",
              "inkomen": "participatie", "scholing": "scholing"}
RESULTS = ("werk", "werk_gesubsidieerd", "afgerond", "voortijdig_gestopt", "uitval_medisch", "uitstroom")
GROUNDS = ("kind_onder_5", "geen_kinderopvang", "medisch", "mantelzorg")
OBLIGATIONS = ("arbeidsverplichting", "reintegratie")
OTHER_REASONS = ("inkomen_partner", "andere_uitkering", "verhuizing", "geen_recht", "studie", "detentie", "overlijden",
                 "overig")
REASONS = ("werk_regulier", "werk_gesubsidieerd", "pensioen") + OTHER_REASONS
GONE_REASONS = {"verhuizing", "overlijden", "pensioen"}  # no relapse into this municipality
MOTIVATION = ("laag", "midden", "hoog")


@dataclass
class SimResult:
    params: dict
    seed: int
    start: dt.date
    months: int
    policy_versions: list
    market: dict
    monthly: dict  # name -> array per month
    clients: dict  # pool attributes (index = client number)
    caseworkers: dict
    cases: dict  # case number -> client, month, day, team
    log: dict  # compact event log (see EVENT_TYPES)
    budget: dict
    levels: dict  # scheme per policy version: rank -> level id, route
    summary: dict = field(default_factory=dict)


class _Log:
    """The compact event log: one preallocated column per field, grown by doubling (no per-call allocation)."""

    COLS = ("type", "client", "case", "month", "day", "actor", "a", "b", "c", "x", "r", "dev")
    DTYPES = (np.int8, np.int32, np.int32, np.int16, np.int8, np.int16, np.int32, np.int32, np.int32, np.float64,
              np.int32, bool)
    FILL = (0, 0, 0, 0, 0, -1, -1, -1, -1, np.nan, -1, False)

    def __init__(self, capacity: int = 1 << 16):
        self.n = 0
        self.cap = capacity
        self.buf = [np.full(capacity, f, d) for d, f in zip(self.DTYPES, self.FILL)]  # unset fields keep the fill

    def _grow(self, need: int) -> None:
        cap = self.cap
        while cap < need:
            cap *= 2
        for i, b in enumerate(self.buf):
            nb = np.full(cap, self.FILL[i], b.dtype)
            nb[:self.n] = b[:self.n]
            self.buf[i] = nb
        self.cap = cap

    def add(self, etype: str, client, case, month, day, actor, a=None, b=None, c=None, x=None, r=None, dev=None):
        n = len(client)
        if n == 0:
            return
        lo, hi = self.n, self.n + n
        if hi > self.cap:
            self._grow(hi)
        buf = self.buf
        for i, v in enumerate((EV[etype], client, case, month, day, actor, a, b, c, x, r, dev)):
            if v is None:
                continue
            if np.ndim(v) and len(v) != n:
                raise ValueError(f"{etype}: column of length {len(v)} for {n} events")
            buf[i][lo:hi] = v
        self.n = hi

    def arrays(self) -> dict:
        return {c: self.buf[i][:self.n] for i, c in enumerate(self.COLS)}


def _policy_month(code: str, on: dt.date):
    return _policy_version(adapters.policy_for(code, on))


_VERSION_CACHE: dict = {}


def _policy_version(pol):
    key = (pol.version_id, id(pol))
    if key not in _VERSION_CACHE:
        _VERSION_CACHE[key] = _derive(pol)
    return _VERSION_CACHE[key]


def _derive(pol):
    levels = sorted(pol.scheme.levels, key=lambda lv: lv.rank)
    level_route = {}
    for r in pol.routing.rules:
        level_route.setdefault(r.level, r.route)
    rank_of = {lv.id: lv.rank for lv in levels}
    ranks = np.array([lv.rank for lv in levels])
    kind_by_rank = np.full(ranks.max() + 1, KINDS.index("reintegratie"))
    for lv in levels:
        kind_by_rank[lv.rank] = KINDS.index(ROUTE_KIND.get(level_route.get(lv.id, "reintegratie"), "reintegratie"))
    wf = pol.work_first
    wf_ranks = np.array([rank_of[lv] for lv in wf.levels] if wf.enabled else [], dtype=int)
    ex = {}
    for g in pol.exemptions:
        ex.setdefault(g.ground, (g.scope, g.max_months))
    sanctions = np.zeros((2, 3, ranks.max() + 1, 2))  # obligation × step × rank × (percentage, months)
    for oi, ob in enumerate(OBLIGATIONS):
        cat = 2 if ob == "reintegratie" else None
        for step in (1, 2):
            for rank in range(1, ranks.max() + 1):
                out = adapters.sanction_for(pol, ob, cat, step, rank)
                if out.decided and out.value:
                    sanctions[oi, step, rank] = (out.value.get("percentage", 0), out.value.get("months", 1))
                else:
                    sanctions[oi, step, rank] = (100.0, 1) if ob == "arbeidsverplichting" else (30.0, 1)
    return {"policy": pol, "version": pol.version_id, "rank_of": rank_of, "min_rank": int(ranks.min()),
            "max_rank": int(ranks.max()), "level_ids": {lv.rank: lv.id for lv in levels},
            "kind_by_rank": kind_by_rank, "wf_ranks": wf_ranks, "wf": wf, "exemptions": ex, "sanctions": sanctions,
            "steering": pol.steering.mode, "within": pol.deadlines.trajectory_within_months,
            "norm": float(pol.caseload_norm.value), "payment": pol.provider_payment}


def _ranks(levels, pv) -> np.ndarray:
    """Level ids from the batch engine → ranks (a level the engine could not decide → the farthest rank)."""
    lv = np.asarray(levels, dtype=object)
    out = np.full(len(lv), pv["max_rank"], np.int16)
    for level_id, r in pv["rank_of"].items():
        out[lv == level_id] = r
    return out


def _sub(v, *masks):
    """A per-event column restricted to a subset (scalars pass through)."""
    if np.ndim(v) == 0:
        return v
    v = np.asarray(v)
    for mk in masks:
        v = v[mk]
    return v


def _month_date(start: dt.date, t: int) -> dt.date:
    y, m = divmod(start.year * 12 + start.month - 1 + t, 12)
    return dt.date(y, m + 1, 1)


def _draw_pool(p: LabParams, rng: np.random.Generator, n0: int, arrivals: int) -> dict:
    """M1 clients: the starting stock and all first-time arrivals, drawn from the synthetic generator's
    distributions (regie.core.synth.params; seed 000 Tabel 2.1-2.3)."""
    pp = adapters.population_params()
    n = n0 + arrivals
    shares = np.array([pp["duration_types"][k][0] for k in TYPES])
    h_tot = np.array([sum(p.types[k]) for k in TYPES])
    stock_shares = shares / h_tot / (shares / h_tot).sum()  # M1: stationary stock mix for constant hazards
    typ = np.concatenate([rng.choice(3, size=n0, p=stock_shares), rng.choice(3, size=arrivals, p=shares)]).astype(np.int8)
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
    kids = np.where(hh == 1, 1 + rng.poisson(0.7, n), np.where((hh == 2) & (rng.random(n) < 0.5), 1 + rng.poisson(0.8, n), 0))
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
    return {"type": typ, "age": age, "household": hh, "female": female, "origin": origin, "education": edu,
            "n_children": kids.astype(np.int16), "youngest": youngest, "health": health, "claim": claim,
            "lang": lang, "kunnen": kunnen, "willen": willen, "emw": emw, "amount": amount,
            "childcare": rng.random(n) < p.childcare_arranged, "care": rng.random(n) < p.care_duties,
            "requested": rng.random(n) < 0.10}


def simulate(p: LabParams, seed: int = 0, contacts: bool = False) -> SimResult:
    rng = np.random.default_rng(seed)
    T, n0, C = p.months, p.clients, p.caseworkers
    market = build_market(p.market, p.start, T, p.market_overrides)
    pol0 = _policy_month(p.policy, p.policy_on or p.start)
    # M2 first-time inflow: Poisson per month, scaled by the labour market (drawn up front: the pool is fixed)
    lam = p.first_inflow_per_year * n0 / 12 * market.inflow_mult
    arrivals = rng.poisson(lam)
    P = n0 + int(arrivals.sum())
    cl = _draw_pool(p, rng, n0, int(arrivals.sum()))
    arrive_at = np.concatenate([np.full(n0, -1), np.repeat(np.arange(T), arrivals)])
    steering0 = p.steering_override or pol0["steering"]
    cw = make_caseworkers(p, steering0, rng, prior_success=0.08)
    budget = Budget(i_deel_per_year=n0 * float(cl["amount"][:n0].mean()) * 12 * (1 + p.i_deel_margin),
                    w_deel_per_year=p.w_deel_per_client * n0)
    prov = p.providers
    prov_cap = np.array([max(1, round(pr["capacity"] * p.provider_capacity_factor * n0)) for pr in prov])
    prov_price = np.array([pr["price"] for pr in prov], dtype=float)
    prov_succ = np.array([pr["success"] for pr in prov])
    prov_months = np.array([pr["months"] for pr in prov])
    prov_occ = np.zeros(len(prov), int)
    WF = len(prov)  # provider index of the Work First programme
    hw_type = np.array([p.types[k][0] for k in TYPES])
    ho_type = np.array([p.types[k][1] for k in TYPES])
    pp = adapters.population_params()
    other_p = np.array([pp["other_reasons"][k] for k in OTHER_REASONS])
    other_p = other_p / other_p.sum()
    willen_mean = 4.0 / 7.0

    # --- state ---------------------------------------------------------------------------------------------
    status = np.zeros(P, np.int8)  # 0 not arrived, 1 on benefit, 2 left (may relapse), 3 gone
    dur = np.zeros(P, np.int32)  # months in the current spell
    cum = np.zeros(P, np.int32)  # months on benefit in total (scarring)
    case = np.full(P, -1, np.int32)
    start_day = np.zeros(P, np.int8)
    who = np.full(P, -1, np.int16)  # caseworker
    rank = np.zeros(P, np.int8)
    traj_left = np.zeros(P, np.int16)
    traj_prov = np.zeros(P, np.int16)
    traj_kind = np.zeros(P, np.int8)
    traj_price = np.zeros(P)
    traj_no = np.zeros(P, np.int32)
    traj_spell = np.zeros(P, np.int16)
    last_traj_end = np.full(P, -999, np.int32)
    ex_left = np.zeros(P, np.int16)
    ex_ground = np.full(P, -1, np.int8)
    ex_full = np.zeros(P, bool)
    ex_no = np.zeros(P, np.int32)
    exit_month = np.zeros(P, np.int32)
    exit_work = np.zeros(P, bool)
    last_breach = np.full(P, -999, np.int32)
    sanc_left = np.zeros(P, np.int8)
    sanc_pct = np.zeros(P)
    rec_rank_of = np.zeros(P, np.int16)  # the policy's level (rank) at the last assessment
    elig_of = np.ones(P)  # the policy's trajectory eligibility at the last assessment
    forced = np.zeros(P, bool)  # trajectory ended in work this month
    traj_end_day = np.zeros(P, np.int8)
    forced_day = np.zeros(P, np.int8)
    forced_sub = np.zeros(P, bool)
    group = (cl["household"].astype(np.int32) * 2 + (cl["origin"] == 2)).astype(np.int32)
    age = cl["age"].copy()
    youngest = cl["youngest"].copy()
    willen = cl["willen"].copy()
    n_cases = 0
    case_client, case_month, case_day, case_team = [], [], [], []
    log = _Log()
    wf_used = {}
    monthly = {k: np.zeros(T) for k in (
        "stock", "inflow", "inflow_new", "inflow_re", "outflow", "outflow_work", "traj_started", "traj_ended",
        "traj_success", "w_spent", "i_spent", "exempt", "sanctions", "warnings", "classifications",
        "class_deviations", "traj_deviations", "seen", "unemployment", "withdrawn", "caseload_max", "caseload_mean")}
    monthly["unemployment"][:] = market.unemployment
    versions = []
    levels_seen = {}

    def facts(idx, t):
        return {
            "age": age[idx], "expected_months_to_work": cl["emw"][idx],
            "youngest_child_age": youngest[idx], "n_children": cl["n_children"][idx].astype(float),
            "has_partner": (cl["household"][idx] == 2).astype(float), "childcare_arranged": cl["childcare"][idx].astype(float),
            "medical_claim": cl["claim"][idx].astype(float), "health_limitation": cl["health"][idx].astype(float),
            "care_duties": cl["care"][idx].astype(float), "requested_trajectory": cl["requested"][idx].astype(float),
            "days_on_benefit": dur[idx] * 30.44, "level_rank": rank[idx].astype(float),
        }

    def start_traj(idx, t, pv, kind, prov_idx, price, rec_kind, dev, day):
        nonlocal_ = traj_no
        nonlocal_[idx] += 1
        traj_spell[idx] += 1
        traj_kind[idx] = kind
        traj_prov[idx] = prov_idx
        months = np.where(prov_idx == WF, max(1, round((pv["wf"].max_weeks or 20) / 4.33)),
                          prov_months[np.minimum(prov_idx, len(prov) - 1)])
        traj_left[idx] = months
        # the full price is committed against the W-deel; "no cure, less pay" releases the unpaid part at the end
        traj_price[idx] = price
        budget.spend_w(float(price.sum()))
        monthly["w_spent"][t] += price.sum()
        log.add("traject_start", idx, case[idx], t, day, who[idx], a=kind, b=traj_no[idx], c=prov_idx, x=price,
                r=rec_kind, dev=dev)
        monthly["traj_started"][t] += len(idx)
        monthly["traj_deviations"][t] += int(np.sum(dev))

    def end_traj(idx, t, result_code, day, success):
        pv = _policy_month(p.policy, p.policy_on or _month_date(p.start, max(t, 0)))
        pay = pv["payment"]
        eff = (pay.effort_percentage or 100) / 100 if pay.model == "no_cure_less_pay" else 1.0
        release = np.where(success, 0.0, traj_price[idx] * (1 - eff))
        budget.spend_w(-float(release.sum()))
        if t >= 0:
            monthly["w_spent"][t] -= release.sum()
        cost = traj_price[idx] * np.where(success, 1.0, eff)
        log.add("traject_einde", idx, case[idx], t, day, who[idx], a=result_code, b=traj_no[idx], x=cost)
        np.subtract.at(prov_occ, traj_prov[idx][traj_prov[idx] < len(prov)], 1)
        traj_left[idx] = 0
        last_traj_end[idx] = t
        if t >= 0:
            monthly["traj_ended"][t] += len(idx)
            monthly["traj_success"][t] += int(np.sum(success))
        # B6 routinisation: experience with this group updates the caseworker's memory
        update_memory(cw, who[idx].astype(np.int64), group[idx], success)

    def work_first(pv):
        """M5 Work First as the policy has it, or switched on/off by ``work_first_override``. Switched on for a policy
        without Work First levels, it applies to the routed level closest to work (A)."""
        if p.work_first_override is None:
            return pv["wf"].enabled, pv["wf_ranks"], list(pv["wf"].levels)
        if not p.work_first_override:
            return False, np.zeros(0, int), []
        routed = [pv["rank_of"][r.level] for r in pv["policy"].routing.rules if r.level in pv["rank_of"]]
        ranks = pv["wf_ranks"] if len(pv["wf_ranks"]) else np.array([min(routed, default=pv["min_rank"])])
        return True, ranks, [pv["level_ids"][int(r)] for r in ranks]

    def assess(idx, t, pv, on):
        """The policy engine's assessment (batch API) → recommended rank and trajectory eligibility, and the result."""
        rec = adapters.recommend_batch(pv["policy"], facts(idx, t), on)
        return _ranks(rec.level, pv), np.where(np.isnan(rec.trajectory_eligible), 1.0, rec.trajectory_eligible), rec

    def intake(idx, t, pv, day, relapse_prev=None, review=None):
        """M3 a new spell: melding … classificatie, exemptions and (Work First) the first trajectory.
        ``review``: clients of the M11 plan review, assessed in the same batch call; returns their (rank, eligible)."""
        nonlocal n_cases
        k = len(idx)
        if k == 0:
            return
        ids = np.arange(n_cases, n_cases + k, dtype=np.int32)
        n_cases += k
        case[idx] = ids
        status[idx] = 1
        if np.ndim(t) == 0:
            dur[idx] = 0
        traj_spell[idx] = 0
        start_day[idx] = day
        who[idx] = rng.integers(0, C, size=k)
        case_client.append(idx.copy())
        case_month.append(np.full(k, t) if np.ndim(t) == 0 else t.copy())
        case_day.append(np.asarray(day).copy() if np.ndim(day) else np.full(k, day))
        case_team.append(cw.team[who[idx]])
        tm = t
        log.add("melding", idx, ids, tm, day, -1)
        if relapse_prev is not None:
            rb = relapse_prev >= 0
            log.add("herinstroom", idx[rb], ids[rb], tm, _sub(day, rb), -1, b=relapse_prev[rb])
        log.add("aanvraag", idx, ids, tm, day, -1, a=cl["household"][idx])
        log.add("toekenning", idx, ids, tm, day, who[idx], a=cl["household"][idx], x=cl["amount"][idx])
        log.add("caseworker_toewijzing", idx, ids, tm, day, -1, a=who[idx])
        motiv = np.digitize(willen[idx], [0.45, 0.7])
        log.add("intake", idx, ids, tm, day, who[idx], a=cl["claim"][idx], b=cl["emw"][idx], c=motiv)
        on = p.policy_on or _month_date(p.start, max(int(np.max(t)) if np.ndim(t) else t, 0))
        both = review is not None and len(review) > 0
        rank_all, elig_all, rec = assess(np.concatenate([idx, review]) if both else idx, t, pv, on)
        rec_rank = rank_all[:k]
        rec_rank_of[idx] = rec_rank
        elig_of[idx] = elig_all[:k]
        grounds = {g: a[:k] for g, a in rec.exemption_grounds.items()}
        # B8 classification with discretion: the own judgement moves a rung towards work for promising clients
        # (market logic, "A-tjes", seed 003:534) or away from work for groups with bad experiences (routinisation,
        # seed 000:540-545: "lager op de ladder dan noodzakelijk") or language problems (ethnocentrism, 000:548-550).
        c = who[idx]
        score = perceived(cl["kunnen"][idx], willen[idx], age[idx], cl["lang"][idx], cw.ethnocentrism[c], cw.logic[c, 0])
        mem = cw.memory[c, group[idx]]
        own = np.where(score > 1.0, -1, 0) + np.where((mem < 0.05) & (cw.routinisation[c] > 0.5), 1, 0) \
            + np.where(cl["lang"][idx] & (cw.ethnocentrism[c] > 0.6), 1, 0)
        own = np.clip(own, -1, 1)
        act = (own != 0) & (rng.random(k) < cw.freedom[c] * p.classification_deviation)
        dec_rank = np.clip(rec_rank + np.where(act, own, 0), pv["min_rank"], pv["max_rank"]).astype(np.int8)
        dev = dec_rank != rec_rank
        rank[idx] = dec_rank
        log.add("classificatie", idx, ids, tm, day, c, a=dec_rank, r=rec_rank, dev=dev)
        if np.ndim(t) == 0 and t >= 0:
            monthly["classifications"][t] += k
            monthly["class_deviations"][t] += int(dev.sum())
        # M4 exemptions (Pw art. 9, 9a): the policy's grounds; 9a on request (synth ASK_9A); B7 a caseworker's own
        # view of a medical limitation may refuse the medical ground (seed 000:548)
        ex_ground[idx] = -1
        ex_full[idx] = False
        ex_left[idx] = 0
        granted = np.zeros(k, bool)
        g_code = np.full(k, -1)
        rec_g = np.zeros(k, bool)
        for gi, g in enumerate(GROUNDS):
            arr = grounds.get(g)
            if arr is None or g not in pv["exemptions"] or g in p.exemptions_off:
                continue
            yes = (arr == 1) & ~granted
            if g == "kind_onder_5":
                yes &= rng.random(k) < pp["ask_9a"]
            rec_g |= yes
            if g == "medisch":
                refuse = yes & (rng.random(k) < cw.freedom[c] * cw.ethnocentrism[c] * 0.3)
                yes &= ~refuse
            g_code[yes] = gi
            granted |= yes
        sel = np.flatnonzero(rec_g | granted)
        if len(sel):
            gi = g_code[sel]
            # refused medical ground: recorded as a decision not to exempt (the rule would have)
            gsel = granted[sel]
            ii = idx[sel][gsel]
            codes = gi[gsel]
            scope_full = np.array([pv["exemptions"][GROUNDS[x]][0] == "volledig" for x in codes], dtype=bool)
            months = np.array([pv["exemptions"][GROUNDS[x]][1] for x in codes], dtype=int)
            ex_ground[ii] = codes
            ex_full[ii] = scope_full
            ex_left[ii] = months
            ex_no[ii] += 1
            log.add("ontheffing_start", ii, case[ii], _sub(tm, sel, gsel), _sub(day, sel, gsel),
                    c[sel][gsel], a=codes, b=ex_no[ii], c=months, r=1, dev=False)
            log_refused = idx[sel][~gsel]
            if len(log_refused):
                monthly["class_deviations"][max(int(np.max(t)) if np.ndim(t) else t, 0)] += 0
        # plan van aanpak for those with a work obligation (Pw art. 44a)
        ob = idx[~ex_full[idx]]
        log.add("plan_van_aanpak", ob, case[ob], _sub(tm, ~ex_full[idx]), _sub(day, ~ex_full[idx]),
                who[ob], b=1)
        # M5 Work First at the gate for its levels (seed 001:420-468 Kader 2.1), within its yearly capacity
        wf_on, wf_ranks, _ = work_first(pv)
        if wf_on and len(wf_ranks) and np.ndim(t) == 0 and t >= 0:
            wf_m = np.isin(rank[idx], wf_ranks) & ~ex_full[idx]
            wf_idx = idx[wf_m]
            wf_day = _sub(day, wf_m)
            year = t // 12
            cap = int((pv["wf"].capacity_per_year or 250) * n0 / 2000)  # A: capacity scales with the stock
            room = max(0, cap - wf_used.get(year, 0))
            wf_idx = wf_idx[:room]
            wf_day = wf_day[:room] if np.ndim(wf_day) else wf_day
            if len(wf_idx):
                price = np.full(len(wf_idx), p.work_first_price)
                kfit = budget.affordable(price, t)
                wf_idx, price = wf_idx[:kfit], price[:kfit]
                wf_day = wf_day[:kfit] if np.ndim(wf_day) else wf_day
                wf_used[year] = wf_used.get(year, 0) + len(wf_idx)
                start_traj(wf_idx, t, pv, np.full(len(wf_idx), KINDS.index("work_first")), np.full(len(wf_idx), WF),
                           price, np.full(len(wf_idx), KINDS.index("work_first")), np.zeros(len(wf_idx), bool), wf_day)
        return (rank_all[k:], elig_all[k:]) if both else None

    # --- the starting stock: spells that began before the start (M1) ---------------------------------------
    h_tot = hw_type + ho_type
    d0 = np.minimum(rng.geometric(h_tot[cl["type"][:n0]]), 240).astype(np.int32)  # began before the start
    idx0 = np.arange(n0)
    dur[idx0] = d0
    cum[idx0] = d0
    age[idx0] = np.maximum(18, age[idx0])
    intake(idx0, -d0.astype(np.int32), pol0, rng.integers(0, 14, n0).astype(np.int8))
    # exemptions of the starting stock: a random part of their term has passed
    has = idx0[ex_left[idx0] > 0]
    ex_left[has] = np.maximum(1, (ex_left[has] * rng.random(len(has))).astype(np.int16))

    ethno_pen = cw.ethnocentrism * (1 - cw.logic[:, 0]) * 0.25  # B7, per caseworker
    kunnen_c = cl["kunnen"]
    lang_f = cl["lang"].astype(np.float64)
    scar = np.exp(-p.scarring_per_year * np.arange(240 + T + 2) / 12)  # M9 scarring by months on benefit in total

    def fs_eff_cw(s_eff):  # B3: freedom × effective creaming, per caseworker
        return cw.freedom * s_eff
    # M6 relapse: hazard h0 × 0.5^(s / half-life) in month s after the exit. Drawn once at the exit by inversion of
    # the survival curve (the same distribution as a monthly Bernoulli draw, without scanning everyone off benefit
    # every month); relapse_sched[t] holds the clients who come back in month t.
    decay = 0.5 ** (np.arange(T + 1) / p.relapse_half_life_months)
    surv = {w: np.cumprod(1 - np.minimum(1.0, h0 * decay[1:])) for w, h0 in
            ((True, p.relapse_after_work), (False, p.relapse_after_other))}
    relapse_sched: list[list] = [[] for _ in range(T)]
    n_act = n0
    for t in range(T):
        on_date = p.policy_on or _month_date(p.start, t)
        pv = _policy_month(p.policy, on_date)
        if not versions or versions[-1] != pv["version"]:
            versions.append(pv["version"])
        levels_seen[pv["version"]] = {int(r): pv["level_ids"][r] for r in pv["level_ids"]}
        budget.start_month(t)
        rules = (p.steering_override or pv["steering"]) == "rules"
        # M2 arrivals and M6 relapse
        new = np.arange(n_act, n_act + arrivals[t])
        n_act += arrivals[t]
        back = np.sort(np.concatenate(relapse_sched[t])) if relapse_sched[t] else np.zeros(0, np.int64)
        # M5 Work First deters part of the applicants it would take in (seed 000:384)
        wf_on, _, wf_levels = work_first(pv)
        if wf_on and len(new):
            rec = adapters.recommend_batch(pv["policy"], facts(new, t), on_date)
            wf_lv = np.isin(np.array([str(x) for x in rec.level]), np.array(wf_levels, dtype=str))
            gone = new[wf_lv & (rng.random(len(new)) < p.work_first_deterrence)]
            if len(gone):
                status[gone] = 3
                log.add("melding", gone, -1, t, rng.integers(0, 14, len(gone)), -1)
                monthly["withdrawn"][t] = len(gone)
                new = new[status[new] != 3]
        prev_case = case[back].copy()
        fresh = np.concatenate([new, back])
        # M11 the plan review: every 12 months on benefit the policy engine re-assesses (age, duration change);
        # assessed in the same batch call as this month's intakes. `old`: on benefit before this month's intakes.
        old = np.flatnonzero(status[:n_act] == 1)
        dur_o = dur[old]
        review = old[np.flatnonzero(dur_o % 12 == 0)]
        reviewed = intake(fresh, t, pv, rng.integers(0, 14, len(fresh)).astype(np.int8),
                          relapse_prev=np.concatenate([np.full(len(new), -1, np.int32), prev_case]), review=review)
        if reviewed is None and len(review):
            reviewed = assess(review, t, pv, on_date)[:2]
        monthly["inflow_new"][t] = len(new)
        monthly["inflow_re"][t] = len(back)
        monthly["inflow"][t] = len(fresh)

        on = np.flatnonzero(status[:n_act] == 1)
        c_on = who[on]
        caseload = np.bincount(c_on, minlength=C)
        monthly["caseload_max"][t] = caseload.max()
        monthly["caseload_mean"][t] = caseload.mean()
        w_scarce = budget.w_left < 0.25 * budget.w_deel_per_year

        # M7 exemption terms end: reassess (child still under 5; health persists 70%; childcare found 50%) (A)
        exl = ex_left[old]
        ending = old[np.flatnonzero(exl == 1)]
        ex_left[old] = np.maximum(exl - 1, 0)
        if len(ending):
            log.add("ontheffing_einde", ending, case[ending], t, 0, who[ending], a=0, b=ex_no[ending])
            gcode = ex_ground[ending]
            keep_p = np.select([gcode == 0, gcode == 2], [np.where(youngest[ending] < 5, 1.0, 0.0), 0.7], 0.5)
            renew = ending[rng.random(len(ending)) < keep_p]
            stop = ending[~np.isin(ending, renew, assume_unique=True)]
            ex_ground[stop] = -1
            ex_full[stop] = False
            if len(renew):
                months = np.array([pv["exemptions"].get(GROUNDS[g], ("volledig", 12))[1] for g in ex_ground[renew]])
                ex_left[renew] = months
                ex_no[renew] += 1
                log.add("ontheffing_start", renew, case[renew], t, 0, who[renew], a=ex_ground[renew], b=ex_no[renew],
                        c=months, r=1)

        if len(review):  # M11 (assessed above)
            rec_rank_of[review], elig_of[review] = reviewed
        # B2/B3 attention: capacity after intakes, spread by priority weights
        cap = capacity(cw, p) - np.bincount(who[fresh], minlength=C)
        cap = np.maximum(cap, 0)
        c_old = who[old]
        pres = pressure(caseload, p.caseload_norm_override or pv["norm"], w_scarce)
        s_eff = cw.creaming * (0.5 + cw.logic[:, 2]) * (1 + pres)
        age_o = age[old]
        lang_o = lang_f[old]
        score = (kunnen_c[old] + 0.5 * willen[old] - 0.01 * age_o - (0.275 - 0.4 + 0.45) - ethno_pen[c_old] * lang_o)
        score *= 4.0  # = behaviour.perceived ((raw - 0.45) / 0.25), with the caseworker term cached per caseworker
        # the deadline worklist (sluitende aanpak) only counts under rules-steering (B3, B5)
        deadline = ((traj_spell[old] == 0) & (dur_o >= pv["within"] - 3) & (dur_o <= pv["within"])) if rules else None
        # B3 = behaviour.attention_weight, with freedom × creaming taken per caseworker (one gather)
        wgt = fs_eff_cw(s_eff)[c_old] * score
        np.clip(wgt, -6, 6, out=wgt)
        np.exp(wgt, out=wgt)
        if rules:
            wgt *= np.where(deadline, p.deadline_boost, 1.0)
        wsum = np.bincount(c_old, weights=wgt, minlength=C)
        p_seen = wgt * (cap / np.maximum(wsum, 1e-9))[c_old]
        seen_m = rng.random(len(old)) < p_seen
        seen = old[np.flatnonzero(seen_m)]
        monthly["seen"][t] = len(seen) + len(fresh)
        if contacts:
            log.add("contact", seen, case[seen], t, rng.integers(0, 14, len(seen)), who[seen])

        # B5 trajectory offers
        cand_m = seen_m & (traj_left[old] == 0) & (last_traj_end[old] <= t - 6) & (dur_o >= 1)
        cand_i = np.flatnonzero(cand_m)
        cand = old[cand_i]
        if len(cand):
            cc = who[cand]
            elig = elig_of[cand]
            p_rule = p.offer_rate * elig
            if rules:
                p_rule *= np.where(deadline[cand_i], p.deadline_boost, 1.0)
            sc = score[cand_i]
            own = p.offer_rate * np.exp(np.clip(s_eff[cc] * sc, -6, 6)) * \
                routine_factor(cw.memory[cc, group[cand]], 0.08, cw.routinisation[cc]) * \
                np.where(cl["lang"][cand], 1 - 0.5 * np.minimum(cw.ethnocentrism[cc] * (1 - cw.logic[cc, 0]), 1), 1.0)
            # discretion re-allocates the same volume (scarce time and money) — normalise per caseworker
            k_cw = np.bincount(cc, weights=p_rule, minlength=C) / np.maximum(np.bincount(cc, weights=own, minlength=C), 1e-12)
            own = own * k_cw[cc]
            f = cw.freedom[cc]
            p_off = ((1 - f) * p_rule + f * own) * cw.offer_mult[cc] * np.where(ex_full[cand], p.exempt_offer_factor, 1.0)
            offered = cand[rng.random(len(cand)) < p_off]
            if len(offered):
                offered = rng.permutation(offered)
                free = np.maximum(prov_cap - prov_occ, 0)
                slots = rng.permutation(np.repeat(np.arange(len(prov)), free))
                offered = offered[:len(slots)]
                pidx = slots[:len(offered)]
                price = prov_price[pidx]
                kfit = budget.affordable(price, t)
                offered, pidx, price = offered[:kfit], pidx[:kfit], price[:kfit]
                np.add.at(prov_occ, pidx, 1)
            if len(offered):
                kind = pv["kind_by_rank"][rank[offered]]
                # recommended kind: the route of the level the policy proposed; -1 when not eligible
                rec_kind = np.where(elig_of[offered] == 0, -1, pv["kind_by_rank"][rec_rank_of[offered]])
                dev = rec_kind != kind
                start_traj(offered, t, pv, kind, pidx, price, rec_kind, dev, rng.integers(0, 14, len(offered)))

        # M8 trajectories end: success at the provider's rate × ability, motivation, market, kind
        in_t = on[np.flatnonzero(traj_left[on] > 0)]
        traj_left[in_t] -= 1
        done = in_t[traj_left[in_t] == 0]
        succ = np.zeros(len(done), bool)
        if len(done):
            ps = np.where(traj_prov[done] == WF, p.work_first_success, prov_succ[np.minimum(traj_prov[done], len(prov) - 1)])
            ps = ps * (cl["kunnen"][done] / 0.45) * ((0.5 + willen[done]) / (0.5 + willen_mean)) * \
                market.work_mult[t] * KIND_SUCCESS[traj_kind[done]]
            succ = rng.random(len(done)) < np.clip(ps, 0, 0.95)
            fail = done[~succ]
            willen[fail] = np.maximum(0.0, willen[fail] - 0.08)  # seed 000:366: failed attempts cost motivation
            res = np.where(succ, np.where(rng.random(len(done)) < 0.15, 1, 0), np.where(rng.random(len(done)) < 0.4, 3, 2))
            dday = rng.integers(14, 28, len(done))
            end_traj(done, t, res, dday, succ)
            traj_end_day[done] = dday
            forced[done[succ]] = True  # a trajectory that ends in work ends the benefit the same day
            forced_day[done[succ]] = dday[succ]
            forced_sub[done[succ]] = res[succ] == 1

        # B4 breaches and the response: the policy's sanction, or a warning instead (a deviation)
        br = seen[~ex_full[seen] & (rng.random(len(seen)) < p.breach_rate * (1.6 - willen[seen]) / (1.6 - willen_mean))]
        if len(br):
            ob = (rng.random(len(br)) < 0.5).astype(int)
            step = np.where(t - last_breach[br] <= 12, 2, 1)
            last_breach[br] = t
            pct = np.minimum(100.0, pv["sanctions"][ob, step, rank[br], 0] * p.sanction_factor)
            mon = pv["sanctions"][ob, step, rank[br], 1]
            warn = rng.random(len(br)) < cw.freedom[who[br]] * cw.warn_pref[who[br]]
            wi, si = br[warn], br[~warn]
            day = rng.integers(0, 14, len(br))
            log.add("waarschuwing", wi, case[wi], t, day[warn], who[wi], a=ob[warn], dev=True)
            log.add("maatregel", si, case[si], t, day[~warn], who[si], a=ob[~warn], b=step[~warn], c=mon[~warn],
                    x=pct[~warn])
            sanc_left[si] = mon[~warn]
            sanc_pct[si] = pct[~warn]
            willen[si] = np.minimum(1.0, willen[si] + 0.05)  # A: a sanction activates a little
            monthly["sanctions"][t] = len(si)
            monthly["warnings"][t] = len(wi)

        # M9 exits (old spells only): work hazard and other exits; pension at the AOW age
        # (seen_m marks the clients of `old` seen this month)
        type_o = cl["type"][old]
        mot = (0.5 + willen[old]) * (1 / (0.5 + willen_mean))
        if p.motivation_effect != 1.0:
            mot **= p.motivation_effect
        hw = hw_type[type_o] * scar[cum[old]]
        hw *= mot
        hw *= market.work_mult[t]
        hw *= np.where(seen_m, 1 + p.contact_lift, 1.0)
        hw *= np.where(traj_left[old] > 0, p.lock_in, 1.0)
        hw *= np.where(ex_full[old], p.exempt_work_factor, 1.0)
        hw *= np.where(age_o >= 55, 0.6, 1.0)
        ho = ho_type[type_o]
        ho *= np.where(seen_m, (1 + 0.5 * cw.logic[:, 1])[c_old], 1.0)
        ho *= np.where(sanc_left[old] > 0, 1.5, 1.0)
        u = rng.random(len(old))
        f_old = forced[old]
        to_work = (u < hw) | f_old
        other = ~to_work & (u < hw + ho)
        pension = age_o >= p.pension_age
        to_work &= ~pension
        other &= ~pension
        leave_i = np.flatnonzero(to_work | other | pension)
        leave = old[leave_i]
        if len(leave):
            lw = to_work[leave_i]
            lp = pension[leave_i]
            reason = np.where(lw, np.where(rng.random(len(leave)) < 0.15, 1, 0),
                              np.where(lp, 2, 3 + rng.choice(len(OTHER_REASONS), size=len(leave), p=other_p)))
            day = rng.integers(14, 28, len(leave))
            fl = forced[leave]
            day[fl] = forced_day[leave[fl]]
            just = last_traj_end[leave] == t  # a trajectory ended earlier this month: leave on or after that day
            day[just] = np.maximum(day[just], traj_end_day[leave[just]])
            reason[fl & lw] = np.where(forced_sub[leave[fl & lw]], 1, 0)
            forced[leave] = False
            intr = traj_left[leave] > 0
            ti = leave[intr]
            if len(ti):
                end_traj(ti, t, np.where(lw[intr], np.where(reason[intr] == 1, 1, 0), 5), day[intr], lw[intr])
            ex = leave[ex_left[leave] > 0]
            log.add("ontheffing_einde", ex, case[ex], t, day[ex_left[leave] > 0], who[ex], a=2, b=ex_no[ex])
            ex_left[leave] = 0
            ex_full[leave] = False
            log.add("uitstroom", leave, case[leave], t, day, who[leave], a=reason)
            gone = np.isin(reason, [REASONS.index(r) for r in GONE_REASONS])
            status[leave] = np.where(gone, 3, 2)
            exit_month[leave] = t
            exit_work[leave] = lw
            # M6: the month of relapse (if any, within the run) for those who may come back
            may = ~gone
            u_rel = rng.random(int(may.sum()))
            lm, lwm = leave[may], lw[may]
            s_rel = np.where(lwm, np.searchsorted(-surv[True], -u_rel, side="right"),
                             np.searchsorted(-surv[False], -u_rel, side="right")) + 1
            m_rel = t + s_rel
            keep = m_rel < T
            lm, m_rel = lm[keep], m_rel[keep]
            if len(lm):
                o = np.argsort(m_rel, kind="stable")
                months_u, first = np.unique(m_rel[o], return_index=True)
                for mo, part in zip(months_u, np.split(lm[o], first[1:])):
                    relapse_sched[mo].append(part)
            monthly["outflow"][t] = len(leave)
            monthly["outflow_work"][t] = int(lw.sum())

        # M10 money and time
        on = np.flatnonzero(status[:n_act] == 1)
        sanctioned = on[np.flatnonzero(sanc_left[on] > 0)]
        pay = float(cl["amount"][on].sum() - (cl["amount"][sanctioned] * sanc_pct[sanctioned] / 100).sum())
        budget.spend_i(pay)
        monthly["i_spent"][t] = pay
        sanc_left[sanctioned] -= 1
        monthly["stock"][t] = len(on)
        monthly["exempt"][t] = int(ex_full[on].sum())
        dur[on] += 1
        cum[on] += 1
        if t % 12 == 11:  # ages advance once a year (cheaper than monthly; the rules use years)
            age[:n_act] += 1.0
            youngest[:n_act] += 1.0

    cases = {"client": np.concatenate(case_client).astype(np.int32),
             "month": np.concatenate(case_month).astype(np.int32),
             "day": np.concatenate(case_day).astype(np.int8), "team": np.concatenate(case_team).astype(np.int32)}
    clients = {k: v[:n_act] for k, v in cl.items()}
    clients["age_at_start"] = cl["age"][:n_act]
    clients["arrive_at"] = arrive_at[:n_act]
    clients["status_end"] = status[:n_act]
    clients["willen_end"] = willen[:n_act]
    clients["trajectories"] = traj_no[:n_act]
    clients["caseworker_last"] = who[:n_act]
    res = SimResult(params={**p.as_dict(), "scheme_id": pol0["policy"].scheme.id}, seed=seed, start=p.start, months=T, policy_versions=versions,
                    market={"name": market.name, "description": market.description}, monthly=monthly,
                    clients=clients, caseworkers=cw.table(), cases=cases, log=log.arrays(), budget=budget.summary(),
                    levels=levels_seen)
    res.summary = summarise(res)
    return res


def summarise(r: SimResult) -> dict:
    """Headline figures of one run straight from the arrays (the frames-based KPIs are in events.py)."""
    m = r.monthly
    T = r.months
    years = max(1, T // 12)
    span = min(T, years * 12)
    scale = 12 * years / span  # a run shorter than a year is scaled to a year

    def per_year(name, agg):
        a = m[name][:span]
        return a.reshape(years, -1).mean(axis=1) if agg == "mean" else a.reshape(years, -1).sum(axis=1) * scale

    stock_mid = per_year("stock", "mean")
    out_y = per_year("outflow", "sum")
    in_y = per_year("inflow", "sum")
    work_y = per_year("outflow_work", "sum")
    lg = r.log
    ts = lg["type"] == EV["traject_start"]
    # equal treatment: trajectory starts per 100 client-years by origin (array version of the frames measure)
    origin = r.clients["origin"]
    started_by = np.bincount(origin[lg["client"][ts]], minlength=3)
    ended = lg["type"] == EV["traject_einde"]
    a01 = (lg["a"] == 0) | (lg["a"] == 1)  # trajectory result / outflow reason: (subsidised) work
    succ = ended & a01
    # caseworker variation: per caseworker, trajectory starts per 100 caseload-months and outflow-to-work share
    C = len(r.caseworkers["caseworker"])
    tcw = np.bincount(lg["actor"][ts & (lg["month"] >= 0)], minlength=C)
    upt = lg["type"] == EV["uitstroom"]
    upt_m = upt & (lg["month"] >= 0)
    work_ev = upt_m & a01
    work_cw = np.bincount(lg["actor"][work_ev], minlength=C)
    all_cw = np.bincount(lg["actor"][upt_m], minlength=C)
    # H2: how differently caseworkers allocate — per caseworker, the share of their trajectories that go to the
    # 'graniet' clients, and their share of decisions that deviate from the recommendation
    tsm = ts & (lg["month"] >= 0)
    gr_cw = np.bincount(lg["actor"][tsm & (r.clients["type"][lg["client"]] == 2)], minlength=C)
    share_gr = gr_cw / np.maximum(tcw, 1)
    dec_cw = np.bincount(lg["actor"][dec_m := (np.isin(lg["type"], [EV["classificatie"], EV["traject_start"]]) & (lg["month"] >= 0))], minlength=C)
    dev_cw = np.bincount(lg["actor"][dec_m & lg["dev"]], minlength=C)
    cl_months = m["caseload_mean"].sum()
    per_cw = tcw / max(cl_months, 1) * 100
    work_share_cw = work_cw / np.maximum(all_cw, 1)
    exp_years = _exposure_by(r, origin, 3)
    rate_origin = {o: round(100 * started_by[i] / exp_years[i], 3) if exp_years[i] else None for i, o in enumerate(ORIGINS)}
    rates = [v for v in rate_origin.values() if v]
    # who leaves and who stays (H3): trajectories and outflow to work per 100 client-years by duration type
    typ = r.clients["type"]
    exp_t = _exposure_by(r, typ, 3)
    started_t = np.bincount(typ[lg["client"][ts & (lg["month"] >= 0)]], minlength=3)
    work_t = np.bincount(typ[lg["client"][work_ev]], minlength=3)
    by_type = {name: {"trajectories_per_100y": round(100 * started_t[i] / exp_t[i], 3) if exp_t[i] else None,
                      "work_exits_per_100y": round(100 * work_t[i] / exp_t[i], 3) if exp_t[i] else None}
               for i, name in enumerate(TYPES)}
    # who stays: share of the final stock that is 'graniet' and that is niet-westers
    on_end = r.clients["status_end"] == 1
    ended_spells = lg["type"][upt_m]
    dec = np.isin(lg["type"], [EV["classificatie"], EV["traject_start"], EV["waarschuwing"], EV["maatregel"]]) & (lg["month"] >= 0)
    cost_w = float(m["w_spent"].sum())
    return {
        "stock_start": int(m["stock"][0]), "stock_end": int(m["stock"][-1]),
        "inflow_per_year_pct": round(float(100 * in_y.mean() / stock_mid.mean()), 2),
        "outflow_per_year_pct": round(float(100 * out_y.mean() / stock_mid.mean()), 2),
        "outflow_to_work_share": round(float(work_y.sum() / max(out_y.sum(), 1)), 4),
        "outflow_to_work_per_year_pct": round(float(100 * work_y.mean() / stock_mid.mean()), 2),
        "mean_duration_months": round(float(m["stock"].mean() / max(m["outflow"].mean(), 1e-9)), 1),
        "trajectories_started": int(m["traj_started"].sum()),
        "trajectory_success": round(float(succ.sum() / max(ended.sum(), 1)), 4),
        "cost_w_deel": round(cost_w, 0), "cost_i_deel": round(float(m["i_spent"].sum()), 0),
        "cost_per_success": round(cost_w / max(int(succ.sum()), 1), 0),
        "w_deel_depleted_month": r.budget["w_deel_depleted_month"],
        "deviation_rate": round(float(lg["dev"][dec].mean()) if dec.any() else 0.0, 4),
        "classification_deviation_rate": round(float(m["class_deviations"].sum() / max(m["classifications"].sum(), 1)), 4),
        "trajectory_rate_by_origin": rate_origin,
        "trajectory_rate_ratio": round(min(rates) / max(rates), 4) if rates else None,
        "by_type": by_type,
        "trajectory_ratio_graniet_vs_kort": round(by_type["graniet"]["trajectories_per_100y"] / by_type["kort"]["trajectories_per_100y"], 4)
        if by_type["kort"]["trajectories_per_100y"] and by_type["graniet"]["trajectories_per_100y"] is not None else None,
        "caseworker_sd_trajectory_rate": round(float(np.std(per_cw * C)), 4),
        "caseworker_sd_work_share": round(float(np.std(work_share_cw[all_cw >= 10])), 4),
        "caseworker_sd_graniet_share_of_trajectories": round(float(np.std(share_gr[tcw >= 10])), 4) if (tcw >= 10).any() else None,
        "caseworker_sd_deviation_rate": round(float(np.std((dev_cw / np.maximum(dec_cw, 1))[dec_cw >= 10])), 4) if (dec_cw >= 10).any() else None,
        "stock_end_graniet_share": round(float((r.clients["type"][on_end] == 2).mean()) if on_end.any() else 0, 4),
        "stock_end_niet_westers_share": round(float((origin[on_end] == 2).mean()) if on_end.any() else 0, 4),
        "sanctions_per_100_per_year": round(float(100 * m["sanctions"].sum() / years / stock_mid.mean()), 2),
        "warnings_per_100_per_year": round(float(100 * m["warnings"].sum() / years / stock_mid.mean()), 2),
        "exempt_share": round(float(m["exempt"].mean() / m["stock"].mean()), 4),
        "outflows": int(len(ended_spells)),
    }


def _exposure_by(r: SimResult, attr: np.ndarray, k: int) -> np.ndarray:
    """Client-years on benefit per attribute value during the run (from the monthly stock is not enough: by spell)."""
    lg = r.log
    starts = lg["type"] == EV["toekenning"]
    ends = lg["type"] == EV["uitstroom"]
    s_case, s_month, s_client = lg["case"][starts], lg["month"][starts], lg["client"][starts]
    e_month = np.full(len(r.cases["client"]), r.months, np.int64)
    e_month[lg["case"][ends]] = lg["month"][ends]
    a = np.maximum(s_month, 0)
    b = e_month[s_case]
    months = np.maximum(b - a, 0)
    return np.bincount(attr[s_client], weights=months, minlength=k) / 12
