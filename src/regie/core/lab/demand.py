"""The lab's demand side: vacancies recruited by accountmanagers, filled from the caseload, with or without a wage
subsidy (loonkostensubsidie), and how durable the placements are (rules D1-D4 of docs/lab.md).

Switched on by the parameter ``demand`` (a dict; empty = off, the default, so that runs without it are the runs they
always were, draw for draw). With ``demand: {accountmanagers: 10}`` each month:

- **D1 vacancy flow** (seed 003:346: Helmond's accountmanagers recruit vacancies in twelve focus occupations; seed
  001:1403-1410: a few municipalities work with employers at all): recruited vacancies = ceiling × (1 − exp(−AM ×
  per_am / ceiling)) × the labour market's work multiplier, where the ceiling is ``ceiling_per_1000`` per 1,000
  clients of the starting stock: more accountmanagers find more vacancies, with saturation (each further one finds
  fewer). A vacancy stays open ``open_months`` months, then lapses to the regular labour market.
- **D2 matching** (seed 003:340-348: "klanten wel bemiddelingsrijp maar niet concurrentierijp"): each open vacancy
  is offered to one client drawn from the caseload in proportion to the matching fit of their rung on the
  participation ladder (``fit_by_rung``: rung 1 = the level closest to work); clients fully exempted, in a
  trajectory or already leaving this month are not candidates. The employer takes the candidate with probability
  ``fill_rate`` × fit × ability (kunnen / 0.45, at most 1).
- **D3 wage subsidy** (Pw art. 10d: loonkostensubsidie, at most 70% of the minimum wage; seed 001:1509-1511:
  opstapbanen with a wage subsidy to the employer): a candidate whose ability is below ``subsidy_below_ability``
  is only taken with a wage subsidy of ``subsidy_pct`` % of ``wage_cost_month``; the employer's take-up falls with
  the percentage: ``takeup_at_ref`` × (pct / ``ref_pct``) ^ ``takeup_elasticity`` (at most 1; 0 without subsidy).
  The subsidy is paid monthly for ``subsidy_months`` while the placement lasts, from the I-deel (since 2015 the
  gebundelde uitkering pays the loonkostensubsidie; seed 001:1471-1473: both parts of the budget were used).
- **D4 durability** (seed 003:364-366: aftercare "verduurzamen" the placement): a placement ends the benefit in
  the month it is made (an uitstroom to work, subsidised or regular, through M9); it lasts 6 months with
  probability ``durable_6`` and 12 with ``durable_12`` (regular / subsidised); a placement that breaks returns the
  client to benefit in that month (M6 herinstroom), one that lasts a year follows the ordinary relapse hazard from
  then on (assumption).

Every number not from a source is an assumption (``A``): they are the levers a policy officer tests, e.g. the
shipped scenarios ``meer-accountmanagers`` and ``lagere-loonkostensubsidie``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# name: (default, source or A)
DEFAULTS: dict[str, tuple] = {
    "accountmanagers": (0, "0 = demand side off; a G4 has ~10-20 (A)"),
    "per_am": (6.0, "A: vacancies one accountmanager recruits a month when vacancies are plentiful"),
    "ceiling_per_1000": (6.0, "A: vacancies a month per 1,000 clients the region's employers offer at most"),
    "open_months": (3, "A: months a recruited vacancy stays open for the caseload"),
    "fit_by_rung": ((1.0, 0.6, 0.25, 0.05), "A: matching fit by rung (1 = closest to work), seed 003:348"),
    "fill_rate": (0.5, "A: chance the employer takes a candidate with fit 1 and average ability"),
    "subsidy_below_ability": (0.45, "A: ability (kunnen) below which an employer wants a wage subsidy"),
    "subsidy_pct": (50.0, "A: loonkostensubsidie in % of the wage cost (Pw art. 10d: at most 70)"),
    "ref_pct": (50.0, "A: the percentage at which take-up is takeup_at_ref"),
    "takeup_at_ref": (0.6, "A: employers that accept a subsidised candidate at ref_pct"),
    "takeup_elasticity": (1.5, "A: take-up × (pct / ref_pct) ^ elasticity"),
    "wage_cost_month": (1900.0, "A: minimum-wage cost of a full-time job a month, 2015 (WML + holiday pay)"),
    "subsidy_months": (12, "A: months the subsidy is paid (seed 001:1509-1511: opstapbanen are temporary)"),
    "durable_6": ((0.75, 0.80), "A: share of placements lasting 6 months (regular, subsidised)"),
    "durable_12": ((0.60, 0.65), "A: share lasting 12 months (regular, subsidised)"),
}

MAX_SUBSIDY_PCT = 70.0  # Pw art. 10d: at most 70% of the minimum wage


class DemandParamsError(ValueError):
    """A demand-side parameter that is unknown or out of range (the message names it)."""


def params(raw: dict | None) -> dict | None:
    """The demand side's parameters (defaults from :data:`DEFAULTS` where not given), or None when it is off."""
    raw = dict(raw or {})
    bad = set(raw) - set(DEFAULTS)
    if bad:
        raise DemandParamsError(f"demand: unknown parameters {sorted(bad)}; known: {sorted(DEFAULTS)}")
    out = {k: raw.get(k, v[0]) for k, v in DEFAULTS.items()}
    if not out["accountmanagers"] or out["accountmanagers"] <= 0:
        return None
    if not 0 <= float(out["subsidy_pct"]) <= MAX_SUBSIDY_PCT:
        raise DemandParamsError(f"demand.subsidy_pct: between 0 and {MAX_SUBSIDY_PCT:g} (Pw art. 10d)")
    for k in ("durable_6", "durable_12"):
        out[k] = tuple(float(x) for x in out[k])
    if any(d12 > d6 for d6, d12 in zip(out["durable_6"], out["durable_12"])):
        raise DemandParamsError("demand.durable_12: at most durable_6 (a placement that lasts 12 months lasted 6)")
    return out


def takeup(d: dict, pct: float | None = None) -> float:
    """D3: the share of employers that take a candidate who needs a wage subsidy of ``pct`` %."""
    pct = float(d["subsidy_pct"] if pct is None else pct)
    if pct <= 0:
        return 0.0
    return float(min(1.0, d["takeup_at_ref"] * (pct / d["ref_pct"]) ** d["takeup_elasticity"]))


def recruited(d: dict, n0: int, work_mult: float) -> float:
    """D1: vacancies recruited in a month (expected): saturating in the number of accountmanagers."""
    ceiling = d["ceiling_per_1000"] * n0 / 1000
    return ceiling * (1 - np.exp(-d["accountmanagers"] * d["per_am"] / max(ceiling, 1e-9))) * work_mult


@dataclass
class Demand:
    """The demand side's state in a run: open vacancies (month recruited), placements and their subsidies."""

    d: dict
    months: int
    open_since: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # per open vacancy
    # placements: one entry per placement
    p_client: list = field(default_factory=list)
    p_month: list = field(default_factory=list)
    p_sub: list = field(default_factory=list)
    p_break: list = field(default_factory=list)  # months until it breaks (1-12), 0 = lasts a year
    p_wait: list = field(default_factory=list)  # months the vacancy was open
    # this month's placements: the clients (sorted; a client is placed once a month) and months until the break
    placed_break: tuple = ()
    sub_end: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # running subsidies: last month + 1
    # monthly series
    vacancies: np.ndarray = None
    filled: np.ndarray = None
    lapsed: np.ndarray = None
    placements: np.ndarray = None
    placements_sub: np.ndarray = None
    subsidy_spent: np.ndarray = None

    def __post_init__(self):
        T = self.months
        for k in ("vacancies", "filled", "lapsed", "placements", "placements_sub", "subsidy_spent"):
            setattr(self, k, np.zeros(T))


def start(p) -> Demand | None:
    """The demand side of a run with parameters ``p`` (None when off)."""
    d = params(p.demand)
    return None if d is None else Demand(d, p.months)


def rule_d1_d3_placements(s, m) -> None:
    """D1 vacancies recruited, D2 matched to the caseload, D3 the wage subsidy, D4 the break month drawn: the
    placed clients leave benefit this month through M9 (``forced``: work, subsidised or not)."""
    dm: Demand = s.demand
    d, rng, t = dm.d, s.rng, m.t
    new = rng.poisson(recruited(d, s.n0, float(s.market.work_mult[t])))
    dm.vacancies[t] = new
    dm.open_since = np.concatenate([dm.open_since, np.full(new, t, np.int32)])
    nv = len(dm.open_since)
    dm.placed_break = ()
    old = m.old
    if nv and len(old):
        fit_tab = np.asarray(d["fit_by_rung"], float)
        rung = np.minimum(s.rank[old].astype(np.int64) - m.pv["min_rank"], len(fit_tab) - 1)
        fit = np.where(rung >= 0, fit_tab[np.maximum(rung, 0)], 0.0)
        ok = (~s.ex_full[old]) & (s.traj_left[old] == 0) & (~s.forced[old]) & (fit > 0)
        cand_i = np.flatnonzero(ok)
        if len(cand_i):
            w = fit[cand_i]
            # = rng.choice(len(cand_i), size=nv, p=w / w.sum()): the same p, cdf and uniforms (Generator.choice),
            # without its checks of p (w > 0 here)
            cdf = (w / w.sum()).cumsum()
            cdf /= cdf[-1]
            pick = cdf.searchsorted(rng.random(nv), side="right")
            first = np.zeros(nv, bool)
            first[np.unique(pick, return_index=True)[1]] = True  # a client is offered one vacancy a month
            ci = cand_i[pick]
            who = old[ci]
            kunnen = s.cl["kunnen"][who]
            take = first & (rng.random(nv) < d["fill_rate"] * fit[ci] * np.minimum(1.0, kunnen / 0.45))
            needs = kunnen < d["subsidy_below_ability"]
            take &= ~needs | (rng.random(nv) < takeup(d))
            u = rng.random(nv)
            sub = needs.astype(np.int64)
            d6 = np.asarray(d["durable_6"])[sub]
            d12 = np.asarray(d["durable_12"])[sub]
            brk = np.where(u < 1 - d6, rng.integers(1, 7, nv), np.where(u < 1 - d12, rng.integers(7, 13, nv), 0))
            day = rng.integers(1, 28, nv)
            k = np.flatnonzero(take)
            placed = who[k]
            s.forced[placed] = True
            s.forced_day[placed] = day[k]
            s.forced_sub[placed] = needs[k]
            dm.p_client.append(placed)
            dm.p_month.append(np.full(len(k), t, np.int32))
            dm.p_sub.append(needs[k])
            dm.p_break.append(brk[k].astype(np.int16))
            dm.p_wait.append((t - dm.open_since[k]).astype(np.int16))
            o = np.argsort(placed, kind="stable")
            dm.placed_break = (placed[o], brk[k][o])
            # D3: a subsidy runs from this month for subsidy_months, or until the placement breaks
            bs = brk[k][needs[k]]
            paid = np.minimum(np.where(bs > 0, bs, d["subsidy_months"]), d["subsidy_months"])
            dm.sub_end = np.concatenate([dm.sub_end, (t + paid).astype(np.int32)])
            dm.filled[t] = len(k)
            dm.placements[t] = len(k)
            dm.placements_sub[t] = int(needs[k].sum())
            keep = np.ones(nv, bool)
            keep[k] = False
            dm.open_since = dm.open_since[keep]
    expired = dm.open_since <= t - d["open_months"] + 1
    dm.lapsed[t] = int(expired.sum())
    dm.open_since = dm.open_since[~expired]
    # D3 subsidies paid this month for the subsidised placements still running (made this month included)
    dm.sub_end = dm.sub_end[dm.sub_end > t]  # the subsidies still running this month
    pay = float(len(dm.sub_end) * d["wage_cost_month"] * d["subsidy_pct"] / 100)
    if pay:
        s.budget.spend_i(pay)
        s.monthly["i_spent"][t] += pay
    dm.subsidy_spent[t] = pay


def relapse_months(s, t: int, clients: np.ndarray, m_rel: np.ndarray) -> np.ndarray:
    """D4 for M6: a placement made this month that breaks after b months brings the client back in month t + b; one
    that lasts a year starts the ordinary relapse clock after the year (assumption)."""
    dm: Demand = s.demand
    if not dm.placed_break or not len(dm.placed_break[0]):
        return m_rel
    pc, pb = dm.placed_break
    j = np.minimum(np.searchsorted(pc, clients), len(pc) - 1)
    hit = pc[j] == clients
    b = pb[j]
    return np.where(hit, np.where(b > 0, t + b, m_rel + 12), m_rel)


def summary(dm: Demand, T: int) -> dict:
    """The demand side's figures of a run: vacancies, placements (subsidised), durable at 6 and 12 months (of the
    placements made at least 6 / 12 months before the end), subsidy spend and spend per durable placement."""
    if dm.p_month:
        month = np.concatenate(dm.p_month)
        sub = np.concatenate(dm.p_sub)
        brk = np.concatenate(dm.p_break).astype(np.int64)
        wait = np.concatenate(dm.p_wait)
    else:
        month = brk = wait = np.zeros(0, np.int64)
        sub = np.zeros(0, bool)
    obs6, obs12 = month <= T - 6, month <= T - 12
    dur6 = obs6 & ((brk == 0) | (brk > 6))
    dur12 = obs12 & (brk == 0)
    spent = float(dm.subsidy_spent.sum())
    # spend per durable placement: the subsidy of the placements observed for 12 months / those of them durable
    sub12 = int((dur12 & sub).sum())
    spent12 = sum(
        min(int(b) if b else dm.d["subsidy_months"], dm.d["subsidy_months"])
        for b, s12 in zip(brk.tolist(), (obs12 & sub).tolist())
        if s12
    ) * (dm.d["wage_cost_month"] * dm.d["subsidy_pct"] / 100)
    vac = float(dm.vacancies.sum())
    return {
        "accountmanagers": dm.d["accountmanagers"],
        "subsidy_pct": float(dm.d["subsidy_pct"]),
        "vacancies": int(vac),
        "vacancies_filled_share": round(float(dm.filled.sum()) / vac, 4) if vac else None,
        "months_vacancy_to_placement": round(float(wait.mean()), 2) if len(wait) else None,
        "placements": int(len(month)),
        "placements_subsidised": int(sub.sum()),
        "durable_6_share": round(float(dur6.sum() / obs6.sum()), 4) if obs6.any() else None,
        "durable_12_share": round(float(dur12.sum() / obs12.sum()), 4) if obs12.any() else None,
        "durable_12": int(dur12.sum()),
        "durable_12_subsidised": sub12,
        "subsidy_spent": round(spent, 0),
        "subsidy_per_durable_placement": round(spent12 / sub12, 0) if sub12 else None,
    }


def monthly(dm: Demand) -> dict:
    return {
        "vacancies": dm.vacancies,
        "placements": dm.placements,
        "placements_sub": dm.placements_sub,
        "subsidy_spent": dm.subsidy_spent,
    }
