"""Matching clients and vacancies, with the reasons shown: explainable, never a black box.

The demand side of the route (seed 001:1390-1537: employer networks, stages, proefplaatsingen; seed 003:336-366:
accountmanagers who fill vacancies from the caseload; seed 001:442-479: Work First aimed at available vacancies).
The field has no open matching standard, so the rules are Regie's own, stated here and in docs/user-guide.md:

- **Hard criteria** (a candidate who fails one is never ranked above one who meets them all): every *hard*
  requirement of the vacancy (skill, certificate, driving licence, minimum education level, experience in the
  occupation), the travel distance within the client's travel radius (and the vacancy's own maximum, if set), the
  vacancy's hours within the hours the client is available, no conflict between a work condition (night shifts,
  heavy physical work, ...) and a restriction recorded for the client, and no full exemption from the work
  obligations (Pw art. 9 lid 2: an exempted client is not proposed).
- **Score** among candidates with the same number of failed hard criteria: the share of *wishes* (soft
  requirements) met, closeness and how well the hours fit. The weights are an assumption (:data:`WEIGHTS`).
- **The policy's view** (route, rung on the participatieladder or the municipality's scheme, Work First) is shown
  as a reason for each candidate but deliberately NOT weighted: ranking by distance to the labour market is how
  "creaming" happens (seed 000:540-560); the caseworker sees it and decides.
- Unknown facts (no postcode centroid, no hours recorded) are shown as unknown, never silently counted as met or
  failed.

Everything is vectorised with numpy: a :class:`ProfileTable` (the caseload) and a :class:`VacancyTable` are built
once, and :func:`candidates_for` / :func:`vacancies_for` answer one vacancy against 50,000 clients or one client
against 20,000 vacancies in milliseconds (benchmarks/bench_matching.py, docs/performance.md "Matching"). Reasons
are built only for the rows returned.

Plain Python and numpy; no Django.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np

# Education levels in order (the client record's codes, regie.core.events.EducationLevel).
EDUCATION_ORDER: dict[str, int] = {
    "geen": 0,
    "basis": 1,
    "vmbo": 2,
    "mbo1": 3,
    "mbo2_4": 4,
    "havo_vwo": 5,
    "hbo": 6,
    "wo": 7,
}
EDUCATION_LABELS: dict[str, str] = {
    "geen": "geen opleiding",
    "basis": "basisonderwijs",
    "vmbo": "vmbo",
    "mbo1": "mbo 1 (entree)",
    "mbo2_4": "mbo 2-4",
    "havo_vwo": "havo/vwo",
    "hbo": "hbo",
    "wo": "wo",
}
RequirementKind = Literal["skill", "certificate", "driving_licence", "education", "experience"]
REQUIREMENT_KINDS: dict[str, str] = {
    "skill": "Vaardigheid",
    "certificate": "Certificaat",
    "driving_licence": "Rijbewijs",
    "education": "Opleidingsniveau (minimaal)",
    "experience": "Werkervaring als",
}
# Work conditions of a vacancy; a client's restriction with the same code means "cannot do this" (from the intake,
# a medical advice or an exemption; recorded on the work profile). Vocabulary: assumption (no standard exists).
CONDITIONS: dict[str, str] = {
    "zwaar_werk": "Zwaar lichamelijk werk",
    "nachtdienst": "Nachtdiensten",
    "weekendwerk": "Weekendwerk",
    "klantcontact": "Veel klantcontact",
    "tillen": "Tillen boven 10 kg",
    "lang_staan": "Lang staan",
    "vroege_dienst": "Vroege diensten (voor 7 uur)",
}
CONTRACT_TYPES: dict[str, str] = {
    "vast": "Vast contract",
    "tijdelijk": "Tijdelijk contract",
    "uitzend": "Uitzendwerk",
    "oproep": "Oproepcontract",
    "stage": "Stage / leerwerkplek",
    "detachering": "Detachering",
}
# ISCO-08 sub-major groups (2 digits; ILO, ISCO-08 structure, 2012): a valid unit group code (4 digits) starts
# with one of these. Only the structure is held here, not the ILO's titles (their licence is the ILO's; the user
# types the title with the code).
ISCO_SUB_MAJOR = frozenset(
    "01 02 03 11 12 13 14 21 22 23 24 25 26 31 32 33 34 35 41 42 43 44 51 52 53 54 61 62 63 71 72 73 74 75 81 82 83 "
    "91 92 93 94 95 96".split()
)
# employers2: how close a client's occupation is to the vacancy's ISCO-08 unit group: the same unit group (4
# digits), minor group (3) or sub-major group (2); the grade enters the score as a wish (assumption: the grades and
# their weight), a hard criterion only when the vacancy requires the occupation (the same unit group).
OCCUPATION_GRADES = {"unit": 1.0, "minor": 2 / 3, "sub_major": 1 / 3, "none": 0.0}
OCCUPATION_WEIGHT = 0.25  # share of the score when the vacancy has a code (the other weights scale down)


def isco_problem(code: str) -> str | None:
    """Why ``code`` is not an ISCO-08 unit group (Dutch), or None."""
    if not (len(code) == 4 and code.isdigit() and code[:2] in ISCO_SUB_MAJOR):
        return "Beroepscode: vier cijfers van een ISCO-08-beroepsgroep, bijv. 9329 (productiemedewerker)"
    return None


def occupation_grade(code: str, client_codes: Iterable[str]) -> tuple[str, str | None]:
    """(grade, the client's closest code) of a vacancy's unit group against the client's codes."""
    best: tuple[str, str | None] = ("none", None)
    for c in client_codes:
        if c == code:
            return "unit", c
        if c[:3] == code[:3] and best[0] in ("none", "sub_major"):
            best = ("minor", c)
        elif c[:2] == code[:2] and best[0] == "none":
            best = ("sub_major", c)
    return best


# Score weights among candidates with the same hard-criteria result (assumption: wishes matter most, then travel,
# then hours; they only order candidates who are equal on the hard criteria).
WEIGHTS = {"wishes": 0.5, "distance": 0.3, "hours": 0.2}
# Routes the policy files use that aim directly at work (core/policy/policies/*: routing.rules[].route); used only
# to phrase the policy reason, never to rank (assumption: route ids of the shipped policies).
WORK_ROUTES = frozenset({"bemiddeling", "work_first", "werk", "reintegratie"})


def norm_term(value: str) -> str:
    """Requirements and profile entries are compared case- and space-insensitively."""
    return " ".join(str(value).lower().split())


@dataclass(frozen=True)
class Requirement:
    kind: RequirementKind
    value: str
    hard: bool = True

    def term(self) -> str:
        value = self.value.upper() if self.kind == "driving_licence" else norm_term(self.value)
        return f"{self.kind}:{value}"


@dataclass
class WorkProfile:
    """What matching knows of a client (built by the adapter from the work profile events, the client record, the
    exemptions and the case state). ``client_ref`` is the adapter's key (a case or client id)."""

    client_ref: str
    postcode: str | None = None
    education_level: str = ""
    skills: frozenset[str] = frozenset()
    certificates: frozenset[str] = frozenset()
    driving_licences: frozenset[str] = frozenset()
    experience: frozenset[str] = frozenset()  # occupation codes and job titles
    hours_available: float | None = None  # per week
    travel_radius_km: float | None = None
    restrictions: frozenset[str] = frozenset()  # CONDITIONS the client cannot do
    exempt: bool = False  # a full exemption from the work obligations
    route: str | None = None
    level_label: str | None = None  # the rung on the municipality's scheme (participatieladder, ...)
    level_rank: int | None = None  # 1 = closest to work
    work_first: bool = False
    occupation_codes: frozenset[str] = frozenset()  # employers2: ISCO-08 unit groups (4 digits) done or wished

    def terms(self) -> set[str]:
        """The profile's terms (read only: cached on the profile, which is not changed after it is built)."""
        cached = self.__dict__.get("_terms")
        if cached is None:
            cached = self.__dict__["_terms"] = self._build_terms()
        return cached

    def _build_terms(self) -> set[str]:
        out = {f"skill:{norm_term(s)}" for s in self.skills}
        out |= {f"certificate:{norm_term(s)}" for s in self.certificates}
        out |= {f"driving_licence:{s.upper()}" for s in self.driving_licences}
        out |= {f"experience:{norm_term(s)}" for s in self.experience}
        for c in self.occupation_codes:  # employers2: the unit, minor and sub-major group of each code
            out |= {f"isco4:{c}", f"isco3:{c[:3]}", f"isco2:{c[:2]}"}
        return out


@dataclass
class Vacancy:
    vacancy_ref: str
    title: str = ""
    occupation_code: str = ""
    hours: float | None = None  # per week
    postcode: str | None = None
    requirements: tuple[Requirement, ...] = ()
    conditions: frozenset[str] = frozenset()
    max_distance_km: float | None = None
    wage_per_hour: float | None = None
    start: dt.date | None = None
    contract_type: str = ""
    occupation_required: bool = False  # employers2: the same ISCO-08 unit group is a hard criterion


@dataclass(frozen=True)
class Reason:
    """One line of a candidate's explanation: ``key`` (what), ``ok`` (True met, False not met, None unknown or
    informative) and the parameters an adapter puts into its Dutch text (:func:`reason_text`)."""

    key: str
    ok: bool | None
    hard: bool = False
    params: tuple[tuple[str, object], ...] = ()

    @property
    def p(self) -> dict:
        return dict(self.params)


@dataclass
class Match:
    ref: str  # the client_ref (candidates) or vacancy_ref (vacancies)
    rank: int
    hard_failed: int
    score: float
    distance_km: float | None
    reasons: list[Reason] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.hard_failed == 0


@dataclass
class MatchResult:
    matches: list[Match]
    total: int  # rows considered
    eligible: int  # rows failing no hard criterion


# --- postcode centroids ---------------------------------------------------------------------------------------
# No open PC4 centroid dataset ships as a package we can install (the CBS/PDOK files are downloads), so this is a
# small table for the demo region Haaglanden: approximate centroids (WGS84) of PC4 ranges, read off a map to about
# 1 km. Assumption; replace with the CBS "postcode 4 kaart" centroids for a real region.
_PC4_RANGES: tuple[tuple[int, int, float, float, str], ...] = (
    (2491, 2498, 52.060, 4.390, "Den Haag Ypenburg/Leidschenveen"),
    (2500, 2519, 52.078, 4.310, "Den Haag Centrum"),
    (2521, 2529, 52.055, 4.300, "Den Haag Zuid (Transvaal, Moerwijk)"),
    (2531, 2539, 52.050, 4.330, "Den Haag Laak/Moerwijk-Oost"),
    (2541, 2548, 52.045, 4.265, "Den Haag Escamp (Bouwlust, Vrederust)"),
    (2551, 2555, 52.055, 4.240, "Den Haag Loosduinen"),
    (2561, 2566, 52.075, 4.270, "Den Haag Segbroek"),
    (2571, 2574, 52.068, 4.285, "Den Haag Regentessekwartier"),
    (2581, 2587, 52.100, 4.290, "Den Haag Scheveningen"),
    (2591, 2597, 52.095, 4.330, "Den Haag Haagse Hout/Bezuidenhout"),
    (2241, 2245, 52.145, 4.400, "Wassenaar"),
    (2251, 2252, 52.125, 4.440, "Voorschoten"),
    (2261, 2266, 52.085, 4.390, "Leidschendam"),
    (2271, 2275, 52.070, 4.360, "Voorburg"),
    (2281, 2289, 52.040, 4.320, "Rijswijk"),
    (2611, 2629, 52.010, 4.360, "Delft"),
    (2631, 2632, 52.000, 4.420, "Nootdorp/Pijnacker"),
    (2641, 2645, 52.015, 4.430, "Pijnacker"),
    (2651, 2652, 51.990, 4.460, "Berkel en Rodenrijs"),
    (2671, 2675, 51.990, 4.210, "Naaldwijk/Westland"),
    (2681, 2685, 52.010, 4.170, "Monster/Poeldijk"),
    (2691, 2695, 51.990, 4.150, "'s-Gravenzande"),
    (2711, 2729, 52.060, 4.490, "Zoetermeer"),
)


def pc4(postcode: str | None) -> int | None:
    digits = "".join(ch for ch in str(postcode or "")[:4] if ch.isdigit())
    return int(digits) if len(digits) == 4 else None


@lru_cache(maxsize=65536)  # employers2: a caseload repeats its postcodes; building the table looks each up once
def centroid(postcode: str | None) -> tuple[float, float] | None:
    """The approximate centroid of a postcode's PC4 area, or None outside the table (distance unknown)."""
    code = pc4(postcode)
    if code is None:
        return None
    for lo, hi, lat, lon, _name in _PC4_RANGES:
        if lo <= code <= hi:
            return lat, lon
    return None


def _haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (vectorised); NaN where a coordinate is NaN."""
    r = 6371.0
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * r * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _closeness(distance: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """1 at the door, 0 at the edge of the radius (or 25 km without one: assumption); 0.5 when unknown."""
    scale = np.where(np.isnan(radius), 25.0, np.maximum(radius, 1.0))
    out = 1.0 - np.clip(distance / scale, 0.0, 1.0)
    return np.where(np.isnan(distance), 0.5, out)


# --- the caseload as arrays -----------------------------------------------------------------------------------


class ProfileTable:
    """The caseload's work profiles as numpy arrays, with an inverted index of terms (term -> sorted rows)."""

    def __init__(self, profiles: Sequence[WorkProfile]):
        self.profiles = list(profiles)
        n = len(self.profiles)
        self.n = n
        coords = [centroid(p.postcode) for p in self.profiles]
        self.lat = np.array([c[0] if c else np.nan for c in coords], dtype=float)
        self.lon = np.array([c[1] if c else np.nan for c in coords], dtype=float)
        self.hours = np.array([np.nan if p.hours_available is None else p.hours_available for p in profiles], float)
        self.radius = np.array([np.nan if p.travel_radius_km is None else p.travel_radius_km for p in profiles], float)
        self.education = np.array([EDUCATION_ORDER.get(p.education_level, -1) for p in profiles], dtype=np.int8)
        self.exempt = np.array([p.exempt for p in profiles], dtype=bool)
        postings: dict[str, list[int]] = {}
        restrictions: dict[str, list[int]] = {}
        for i, p in enumerate(self.profiles):
            for t in p.terms():
                postings.setdefault(t, []).append(i)
            for r in p.restrictions:
                restrictions.setdefault(r, []).append(i)
        self.postings = {t: np.array(rows, dtype=np.int64) for t, rows in postings.items()}
        self.restrictions = {t: np.array(rows, dtype=np.int64) for t, rows in restrictions.items()}

    def _has(self, term: str) -> np.ndarray:
        out = np.zeros(self.n, dtype=bool)
        rows = self.postings.get(term)
        if rows is not None:
            out[rows] = True
        return out


def _requirement_met_rows(table: ProfileTable, req: Requirement) -> np.ndarray:
    if req.kind == "education":
        return table.education >= EDUCATION_ORDER.get(req.value, 99)
    return table._has(req.term())


def _rank(hard_failed: np.ndarray, score: np.ndarray, limit: int) -> np.ndarray:
    """Row indices ordered by (hard criteria failed ascending, score descending), the first ``limit``.

    The key keeps the number of failed criteria in the integer part and (1 - score) below 1 in the fraction, so a
    row failing more hard criteria never comes before one failing fewer."""
    key = hard_failed.astype(float) + (1.0 - np.clip(score, 0.0, 1.0)) * 0.999
    n = len(key)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    k = min(limit, n)
    if k < n:  # every row up to the k-th key (ties included), then ties broken by row: the same head at any limit
        part = np.flatnonzero(key <= np.partition(key, k - 1)[k - 1])
    else:
        part = np.arange(n)
    return part[np.lexsort((part, key[part]))][:k]


def candidates_for(table: ProfileTable, vacancy: Vacancy, *, limit: int = 50) -> MatchResult:
    """The caseload ranked for one vacancy, the first ``limit`` with their reasons."""
    n = table.n
    hard_failed = np.zeros(n, dtype=np.int16)
    wishes = [r for r in vacancy.requirements if not r.hard]
    wish_met = np.zeros(n, dtype=np.int16)
    met_by_req: list[np.ndarray] = []
    for req in vacancy.requirements:
        met = _requirement_met_rows(table, req)
        met_by_req.append(met)
        if req.hard:
            hard_failed += (~met).astype(np.int16)
        else:
            wish_met += met.astype(np.int16)
    where = centroid(vacancy.postcode)
    if where is None:
        distance = np.full(n, np.nan)
    else:
        distance = _haversine_km(table.lat, table.lon, where[0], where[1])
    with np.errstate(invalid="ignore"):
        too_far = distance > table.radius
        if vacancy.max_distance_km is not None:
            too_far |= distance > vacancy.max_distance_km
        hours_short = (table.hours < vacancy.hours) if vacancy.hours is not None else np.zeros(n, dtype=bool)
    conflict = np.zeros(n, dtype=bool)
    for cond in vacancy.conditions:
        rows = table.restrictions.get(cond)
        if rows is not None:
            conflict[rows] = True
    for failed in (too_far, hours_short, conflict, table.exempt):  # bools: add as ints, not as a logical or
        hard_failed += failed.astype(np.int16)
    if vacancy.hours:
        hours_fit = np.where(np.isnan(table.hours), 0.5, np.clip(table.hours / vacancy.hours, 0, 1))
    else:
        hours_fit = np.full(n, 0.5)
    wish_share = wish_met / len(wishes) if wishes else np.full(n, 1.0)
    score = (
        WEIGHTS["wishes"] * wish_share
        + WEIGHTS["distance"] * _closeness(distance, table.radius)
        + WEIGHTS["hours"] * hours_fit
    )
    code = vacancy.occupation_code if vacancy.occupation_code and not isco_problem(vacancy.occupation_code) else ""
    if code:  # employers2: the occupation's grade, a wish (or a hard criterion when the vacancy requires it)
        unit = table._has(f"isco4:{code}")
        grade = np.where(
            unit,
            OCCUPATION_GRADES["unit"],
            np.where(
                table._has(f"isco3:{code[:3]}"),
                OCCUPATION_GRADES["minor"],
                np.where(table._has(f"isco2:{code[:2]}"), OCCUPATION_GRADES["sub_major"], 0.0),
            ),
        )
        score = (1 - OCCUPATION_WEIGHT) * score + OCCUPATION_WEIGHT * grade
        if vacancy.occupation_required:
            hard_failed += (~unit).astype(np.int16)
    order = _rank(hard_failed, score, limit)
    matches = []
    for rank, i in enumerate(order, start=1):
        p = table.profiles[i]
        reasons = [
            Reason(
                "requirement",
                bool(met_by_req[j][i]),
                req.hard,
                (("kind", req.kind), ("value", req.value)),
            )
            for j, req in enumerate(vacancy.requirements)
        ]
        if code:
            reasons.append(_occupation_reason(vacancy, p))
        reasons += _common_reasons(
            distance[i], table.radius[i], vacancy, table.hours[i], bool(conflict[i]), p.restrictions, p
        )
        d = None if math.isnan(distance[i]) else round(float(distance[i]), 1)
        matches.append(Match(p.client_ref, rank, int(hard_failed[i]), round(float(score[i]), 4), d, reasons))
    return MatchResult(matches, n, int((hard_failed == 0).sum()))


def _occupation_reason(vacancy: Vacancy, p: WorkProfile) -> Reason:
    grade, closest = occupation_grade(vacancy.occupation_code, p.occupation_codes)
    ok = grade == "unit" if vacancy.occupation_required else grade != "none"
    return Reason(
        "occupation",
        ok,
        vacancy.occupation_required,
        (("code", vacancy.occupation_code), ("grade", grade), ("closest", closest or "")),
    )


def _common_reasons(distance, radius, vacancy: Vacancy, hours, conflict, restrictions, p: WorkProfile):
    out = []
    if math.isnan(distance):
        out.append(Reason("distance_unknown", None))
    else:
        limit = radius
        if vacancy.max_distance_km is not None:
            limit = vacancy.max_distance_km if math.isnan(limit) else min(limit, vacancy.max_distance_km)
        ok = True if math.isnan(limit) else bool(distance <= limit)
        params = (("km", round(float(distance), 1)),) + (() if math.isnan(limit) else (("radius", float(limit)),))
        out.append(Reason("distance", ok, True, params))
    if vacancy.hours is not None:
        if math.isnan(hours):
            out.append(Reason("hours_unknown", None, False, (("hours", vacancy.hours),)))
        else:
            out.append(
                Reason("hours", bool(hours >= vacancy.hours), True, (("hours", vacancy.hours), ("available", hours)))
            )
    clash = sorted(set(vacancy.conditions) & set(restrictions))
    if vacancy.conditions:
        out.append(Reason("conditions", not conflict, True, (("clash", tuple(clash)),)))
    if p.exempt:
        out.append(Reason("exempt", False, True))
    out.append(
        Reason(
            "policy",
            None,
            False,
            (
                ("route", p.route or ""),
                ("level", p.level_label or ""),
                ("work_first", p.work_first),
                ("work_route", (p.route or "") in WORK_ROUTES),
            ),
        )
    )
    return out


# --- vacancies as arrays --------------------------------------------------------------------------------------


class VacancyTable:
    """Open vacancies as arrays; their requirements in one flat (CSR-like) list: owner row, term, hard."""

    def __init__(self, vacancies: Sequence[Vacancy]):
        self.vacancies = list(vacancies)
        m = len(self.vacancies)
        self.m = m
        coords = [centroid(v.postcode) for v in self.vacancies]
        self.lat = np.array([c[0] if c else np.nan for c in coords], dtype=float)
        self.lon = np.array([c[1] if c else np.nan for c in coords], dtype=float)
        self.hours = np.array([np.nan if v.hours is None else v.hours for v in self.vacancies], dtype=float)
        self.max_km = np.array(
            [np.nan if v.max_distance_km is None else v.max_distance_km for v in self.vacancies], float
        )
        owner, terms, hard, edu = [], [], [], []
        cond_owner, cond_code = [], []
        for i, v in enumerate(self.vacancies):
            for r in v.requirements:
                owner.append(i)
                terms.append(r.term())
                hard.append(r.hard)
                edu.append(EDUCATION_ORDER.get(r.value, 99) if r.kind == "education" else -1)
            for c in v.conditions:
                cond_owner.append(i)
                cond_code.append(c)
        # employers2: the occupation code as an integer (-1 none), and which vacancies require it
        self.occ = np.array(
            [int(v.occupation_code) if v.occupation_code and not isco_problem(v.occupation_code) else -1
             for v in self.vacancies], dtype=np.int64
        )  # fmt: skip
        self.occ_required = np.array([v.occupation_required for v in self.vacancies], dtype=bool)
        self.req_owner = np.array(owner, dtype=np.int64)
        vocab = {t: k for k, t in enumerate(dict.fromkeys(terms))}
        self.vocab = vocab
        self.req_term = np.array([vocab[t] for t in terms], dtype=np.int64)
        self.req_hard = np.array(hard, dtype=bool)
        self.req_edu = np.array(edu, dtype=np.int8)  # -1: not an education requirement
        self.n_wishes = np.bincount(self.req_owner[~self.req_hard], minlength=m) if owner else np.zeros(m, int)
        cvocab = {c: k for k, c in enumerate(dict.fromkeys(cond_code))}
        self.cond_vocab = cvocab
        self.cond_owner = np.array(cond_owner, dtype=np.int64)
        self.cond_code = np.array([cvocab[c] for c in cond_code], dtype=np.int64)


def vacancies_for(table: VacancyTable, profile: WorkProfile, *, limit: int = 50) -> MatchResult:
    """Open vacancies ranked for one client, the first ``limit`` with their reasons (the same rules as
    :func:`candidates_for`, seen from the other side)."""
    m = table.m
    own = np.zeros(len(table.vocab), dtype=bool)
    for t in profile.terms():
        k = table.vocab.get(t)
        if k is not None:
            own[k] = True
    level = EDUCATION_ORDER.get(profile.education_level, -1)
    met = np.where(table.req_edu >= 0, level >= table.req_edu, own[table.req_term] if len(own) else False)
    unmet_hard = np.bincount(table.req_owner[table.req_hard & ~met], minlength=m)
    wish_met = np.bincount(table.req_owner[~table.req_hard & met], minlength=m)
    where = centroid(profile.postcode)
    if where is None:
        distance = np.full(m, np.nan)
    else:
        distance = _haversine_km(table.lat, table.lon, where[0], where[1])
    radius = np.nan if profile.travel_radius_km is None else profile.travel_radius_km
    with np.errstate(invalid="ignore"):
        too_far = (distance > radius) | (distance > table.max_km)
        hours_short = (
            table.hours > profile.hours_available if profile.hours_available is not None else np.zeros(m, bool)
        )
    conflict = np.zeros(m, dtype=bool)
    for r in profile.restrictions:
        k = table.cond_vocab.get(r)
        if k is not None:
            conflict[table.cond_owner[table.cond_code == k]] = True
    hard_failed = (
        unmet_hard + too_far.astype(int) + hours_short.astype(int) + conflict.astype(int) + int(profile.exempt)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        wish_share = np.where(table.n_wishes > 0, wish_met / np.maximum(table.n_wishes, 1), 1.0)
        if profile.hours_available is None:
            hours_fit = np.full(m, 0.5)
        else:
            hours_fit = np.where(
                np.isnan(table.hours) | (table.hours == 0),
                0.5,
                np.clip(profile.hours_available / np.where(table.hours > 0, table.hours, 1), 0, 1),
            )
    score = (
        WEIGHTS["wishes"] * wish_share
        + WEIGHTS["distance"] * _closeness(distance, np.full(m, radius))
        + WEIGHTS["hours"] * hours_fit
    )
    # employers2: the occupation's grade for the vacancies with a code (the same rule as candidates_for)
    has_code = table.occ >= 0
    codes = [int(c) for c in profile.occupation_codes if not isco_problem(c)]
    unit = np.isin(table.occ, codes) & has_code
    grade = np.where(
        unit,
        OCCUPATION_GRADES["unit"],
        np.where(
            np.isin(table.occ // 10, [c // 10 for c in codes]) & has_code,
            OCCUPATION_GRADES["minor"],
            np.where(
                np.isin(table.occ // 100, [c // 100 for c in codes]) & has_code, OCCUPATION_GRADES["sub_major"], 0.0
            ),
        ),
    )
    score = np.where(has_code, (1 - OCCUPATION_WEIGHT) * score + OCCUPATION_WEIGHT * grade, score)
    hard_failed = hard_failed + (table.occ_required & has_code & ~unit).astype(int)
    order = _rank(hard_failed, score, limit)
    terms = profile.terms()
    hours = np.nan if profile.hours_available is None else float(profile.hours_available)
    matches = []
    for rank, i in enumerate(order, start=1):
        v = table.vacancies[i]
        reasons = [
            Reason(
                "requirement",
                (level >= EDUCATION_ORDER.get(req.value, 99)) if req.kind == "education" else req.term() in terms,
                req.hard,
                (("kind", req.kind), ("value", req.value)),
            )
            for req in v.requirements
        ]
        if table.occ[i] >= 0:
            reasons.append(_occupation_reason(v, profile))
        reasons += _common_reasons(distance[i], radius, v, hours, bool(conflict[i]), profile.restrictions, profile)
        d = None if math.isnan(distance[i]) else round(float(distance[i]), 1)
        matches.append(Match(v.vacancy_ref, rank, int(hard_failed[i]), round(float(score[i]), 4), d, reasons))
    return MatchResult(matches, m, int((hard_failed == 0).sum()))


# --- reasons in Dutch -----------------------------------------------------------------------------------------


def _dutch_number(value) -> str:
    return f"{value:g}".replace(".", ",")


def reason_text(
    reason: Reason, gettext: Callable[[str], str] | None = None, number: Callable[[float], str] | None = None
) -> str:
    """A Dutch sentence for a reason; an adapter passes its ``gettext`` to get it in the user's language (the
    msgids are the Dutch templates below; labels of kinds, levels and conditions are translated too) and its
    ``number`` to write distances the language's way (Dutch decimal comma without it)."""
    t = gettext or (lambda s: s)
    num = number or _dutch_number
    p = reason.p
    if reason.key == "requirement":
        kind, value = p["kind"], p["value"]
        shown = t(EDUCATION_LABELS[value]) if kind == "education" and value in EDUCATION_LABELS else value
        if reason.hard:
            text = (
                t("%(kind)s: %(value)s (eis, voldaan)") if reason.ok else t("%(kind)s: %(value)s (eis, niet voldaan)")
            )
        else:
            text = (
                t("%(kind)s: %(value)s (wens, voldaan)") if reason.ok else t("%(kind)s: %(value)s (wens, niet voldaan)")
            )
        return text % {"kind": t(REQUIREMENT_KINDS.get(kind, kind)), "value": shown}
    if reason.key == "occupation":  # employers2
        grade, code, closest = p["grade"], p["code"], p["closest"]
        text = {
            "unit": t("Beroep: zelfde beroepsgroep (ISCO-08 %(code)s)"),
            "minor": t("Beroep: verwant beroep %(closest)s (zelfde subgroep ISCO-08 %(group)s)"),
            "sub_major": t("Beroep: %(closest)s in dezelfde beroepsklasse (ISCO-08 %(group)s)"),
            "none": t("Beroep: geen beroep in of bij ISCO-08 %(code)s vastgelegd"),
        }[grade] % {"code": code, "closest": closest, "group": code[:3] if grade == "minor" else code[:2]}
        return f"{text} ({t('eis') if reason.hard else t('wens')})"
    if reason.key == "distance":
        km = num(p["km"])
        if "radius" in p:
            radius = num(p["radius"])
            return t("Reisafstand %(km)s km (reisbereik %(radius)s km)") % {"km": km, "radius": radius}
        return t("Reisafstand %(km)s km (geen reisbereik vastgelegd)") % {"km": km}
    if reason.key == "distance_unknown":
        return t("Reisafstand onbekend (postcode buiten de tabel van de regio)")
    if reason.key == "hours":
        return t("Uren: vacature %(hours)s per week, beschikbaar %(available)s") % {
            "hours": f"{p['hours']:g}",
            "available": f"{p['available']:g}",
        }
    if reason.key == "hours_unknown":
        return t("Uren: vacature %(hours)s per week, beschikbaarheid niet vastgelegd") % {"hours": f"{p['hours']:g}"}
    if reason.key == "conditions":
        if reason.ok:
            return t("Werkomstandigheden passen bij de vastgelegde beperkingen")
        clash = ", ".join(t(CONDITIONS.get(c, c)) for c in p["clash"])
        return t("Beperking botst met: %(conditions)s") % {"conditions": clash}
    if reason.key == "exempt":
        return t("Volledige ontheffing van de arbeidsverplichtingen (Pw art. 9 lid 2)")
    if reason.key == "policy":
        parts = [t("route %(route)s") % {"route": p["route"]} if p["route"] else t("geen route vastgelegd")]
        if p["level"]:
            parts.append(t("trede %(level)s") % {"level": p["level"]})
        if p["work_first"]:
            parts.append("Work First")
        return t("Beleid: %(parts)s (getoond, niet meegewogen)") % {"parts": ", ".join(parts)}
    return reason.key


def profiles_from(rows: Iterable[WorkProfile]) -> ProfileTable:
    return ProfileTable(list(rows))
