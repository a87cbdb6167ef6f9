"""Default parameters of the policy lab. Each carries its source, or ``A`` (an assumption) with the reason in
docs/lab.md and docs/lab-calibration.md. Overrides use dotted keys: ``{"behaviour.creaming": 2.0}``."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field, fields

# monthly exit hazards by duration type (base, before modifiers). Shares of the inflow come from the synthetic
# generator (regie.core.synth.params.DURATION_TYPES); hazards are re-tuned for this model (A, calibrated).
DEFAULT_TYPES = {
    #           work hazard, other-exit hazard
    "kort": (0.072, 0.055),
    "midden": (0.030, 0.021),
    "graniet": (0.0038, 0.0055),
}


@dataclass
class LabParams:
    # --- size and time
    clients: int = 40_000  # stock at the start (G4: Amsterdam/Rotterdam ~35,000, domain brief section 8)
    caseworkers: int = 300
    months: int = 120
    start: dt.date = dt.date(2015, 1, 1)  # first month simulated
    team_size: int = 8  # A (regie.core.synth.params.TEAM_SIZE)
    policy: str = "national-default"
    policy_on: dt.date | None = (
        None  # use the version in force on this date throughout (policy older/newer than the run)
    )
    market: str = "stable"
    market_overrides: dict = field(default_factory=dict)

    # --- population and flows
    types: dict = field(default_factory=lambda: copy.deepcopy(DEFAULT_TYPES))
    first_inflow_per_year: float = 0.185  # first-time inflow as a share of the starting stock per year (A, calibrated)
    relapse_half_life_months: float = 12.0  # relapse hazard decays (A)
    relapse_after_work: float = (
        0.0195  # monthly relapse hazard right after outflow to work (A; ~22% in 2 years, synth REENTRY)
    )
    relapse_after_other: float = 0.030  # … after other outflow (A; ~35% in 2 years)
    # work hazard × exp(-scarring × years on benefit in total) (A; seed 000:556 "naarmate de werkloosheid langer duurt")
    scarring_per_year: float = 0.12
    motivation_effect: float = 1.0  # work hazard × (0.5 + willen)/(0.5 + mean willen) (seed 000:366, size A)
    pension_age: float = 67.0  # AOW age (ext)
    health_limitation: dict = field(default_factory=lambda: {"kort": 0.03, "midden": 0.15, "graniet": 0.40})  # A
    medical_claim_if_limited: float = 0.6  # A
    language_barrier: dict = field(
        default_factory=lambda: {"nederland": 0.02, "westers": 0.15, "niet_westers": 0.45}
    )  # A
    childcare_arranged: float = 0.7  # A
    care_duties: float = 0.04  # A
    exempt_work_factor: float = 0.5  # work hazard of exempted clients (A)

    # --- caseworkers (behaviour.py documents each rule)
    hours_per_month: float = 120.0  # 36 h × 52/12 less leave and training (A)
    admin_share: float = 0.5  # seed 003:498: 40-60% of time on administration
    admin_rules_extra: float = 0.05  # forms and question trees under rules-steering (seed 000:766-768; size A)
    contact_hours: float = 1.0  # an intake takes ~1 hour (seed 000:688-696); follow-up contacts assumed equal
    contact_lift: float = 0.15  # work hazard × (1 + lift) in a month with a contact (A)
    freedom: dict = field(
        default_factory=lambda: {"rules": 0.2, "performance": 0.7}
    )  # seed 000:754-782 (order), size A
    steering_override: str | None = None  # "rules" | "performance": replaces the policy file's steering mode
    freedom_override: float | None = None  # set the municipality's freedom directly (experiments)
    logic_means: dict = field(
        default_factory=lambda: {
            # professional, bureaucratic, market weights (seed 004:83-91; market and bureaucracy dominant 004:91)
            "rules": (0.25, 0.55, 0.20),
            "performance": (0.35, 0.20, 0.45),
        }
    )
    logic_concentration: float = 8.0  # Dirichlet concentration (A)
    engbersen_shares: dict = field(
        default_factory=lambda: {"berustend": 0.2, "pleitbezorger": 0.2, "bureaucraat": 0.3, "bemiddelaar": 0.3}
    )  # seed 000:499 types, shares A
    creaming: float = 0.15  # selectivity strength (seed 000:552-558; size A, calibrated: A.1/A ≈ B.1/B in 2004)
    ethnocentrism: float = 0.5  # (seed 000:546-550; size A)
    routinisation: float = 0.5  # (seed 000:540-545; size A)
    classification_deviation: float = 0.5  # chance a free caseworker acts on a differing own judgement (A)
    warn_instead: float = (
        0.6  # a free caseworker's base chance to warn instead of sanction (seed 004:111, 002:2551; size A)
    )

    # --- trajectories, providers, budgets
    offer_rate: float = (
        0.05  # monthly chance a seen, eligible client is offered a trajectory (A, calibrated to sluiting 0.19)
    )
    deadline_boost: float = 2.0  # rules-steering: × this near the trajectory deadline (sluitende aanpak, seed 001:1602)
    exempt_offer_factor: float = 0.15  # trajectories for exempted clients (C in the RWI ratios) (A)
    lock_in: float = 0.4  # work hazard × this during a trajectory (A)
    providers: list = field(
        default_factory=lambda: [
            # id, concurrent capacity (share of starting stock), price €, success at end, months (A; prices within synth
            # 1,500-9,000; payment no cure less pay seed 001:983-998)
            {"id": "rib-a", "capacity": 0.035, "price": 5500.0, "success": 0.11, "months": 6},
            {"id": "rib-b", "capacity": 0.025, "price": 3500.0, "success": 0.07, "months": 6},
            {"id": "sw-zorg", "capacity": 0.015, "price": 6000.0, "success": 0.02, "months": 9},
        ]
    )
    work_first_price: float = 3000.0  # A
    work_first_success: float = 0.12  # A
    work_first_deterrence: float = 0.10  # applicants routed to Work First who withdraw (seed 000:384; size A)
    benefit_single: float = 1250.0  # €/month (synth: N(1250,150)); couples × 1.43 (norm ratio 100/70, ext)
    i_deel_margin: float = 0.0  # I-deel = starting stock × benefit × 12 × (1 + margin) (A)
    w_deel_per_client: float = 900.0  # € per starting-stock client per year (A)
    breach_rate: float = 0.02  # monthly chance a seen, non-exempt client breaches an obligation (A)

    # --- policy changes (experiments and the web page): None / neutral values keep the policy file's rule
    work_first_override: bool | None = (
        None  # switch Work First on/off (on without levels: the routed level closest to work, A)
    )
    caseload_norm_override: float | None = None  # clients per caseworker (replaces the policy's caseload norm)
    provider_capacity_factor: float = 1.0  # × the providers' concurrent places (trajectory capacity)
    sanction_factor: float = 1.0  # × the policy's sanction percentages (capped at 100%)
    exemptions_off: list = field(default_factory=list)  # exemption grounds the municipality no longer grants

    # --- the demand side (demand.py, rules D1-D4): empty = off; e.g. {"accountmanagers": 10, "subsidy_pct": 50}
    demand: dict = field(default_factory=dict)

    def with_overrides(self, overrides: dict | None) -> LabParams:
        p = copy.deepcopy(self)
        for key, value in (overrides or {}).items():
            head, _, rest = key.partition(".")
            if head not in {f.name for f in fields(LabParams)}:
                raise KeyError(f"unknown lab parameter {key!r}")
            if rest:
                target = getattr(p, head)
                if isinstance(target, dict):
                    target[rest] = value
                else:
                    raise KeyError(f"{head} is not a dict parameter")
            else:
                if head in ("start", "policy_on") and isinstance(value, str):
                    value = dt.date.fromisoformat(value)
                setattr(p, head, value)
        return p

    def as_dict(self) -> dict:
        d = {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self)}
        d["start"] = self.start.isoformat()
        d["policy_on"] = self.policy_on.isoformat() if self.policy_on else None
        if not d["demand"]:
            del d["demand"]  # off: the parameters are those of a run without the demand side
        return d
