"""The policy lab's state: the codes of the compact event log, the log itself, the policy version as arrays, and
:class:`LabState` — every array and counter of one run (clients × state, providers, budgets, monthly series) — plus
:class:`Month`, what the rules of one month hand to each other. The rules themselves are in ``rules.py``; the run is
``model.simulate``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from . import adapters
from .behaviour import N_GROUPS, Caseworkers
from .budget import Budget
from .market import Market
from .params import LabParams

# --- vocabularies (codes in the compact log) ------------------------------------------------------------------
EVENT_TYPES = (
    "melding",
    "aanvraag",
    "toekenning",
    "afwijzing",
    "intake",
    "classificatie",
    "plan_van_aanpak",
    "traject_start",
    "traject_einde",
    "ontheffing_start",
    "ontheffing_einde",
    "waarschuwing",
    "maatregel",
    "contact",
    "uitstroom",
    "herinstroom",
    "caseworker_toewijzing",
)
EV = {name: i for i, name in enumerate(EVENT_TYPES)}
TYPES = ("kort", "midden", "graniet")
ORIGINS = ("nederland", "westers", "niet_westers")
HOUSEHOLDS = ("alleenstaande", "alleenstaande_ouder", "gehuwden")
EDUCATION = ("geen", "basis", "vmbo", "mbo1", "mbo2_4", "havo_vwo", "hbo", "wo")
KINDS = ("work_first", "bemiddeling", "reintegratie", "scholing", "diagnose", "zorg", "participatie")
KIND_SUCCESS = np.array([1.0, 1.3, 1.0, 0.8, 0.5, 0.2, 0.3])  # A: work-oriented kinds succeed more often
ROUTE_KIND = {
    "bemiddeling": "bemiddeling",
    "reintegratie": "reintegratie",
    "zorg": "zorg",
    "participatie": "participatie",
    "work_first": "work_first",
    "arbeidsactivering": "reintegratie",
    "sociale_activering": "participatie",
    "inkomen": "participatie",
    "scholing": "scholing",
}
RESULTS = ("werk", "werk_gesubsidieerd", "afgerond", "voortijdig_gestopt", "uitval_medisch", "uitstroom")
GROUNDS = ("kind_onder_5", "geen_kinderopvang", "medisch", "mantelzorg")
OBLIGATIONS = ("arbeidsverplichting", "reintegratie")
OTHER_REASONS = (
    "inkomen_partner",
    "andere_uitkering",
    "verhuizing",
    "geen_recht",
    "studie",
    "detentie",
    "overlijden",
    "overig",
)
REASONS = ("werk_regulier", "werk_gesubsidieerd", "pensioen") + OTHER_REASONS
GONE_REASONS = {"verhuizing", "overlijden", "pensioen"}  # no relapse into this municipality
MOTIVATION = ("laag", "midden", "hoog")

# the engine's facts of a client that never change, in the columns of LabState.facts_m
FIXED_FACTS = (
    "n_children",
    "has_partner",
    "childcare_arranged",
    "medical_claim",
    "health_limitation",
    "care_duties",
    "requested_trajectory",
    "expected_months_to_work",
)

# client status codes
NOT_ARRIVED, ON_BENEFIT, LEFT, GONE = 0, 1, 2, 3  # LEFT may relapse (M6), GONE does not
OFFER_NEVER = np.iinfo(np.int32).max  # LabState.offer_from during a trajectory


class EventLog:
    """The compact event log: one preallocated column per field, grown by doubling (no per-call allocation).

    The buffers are uninitialised (``np.empty``: pages the run never reaches are never touched); :meth:`add` writes
    every field of its rows, the fill value where a field is not given, so growing copies only the rows written."""

    COLS = ("type", "client", "case", "month", "day", "actor", "a", "b", "c", "x", "r", "dev")
    DTYPES = (
        np.int8,
        np.int32,
        np.int32,
        np.int16,
        np.int8,
        np.int16,
        np.int32,
        np.int32,
        np.int32,
        np.float64,
        np.int32,
        bool,
    )
    FILL = (0, 0, 0, 0, 0, -1, -1, -1, -1, np.nan, -1, False)

    def __init__(self, capacity: int = 1 << 16):
        self.n = 0
        self.cap = capacity
        self.buf = [np.empty(capacity, d) for d in self.DTYPES]

    def _grow(self, need: int) -> None:
        cap = self.cap
        while cap < need:
            cap *= 2
        for i, b in enumerate(self.buf):
            nb = np.empty(cap, b.dtype)
            nb[: self.n] = b[: self.n]
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
                buf[i][lo:hi] = self.FILL[i]
                continue
            if type(v) is np.ndarray and v.ndim and len(v) != n:
                raise ValueError(f"{etype}: column of length {len(v)} for {n} events")
            buf[i][lo:hi] = v
        self.n = hi

    def arrays(self) -> dict:
        return {c: self.buf[i][: self.n] for i, c in enumerate(self.COLS)}


_Log = EventLog  # former name


# --- the policy version in force, as arrays -------------------------------------------------------------------
def policy_month(code: str, on: dt.date) -> dict:
    """The policy version in force on ``on``, derived once into arrays (:func:`derive_policy`)."""
    return policy_version(adapters.policy_for(code, on))


_VERSION_CACHE: dict = {}


def policy_version(pol) -> dict:
    key = (pol.version_id, id(pol))
    if key not in _VERSION_CACHE:
        _VERSION_CACHE[key] = derive_policy(pol)
    return _VERSION_CACHE[key]


def derive_policy(pol) -> dict:
    """What the rules need of a policy version: level ranks and their route's trajectory kind, Work First levels,
    exemption grounds (scope, term), the sanction table (obligation × step × rank → percentage, months; a step the
    policy does not decide: 100% for the work obligation, 30% otherwise), steering, deadline, caseload norm."""
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
    # the facts the engine's rules read (routing, trajectories, exemptions); the engine also reads the age (search
    # period, the table's length) and the number of children (a youngest child's age without children)
    used = {"age", "n_children"}
    for r in (*pol.routing.rules, *pol.trajectories.rules, *pol.exemptions):
        used |= set(r.when)
    return {
        "policy": pol,
        "version": pol.version_id,
        "facts_used": tuple(sorted(used)),
        "rank_of": rank_of,
        # rank per routing rule (the engine's routing_rule index; -1, undecided, and a level the scheme lacks: the
        # farthest rank, as level_ranks maps level ids)
        "rank_by_rule": np.array(
            [rank_of.get(r.level, int(ranks.max())) for r in pol.routing.rules] + [int(ranks.max())], np.int16
        ),
        "min_rank": int(ranks.min()),
        "max_rank": int(ranks.max()),
        "level_ids": {lv.rank: lv.id for lv in levels},
        "kind_by_rank": kind_by_rank,
        "wf_ranks": wf_ranks,
        "wf": wf,
        "exemptions": ex,
        "ex_months": np.array([ex.get(g, ("volledig", 12))[1] for g in GROUNDS]),  # M7 renewal term by ground
        # M4: scope (full?) and term of each ground the policy has (a ground it lacks is never granted)
        "ex_full_by_ground": np.array([ex.get(g, ("", 0))[0] == "volledig" for g in GROUNDS], dtype=bool),
        "ex_term_by_ground": np.array([ex.get(g, ("", 0))[1] for g in GROUNDS], dtype=int),
        "sanctions": sanctions,
        "steering": pol.steering.mode,
        "within": pol.deadlines.trajectory_within_months,
        "norm": float(pol.caseload_norm.value),
        "payment": pol.provider_payment,
    }


def level_ranks(levels, pv) -> np.ndarray:
    """Level ids from the batch engine → ranks (a level the engine could not decide → the farthest rank)."""
    get, far = pv["rank_of"].get, pv["max_rank"]
    lv = np.asarray(levels, dtype=object).tolist()
    return np.fromiter(map(get, lv, [far] * len(lv)), np.int16, len(lv))


def sub(v, *masks):
    """A per-event column restricted to a subset (scalars pass through)."""
    if np.ndim(v) == 0:
        return v
    v = np.asarray(v)
    for mk in masks:
        v = v[mk]
    return v


def month_date(start: dt.date, t: int) -> dt.date:
    y, m = divmod(start.year * 12 + start.month - 1 + t, 12)
    return dt.date(y, m + 1, 1)


MONTHLY = (
    "stock",
    "inflow",
    "inflow_new",
    "inflow_re",
    "outflow",
    "outflow_work",
    "traj_started",
    "traj_ended",
    "traj_success",
    "w_spent",
    "i_spent",
    "exempt",
    "sanctions",
    "warnings",
    "classifications",
    "class_deviations",
    "traj_deviations",
    "seen",
    "unemployment",
    "withdrawn",
    "caseload_max",
    "caseload_mean",
)


@dataclass(eq=False)
class LabState:
    """Everything one run changes or reads, as arrays: index = client number (the pool of the starting stock and
    every first-time arrival of the run, drawn up front), caseworker number or provider number."""

    # --- the run
    p: LabParams
    rng: np.random.Generator  # the one source of random draws, consumed in a fixed order
    contacts: bool  # log the contacts (B3)
    market: Market
    pol0: dict  # the policy version in force at the start
    arrivals: np.ndarray  # first-time arrivals per month (M2)
    cl: dict  # the pool's attributes drawn at the start (M1); willen, age and youngest change: see below
    cw: Caseworkers
    budget: Budget
    pp: dict  # the synthetic generator's population parameters
    # --- providers (B5): concurrent places, price, success rate, months; index len(providers) = Work First
    prov_cap: np.ndarray
    prov_price: np.ndarray
    prov_succ: np.ndarray
    prov_months: np.ndarray
    prov_occ: np.ndarray  # places in use
    # --- constants of the rules
    hw_type: np.ndarray  # M9 work hazard by duration type
    ho_type: np.ndarray  # M9 other-exit hazard by duration type
    other_p: np.ndarray  # M9 shares of the other exit reasons
    scar: np.ndarray  # M9 scarring by months on benefit in total
    surv: dict  # M6 survival curve of the relapse hazard, after work (True) / other exits (False)
    ethno_pen: np.ndarray  # B7 per caseworker
    lang_f: np.ndarray  # language barrier as float
    willen_mean: float = 4.0 / 7.0  # mean of Beta(4, 3) (M1)

    # --- clients × state
    status: np.ndarray = None  # NOT_ARRIVED, ON_BENEFIT, LEFT (may relapse), GONE
    # months in the current spell = now - start_m; months on benefit in total (scarring) = cum0 + now - start_m
    # (spell start months instead of counters incremented for every client every month)
    start_m: np.ndarray = None  # month the current spell began (M3; the starting stock: minus its duration)
    cum0: np.ndarray = None  # months on benefit before the current spell (added to at the exit, M9)
    phase: np.ndarray = None  # start_m mod 12: the M11 review month in the year
    case: np.ndarray = None  # current case number
    start_day: np.ndarray = None
    who: np.ndarray = None  # caseworker
    who_i: np.ndarray = None  # the same as an index (intp), for the gathers and bincounts over those on benefit
    rank: np.ndarray = None  # level (rank) decided at the last assessment
    traj_left: np.ndarray = None  # months left in the current trajectory
    traj_prov: np.ndarray = None
    traj_kind: np.ndarray = None
    traj_price: np.ndarray = None
    traj_no: np.ndarray = None  # trajectories so far
    traj_spell: np.ndarray = None  # trajectories in this spell
    last_traj_end: np.ndarray = None  # month
    ex_end: np.ndarray = None  # M7: month the exemption comes up for review (months left = ex_end - month), -1 none
    ex_ground: np.ndarray = None  # index into GROUNDS, -1 none
    ex_full: np.ndarray = None  # fully exempted
    ex_no: np.ndarray = None  # exemptions so far
    exit_month: np.ndarray = None
    exit_work: np.ndarray = None
    last_breach: np.ndarray = None  # month (B4 repeat within 12 months)
    sanc_left: np.ndarray = None  # months of sanction left
    sanc_pct: np.ndarray = None
    rec_rank_of: np.ndarray = None  # the policy's level (rank) at the last assessment
    elig_of: np.ndarray = None  # the policy's trajectory eligibility at the last assessment
    forced: np.ndarray = None  # trajectory ended in work this month (M8 → M9)
    traj_end_day: np.ndarray = None
    forced_day: np.ndarray = None
    forced_sub: np.ndarray = None  # … in subsidised work
    other_cdf: np.ndarray = None  # M9 cumulative shares of the other exit reasons
    facts_f: dict = None  # the engine's fixed facts as floats (rules.facts)
    facts_m: np.ndarray = None  # the same and expected_months_to_work: clients × FIXED_FACTS, row-major
    group: np.ndarray = None  # B6 routinisation group: household × non-western origin
    age: np.ndarray = None  # advances once a year (M10)
    youngest: np.ndarray = None  # age of the youngest child
    willen: np.ndarray = None  # motivation: failed trajectories lower it (M8), sanctions raise it (B4)
    hw_cl: np.ndarray = None  # M9 work hazard of the client's duration type
    ho_cl: np.ndarray = None  # M9 other-exit hazard of the client's duration type
    # B3's "how promising" score of every client as rule_b3_attention computes it (rules.refresh_score), kept up to
    # date where its inputs change (willen in M8 and B4, the caseworker at the intake, ages once a year): B3 gathers
    # one column instead of four and their arithmetic over the ~40,000 on benefit every month
    score_all: np.ndarray = None
    pens: np.ndarray = None  # M9: at or above the pension age (ages change once a year, M10)
    # B5: the first month a client can be offered a trajectory, max(last_traj_end + 6, start_m + 1), or OFFER_NEVER
    # during a trajectory (rules.offer_from_now): B5's filter (no trajectory, none ended in the last 6 months, in
    # the spell for at least a month) is one gather and comparison, t >= offer_from, instead of three
    offer_from: np.ndarray = None
    # B5's key of a client's (caseworker, B6 group, language barrier): who × 2 × N_GROUPS + group × 2 + barrier,
    # set at the intake (the caseworker changes only there; group and barrier never), so that B5 gathers the B6 and
    # B7 factors with one key per candidate; b5_gl is its fixed part, b5_lang the B7 factor by key (fixed in a run)
    b5_key: np.ndarray = None
    b5_gl: np.ndarray = None
    b5_lang: np.ndarray = None

    # --- counters and records
    n_cases: int = 0
    n_act: int = 0  # clients 0..n_act-1 have arrived
    case_client: list = field(default_factory=list)  # per intake batch
    case_month: list = field(default_factory=list)
    case_day: list = field(default_factory=list)
    case_team: list = field(default_factory=list)
    log: EventLog = field(default_factory=EventLog)
    wf_used: dict = field(default_factory=dict)  # M5 Work First places used per year
    monthly: dict = None  # name -> array per month (MONTHLY)
    versions: list = field(default_factory=list)  # policy versions in force, in order
    levels_seen: dict = field(default_factory=dict)  # version -> rank -> level id
    ex_sched: list = None  # M7: exemption ends noted per month (rules.schedule_exemption_ends)
    relapse_sched: list = None  # M6: relapse_sched[t] = arrays of clients who come back in month t
    demand: object = None  # demand.Demand when the demand side is on (D1-D4)
    pv_by_date: dict = field(default_factory=dict)  # the policy version in force per date, looked up once a run
    now: int = 0  # the month being simulated (0 during set-up)
    on_idx: np.ndarray = None  # the clients on benefit, in client order (M1 starting stock, then M10)
    review_next: np.ndarray = None  # M11: of those, the ones due for the plan review next month (M1, then M10)

    def dur(self, idx) -> np.ndarray:
        """Months in the current spell of clients ``idx`` (on benefit, or arrived this month: 0), as the counter
        that M10 advanced once a month had it."""
        return self.now - self.start_m[idx]

    def cum(self, idx) -> np.ndarray:
        """Months on benefit in total of clients ``idx`` on benefit (M9 scarring)."""
        return self.cum0[idx] + (self.now - self.start_m[idx])

    def policy_on(self, on: dt.date) -> dict:
        """:func:`policy_month` of the run's policy on ``on``, looked up once per date in a run."""
        pv = self.pv_by_date.get(on)
        if pv is None:
            pv = self.pv_by_date[on] = policy_month(self.p.policy, on)
        return pv

    @property
    def T(self) -> int:
        return self.p.months

    @property
    def n0(self) -> int:
        return self.p.clients

    @property
    def C(self) -> int:
        return self.p.caseworkers

    @property
    def WF(self) -> int:
        """Provider index of the Work First programme."""
        return len(self.p.providers)

    def __post_init__(self):
        P = len(self.cl["type"])
        T = self.p.months
        self.status = np.zeros(P, np.int8)
        self.start_m = np.zeros(P, np.int32)
        self.cum0 = np.zeros(P, np.int32)
        self.phase = np.zeros(P, np.int8)
        self.case = np.full(P, -1, np.int32)
        self.start_day = np.zeros(P, np.int8)
        self.who = np.full(P, -1, np.int16)
        self.who_i = np.full(P, -1, np.intp)
        self.rank = np.zeros(P, np.int8)
        self.traj_left = np.zeros(P, np.int16)
        self.traj_prov = np.zeros(P, np.int16)
        self.traj_kind = np.zeros(P, np.int8)
        self.traj_price = np.zeros(P)
        self.traj_no = np.zeros(P, np.int32)
        self.traj_spell = np.zeros(P, np.int16)
        self.last_traj_end = np.full(P, -999, np.int32)
        self.offer_from = np.full(P, 1, np.int32)  # max(-999 + 6, 0 + 1) of the initial values; set at the intake
        self.ex_end = np.full(P, -1, np.int32)
        self.ex_sched = [[] for _ in range(T)]  # M7: ex_sched[t] = arrays of clients whose exemption ends in t
        self.ex_ground = np.full(P, -1, np.int8)
        self.ex_full = np.zeros(P, bool)
        self.ex_no = np.zeros(P, np.int32)
        self.exit_month = np.zeros(P, np.int32)
        self.exit_work = np.zeros(P, bool)
        self.last_breach = np.full(P, -999, np.int32)
        self.sanc_left = np.zeros(P, np.int8)
        self.sanc_pct = np.zeros(P)
        self.rec_rank_of = np.zeros(P, np.int16)
        self.elig_of = np.ones(P)
        self.forced = np.zeros(P, bool)
        self.traj_end_day = np.zeros(P, np.int8)
        self.forced_day = np.zeros(P, np.int8)
        self.forced_sub = np.zeros(P, bool)
        cdf = self.other_p.cumsum()  # as Generator.choice makes it from p (rules.rule_m9_exits)
        self.other_cdf = cdf / cdf[-1]
        self.hw_cl = self.hw_type[self.cl["type"]]  # M9 base hazards per client (by duration type)
        self.ho_cl = self.ho_type[self.cl["type"]]
        self.group = (self.cl["household"].astype(np.int32) * 2 + (self.cl["origin"] == 2)).astype(np.int32)
        self.b5_gl = self.group.astype(np.intp) * 2 + self.cl["lang"]
        self.b5_key = np.zeros(P, np.intp)
        cw = self.cw
        lang_factor = np.stack([np.ones(cw.n), 1 - 0.5 * np.minimum(cw.ethnocentrism * (1 - cw.logic[:, 0]), 1)], 1)
        self.b5_lang = np.broadcast_to(lang_factor[:, None, :], (cw.n, N_GROUPS, 2)).ravel()
        self.age = self.cl["age"].copy()
        self.youngest = self.cl["youngest"].copy()
        self.willen = self.cl["willen"].copy()
        self.score_all = np.zeros(P)
        self.pens = self.age >= self.p.pension_age
        # the engine's facts that never change, as the floats it reads (rules.facts gathers them)
        cl = self.cl
        self.facts_f = {
            "n_children": cl["n_children"].astype(float),
            "has_partner": (cl["household"] == 2).astype(float),
            "childcare_arranged": cl["childcare"].astype(float),
            "medical_claim": cl["claim"].astype(float),
            "health_limitation": cl["health"].astype(float),
            "care_duties": cl["care"].astype(float),
            "requested_trajectory": cl["requested"].astype(float),
        }
        # the same facts and the expected months to work, one row per client (FIXED_FACTS): rules.facts gathers the
        # rows of those it assesses at once (one cache line a client instead of one per fact)
        self.facts_m = np.column_stack([self.facts_f[k] for k in FIXED_FACTS[:-1]] + [cl["emw"].astype(float)])
        self.n_act = self.p.clients
        self.monthly = {k: np.zeros(T) for k in MONTHLY}
        self.monthly["unemployment"][:] = self.market.unemployment
        self.relapse_sched = [[] for _ in range(T)]
        # the log's expected size (~0.3 events per client-month at G4; pages beyond what is written stay untouched)
        self.log = EventLog(max(1 << 16, int(0.4 * (self.p.clients + self.arrivals.sum() / 2) * T)))


@dataclass(eq=False)
class Month:
    """What the rules of one month (``model.step``) hand to each other. Client index arrays are client numbers."""

    t: int
    on_date: dt.date
    pv: dict  # the policy version in force
    rules_steering: bool
    new: np.ndarray = None  # first-time arrivals this month (M2), less those deterred (M5)
    back: np.ndarray = None  # relapses due this month (M6)
    fresh: np.ndarray = None  # new + back: this month's intakes (M3)
    old: np.ndarray = None  # on benefit before this month's intakes
    dur_o: np.ndarray = None  # their months in the spell
    review: np.ndarray = None  # M11: old clients due for the plan review
    reviewed: tuple = None  # M11: their (recommended rank, eligibility)
    caseload: np.ndarray = None  # per caseworker
    w_scarce: bool = False  # B9: less than a quarter of the W-deel left
    c_old: np.ndarray = None  # caseworker of each old client
    s_eff: np.ndarray = None  # B9 effective creaming strength per caseworker
    score: np.ndarray = None  # B7 how promising each old client looks
    deadline: np.ndarray = None  # B3 near the trajectory deadline (rules-steering only, else None)
    seen_m: np.ndarray = None  # B3 mask over old: seen this month
    seen: np.ndarray = None  # B3 the old clients seen
    seen_i: np.ndarray = None  # B3 their positions in old
