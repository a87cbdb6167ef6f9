"""The policy lab's simulation: a municipality month by month, as arrays (clients × state), not objects.

One run = :func:`simulate(params, seed)`: :func:`setup` draws the population and the caseworkers into a
:class:`~regie.core.lab.state.LabState`, ``rules.rule_m1_starting_stock`` takes in the starting stock, and
:func:`step` runs one month by calling the rules of docs/lab.md in a fixed order (``rules.py``: one function per
rule, M1-M11; the caseworker rules B1-B9 are computed in ``behaviour.py``). Every random draw comes from one
``numpy.random.Generator`` seeded with ``seed``, in that fixed order, so a run is a pure function of (params,
scenario, seed). The run records a compact event log (integer codes in numpy arrays); :mod:`regie.core.lab.events`
turns it into the analytic tables of ``regie.core.frames`` so that the KPI, signal and equity code measures a
simulated municipality exactly as it measures a real one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from . import adapters, demand, rules
from .behaviour import make_caseworkers
from .budget import Budget
from .market import build as build_market
from .params import LabParams

# former names of helpers now in rules.py and state.py (benchmarks/mesa_reference.py imports _draw_pool, _month_date)
from .rules import rule_m1_clients as _draw_pool  # noqa: F401
from .state import (  # noqa: F401
    EDUCATION,
    EV,
    EVENT_TYPES,
    GONE_REASONS,
    GROUNDS,
    HOUSEHOLDS,
    KIND_SUCCESS,
    KINDS,
    MOTIVATION,
    OBLIGATIONS,
    ORIGINS,
    OTHER_REASONS,
    REASONS,
    RESULTS,
    ROUTE_KIND,
    TYPES,
    EventLog,
    LabState,
    Month,
    _Log,
)
from .state import month_date as _month_date
from .state import policy_month as _policy_month
from .state import policy_version as _policy_version  # noqa: F401

__all__ = [
    "EDUCATION",
    "EV",
    "EVENT_TYPES",
    "GONE_REASONS",
    "GROUNDS",
    "HOUSEHOLDS",
    "KINDS",
    "KIND_SUCCESS",
    "MOTIVATION",
    "OBLIGATIONS",
    "ORIGINS",
    "OTHER_REASONS",
    "REASONS",
    "RESULTS",
    "ROUTE_KIND",
    "TYPES",
    "EventLog",
    "LabState",
    "Month",
    "SimResult",
    "setup",
    "simulate",
    "step",
    "summarise",
]


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


def setup(p: LabParams, seed: int = 0, contacts: bool = False) -> LabState:
    """The run before its first month: the labour market, the policy at the start, M2 first-time arrivals and the M1
    pool (drawn up front), B1 caseworkers, the budgets (I-deel = starting stock × mean benefit × 12 × (1 + margin),
    W-deel = ``w_deel_per_client`` × starting stock; seed 000:250), the providers, and the starting stock (M1)."""
    rng = np.random.default_rng(seed)
    T, n0 = p.months, p.clients
    market = build_market(p.market, p.start, T, p.market_overrides)
    pol0 = _policy_month(p.policy, p.policy_on or p.start)
    arrivals = rules.rule_m2_first_inflow(p, market, rng)
    cl = rules.rule_m1_clients(p, rng, n0, int(arrivals.sum()))
    cw = make_caseworkers(p, p.steering_override or pol0["steering"], rng, prior_success=0.08)
    budget = Budget(
        i_deel_per_year=n0 * float(cl["amount"][:n0].mean()) * 12 * (1 + p.i_deel_margin),
        w_deel_per_year=p.w_deel_per_client * n0,
    )
    prov = p.providers
    pp = adapters.population_params()
    other_p = np.array([pp["other_reasons"][k] for k in OTHER_REASONS])
    # M6 relapse: hazard h0 × 0.5^(s / half-life) in month s after the exit (its survival curve, for rule_m6_relapse)
    decay = 0.5 ** (np.arange(T + 1) / p.relapse_half_life_months)
    surv = {
        w: np.cumprod(1 - np.minimum(1.0, h0 * decay[1:]))
        for w, h0 in ((True, p.relapse_after_work), (False, p.relapse_after_other))
    }
    s = LabState(
        p=p,
        rng=rng,
        contacts=contacts,
        market=market,
        pol0=pol0,
        arrivals=arrivals,
        cl=cl,
        cw=cw,
        budget=budget,
        pp=pp,
        prov_cap=np.array([max(1, round(pr["capacity"] * p.provider_capacity_factor * n0)) for pr in prov]),
        prov_price=np.array([pr["price"] for pr in prov], dtype=float),
        prov_succ=np.array([pr["success"] for pr in prov]),
        prov_months=np.array([pr["months"] for pr in prov]),
        prov_occ=np.zeros(len(prov), int),
        hw_type=np.array([p.types[k][0] for k in TYPES]),
        ho_type=np.array([p.types[k][1] for k in TYPES]),
        other_p=other_p / other_p.sum(),
        scar=np.exp(-p.scarring_per_year * np.arange(240 + T + 2) / 12),  # M9 scarring by months on benefit in total
        surv=surv,
        ethno_pen=cw.ethnocentrism * (1 - cw.logic[:, 0]) * 0.25,  # B7, per caseworker
        lang_f=cl["lang"].astype(np.float64),
    )
    s.demand = demand.start(p)
    rules.rule_m1_starting_stock(s)
    s.pens = s.age >= p.pension_age  # M9 (after the starting stock's ages; M10 keeps it once a year)
    return s


def begin_month(s: LabState, t: int) -> Month:
    """The policy version in force this month (``policy_on`` fixes one), its steering mode, the budget year."""
    p = s.p
    on_date = p.policy_on or _month_date(p.start, t)
    pv = s.policy_on(on_date)
    if not s.versions or s.versions[-1] != pv["version"]:
        s.versions.append(pv["version"])
    s.levels_seen[pv["version"]] = {int(r): pv["level_ids"][r] for r in pv["level_ids"]}
    s.budget.start_month(t)
    s.now = t
    return Month(t=t, on_date=on_date, pv=pv, rules_steering=(p.steering_override or pv["steering"]) == "rules")


def step(s: LabState, t: int) -> None:
    """One month. The order is part of the model (it fixes the order of the random draws)."""
    m = begin_month(s, t)
    rules.rule_m2_inflow(s, m)  # first-time arrivals and relapses due this month
    rules.rule_m5_work_first_deterrence(s, m)  # some routed to Work First withdraw
    rules.rule_m3_intake(s, m)  # new spells (B8, M4, M5 gate); M11 reviews assessed in the same batch
    rules.caseloads(s, m)
    rules.rule_m7_exemption_review(s, m)
    rules.rule_m11_plan_review(s, m)
    rules.rule_b3_attention(s, m)  # B2 time, B9 pressure, B7 perceived: who is seen
    rules.rule_b5_offers(s, m)
    rules.rule_m8_trajectories_end(s, m)  # B6 memory
    if s.demand is not None:
        demand.rule_d1_d3_placements(s, m)  # D1-D4: vacancies, matching, wage subsidy, durability
    rules.rule_b4_sanctions(s, m)
    leave, to_work, gone = rules.rule_m9_exits(s, m)
    rules.rule_m6_relapse(s, m, leave, to_work, gone)  # when the leavers come back
    rules.rule_m10_money(s, m)


def result(s: LabState, seed: int) -> SimResult:
    """The run's arrays as a :class:`SimResult` (with its :func:`summarise`)."""
    p, cl, n_act = s.p, s.cl, s.n_act
    cases = {
        "client": np.concatenate(s.case_client).astype(np.int32),
        "month": np.concatenate(s.case_month).astype(np.int32),
        "day": np.concatenate(s.case_day).astype(np.int8),
        "team": np.concatenate(s.case_team).astype(np.int32),
    }
    clients = {k: v[:n_act] for k, v in cl.items()}
    clients["age_at_start"] = cl["age"][:n_act]
    clients["arrive_at"] = np.concatenate([np.full(s.n0, -1), np.repeat(np.arange(s.T), s.arrivals)])[:n_act]
    clients["status_end"] = s.status[:n_act]
    clients["willen_end"] = s.willen[:n_act]
    clients["trajectories"] = s.traj_no[:n_act]
    clients["caseworker_last"] = s.who[:n_act]
    res = SimResult(
        params={**p.as_dict(), "scheme_id": s.pol0["policy"].scheme.id},
        seed=seed,
        start=p.start,
        months=s.T,
        policy_versions=s.versions,
        market={"name": s.market.name, "description": s.market.description},
        monthly=s.monthly,
        clients=clients,
        caseworkers=s.cw.table(),
        cases=cases,
        log=s.log.arrays(),
        budget=s.budget.summary(),
        levels=s.levels_seen,
    )
    res.summary = summarise(res)
    if s.demand is not None:
        res.monthly.update({f"demand_{k}": v for k, v in demand.monthly(s.demand).items()})
        res.summary["demand"] = demand.summary(s.demand, s.T)
    return res


def simulate(p: LabParams, seed: int = 0, contacts: bool = False) -> SimResult:
    """One run of the policy lab: ``p.months`` months of the municipality under ``p.policy`` (docs/lab.md)."""
    s = setup(p, seed, contacts)
    for t in range(s.T):
        step(s, t)
    return result(s, seed)


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
    ltype, lmonth, lactor, la = lg["type"], lg["month"], lg["actor"], lg["a"]
    # the events of each type as positions in the log (in log order): one scan of the type column each, then
    # gathers of those few events instead of masks and boolean selections over the whole log (the same events in
    # the same order, so the same figures); "_m": the events of the run (the starting stock's past intakes have
    # months < 0)
    at = _positions(ltype)
    ts = at["traject_start"]
    tsm = ts[lmonth[ts] >= 0]
    # equal treatment: trajectory starts per 100 client-years by origin (array version of the frames measure)
    origin = r.clients["origin"]
    started_by = np.bincount(origin[lg["client"][ts]], minlength=3)
    ended = at["traject_einde"]
    a_end = la[ended]
    succ_n = int(np.count_nonzero((a_end == 0) | (a_end == 1)))  # trajectory result: (subsidised) work
    # caseworker variation: per caseworker, trajectory starts per 100 caseload-months and outflow-to-work share
    C = len(r.caseworkers["caseworker"])
    tcw = np.bincount(lactor[tsm], minlength=C)
    upt = at["uitstroom"]
    upt_m = upt[lmonth[upt] >= 0]
    a_upt = la[upt_m]
    work_ev = upt_m[(a_upt == 0) | (a_upt == 1)]  # outflow reason: (subsidised) work
    work_cw = np.bincount(lactor[work_ev], minlength=C)
    all_cw = np.bincount(lactor[upt_m], minlength=C)
    # H2: how differently caseworkers allocate — per caseworker, the share of their trajectories that go to the
    # 'graniet' clients, and their share of decisions that deviate from the recommendation
    gr_cw = np.bincount(lactor[tsm][r.clients["type"][lg["client"][tsm]] == 2], minlength=C)
    share_gr = gr_cw / np.maximum(tcw, 1)
    cls = at["classificatie"]
    # classifications and trajectory starts (not in log order: only counted, and counts do not depend on the order)
    dec_m = np.concatenate([cls[lmonth[cls] >= 0], tsm])
    dec_cw = np.bincount(lactor[dec_m], minlength=C)
    dev_cw = np.bincount(lactor[dec_m[lg["dev"][dec_m]]], minlength=C)
    cl_months = m["caseload_mean"].sum()
    per_cw = tcw / max(cl_months, 1) * 100
    work_share_cw = work_cw / np.maximum(all_cw, 1)
    spell_client, spell_months = _spell_months(r, at)
    exp_years = _exposure_by(r, origin, 3, spell_client, spell_months)
    rate_origin = {
        o: round(100 * started_by[i] / exp_years[i], 3) if exp_years[i] else None for i, o in enumerate(ORIGINS)
    }
    rates = [v for v in rate_origin.values() if v]
    # who leaves and who stays (H3): trajectories and outflow to work per 100 client-years by duration type
    typ = r.clients["type"]
    exp_t = _exposure_by(r, typ, 3, spell_client, spell_months)
    started_t = np.bincount(typ[lg["client"][tsm]], minlength=3)
    work_t = np.bincount(typ[lg["client"][work_ev]], minlength=3)
    by_type = {
        name: {
            "trajectories_per_100y": round(100 * started_t[i] / exp_t[i], 3) if exp_t[i] else None,
            "work_exits_per_100y": round(100 * work_t[i] / exp_t[i], 3) if exp_t[i] else None,
        }
        for i, name in enumerate(TYPES)
    }
    # who stays: share of the final stock that is 'graniet' and that is niet-westers
    on_end = r.clients["status_end"] == 1
    sanc = np.concatenate([at["waarschuwing"], at["maatregel"]])
    dec = np.concatenate([dec_m, sanc[lmonth[sanc] >= 0]])  # decisions, and warnings and sanctions (counted)
    cost_w = float(m["w_spent"].sum())
    return {
        "stock_start": int(m["stock"][0]),
        "stock_end": int(m["stock"][-1]),
        "inflow_per_year_pct": round(float(100 * in_y.mean() / stock_mid.mean()), 2),
        "outflow_per_year_pct": round(float(100 * out_y.mean() / stock_mid.mean()), 2),
        "outflow_to_work_share": round(float(work_y.sum() / max(out_y.sum(), 1)), 4),
        "outflow_to_work_per_year_pct": round(float(100 * work_y.mean() / stock_mid.mean()), 2),
        "mean_duration_months": round(float(m["stock"].mean() / max(m["outflow"].mean(), 1e-9)), 1),
        "trajectories_started": int(m["traj_started"].sum()),
        "trajectory_success": round(float(succ_n / max(len(ended), 1)), 4),
        "cost_w_deel": round(cost_w, 0),
        "cost_i_deel": round(float(m["i_spent"].sum()), 0),
        "cost_per_success": round(cost_w / max(succ_n, 1), 0),
        "w_deel_depleted_month": r.budget["w_deel_depleted_month"],
        "deviation_rate": round(float(lg["dev"][dec].mean()) if len(dec) else 0.0, 4),
        "classification_deviation_rate": round(
            float(m["class_deviations"].sum() / max(m["classifications"].sum(), 1)), 4
        ),
        "trajectory_rate_by_origin": rate_origin,
        "trajectory_rate_ratio": round(min(rates) / max(rates), 4) if rates else None,
        "by_type": by_type,
        "trajectory_ratio_graniet_vs_kort": round(
            by_type["graniet"]["trajectories_per_100y"] / by_type["kort"]["trajectories_per_100y"], 4
        )
        if by_type["kort"]["trajectories_per_100y"] and by_type["graniet"]["trajectories_per_100y"] is not None
        else None,
        "caseworker_sd_trajectory_rate": round(float(np.std(per_cw * C)), 4),
        "caseworker_sd_work_share": round(float(np.std(work_share_cw[all_cw >= 10])), 4),
        "caseworker_sd_graniet_share_of_trajectories": round(float(np.std(share_gr[tcw >= 10])), 4)
        if (tcw >= 10).any()
        else None,
        "caseworker_sd_deviation_rate": round(float(np.std((dev_cw / np.maximum(dec_cw, 1))[dec_cw >= 10])), 4)
        if (dec_cw >= 10).any()
        else None,
        "stock_end_graniet_share": round(float((r.clients["type"][on_end] == 2).mean()) if on_end.any() else 0, 4),
        "stock_end_niet_westers_share": round(float((origin[on_end] == 2).mean()) if on_end.any() else 0, 4),
        "sanctions_per_100_per_year": round(float(100 * m["sanctions"].sum() / years / stock_mid.mean()), 2),
        "warnings_per_100_per_year": round(float(100 * m["warnings"].sum() / years / stock_mid.mean()), 2),
        "exempt_share": round(float(m["exempt"].mean() / m["stock"].mean()), 4),
        "outflows": len(upt_m),
    }


def _exposure_by(r: SimResult, attr: np.ndarray, k: int, spell_client=None, spell_months=None) -> np.ndarray:
    """Client-years on benefit per attribute value during the run (from the monthly stock is not enough: by spell).
    ``spell_client``, ``spell_months``: :func:`_spell_months` of ``r``, when already computed."""
    if spell_client is None:
        spell_client, spell_months = _spell_months(r)
    return np.bincount(attr[spell_client], weights=spell_months, minlength=k) / 12


def _positions(ltype: np.ndarray) -> dict:
    """The positions in the log of the event types :func:`summarise` reads, per type name, in log order."""
    names = ("traject_start", "traject_einde", "uitstroom", "classificatie", "waarschuwing", "maatregel", "toekenning")
    return {k: np.flatnonzero(ltype == EV[k]) for k in names}


def _spell_months(r: SimResult, at: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each spell's client and its months on benefit during the run (``at``: :func:`_positions` of its log)."""
    lg = r.log
    at = at if at is not None else _positions(lg["type"])
    starts, ends = at["toekenning"], at["uitstroom"]
    s_case, s_month, s_client = lg["case"][starts], lg["month"][starts], lg["client"][starts]
    e_month = np.full(len(r.cases["client"]), r.months, np.int64)
    e_month[lg["case"][ends]] = lg["month"][ends]
    a = np.maximum(s_month, 0)
    b = e_month[s_case]
    return s_client, np.maximum(b - a, 0)
