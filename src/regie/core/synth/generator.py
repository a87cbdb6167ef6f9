"""Synthetic municipality generator: staff, providers, clients and multi-year case histories as regie-jsonl.

Deterministic for a seed: every client draws from its own ``random.Random`` seeded by (seed, client number), so the
output does not depend on chunking or timing. Client-level attributes are vectorised with numpy; the per-client
history loop is kept lean and the output is written with orjson in large buffered chunks.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

import numpy as np
import orjson

from ..bsn import complete_bsn
from ..events import OUTFLOW_REASONS
from . import params as P
from .names import FAMILY_NAMES, GIVEN_F, GIVEN_M, STREETS

DAY = dt.timedelta(days=1)
SYSTEM = ""  # actor of events recorded by the system (no user)


@dataclass
class SynthStats:
    records: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        self.records[kind] = self.records.get(kind, 0) + n


def _pick(rng: random.Random, table: dict) -> str:
    r = rng.random()
    acc = 0.0
    for key, p in table.items():
        acc += p
        if r < acc:
            return key
    return key


# A breach of the duty to inform (Pw art. 17) in the synthetic histories: the months the benefit was paid too high
# are recovered (Pw art. 54 lid 3, art. 58) and fined (Pw art. 18a). The breach's category (1-3, as drawn for a
# measure) sets the share of the benefit paid unduly and the degree of blame (assumption: synthetic, no source);
# the fine is the Boetebesluit percentage of the damage (regie.core.benefit.compute.fine_amount); the repayment is
# 5 % of the benefit a month (assumption: about what the beslagvrije voet leaves, Rv art. 475da), from the second
# month after the decision.
INFO_BREACH_SHARE = {1: 0.25, 2: 0.5, 3: 1.0}
INFO_BREACH_BLAME = {1: "verminderde_verwijtbaarheid", 2: "geen_opzet_of_grove_schuld", 3: "grove_schuld"}


def _recover_and_fine(c, when: dt.date, since: dt.date, category: int, months: int, monthly: float) -> None:
    from ..benefit.compute import fine_amount
    from ..benefit.money import euro, to_cents

    first = dt.date(when.year, when.month, 1)
    keys = []
    for k in range(months, 0, -1):  # the months before the decision, not before the benefit started
        y, m = divmod(first.year * 12 + first.month - 1 - k, 12)
        if dt.date(y, m + 1, 1) >= dt.date(since.year, since.month, 1):
            keys.append(f"{y:04d}-{m + 1:02d}")
    if not keys:
        keys = [f"{since.year:04d}-{since.month:02d}"]
    damage = to_cents(monthly * INFO_BREACH_SHARE[category]) * len(keys)
    y, m = divmod(first.year * 12 + first.month + 1, 12)
    start = dt.date(y, m + 1, 1)
    recovery = {
        "months": keys,
        "amount": str(euro(damage)),
        "repayment_monthly": str(euro(max(1, to_cents(monthly * 0.05)))),
        "repayment_start": start.isoformat(),
        "reason": "inlichtingenplicht",
    }
    c.add(
        "terugvordering",
        when,
        recovery,
        decision={
            "recommendation": {"amount": recovery["amount"]},
            "decided": {"amount": recovery["amount"]},
            "legal_basis": "Pw art. 58",
        },
    )
    blame = INFO_BREACH_BLAME[category]
    fine = {"damage": str(euro(damage)), "blame": blame, "amount": str(euro(fine_amount(damage, blame)))}
    c.add(
        "boete",
        when,
        fine,
        decision={"recommendation": {"blame": blame}, "decided": {"blame": blame}, "legal_basis": "Pw art. 18a"},
    )


def _months(d: dt.date, m: float) -> dt.date:
    return d + dt.timedelta(days=int(m * 30.44))


@dataclass
class Staff:
    teams: list[dict]
    users: list[dict]
    providers: list[dict]
    caseworkers: list[tuple[str, str, str]]  # (user id, role, team id)
    effects: np.ndarray  # caseworkers × 4 (sanction, exemption, trajectory, deviation) logit shifts


def _staff(municipality: str, stock_estimate: int, seed: int, caseworker_effect: float) -> Staff:
    rng = random.Random(f"{seed}-staff")
    n_cw = max(3, round(stock_estimate / P.CASELOAD))
    n_teams = max(1, math.ceil(n_cw / P.TEAM_SIZE))
    groups = ["jongeren", "werk", "participatie", "zorg", "statushouders"]
    teams = [
        {
            "record": "team",
            "id": f"T{t + 1}",
            "name": f"Team {t + 1} {groups[t % len(groups)]}",
            "client_group": groups[t % len(groups)],
        }
        for t in range(n_teams)
    ]
    providers = [
        {"record": "provider", "id": "P1", "name": "Werkbedrijf (gemeentelijk)", "kind": "gemeentelijk"},
        {"record": "provider", "id": "P2", "name": "Re-integratie Zuid BV", "kind": "rib"},
        {"record": "provider", "id": "P3", "name": "SW-bedrijf De Brug", "kind": "sw"},
        {"record": "provider", "id": "P4", "name": "ROC Taal en Werk", "kind": "opleiding"},
        {"record": "provider", "id": "P5", "name": "Zorg en Activering", "kind": "zorg"},
    ]
    users, caseworkers, used = [], [], set()

    def username(prefix: str, family: str) -> str:
        ascii_name = unicodedata.normalize("NFKD", family.lower()).encode("ascii", "ignore").decode()
        clean = "".join(ch for ch in ascii_name if ch.isalnum())
        base = f"{prefix}.{clean}"
        name, k = base, 1
        while name in used:
            k += 1
            name = f"{base}{k}"
        used.add(name)
        return name

    for i in range(n_cw):
        fam, giv = rng.choice(FAMILY_NAMES), rng.choice(GIVEN_F + GIVEN_M)
        r = rng.random()
        role = "integrale_klantmanager" if r < 0.8 else ("inkomensconsulent" if r < 0.9 else "reintegratieconsulent")
        team = teams[i % n_teams]["id"]
        uid = f"U{i + 1}"
        users.append(
            {
                "record": "user",
                "id": uid,
                "username": username("km", fam),
                "name": f"{giv} {fam}",
                "role": role,
                "team": team,
            }
        )
        caseworkers.append((uid, role, team))
    for t in teams:
        fam = rng.choice(FAMILY_NAMES)
        users.append(
            {
                "record": "user",
                "id": f"TM{t['id']}",
                "username": username("tm", fam),
                "name": f"{rng.choice(GIVEN_F)} {fam}",
                "role": "teammanager",
                "team": t["id"],
            }
        )
    for uid, role, prefix in (
        ("BM1", "beleidsmedewerker", "beleid"),
        ("AU1", "auditor", "audit"),
        ("FB1", "functioneel_beheerder", "beheer"),
    ):
        fam = rng.choice(FAMILY_NAMES)
        users.append(
            {
                "record": "user",
                "id": uid,
                "username": username(prefix, fam),
                "name": f"{rng.choice(GIVEN_M)} {fam}",
                "role": role,
            }
        )
    for p in providers[:3]:
        fam = rng.choice(FAMILY_NAMES)
        users.append(
            {
                "record": "user",
                "id": f"C{p['id']}",
                "username": username("coach", fam),
                "name": f"{rng.choice(GIVEN_F)} {fam}",
                "role": "provider_coach",
                "provider": p["id"],
            }
        )
    nrng = np.random.default_rng([seed, 77])
    sds = np.array([P.CASEWORKER_SD[k] for k in ("sanction", "exemption", "trajectory", "deviation")])
    effects = nrng.normal(0.0, 1.0, size=(n_cw, 4)) * sds * caseworker_effect
    return Staff(teams, users, providers, caseworkers, effects)


class _Case:
    """Writes one case's events in date order (sorted at the end; events after ``end`` are dropped)."""

    __slots__ = ("cid", "events", "n", "end", "actor", "role")

    def __init__(self, cid: str, end: dt.date, actor: str, role: str):
        self.events: list[tuple[dt.date, int, dict]] = []
        self.cid, self.n, self.end, self.actor, self.role = cid, 0, end, actor, role

    def add(self, etype: str, when: dt.date, payload: dict, decision: dict | None = None, actor=None, role=None):
        if when > self.end:
            return
        self.n += 1
        ev = {
            "record": "event",
            "id": f"{self.cid}-E{self.n}",
            "case": self.cid,
            "type": etype,
            "effective_date": when.isoformat(),
            "recorded_at": f"{when.isoformat()}T{9 + self.n % 8:02d}:{self.n * 7 % 60:02d}:00+00:00",
            "actor": self.actor if actor is None else actor,
            "actor_role": role or self.role,
            "payload": payload,
        }
        if ev["actor"] == SYSTEM:
            del ev["actor"]
            ev["actor_role"] = "systeem"
        if decision is not None:
            ev["decision"] = decision
        self.events.append((when, self.n, ev))


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _client_histories(
    i: int, seed: int, start: dt.date, end: dt.date, staff: Staff, attrs: dict, stats: SynthStats
) -> list[dict]:
    """All cases and events of client ``i`` (attributes pre-drawn in ``attrs``)."""
    rng = random.Random(seed * 1_000_003 + i)
    out: list[dict] = []
    cid = attrs["id"]
    birth: dt.date = attrs["birth"]
    case_start: dt.date = attrs["first_start"]
    dtype: str = attrs["dtype"]
    children: list[dt.date] = attrs["children"]
    household: str = attrs["household"]
    for k in range(P.MAX_CASES_PER_CLIENT):
        case_id = f"{cid}-K{k + 1}"
        cw_index = rng.randrange(len(staff.caseworkers))
        cw_id, cw_role, team = staff.caseworkers[cw_index]
        eff = staff.effects[cw_index]
        out.append({"record": "case", "id": case_id, "client": cid, "opened_on": case_start.isoformat(), "team": team})
        stats.add("case")
        c = _Case(case_id, end, cw_id, cw_role)
        age = (case_start - birth).days / 365.25
        if k > 0:
            c.add("herinstroom", case_start, {"previous_case": f"{cid}-K{k}"}, actor=SYSTEM)
        melding = {"channel": rng.choice(("online", "online", "balie", "telefoon", "uwv"))}
        if age < 27:
            melding["search_period_end"] = (case_start + 28 * DAY).isoformat()  # Pw art. 41 lid 4
        c.add("melding", case_start, melding, actor=SYSTEM)
        applied = case_start + (28 * DAY if age < 27 else rng.randint(0, 7) * DAY)
        c.add("aanvraag", applied, {"norm_type": household, "cost_sharers": attrs["cost_sharers"]})
        if rng.random() < P.REFUSAL:
            c.add(
                "afwijzing",
                applied + rng.randint(14, 40) * DAY,
                {"reason": rng.choice(("vermogen", "inkomen", "geen_medewerking", "zoekperiode", "overig"))},
                decision={
                    "recommendation": {"grant": False},
                    "decided": {"grant": False},
                    "legal_basis": "Pw art. 11 en 43",
                },
            )
            out.extend(ev for _, _, ev in sorted(c.events, key=lambda t: (t[0], t[1])))
            break
        granted = applied + rng.randint(7, 35) * DAY
        c.add(
            "toekenning",
            granted,
            {"norm_type": household, "cost_sharers": attrs["cost_sharers"], "monthly_amount": attrs["amount"]},
            decision={"recommendation": {"grant": True}, "decided": {"grant": True}, "legal_basis": "Pw art. 11 en 43"},
        )
        c.add(
            "caseworker_toewijzing",
            granted,
            {"caseworker": cw_id, "reason": "instroom"},
            actor=f"TM{team}",
            role="teammanager",
        )
        share, hazard, levels, months_range = P.DURATION_TYPES[dtype]
        if k == 0:
            benefit_end = attrs["first_end"]  # drawn with the client, so the caseload at ``start`` is what was selected
        else:
            benefit_end = _months(granted, -math.log(1.0 - rng.random()) / hazard)  # exponential with the type's hazard
        benefit_end = max(benefit_end, granted + 31 * DAY)
        if (benefit_end - birth).days / 365.25 >= 67:
            benefit_end = (
                birth.replace(year=birth.year + 67)
                if not (birth.month == 2 and birth.day == 29)
                else dt.date(birth.year + 67, 3, 1)
            )
        c.end = min(end, benefit_end)  # nothing but the outflow itself happens after the benefit ends
        intake = applied + rng.randint(2, 14) * DAY
        exp_months = rng.randint(*months_range)
        health = dtype == "graniet" and rng.random() < 0.5 or rng.random() < 0.08
        c.add(
            "intake",
            intake,
            {
                "medical_claim": health and rng.random() < 0.3,
                "expected_months_to_work": exp_months,
                "health_limitation": health,
                "motivation": rng.choice(("hoog", "midden", "laag")),
                "debts": rng.random() < 0.3,
                "language_barrier": attrs["origin"] == "niet_westers" and rng.random() < 0.35,
            },
        )
        recommended = levels[min(len(levels) - 1, int(rng.random() * len(levels)))]
        level = recommended
        deviates = rng.random() < _logistic(math.log(P.BASE_DEVIATION / (1 - P.BASE_DEVIATION)) + eff[3])
        decision = {"recommendation": {"level": recommended}, "decided": {"level": recommended}, "deviates": False}
        if deviates:
            level = str(min(6, max(1, int(recommended) + rng.choice((-1, 1)))))
            decision = {
                "recommendation": {"level": recommended},
                "decided": {"level": level},
                "deviates": True,
                "motivation_code": rng.choice(("professioneel", "client_wens", "capaciteit", "gegevens")),
                "motivation": rng.choice(
                    (
                        "Cliënt is verder dan het advies aangeeft",
                        "Gezondheid beperkt meer dan de intake laat zien",
                        "Maatwerk: vrijwilligerswerk loopt al",
                        "Wachtlijst bij aanbieder",
                    )
                ),
            }
        classified = intake + rng.randint(7, 30) * DAY
        c.add("classificatie", classified, {"scheme": "participatieladder", "level": level}, decision=decision)
        plan = classified + rng.randint(7, 30) * DAY
        version = 1
        c.add(
            "plan_van_aanpak",
            plan,
            {"version": 1, "signed": rng.random() < 0.9, "review_date": _months(plan, 6).isoformat()},
            decision={"recommendation": {"version": 1}, "decided": {"version": 1}},
        )
        stop = min(benefit_end, end)
        years = max(0.0, (stop - granted).days / 365.25)
        # contacts and yearly plan reviews
        for _ in range(int(years * P.CONTACTS_PER_YEAR + rng.random())):
            c.add(
                "contact",
                granted + rng.randint(0, max(1, (stop - granted).days)) * DAY,
                {"channel": rng.choice(("gesprek", "telefoon", "email", "gesprek"))},
            )
        review = _months(plan, 12)
        while review < stop:
            version += 1
            c.add(
                "plan_van_aanpak",
                review,
                {"version": version, "signed": rng.random() < 0.9, "review_date": _months(review, 6).isoformat()},
            )
            review = _months(review, 12)
        # trajectories
        p_traj = 1 - math.exp(-P.TRAJECTORY_PER_YEAR[level] * math.exp(eff[2]) * max(years, 0.1))
        n_traj = 1 if rng.random() < p_traj else 0
        if n_traj and years > 1.5 and rng.random() < 0.3:
            n_traj = 2
        t_cursor = classified
        for t in range(n_traj):
            t_start = t_cursor + rng.randint(14, max(15, int(min(years, 2) * 365))) * DAY
            if t_start >= stop:
                break
            kind = _pick(rng, P.TRAJECTORY_KINDS)
            provider = {
                "reintegratie": "P2",
                "bemiddeling": "P1",
                "scholing": "P4",
                "participatie": "P3",
                "zorg": "P5",
                "work_first": "P1",
            }[kind]
            price = float(rng.randint(*P.TRAJECTORY_PRICE) // 50 * 50)
            tid = f"TR{t + 1}"
            c.add(
                "traject_start",
                t_start,
                {
                    "trajectory_id": tid,
                    "kind": kind,
                    "provider": provider,
                    "module": kind,
                    "price": price,
                    "planned_end": _months(t_start, 6).isoformat(),
                },
                decision={"recommendation": {"kind": kind}, "decided": {"kind": kind}},
            )
            t_end = _months(t_start, rng.uniform(2, 9))
            c.add(
                "rapportage",
                _months(t_start, 1.5),
                {"trajectory_id": tid, "kind": "voortgang", "summary": "Voortgang volgens plan"},
                actor=f"C{provider}" if provider in ("P1", "P2", "P3") else SYSTEM,
                role="provider_coach",
            )
            to_work = t_end >= benefit_end - 31 * DAY and rng.random() < 0.5
            if t_end > benefit_end:
                t_end = benefit_end
            result = "werk" if to_work else rng.choice(("afgerond", "afgerond", "voortijdig_gestopt", "uitval_medisch"))
            c.add("traject_einde", t_end, {"trajectory_id": tid, "result": result, "cost": price})
            t_cursor = t_end
        # exemptions
        young = [ch for ch in children if ch > granted - dt.timedelta(days=5 * 365)]
        if (
            household == "alleenstaande_ouder"
            and young
            and rng.random() < _logistic(math.log(P.ASK_9A / (1 - P.ASK_9A)) + eff[1])
        ):
            youngest5 = (
                max(young).replace(year=max(young).year + 5)
                if not (max(young).month == 2 and max(young).day == 29)
                else dt.date(max(young).year + 5, 3, 1)
            )
            o_end = min(youngest5, granted + dt.timedelta(days=5 * 365))
            o_start = granted + 14 * DAY
            if o_end > o_start:  # the child may turn five before the exemption would start: then there is none
                c.add(
                    "ontheffing_start",
                    o_start,
                    {
                        "exemption_id": "O1",
                        "ground": "kind_onder_5",
                        "scope": "volledig",
                        "end_date": o_end.isoformat(),
                    },
                    decision={
                        "recommendation": {"exempt": True},
                        "decided": {"exempt": True},
                        "legal_basis": "Pw art. 9a",
                    },
                )
                if o_end < stop:
                    c.add("ontheffing_einde", o_end, {"exemption_id": "O1", "reason": "einddatum"})
        elif health and rng.random() < _logistic(math.log(P.MEDICAL_EXEMPTION / (1 - P.MEDICAL_EXEMPTION)) + eff[1]):
            o_start = classified + rng.randint(0, 90) * DAY
            o_end = _months(o_start, rng.choice((6, 12, 24)))
            c.add(
                "ontheffing_start",
                o_start,
                {
                    "exemption_id": "O1",
                    "ground": "medisch",
                    "scope": rng.choice(("volledig", "gedeeltelijk")),
                    "end_date": o_end.isoformat(),
                },
                decision={
                    "recommendation": {"exempt": True},
                    "decided": {"exempt": True},
                    "legal_basis": "Pw art. 9 lid 2",
                },
            )
            if o_end < stop:
                c.add("ontheffing_einde", o_end, {"exemption_id": "O1", "reason": "herbeoordeling"})
        elif rng.random() < 1 - math.exp(-P.OTHER_EXEMPTION_PER_YEAR * years):
            o_start = granted + rng.randint(30, max(31, (stop - granted).days)) * DAY
            o_end = _months(o_start, 6)
            c.add(
                "ontheffing_start",
                o_start,
                {
                    "exemption_id": "O1",
                    "ground": rng.choice(("mantelzorg", "sociaal")),
                    "scope": "gedeeltelijk",
                    "end_date": o_end.isoformat(),
                },
                decision={
                    "recommendation": {"exempt": False},
                    "decided": {"exempt": True},
                    "deviates": True,
                    "motivation_code": "client_wens",
                    "motivation": "Tijdelijke zorgtaak",
                },
            )
            if o_end < stop:
                c.add("ontheffing_einde", o_end, {"exemption_id": "O1", "reason": "einddatum"})
        # warnings and sanctions (caseworker propensity shifts warning vs sanction)
        n_breach = int(years * (P.WARNING_PER_YEAR + P.SANCTION_PER_YEAR) + rng.random())
        repeat = 0
        for _ in range(n_breach):
            when = granted + rng.randint(30, max(31, (stop - granted).days)) * DAY
            obligation = rng.choice(("reintegratie", "administratief", "arbeidsverplichting", "inlichtingen"))
            p_sanction = _logistic(math.log(P.SANCTION_PER_YEAR / P.WARNING_PER_YEAR) + eff[0])
            if rng.random() < p_sanction:
                category = rng.choice((1, 2, 3))
                pct = {1: 5.0, 2: 30.0, 3: 100.0}[category] if obligation != "arbeidsverplichting" else 100.0
                months = 1 if pct < 100 else rng.choice((1, 2, 3))  # the same draws as before: seeds reproduce
                if obligation == "inlichtingen":
                    # Pw art. 17: a breach of the duty to inform is no afstemming (art. 18) but revision and
                    # recovery (art. 54 lid 3, art. 58) and a fine (art. 18a) by the degree of blame
                    _recover_and_fine(c, when, granted, category, months, float(attrs["amount"]))
                    continue
                repeat += 1
                c.add(
                    "maatregel",
                    when,
                    {
                        "obligation_type": obligation,
                        "category": category,
                        "percentage": pct,
                        "months": months,
                        "repeat_step": repeat,
                    },
                    decision={
                        "recommendation": {"percentage": pct},
                        "decided": {"percentage": pct},
                        "legal_basis": "Pw art. 18",
                    },
                )
            else:
                c.add(
                    "waarschuwing",
                    when,
                    {"obligation_type": obligation, "description": "Afspraak niet nagekomen"},
                    decision={
                        "recommendation": {"sanction": True},
                        "decided": {"sanction": False},
                        "deviates": True,
                        "motivation_code": "professioneel",
                        "motivation": "Eerst waarschuwen; cliënt was goedwillend",
                    },
                )
        # outflow, aftercare, re-entry
        if benefit_end > end:
            out.extend(ev for _, _, ev in sorted(c.events, key=lambda t: (t[0], t[1])))
            break
        c.end = end
        aged_out = (benefit_end - birth).days / 365.25 >= 66.9
        if aged_out:
            reason = "pensioen"
        elif rng.random() < P.WORK_SHARE[dtype]:
            reason = _pick(rng, P.WORK_REASONS)
        else:
            reason = _pick(rng, P.OTHER_REASONS)
        c.add(
            "uitstroom",
            benefit_end,
            {"reason": reason, "cbs_code": OUTFLOW_REASONS[reason]},
            decision={"recommendation": {"reason": reason}, "decided": {"reason": reason}},
        )
        if reason in ("werk_regulier", "werk_gesubsidieerd", "eigen_bedrijf"):
            back = rng.random() < P.REENTRY["work"]
            c.add(
                "nazorg_einde",
                benefit_end + 182 * DAY,
                {"result": "teruggevallen" if back else "duurzaam_aan_het_werk"},
            )
        else:
            back = reason not in ("overlijden", "pensioen", "verhuizing") and rng.random() < P.REENTRY["other"]
        out.extend(ev for _, _, ev in sorted(c.events, key=lambda t: (t[0], t[1])))
        if not back:
            break
        case_start = benefit_end + rng.randint(30, 720) * DAY
        if case_start > end or (case_start - birth).days / 365.25 >= 66:  # no re-entry near pension age
            break
        dtype = rng.choice(("midden", "graniet", "graniet"))  # re-entrants stay longer (scarring; assumption)
    for rec in out:
        if rec["record"] == "event":
            stats.events[rec["type"]] = stats.events.get(rec["type"], 0) + 1
    return out


def _client_attributes(municipality: str, clients: int, seed: int, start: dt.date, end: dt.date):
    """Vectorised draws: first case start, duration type, age, sex, origin, household, education."""
    rng = np.random.default_rng([seed, 1])
    window_start = start - dt.timedelta(days=int(P.HISTORY_YEARS * 365.25))
    span = (end - window_start).days
    dtypes = list(P.DURATION_TYPES)
    shares = np.array([P.DURATION_TYPES[t][0] for t in dtypes])
    hazards = np.array([P.DURATION_TYPES[t][1] for t in dtypes])
    # Oversample inflow over the whole window; keep clients whose first case is still open at ``start`` or begins
    # later (the generated file is the municipality's caseload from ``start`` on, with its earlier history).
    chosen = []
    need = clients
    while need > 0:
        m = int(need * 3) + 100
        t_idx = rng.choice(len(dtypes), size=m, p=shares)
        offset = rng.integers(0, span, size=m)
        dur_days = rng.exponential(1.0 / hazards[t_idx]) * 30.44 + 45
        first = np.array([window_start + dt.timedelta(days=int(o)) for o in offset], dtype=object)
        thin = rng.random(m) < P.FIRST_INFLOW_KEEP
        keep = np.array(
            [(f + dt.timedelta(days=int(d))) >= start and (f < start or th) for f, d, th in zip(first, dur_days, thin)]
        )
        for f, t, d in zip(first[keep], t_idx[keep], dur_days[keep]):
            chosen.append((f, dtypes[t], f + dt.timedelta(days=int(d))))
            need -= 1
            if need == 0:
                break
    bands = P.STOCK_AGE_BANDS
    weights = np.array([b[2] for b in bands]) / sum(b[2] for b in bands)
    band = rng.choice(len(bands), size=clients, p=weights)
    ages = np.array([rng.uniform(bands[b][0], bands[b][1]) for b in band]) - rng.uniform(
        0, P.INFLOW_AGE_SHIFT, size=clients
    )
    ages = np.clip(ages, 18, 64)
    female = rng.random(clients) < P.SHARE_FEMALE_OTHER
    origin = rng.choice(list(P.ORIGIN), size=clients, p=list(P.ORIGIN.values()))
    household = rng.choice(list(P.HOUSEHOLD), size=clients, p=list(P.HOUSEHOLD.values()))
    # single parents are mostly women (seed 000:309)
    sp = household == "alleenstaande_ouder"
    female[sp] = rng.random(int(sp.sum())) < P.SINGLE_PARENT_FEMALE
    education = rng.choice(list(P.EDUCATION), size=clients, p=list(P.EDUCATION.values()))
    amount = rng.normal(1250, 150, size=clients)
    return chosen, ages, female, origin, household, education, amount


def _bsn_stream(seed: int) -> Iterator[str]:
    """Unique valid BSNs: a bijection k -> (a*k + b) mod 10^8 over 8-digit prefixes, completed by the elfproef."""
    a, b, k = 40_503_073, (seed * 7_919_111) % 10**8, 0
    while True:
        prefix = (a * k + b) % 10**8
        k += 1
        if prefix < 10**7:  # keep BSNs without a leading zero
            continue
        bsn = complete_bsn(f"{prefix:08d}")
        if bsn:
            yield bsn


def iter_records(
    municipality: str,
    clients: int,
    seed: int,
    *,
    name: str | None = None,
    start: dt.date = dt.date(2019, 1, 1),
    end: dt.date = dt.date(2026, 10, 31),
    caseworker_effect: float = 1.0,
    stats: SynthStats | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[dict]:
    stats = stats if stats is not None else SynthStats()
    chosen, ages, female, origin, household, education, amount = _client_attributes(
        municipality, clients, seed, start, end
    )
    stock_estimate = int(clients * 0.55)
    staff = _staff(municipality, stock_estimate, seed, caseworker_effect)
    yield {
        "record": "header",
        "format": "regie-jsonl",
        "version": 1,
        "municipality": municipality,
        "municipality_name": name or f"Synthetische gemeente {municipality}",
        "generator": f"regie synth seed={seed}",
    }
    stats.add("header")
    for rec in staff.teams + staff.providers + staff.users:
        stats.add(rec["record"])
        yield rec
    bsns = _bsn_stream(seed)
    names = random.Random(f"{seed}-names")
    for i in range(clients):
        first_start, dtype, first_end = chosen[i]
        age = float(ages[i])
        birth = first_start - dt.timedelta(days=int(age * 365.25))
        hh = str(household[i])
        sex = "V" if female[i] else "M"
        rng = random.Random(seed * 7_777_777 + i)
        children: list[dt.date] = []
        if hh == "alleenstaande_ouder" or (hh == "gehuwden" and rng.random() < 0.6):
            max_child_age = max(0.0, min(17.0, age - 18))
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                children.append(first_start - dt.timedelta(days=int(rng.uniform(0, max_child_age) * 365.25)))
        cid = f"C{i + 1}"
        given = names.choice(GIVEN_F if sex == "V" else GIVEN_M)
        family = names.choice(FAMILY_NAMES)
        household_rec: dict = {"children": [{"birth_date": ch.isoformat()} for ch in sorted(children)]}
        if hh == "gehuwden":
            household_rec["partner"] = {
                "given_name": names.choice(GIVEN_M if sex == "V" else GIVEN_F),
                "family_name": family,
                "birth_date": (birth + dt.timedelta(days=rng.randint(-1500, 1500))).isoformat(),
            }
        cost_sharers = 1 if rng.random() < 0.08 else 0
        household_rec["other_adults"] = cost_sharers
        client = {
            "record": "client",
            "id": cid,
            "bsn": next(bsns),
            "given_name": given,
            "family_name": family,
            "birth_date": birth.isoformat(),
            "sex": sex,
            "education": str(education[i]),
            "language": "nl"
            if origin[i] == "nederland" or rng.random() < 0.5
            else rng.choice(("ar", "tr", "en", "ti", "pl", "so")),
            "origin": str(origin[i]),
            "household": household_rec,
            "housing": rng.choice(("huur", "huur", "huur", "inwonend", "koop", "dakloos")),
            "contact": {
                "street": f"{names.choice(STREETS)} {rng.randint(1, 200)}",
                "postcode": f"{rng.randint(1000, 9999)} {chr(65 + rng.randint(0, 25))}{chr(65 + rng.randint(0, 25))}",
                "city": name or municipality,
            },
        }
        stats.add("client")
        yield client
        attrs = {
            "id": cid,
            "birth": birth,
            "first_start": first_start,
            "first_end": first_end,
            "dtype": dtype,
            "children": children,
            "household": hh,
            "origin": str(origin[i]),
            "cost_sharers": cost_sharers,
            "amount": round(float(amount[i]), 2),
        }
        for rec in _client_histories(i, seed, start, end, staff, attrs, stats):
            if rec["record"] == "event":
                stats.add("event")
            yield rec
        if progress:
            progress(1)


def generate(
    municipality: str,
    clients: int,
    seed: int,
    out,
    *,
    name: str | None = None,
    start: dt.date = dt.date(2019, 1, 1),
    end: dt.date = dt.date(2026, 10, 31),
    progress: Callable[[int], None] | None = None,
    caseworker_effect: float = 1.0,
) -> SynthStats:
    """Write a synthetic municipality as regie-jsonl to ``out`` (a path or a binary file object)."""
    stats = SynthStats()
    handle: IO[bytes]
    close = False
    if isinstance(out, (str, bytes)) or hasattr(out, "__fspath__"):
        handle, close = open(out, "wb"), True
    else:
        handle = out
    try:
        buf: list[bytes] = []
        dumps = orjson.dumps
        for rec in iter_records(
            municipality,
            clients,
            seed,
            name=name,
            start=start,
            end=end,
            caseworker_effect=caseworker_effect,
            stats=stats,
            progress=progress,
        ):
            buf.append(dumps(rec))
            if len(buf) >= 20000:
                handle.write(b"\n".join(buf) + b"\n")
                buf.clear()
        if buf:
            handle.write(b"\n".join(buf) + b"\n")
    finally:
        if close:
            handle.close()
    return stats
