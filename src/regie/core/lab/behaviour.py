"""Caseworker behaviour as explicit rules over arrays (caseworkers × attributes). docs/lab.md lists each rule
(B1-B9) with its source; sizes of effects are assumptions unless a seed gives a number.

Who a caseworker is:
- a type after Engbersen (seed 000:499-512): view of clients (positive/negative) × view of the service
  (positive/negative) → berustend (resigned), pleitbezorger (advocate), bureaucraat, bemiddelaar (mediator);
- weights for the professional, bureaucratic and market logic (seed 004:83-91), drawn around the municipality's
  steering mode (Dirichlet);
- a Kagan style (seed 000:477-490), derived: orientation on rules (bureaucratic weight + rules-steering) ×
  orientation on goals (market weight + performance-steering) → retreatisme, ongeoorloofde discretie,
  legalistisch, rechterlijk;
- strengths of the three mechanisms of seed 000:538-562: routinisation, ethnocentrism, selectivity (creaming);
- the freedom actually used: the municipality's freedom (rules- vs performance-steering, seed 000:754-782) ×
  the caseworker's own room (professional logic and a view of the service).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ENGBERSEN = ("berustend", "pleitbezorger", "bureaucraat", "bemiddelaar")
# view of clients, view of the service (+1 positive, -1 negative) — seed 000:502-505 Tabel 4.2
ENGBERSEN_VIEWS = np.array([(-1, -1), (+1, -1), (-1, +1), (+1, +1)], dtype=float)
KAGAN = ("retreatisme", "ongeoorloofde_discretie", "legalistisch", "rechterlijk")
N_GROUPS = 6  # routinisation memory per household type (3) × non-western origin (2)


@dataclass
class Caseworkers:
    n: int
    team: np.ndarray
    engbersen: np.ndarray  # index into ENGBERSEN
    logic: np.ndarray  # n × 3: professional, bureaucratic, market
    kagan: np.ndarray  # index into KAGAN
    freedom: np.ndarray  # freedom used, 0-1
    creaming: np.ndarray
    ethnocentrism: np.ndarray
    routinisation: np.ndarray
    admin_share: np.ndarray
    effort: np.ndarray  # multiplier of client hours (retreatism / resigned type)
    offer_mult: np.ndarray  # volume of offers (view of clients)
    warn_pref: np.ndarray  # chance to warn instead of sanction when free
    memory: np.ndarray  # n × N_GROUPS experienced trajectory success (routinisation)

    def table(self) -> dict:
        return {
            "caseworker": np.arange(self.n),
            "team": self.team,
            "engbersen": np.array(ENGBERSEN)[self.engbersen],
            "kagan": np.array(KAGAN)[self.kagan],
            "professional": self.logic[:, 0],
            "bureaucratic": self.logic[:, 1],
            "market": self.logic[:, 2],
            "freedom": self.freedom,
            "creaming": self.creaming,
            "ethnocentrism": self.ethnocentrism,
            "routinisation": self.routinisation,
            "admin_share": self.admin_share,
        }


def make_caseworkers(p, steering: str, rng: np.random.Generator, prior_success: float) -> Caseworkers:
    n = p.caseworkers
    team = np.arange(n) // p.team_size
    shares = np.array([p.engbersen_shares[k] for k in ENGBERSEN], dtype=float)
    eng = rng.choice(4, size=n, p=shares / shares.sum())
    views = ENGBERSEN_VIEWS[eng]
    logic = rng.dirichlet(np.array(p.logic_means[steering]) * p.logic_concentration, size=n)
    # B1 freedom used: the municipality's room × the caseworker's own use of it. Professional logic claims
    # autonomy (seed 004:83-85), a negative view of the service (resigned, advocates) strays from it (000:508-512).
    muni = p.freedom_override if p.freedom_override is not None else p.freedom[steering]
    own = np.clip(0.6 + 0.8 * logic[:, 0] - 0.3 * logic[:, 1] + 0.1 * (views[:, 1] < 0), 0.0, 1.4)
    freedom = np.clip(muni * own, 0.0, 1.0)
    # Kagan style (derived): rules orientation and goal orientation
    rules_or = logic[:, 1] + (0.15 if steering == "rules" else 0.0) > 0.35
    goals_or = logic[:, 2] + (0.15 if steering == "performance" else 0.0) > 0.35
    kagan = np.where(~rules_or & ~goals_or, 0, np.where(~rules_or & goals_or, 1, np.where(rules_or & ~goals_or, 2, 3)))
    # mechanism strengths: spread between caseworkers (B6-B8)
    creaming = p.creaming * rng.gamma(4.0, 0.25, size=n)
    ethno = p.ethnocentrism * rng.beta(2.0, 2.0, size=n) * 2
    routine = p.routinisation * rng.gamma(4.0, 0.25, size=n)
    admin = np.clip(
        p.admin_share + (p.admin_rules_extra if steering == "rules" else 0.0) + rng.normal(0, 0.05, n), 0.1, 0.8
    )
    # B2 effort: the retreatist style and the resigned type put in less client time (seed 000:486, 000:508)
    effort = np.where(kagan == 0, 0.85, 1.0) * np.where(eng == 0, 0.9, 1.0)
    # B5 volume: a positive view of clients offers more (advocates, mediators); a negative one less (000:508-512)
    offer_mult = np.where(views[:, 0] > 0, 1.2, 0.8)
    # B4 warn rather than sanction: professional logic and advocates warn, bureaucratic logic sanctions
    # (seed 004:111, 002:2551, 000:510 "pleitbezorgers ... moeite met sanctiebeleid")
    warn = np.clip(p.warn_instead + 0.5 * (logic[:, 0] - logic[:, 1]) + 0.2 * (eng == 1) - 0.2 * (eng == 2), 0, 1)
    memory = np.full((n, N_GROUPS), prior_success)
    return Caseworkers(
        n, team, eng, logic, kagan, freedom, creaming, ethno, routine, admin, effort, offer_mult, warn, memory
    )


def capacity(cw: Caseworkers, p) -> np.ndarray:
    """B2 time budget: client contacts a caseworker can have this month (seed 003:498: administration 40-60%)."""
    return p.hours_per_month * (1 - cw.admin_share) * cw.effort / p.contact_hours


def pressure(caseload: np.ndarray, norm: float, w_scarce: bool) -> np.ndarray:
    """Lipsky's limited time and money (seed 000:556): caseload above the norm, or a W-deel running out."""
    return np.clip(caseload / norm - 1.0, 0, 2) + (0.5 if w_scarce else 0.0)


def perceived(kunnen, willen, age, lang, ethno_cw, prof_cw):
    """B7 ethnocentrism: the caseworker judges from own norms and does not correct for language problems
    (seed 000:548-550); professional standards damp it (seed 004:83-85). Returns a standardised score of
    how promising a client looks — what creaming selects on (motivated, younger: seed 000:552-556)."""
    raw = kunnen + 0.5 * (willen - 0.55) - 0.01 * (age - 40) - ethno_cw * (1 - prof_cw) * 0.25 * lang
    return (raw - 0.45) / 0.25


def attention_weight(score, creaming_eff, deadline, freedom, rules_steering: bool, deadline_boost: float):
    """B3 whom they see first. Free caseworkers see promising clients first (creaming); under rules-steering the
    worklist is ordered by deadlines (sluitende aanpak)."""
    w = np.exp(np.clip(freedom * creaming_eff * score, -6, 6))
    if rules_steering:
        w = w * np.where(deadline, deadline_boost, 1.0)
    return w


def routine_factor(memory_cw_g, prior, strength):
    """B6 routinisation: past success with a group shapes new offers (seed 000:540-545)."""
    return (np.maximum(memory_cw_g, 1e-3) / prior) ** strength


def update_memory(cw: Caseworkers, who_cw, group, success, rate: float = 0.3) -> None:
    if len(who_cw) == 0:
        return
    idx = who_cw * N_GROUPS + group
    n = np.bincount(idx, minlength=cw.n * N_GROUPS)
    s = np.bincount(idx, weights=success.astype(float), minlength=cw.n * N_GROUPS)
    has = np.flatnonzero(n)  # the (caseworker, group) cells with an ended trajectory, in row-major order
    if not cw.memory.flags.c_contiguous:
        cw.memory = np.ascontiguousarray(cw.memory)
    mem = cw.memory.reshape(-1)  # a view of the C-contiguous table: the cells are updated in place
    mem[has] = (1 - rate) * mem[has] + rate * (s[has] / n[has])
