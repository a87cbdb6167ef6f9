"""Reads of the employer side. Employers and vacancies are shared in a region (werkgeversservicepunt); clients only
ever within their own municipality (:func:`regie.accounts.tenancy.municipality_ids`). The work profile of a case
(:func:`work_profile`) is the one derivation every screen, the API and the matching use; the demand-side facts of
a case (placements, consent, proposals, referrals) come from :func:`demand_side` (regie.core.placements)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Max, Q
from django.http import Http404
from django.utils.translation import gettext as _

from regie.accounts.tenancy import municipality_ids
from regie.casework.models import Case, CaseState, Client, Event
from regie.core.clientrecord import fold_record
from regie.core.events import RECORD_TYPES
from regie.core.matching import ProfileTable, Requirement, VacancyTable, WorkProfile
from regie.core.matching import Vacancy as CoreVacancy
from regie.core.placements import (
    DemandSide,
    SubsidyMonth,
    aftercare_due,
    durability,
    fold_demand_side,
    subsidy_ledger,
)
from regie.core.policy import PolicyUnavailable, policy_for

from .models import Agreement, Employer, MatchList, MatchListEntry, Region, SocialService, Vacancy

DEMAND_TYPES = (
    "werkprofiel_aanvulling",
    "toestemming_delen",
    "match_voorgesteld",
    "plaatsing",
    "plaatsing_einde",
    "nazorg_contact",
    "verwijzing",
    "verwijzing_uitkomst",
    "subsidiebetaling",  # employers2: the loonkostensubsidie paid to the employer
)
MATCHABLE_STATUSES = ("lopend",)  # clients receiving a benefit (assumption: no matching before the toekenning)


# --- regions, employers, vacancies --------------------------------------------------------------------------


def regions_for(user):
    return Region.objects.filter(municipalities__in=municipality_ids(user)).distinct()


def employers_for(user):
    return Employer.objects.filter(region__in=regions_for(user)).select_related("region")


def employer_for(user, pk: int) -> Employer:
    employer = employers_for(user).filter(pk=pk).first()
    if employer is None:
        raise Http404
    return employer


def vacancies_for_user(user, *, status: str | None = "open"):
    qs = Vacancy.objects.filter(employer__region__in=regions_for(user)).select_related("employer")
    return qs.filter(status=status) if status else qs


def vacancy_for(user, pk: int) -> Vacancy:
    vacancy = vacancies_for_user(user, status=None).filter(pk=pk).first()
    if vacancy is None:
        raise Http404
    return vacancy


def services_for(user):
    return SocialService.objects.filter(municipality_id__in=municipality_ids(user))


# --- the work profile of a case -----------------------------------------------------------------------------


def _policy_view(municipality_code: str, level: str, route: str, on: dt.date) -> dict:
    """Route, rung (label, rank: 1 closest to work) and Work First from the policy in force (PolicyUnavailable
    without one: fail closed)."""
    policy = policy_for(municipality_code, on)
    levels = {lv.id: lv for lv in policy.scheme.levels}
    lv = levels.get(level or "")
    wf = policy.work_first
    return {
        "route": route or None,
        "level_label": lv.label if lv else None,
        "level_rank": lv.rank if lv else None,
        "work_first": bool(wf.enabled and level and level in wf.levels),
    }


def _profile(ref: str, client_base: dict, record_events: list[dict], extra: dict | None, state, view: dict):
    rec = fold_record(client_base, record_events)
    extra = extra or {}
    coded = [o for o in extra.get("occupation_codes") or [] if isinstance(o, dict) and o.get("code")]  # employers2
    experience = (
        {w.get("job", "") for w in rec.work if w.get("job")}
        | set(extra.get("occupations") or [])
        | {o["label"] for o in coded if o.get("label")}
    )
    postcode = rec.woonadres.postcode if rec.woonadres else None
    return WorkProfile(
        ref,
        postcode=postcode,
        education_level=rec.education_level or "",
        skills=frozenset(rec.skills),
        certificates=frozenset(extra.get("certificates") or []),
        driving_licences=frozenset(rec.driving_licences),
        experience=frozenset(experience),
        hours_available=extra.get("hours_available"),
        travel_radius_km=extra.get("travel_radius_km"),
        restrictions=frozenset(extra.get("restrictions") or []),
        exempt=bool(state["exempt"] if isinstance(state, dict) else state.exempt) if state is not None else False,
        occupation_codes=frozenset(o["code"] for o in coded),
        **view,
    )


def _base(client: Client) -> dict:
    return {
        "given_name": client.given_name,
        "family_name": client.family_name,
        "sex": client.sex,
        "language": client.language,
        "education": client.education,
        "contact": client.contact,
    }


def work_profile(case: Case, on: dt.date | None = None) -> WorkProfile:
    """The work profile of the case's client: the client record (education, work, skills, driving licences,
    address) with the latest ``werkprofiel_aanvulling`` and the case's exemption and policy view."""
    on = on or dt.date.today()
    client = case.client
    record = [
        {"type": e.type, "effective_date": e.effective_date, "payload": e.payload}
        for e in Event.objects.filter(case__client=client, type__in=RECORD_TYPES).order_by("effective_date", "id")
    ]
    extra = (
        Event.objects.filter(case=case, type="werkprofiel_aanvulling")
        .order_by("-effective_date", "-id")
        .values_list("payload", flat=True)
        .first()
    )
    state = CaseState.objects.filter(case=case).first()
    view = _policy_view(case.municipality.code, state.level if state else "", state.route if state else "", on)
    return _profile(str(case.pk), _base(client), record, extra, state, view)


@dataclass
class _Built:
    """A municipality's cached caseload: the day, the last event id and number of case states it was built at, the
    profiles by case id and their table."""

    on: dt.date
    max_event: int | None
    states: int
    profiles: dict[int, WorkProfile]
    table: ProfileTable


_CACHE: dict[int, _Built] = {}
_LOCK = threading.Lock()
# employers2: after new events, only the cases they touch are rebuilt, up to this many (else the whole caseload)
INCREMENTAL_MAX = 5000
_CLIENT_FIELDS = ("given_name", "family_name", "sex", "language", "education", "contact")


def _caseload_profiles(municipality, on: dt.date, case_ids: set[int] | None = None) -> dict[int, WorkProfile]:
    """The work profiles of the municipality's matchable cases (of ``case_ids`` only, when given), by case id. Rows
    as values, not model instances (a 50,000-client caseload: employers2, docs/performance.md "Matching")."""
    states = CaseState.objects.filter(municipality=municipality, status__in=MATCHABLE_STATUSES)
    if case_ids is not None:
        states = states.filter(case_id__in=list(case_ids))
    rows = list(
        states.values(
            "case_id", "level", "route", "exempt", "case__client_id", *(f"case__client__{f}" for f in _CLIENT_FIELDS)
        )
    )
    client_ids = {r["case__client_id"] for r in rows}
    records = Event.objects.filter(municipality=municipality, type__in=RECORD_TYPES)
    extras = Event.objects.filter(municipality=municipality, type="werkprofiel_aanvulling")
    if case_ids is not None:
        records = records.filter(case__client_id__in=list(client_ids))
        extras = extras.filter(case_id__in=list(case_ids))
    record_by_client: dict[int, list[dict]] = defaultdict(list)
    for e in records.order_by("effective_date", "id").values("case__client_id", "type", "effective_date", "payload"):
        if e["case__client_id"] in client_ids:  # all of the municipality, then keep the matchable
            record_by_client[e["case__client_id"]].append(e)
    extra_by_case: dict[int, dict] = {}
    for e in extras.order_by("effective_date", "id").values("case_id", "payload"):
        extra_by_case[e["case_id"]] = e["payload"]  # the latest wins
    views: dict[tuple, dict] = {}
    out: dict[int, WorkProfile] = {}
    for r in rows:
        vkey = (r["level"], r["route"])
        if vkey not in views:
            views[vkey] = _policy_view(municipality.code, r["level"], r["route"], on)
        base = {f: r[f"case__client__{f}"] for f in _CLIENT_FIELDS}
        cid = r["case_id"]
        out[cid] = _profile(
            str(cid), base, record_by_client.get(r["case__client_id"], []), extra_by_case.get(cid), r, views[vkey]
        )
    return out


def warm_caseload_tables() -> int:
    """Build :func:`caseload_table` for every municipality with a case on benefit (each web worker's start-up warm-up);
    returns how many were built."""
    from regie.accounts.models import Municipality

    built = 0
    for municipality in Municipality.objects.filter(
        pk__in=CaseState.objects.filter(status__in=MATCHABLE_STATUSES).values("municipality_id")
    ):
        caseload_table(municipality)
        built += 1
    return built


def caseload_table(municipality, on: dt.date | None = None) -> ProfileTable:
    """The municipality's matchable caseload (cases receiving a benefit) as a :class:`ProfileTable`, refs = case
    ids, in case order. Cached per process; after new events only the cases they touch are read again and the table
    is rebuilt from the cached profiles (employers2); a new day, a changed number of case states or a large change
    rebuilds it all."""
    on = on or dt.date.today()
    max_event = Event.objects.filter(municipality=municipality).aggregate(m=Max("id"))["m"]
    states = CaseState.objects.filter(municipality=municipality, status__in=MATCHABLE_STATUSES).count()
    with _LOCK:
        hit = _CACHE.get(municipality.pk)
    if hit and hit.on == on and hit.max_event == max_event and hit.states == states:
        return hit.table
    profiles = None
    if hit and hit.on == on and hit.max_event is not None and max_event is not None and max_event > hit.max_event:
        changed = set(
            Event.objects.filter(municipality=municipality, id__gt=hit.max_event, id__lte=max_event)
            .order_by()
            .values_list("case_id", flat=True)
            .distinct()
        )
        if len(changed) <= INCREMENTAL_MAX:  # with the other cases of the same clients (the record is the client's)
            changed |= set(
                Case.objects.filter(
                    client_id__in=Case.objects.filter(pk__in=list(changed)).values("client_id")
                ).values_list("pk", flat=True)
            )
            profiles = {k: v for k, v in hit.profiles.items() if k not in changed}
            profiles.update(_caseload_profiles(municipality, on, changed))
            if len(profiles) != states:  # a case left or joined without an event of its own: start again
                profiles = None
    if profiles is None:
        profiles = _caseload_profiles(municipality, on)
    profiles = dict(sorted(profiles.items()))
    table = ProfileTable(list(profiles.values()))
    with _LOCK:
        _CACHE[municipality.pk] = _Built(on, max_event, states, profiles, table)
    return table


def core_vacancy(v: Vacancy) -> CoreVacancy:
    return CoreVacancy(
        str(v.pk),
        title=v.title,
        occupation_code=v.occupation_code,
        hours=float(v.hours) if v.hours is not None else None,
        postcode=v.postcode,
        requirements=tuple(Requirement(r["kind"], r["value"], bool(r.get("hard", True))) for r in v.requirements),
        conditions=frozenset(v.conditions or ()),
        max_distance_km=float(v.max_distance_km) if v.max_distance_km is not None else None,
        wage_per_hour=float(v.wage_per_hour) if v.wage_per_hour is not None else None,
        start=v.starts_on,
        contract_type=v.contract_type,
        occupation_required=v.occupation_required,  # employers2
    )


def open_vacancy_table(user) -> VacancyTable:
    return VacancyTable([core_vacancy(v) for v in vacancies_for_user(user)])


# --- the demand side of a case ------------------------------------------------------------------------------


def demand_events(case: Case) -> list[dict]:
    """The case's demand-side events, oldest first; memoised per case version when the case comes with its state
    (pages3: the case page asks twice, for the section and for its aftercare; regie.casework.derived)."""

    def read(_ids=None):
        return list(
            Event.objects.filter(case=case, type__in=DEMAND_TYPES)
            .order_by("effective_date", "id")
            .values("type", "effective_date", "payload")
        )

    state = getattr(case, "state", None) if _has_state(case) else None
    if state is None:
        return read()
    from regie.casework.derived import per_case

    return list(per_case("demand_events", {case.pk: state.version}, lambda _ids: {case.pk: read()})[case.pk])


def _has_state(case: Case) -> bool:
    """Whether the case's state is loaded already (no query to find out)."""
    return Case.state.is_cached(case)


def demand_side(case: Case) -> DemandSide:
    return fold_demand_side(demand_events(case))


def aftercare_for(case: Case, on: dt.date | None = None) -> list:
    """Due aftercare moments of the case's placements (the policy's ``placements`` in force at each start;
    PolicyUnavailable when the policy sets none: fail closed)."""
    from regie.core.policy import PolicyUnavailable

    out = []
    for p in demand_side(case).placements:
        rules = policy_for(case.municipality.code, p.start).placements
        if rules is None:
            raise PolicyUnavailable(
                "Het beleid van deze gemeente legt geen nazorg na plaatsing vast (placements).",
                f"no placements rules for {case.municipality.code} on {p.start}",
            )
        out += aftercare_due(p, rules.check_in_months, rules.durable_months)
    return sorted(out, key=lambda a: a.due)


# --- equal treatment: who is shown and who is proposed (seed 000:540-560) -----------------------------------


def shown_and_proposed(municipality_ids_: frozenset[int] | set[int], since: dt.date | None = None) -> list[dict]:
    """Per case of the municipalities: how often it appeared on a shown candidate list, its best rank, and how
    often it was proposed. For the equity monitor: compare the proposed with the shown-but-not-proposed on the
    case's covariates ("creaming")."""
    entries = MatchListEntry.objects.filter(
        match_list__municipality_id__in=municipality_ids_, match_list__vacancy__isnull=False, case__isnull=False
    )
    proposals = Event.objects.filter(municipality_id__in=municipality_ids_, type="match_voorgesteld")
    if since:
        entries = entries.filter(match_list__shown_at__date__gte=since)
        proposals = proposals.filter(effective_date__gte=since)
    shown: dict[int, dict] = {}
    for e in entries.values("case_id", "rank", "hard_failed"):
        row = shown.setdefault(e["case_id"], {"case_id": e["case_id"], "shown": 0, "best_rank": e["rank"]})
        row["shown"] += 1
        row["best_rank"] = min(row["best_rank"], e["rank"])
    proposed = Counter(proposals.values_list("case_id", flat=True))
    for case_id in proposed:
        shown.setdefault(case_id, {"case_id": case_id, "shown": 0, "best_rank": None})
    for row in shown.values():
        row["proposed"] = proposed.get(row["case_id"], 0)
    return sorted(shown.values(), key=lambda r: r["case_id"])


def proposal_rates(municipality_ids_, by: str = "sex") -> list[dict]:
    """Shown and proposed counts grouped by a client attribute (``sex``, ``education``, ``origin``) or age band: a
    first view for the equity page; the full analysis belongs in the discretion monitor."""
    rows = shown_and_proposed(municipality_ids_)
    cases = {
        c["pk"]: c
        for c in Case.objects.filter(pk__in=[r["case_id"] for r in rows]).values(
            "pk", "client__sex", "client__education", "client__origin", "client__birth_date"
        )
    }
    groups: dict[str, dict] = {}
    today = dt.date.today()
    for r in rows:
        c = cases.get(r["case_id"])
        if c is None:
            continue
        if by == "age":
            age = (today - c["client__birth_date"]).days // 365
            key = "<27" if age < 27 else "27-44" if age < 45 else "45+"
        else:
            key = c.get(f"client__{by}") or "?"
        g = groups.setdefault(key, {"group": key, "shown": 0, "proposed": 0})
        g["shown"] += 1 if r["shown"] else 0
        g["proposed"] += 1 if r["proposed"] else 0
    for g in groups.values():
        g["rate"] = round(g["proposed"] / g["shown"], 3) if g["shown"] else None
    return sorted(groups.values(), key=lambda g: g["group"])


# --- lijstwerk: candidates proposed to an employer with consent ---------------------------------------------


def proposed_to_employer(user, employer: Employer) -> list[dict]:
    """The candidates of the user's municipalities proposed to ``employer`` whose consent is still in force, with
    only the data they consented to share (the employer's list, "lijstwerk")."""
    from regie.clientrecord.selectors import record_for

    out = []
    today = dt.date.today()
    events = (
        Event.objects.filter(municipality_id__in=municipality_ids(user), type="match_voorgesteld")
        .filter(Q(payload__employer_id=employer.pk))
        .select_related("case__client", "case__municipality")
        .order_by("-effective_date", "-id")
    )
    seen = set()
    for e in events:
        if e.case_id in seen:
            continue
        ds = demand_side(e.case)
        consent = ds.consent_for(employer.pk, e.payload.get("vacancy_id"), today)
        if consent is None:
            continue
        seen.add(e.case_id)
        profile = work_profile(e.case, today)
        client = e.case.client
        rec = record_for(client) if "naam_contact" in consent.data else None
        out.append(
            {
                "case": e.case,
                "proposed_on": e.effective_date,
                "vacancy_id": e.payload.get("vacancy_id"),
                "name": f"{client.given_name} {client.family_name}" if rec else None,
                "phone": rec.phone if rec else None,
                "email": rec.email if rec else None,
                "profile": profile if "werkprofiel" in consent.data else None,
                "availability": profile if "beschikbaarheid" in consent.data else None,
                "restrictions": sorted(profile.restrictions) if "beperkingen" in consent.data else None,
                "consent": consent,
            }
        )
    return out


# --- monitoring -----------------------------------------------------------------------------------------------


def agreement_fulfilment(agreement: Agreement, municipality_ids_) -> dict:
    """Placements at the agreement's employer within its period, from the placement events: stages (stage,
    leer-werkstage, proefplaatsing) and jobs (the other kinds)."""
    kinds = Counter(
        Event.objects.filter(
            municipality_id__in=municipality_ids_,
            type="plaatsing",
            payload__employer_id=agreement.employer_id,
            effective_date__gte=agreement.starts_on,
            effective_date__lte=agreement.ends_on,
        ).values_list("payload__kind", flat=True)
    )
    stages = sum(kinds[k] for k in ("stage", "leerwerkstage", "proefplaatsing"))
    jobs = sum(kinds.values()) - stages
    return {
        "stages": stages,
        "jobs": jobs,
        "target_stages": agreement.target_stages,
        "target_jobs": agreement.target_jobs,
    }


def monitoring(user, on: dt.date | None = None) -> dict:
    """The demand-side figures of the user's municipalities: placements by kind and by employer, durability at 6
    and 12 months, vacancies filled from the caseload, time from vacancy to placement, subsidy per durable
    placement, covenant fulfilment, referral bottlenecks. Each from the events (one fold per case)."""
    on = on or dt.date.today()
    mids = municipality_ids(user)
    by_case: dict[int, list[dict]] = defaultdict(list)
    for e in (
        Event.objects.filter(municipality_id__in=mids, type__in=DEMAND_TYPES)
        .order_by("effective_date", "id")
        .values("case_id", "type", "effective_date", "payload")
    ):
        by_case[e["case_id"]].append(e)
    placements, referrals = [], []
    for events in by_case.values():
        ds = fold_demand_side(events)
        placements += ds.placements
        referrals += ds.referrals
    by_kind = Counter(p.kind for p in placements)
    by_employer = Counter(p.employer_name for p in placements)
    vacancies = {v.pk: v for v in Vacancy.objects.filter(employer__region__in=regions_for(user))}
    filled = [p for p in placements if p.vacancy_id in vacancies]
    days = sorted((p.start - vacancies[p.vacancy_id].opened_on).days for p in filled)
    dur = {m: durability(placements, m, on) for m in (6, 12)}
    # employers2: the subsidy from the one derivation (due up to ``on`` and paid), not the placements' planned totals
    from regie.core.benefit.money import euro

    try:
        ledger = subsidy_summary(subsidy_rows(mids, on))
        subsidy, subsidy_paid, subsidy_problem = euro(ledger["due_cents"]), euro(ledger["paid_cents"]), None
    except PolicyUnavailable as exc:
        subsidy, subsidy_paid, subsidy_problem = None, None, exc.message
    durable_subsidised = sum(
        1 for p in placements if p.kind == "loonkostensubsidie" and p.results.get(12, p.results.get(6))
    )
    bottlenecks: dict[str, dict] = {}
    for r in referrals:
        b = bottlenecks.setdefault(
            r.service_name,
            {"service": r.service_name, "referrals": 0, "refused": 0, "waiting": 0, "open": 0, "waits": []},
        )
        b["referrals"] += 1
        b["refused"] += r.outcome == "geweigerd_door_dienst"
        b["waiting"] += r.outcome == "wachtlijst"
        b["open"] += r.outcome is None
        if r.waited_days is not None:
            b["waits"].append(r.waited_days)
    for b in bottlenecks.values():
        waits = sorted(b.pop("waits"))
        b["median_wait_days"] = waits[len(waits) // 2] if waits else None
    agreements = [
        {"agreement": a, **agreement_fulfilment(a, mids)}
        for a in Agreement.objects.filter(employer__region__in=regions_for(user)).select_related("employer")
    ]
    return {
        "placements": len(placements),
        "by_kind": sorted(by_kind.items(), key=lambda kv: -kv[1]),
        "by_employer": sorted(by_employer.items(), key=lambda kv: -kv[1])[:20],
        "durability": dur,
        "vacancies": len(vacancies),
        "vacancies_filled": len({p.vacancy_id for p in filled}),
        "median_days_to_placement": days[len(days) // 2] if days else None,
        "subsidy_total": subsidy,
        "durable_subsidised": durable_subsidised,
        "subsidy_per_durable": (subsidy / durable_subsidised).quantize(subsidy)
        if durable_subsidised and subsidy is not None
        else None,
        "subsidy_paid": subsidy_paid,
        "subsidy_problem": subsidy_problem,
        "agreements": agreements,
        "bottlenecks": sorted(bottlenecks.values(), key=lambda b: -(b["refused"] + b["waiting"])),
        "match_lists": MatchList.objects.filter(municipality_id__in=mids).count(),
    }


# --- employers2: the loonkostensubsidie paid to the employer (Pw art. 10d) -------------------------------------


def subsidy_rules(municipality_code: str, on: dt.date):
    """The policy's ``placements.subsidy`` in force on ``on``; PolicyUnavailable without one (fail closed: no
    subsidy is computed or paid on a guess)."""
    placements = policy_for(municipality_code, on).placements
    rules = placements.subsidy if placements is not None else None
    if rules is None:
        raise PolicyUnavailable(
            _("Het beleid van deze gemeente legt de betaling van loonkostensubsidie niet vast (placements.subsidy)."),
            f"no placements.subsidy for {municipality_code} on {on}",
            on=on,
        )
    return rules


def subsidy_rows(
    municipality_ids_, until: dt.date, *, employer_id: int | None = None, case_id: int | None = None
) -> list[tuple[int, SubsidyMonth]]:
    """(case id, month) of every loonkostensubsidie placement of the municipalities' cases up to the month of
    ``until``: due and paid, from the events, by THE derivation (:func:`regie.core.placements.subsidy_ledger`). The
    payment run, the employer page, the monitoring figure and ``regie employers subsidy`` all call this. Raises
    PolicyUnavailable when the policy in force in a month sets no ``placements.subsidy``."""
    from regie.accounts.models import Municipality

    placed = Event.objects.filter(
        municipality_id__in=municipality_ids_, type="plaatsing", payload__kind="loonkostensubsidie"
    )
    if employer_id is not None:
        placed = placed.filter(payload__employer_id=employer_id)
    if case_id is not None:
        placed = placed.filter(case_id=case_id)
    cases = dict(placed.order_by().values_list("case_id", "municipality_id").distinct())
    if not cases:
        return []
    codes = dict(Municipality.objects.filter(pk__in=set(cases.values())).values_list("pk", "code"))
    by_case: dict[int, list[dict]] = defaultdict(list)
    for e in (
        Event.objects.filter(case_id__in=list(cases), type__in=DEMAND_TYPES)
        .order_by("effective_date", "id")
        .values("case_id", "type", "effective_date", "payload")
    ):
        by_case[e["case_id"]].append(e)
    out = []
    for cid in sorted(by_case):
        code = codes[cases[cid]]
        for m in subsidy_ledger(
            fold_demand_side(by_case[cid]), until, lambda first, code=code: subsidy_rules(code, first).share_pct
        ):
            if employer_id is None or m.employer_id == employer_id:
                out.append((cid, m))
    return out


def subsidy_summary(rows: list[tuple[int, SubsidyMonth]]) -> dict:
    """Totals of :func:`subsidy_rows`: due, paid, open and to recover (paid for months no longer due: an end
    recorded after the payment) in cents, and the placements."""
    return {
        "due_cents": sum(m.due_cents for _c, m in rows),
        "paid_cents": sum(m.paid_cents for _c, m in rows),
        "open_cents": sum(max(m.open_cents, 0) for _c, m in rows),
        "recover_cents": sum(m.recover_cents for _c, m in rows),
        "placements": len({m.placement_id for _c, m in rows}),
    }
