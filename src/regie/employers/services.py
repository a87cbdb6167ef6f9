"""The only writers of the employer side. Client facts (work profile additions, consent, proposals, placements,
aftercare, referrals) are case events written through the decision gate (:func:`regie.casework.decisions
.record_step`); a placement is a decision there (it changes or ends the benefit). The employer tables (employers,
vacancies, covenants, contact history, the sociale kaart) and the record of shown match lists are written here.

Errors carry Dutch messages naming the field: :class:`FormError` (``errors``: field -> message) for the employer
tables, ``EventError`` / ``DecisionRefused`` / ``ConflictError`` / ``PolicyUnavailable`` from the gate.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.casework.decisions import record_step
from regie.casework.models import Case
from regie.core.events import EventError, new_id, normalise_postcode
from regie.core.matching import CONDITIONS, CONTRACT_TYPES, EDUCATION_ORDER, MatchResult, isco_problem

from .models import (
    AGREEMENT_KINDS,
    CONTACT_KINDS,
    SECTORS,
    SERVICE_KINDS,
    Agreement,
    ContactMoment,
    Employer,
    EmployerContact,
    EmployerLocation,
    MatchList,
    MatchListEntry,
    Region,
    SocialService,
    SubsidyLine,
    Vacancy,
)

POSTCODE_RE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")
# The words a requirement line may start with (Dutch, as users type them) -> core.matching requirement kinds.
REQUIREMENT_WORDS = {
    "vaardigheid": "skill",
    "certificaat": "certificate",
    "rijbewijs": "driving_licence",
    "opleiding": "education",
    "ervaring": "experience",
}


class FormError(ValueError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def kvk_problem(value: str) -> str | None:
    """Why ``value`` is not a KvK number, or None. A KvK number has 8 digits (Handelsregisterbesluit 2008 art. 9);
    python-stdnum has no Dutch KvK module and the number carries no check digit since 2016 (assumption: we check
    the form, not the registration; checking it needs the KvK API)."""
    digits = (value or "").strip()
    if not re.fullmatch(r"[0-9]{8}", digits):
        return _("KvK-nummer: acht cijfers, bijv. 12345678")
    if digits == "00000000":
        return _("KvK-nummer: 00000000 is geen KvK-nummer")
    return None


def region_of(user) -> Region | None:
    """The werkgeversservicepunt of the user's municipality (the first by name when it is in more than one)."""
    if not user.municipality_id:
        return None
    return Region.objects.filter(municipalities=user.municipality_id).order_by("name").first()


def _text(values, name, errors, label, *, required=True, max_length=200) -> str:
    value = " ".join(str(values.get(name) or "").split())
    if required and not value:
        errors[name] = _("%(field)s is verplicht") % {"field": label}
    if len(value) > max_length:
        errors[name] = _("%(field)s is te lang: hoogstens %(max)s tekens") % {"field": label, "max": max_length}
    return value[:max_length]


def _date(values, name, errors, label, *, required=True) -> dt.date | None:
    raw = str(values.get(name) or "").strip()
    if not raw:
        if required:
            errors[name] = _("%(field)s is verplicht") % {"field": label}
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("%(field)s is geen geldige datum (JJJJ-MM-DD)") % {"field": label}
        return None
    if value.year < 1900 or value > timezone.localdate() + dt.timedelta(days=5 * 366):
        errors[name] = _("%(field)s ligt niet in een plausibele periode: controleer de datum") % {"field": label}
        return None
    return value


def _decimal(values, name, errors, label, *, required=True, maximum=Decimal("10000")) -> Decimal | None:
    raw = str(values.get(name) or "").strip().replace(",", ".")
    if not raw:
        if required:
            errors[name] = _("%(field)s is verplicht") % {"field": label}
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors[name] = _("%(field)s is geen getal") % {"field": label}
        return None
    if value < 0 or value > maximum:
        errors[name] = _("%(field)s moet tussen 0 en %(max)s liggen") % {"field": label, "max": maximum}
        return None
    return value


def _postcode(values, name, errors, label) -> str:
    raw = str(values.get(name) or "").strip()
    if not POSTCODE_RE.match(raw):
        errors[name] = _("%(field)s: vier cijfers (niet beginnend met 0) en twee letters, bijv. 2511 AB") % {
            "field": label
        }
        return raw
    return normalise_postcode(raw) or raw


# --- employers ------------------------------------------------------------------------------------------------


def create_employer(user, values: dict) -> Employer:
    region = region_of(user)
    errors: dict[str, str] = {}
    if region is None:
        errors["region"] = _("Uw gemeente hoort bij geen werkgeversservicepunt: vraag de functioneel beheerder")
    name = _text(values, "name", errors, _("Naam"))
    kvk = str(values.get("kvk_number") or "").strip()
    if problem := kvk_problem(kvk):
        errors["kvk_number"] = problem
    sector = values.get("sector") or ""
    if sector not in dict(SECTORS):
        errors["sector"] = _("Sector: kies een sector (SBI)")
    if region is not None and not errors and Employer.objects.filter(region=region, kvk_number=kvk).exists():
        errors["kvk_number"] = _("KvK-nummer: deze werkgever staat al in het werkgeversservicepunt")
    if errors:
        raise FormError(errors)
    return Employer.objects.create(
        region=region,
        name=name,
        kvk_number=kvk,
        sector=sector,
        website=_text(values, "website", {}, "", required=False),
        notes=str(values.get("notes") or "")[:4000],
        created_by=user,
    )


def add_location(employer: Employer, values: dict) -> EmployerLocation:
    errors: dict[str, str] = {}
    name = _text(values, "name", errors, _("Naam vestiging"))
    postcode = _postcode(values, "postcode", errors, _("Postcode"))
    city = _text(values, "city", errors, _("Plaats"), max_length=100)
    street = _text(values, "street", errors, _("Straat en huisnummer"), required=False)
    if errors:
        raise FormError(errors)
    return EmployerLocation.objects.create(employer=employer, name=name, postcode=postcode, city=city, street=street)


def add_contact(employer: Employer, values: dict) -> EmployerContact:
    errors: dict[str, str] = {}
    name = _text(values, "name", errors, _("Naam contactpersoon"))
    email = str(values.get("email") or "").strip().lower()
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        errors["email"] = _("E-mailadres is niet geldig")
    if errors:
        raise FormError(errors)
    return EmployerContact.objects.create(
        employer=employer,
        name=name,
        function=_text(values, "function", {}, "", required=False),
        email=email,
        phone=_text(values, "phone", {}, "", required=False, max_length=20),
    )


def add_contact_moment(employer: Employer, user, values: dict) -> ContactMoment:
    errors: dict[str, str] = {}
    on = _date(values, "on", errors, _("Datum"))
    if on and on > timezone.localdate():
        errors["on"] = _("Datum ligt in de toekomst: leg een contact vast als het is geweest")
    kind = values.get("kind") or ""
    if kind not in dict(CONTACT_KINDS):
        errors["kind"] = _("Soort contact: kies een soort")
    summary = str(values.get("summary") or "").strip()
    if not summary:
        errors["summary"] = _("Verslag is verplicht")
    if errors:
        raise FormError(errors)
    return ContactMoment.objects.create(
        employer=employer, accountmanager=user, on=on, kind=kind, summary=summary[:4000]
    )


def add_agreement(employer: Employer, values: dict) -> Agreement:
    errors: dict[str, str] = {}
    kind = values.get("kind") or ""
    if kind not in dict(AGREEMENT_KINDS):
        errors["kind"] = _("Soort afspraak: kies een soort")
    title = _text(values, "title", errors, _("Omschrijving"))
    starts = _date(values, "starts_on", errors, _("Begin"))
    ends = _date(values, "ends_on", errors, _("Einde"))
    if starts and ends and ends < starts:
        errors["ends_on"] = _("Einde ligt vóór het begin")
    targets = {}
    for name, label in (("target_stages", _("Aantal stages")), ("target_jobs", _("Aantal banen"))):
        raw = str(values.get(name) or "0").strip()
        if not raw.isdigit() or int(raw) > 10000:
            errors[name] = _("%(field)s is geen heel getal (0 tot 10000)") % {"field": label}
        targets[name] = int(raw) if raw.isdigit() else 0
    if errors:
        raise FormError(errors)
    return Agreement.objects.create(
        employer=employer,
        kind=kind,
        title=title,
        starts_on=starts,
        ends_on=ends,
        source=_text(values, "source", {}, "", required=False),
        **targets,
    )


def parse_requirements(text: str, *, hard: bool, field: str, errors: dict) -> list[dict]:
    """Lines ``soort: waarde`` (vaardigheid, certificaat, rijbewijs, opleiding, ervaring) -> requirement dicts."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        word, sep, value = line.partition(":")
        kind = REQUIREMENT_WORDS.get(word.strip().lower())
        value = value.strip()
        if not sep or kind is None or not value:
            errors[field] = _(
                "Regel %(n)s: begin met vaardigheid, certificaat, rijbewijs, opleiding of ervaring, dan een dubbele "
                "punt en de eis, bijv. certificaat: VCA"
            ) % {"n": n}
            continue
        if kind == "education" and value not in EDUCATION_ORDER:
            errors[field] = _("Regel %(n)s: opleiding is een van %(levels)s") % {
                "n": n,
                "levels": ", ".join(EDUCATION_ORDER),
            }
            continue
        if kind == "driving_licence":
            value = value.upper()
        out.append({"kind": kind, "value": value[:128], "hard": hard})
    return out


def requirements_text(requirements: list[dict], *, hard: bool) -> str:
    words = {v: k for k, v in REQUIREMENT_WORDS.items()}
    return "\n".join(f"{words[r['kind']]}: {r['value']}" for r in requirements if bool(r.get("hard")) == hard)


def save_vacancy(employer: Employer, user, values, vacancy: Vacancy | None = None) -> Vacancy:
    """Create or change a vacancy (or demand without a vacancy) of ``employer``."""
    errors: dict[str, str] = {}
    kind = values.get("kind") or "vacature"
    if kind not in ("vacature", "vraag"):
        errors["kind"] = _("Soort: vacature of vraag zonder vacature")
    title = _text(values, "title", errors, _("Functie"))
    code = str(values.get("occupation_code") or "").strip()
    if code and isco_problem(code):  # employers2: a unit group of the ISCO-08 structure
        errors["occupation_code"] = _("Beroepscode: vier cijfers van ISCO-08, bijv. 9329 (productiemedewerker)")
    required = str(values.get("occupation_required") or "") in ("1", "on", "true")
    if required and not code:
        errors["occupation_required"] = _("Beroep vereist: vul eerst de beroepscode in")
    hours = _decimal(values, "hours", errors, _("Uren per week"), maximum=Decimal("60"))
    if hours is not None and hours <= 0:
        errors["hours"] = _("Uren per week moet meer dan 0 zijn")
    postcode = _postcode(values, "postcode", errors, _("Postcode werkplek"))
    hard = parse_requirements(values.get("requirements_hard", ""), hard=True, field="requirements_hard", errors=errors)
    soft = parse_requirements(values.get("requirements_soft", ""), hard=False, field="requirements_soft", errors=errors)
    conditions = [
        c for c in (values.getlist("conditions") if hasattr(values, "getlist") else values.get("conditions") or [])
    ]
    if any(c not in CONDITIONS for c in conditions):
        errors["conditions"] = _("Werkomstandigheden: onbekende keuze")
    contract = values.get("contract_type") or ""
    if contract and contract not in CONTRACT_TYPES:
        errors["contract_type"] = _("Soort contract: kies een soort")
    raw_km = str(values.get("max_distance_km") or "").strip()
    if raw_km and (not raw_km.isdigit() or int(raw_km) > 200):
        errors["max_distance_km"] = _("Maximale reisafstand: een heel getal tot 200 km")
    wage = _decimal(values, "wage_per_hour", errors, _("Loon per uur"), required=False, maximum=Decimal("1000"))
    starts = _date(values, "starts_on", errors, _("Startdatum"), required=False)
    if errors:
        raise FormError(errors)
    vacancy = vacancy or Vacancy(employer=employer, created_by=user, opened_on=timezone.localdate())
    vacancy.kind, vacancy.title, vacancy.occupation_code, vacancy.hours = kind, title, code, hours
    vacancy.occupation_required = required
    vacancy.postcode, vacancy.requirements, vacancy.conditions = postcode, hard + soft, sorted(set(conditions))
    vacancy.contract_type, vacancy.wage_per_hour, vacancy.starts_on = contract, wage, starts
    vacancy.max_distance_km = int(raw_km) if raw_km else None
    vacancy.tasks = str(values.get("tasks") or "")[:4000]
    vacancy.save()
    return vacancy


def fill_vacancies(filled: dict[int, dt.date]) -> int:
    """Mark the open vacancies among ``filled`` (vacancy id -> the placement's start) filled on that day; returns
    how many. A vacancy already filled or withdrawn keeps its status and date."""
    n = 0
    for vacancy in Vacancy.objects.filter(pk__in=list(filled), status="open"):
        close_vacancy(vacancy, "vervuld", filled[vacancy.pk])
        n += 1
    return n


def on_step_recorded(sender, event, **_kw) -> None:
    """casework.decisions.step_recorded: a placement for a vacancy fills it, on whatever path the placement came
    (the employers' form, the generic step form, the API, a teammanager's approval of a deviating placement)."""
    vacancy_id = (event.payload or {}).get("vacancy_id") if event.type == "plaatsing" else None
    if vacancy_id:
        fill_vacancies({int(vacancy_id): event.effective_date})


def fill_after_import(sender, municipality, **_kw) -> int:
    """casework's ``imported`` signal: placements in an imported history fill the open vacancies they name (the
    earliest placement's start when several name one)."""
    from regie.casework.models import Event

    filled: dict[int, dt.date] = {}
    rows = Event.objects.filter(municipality=municipality, type="plaatsing").values_list("payload", "effective_date")
    for payload, day in rows:
        vacancy_id = (payload or {}).get("vacancy_id")
        if vacancy_id:
            vid = int(vacancy_id)
            filled[vid] = min(day, filled.get(vid, day))
    return fill_vacancies(filled) if filled else 0


def close_vacancy(vacancy: Vacancy, status: str, on: dt.date | None = None) -> Vacancy:
    if status not in ("vervuld", "ingetrokken"):
        raise FormError({"status": _("Status: vervuld of ingetrokken")})
    vacancy.status, vacancy.closed_on = status, on or timezone.localdate()
    vacancy.save(update_fields=["status", "closed_on"])
    return vacancy


# --- match lists: what was shown is recorded ---------------------------------------------------------------


@transaction.atomic
def record_match_list(
    user, municipality_id: int, result: MatchResult, *, vacancy: Vacancy | None = None, case: Case | None = None
) -> MatchList:
    """Record a ranked list as it was shown (who was shown at which rank) for the creaming check (seed
    000:540-560). ``vacancy`` set: the refs are case ids; ``case`` set: the refs are vacancy ids."""
    ml = MatchList.objects.create(
        municipality_id=municipality_id,
        vacancy=vacancy,
        case=case,
        shown_to=user,
        considered=result.total,
        eligible=result.eligible,
    )
    MatchListEntry.objects.bulk_create(
        [
            MatchListEntry(
                match_list=ml,
                rank=m.rank,
                case_id=int(m.ref) if vacancy is not None else None,
                vacancy_id=int(m.ref) if case is not None else None,
                hard_failed=m.hard_failed,
                score=m.score,
            )
            for m in result.matches
        ]
    )
    return ml


# --- case events (through the decision gate) ---------------------------------------------------------------


def _step(case, user, event_type, payload, *, on=None, expected_version=None, source="web", motivation=""):
    return record_step(
        case,
        user,
        event_type=event_type,
        effective_date=on or timezone.localdate(),
        payload=payload,
        expected_version=expected_version,
        source=source,
        motivation=motivation,
    )


def complete_work_profile(case: Case, user, payload: dict, **kw):
    """The caseworker completes the work profile (hours, travel radius, certificates, occupations, restrictions)."""
    return _step(case, user, "werkprofiel_aanvulling", payload, **kw)


def record_consent(case: Case, user, payload: dict, **kw):
    payload = {"consent_id": new_id("TS"), **payload}
    return _step(case, user, "toestemming_delen", payload, **kw)


def propose(case: Case, user, vacancy: Vacancy, *, match_list_id=None, rank=None, note="", **kw):
    """Propose the client to the vacancy's employer: refused without a recorded consent in force that covers this
    employer and vacancy (AVG art. 6 lid 1 sub a: no personal data leaves the municipality without it)."""
    from .selectors import demand_side

    on = kw.get("on") or timezone.localdate()
    consent = demand_side(case).consent_for(vacancy.employer_id, vacancy.pk, on)
    if consent is None:
        raise EventError(
            [
                (
                    "consent_id",
                    _(
                        "Geen toestemming van de cliënt om gegevens te delen met %(employer)s: leg eerst de "
                        "toestemming vast"
                    )
                    % {"employer": vacancy.employer.name},
                )
            ]
        )
    payload = {
        "vacancy_id": vacancy.pk,
        "employer_id": vacancy.employer_id,
        "consent_id": consent.consent_id,
        "match_list_id": match_list_id,
        "rank": rank,
        "note": note or None,
    }
    return _step(case, user, "match_voorgesteld", {k: v for k, v in payload.items() if v is not None}, **kw)


def record_placement(case: Case, user, payload: dict, **kw):
    """A placement: a decision through the gate (its vacancy is marked filled when the event is recorded:
    :func:`on_step_recorded`). Returns the gate's ``(outcome, event or pending)``."""
    payload = {"placement_id": new_id("PL"), **payload}
    return _step(case, user, "plaatsing", payload, **kw)


def end_placement(case: Case, user, payload: dict, **kw):
    return _step(case, user, "plaatsing_einde", payload, **kw)


def aftercare_contact(case: Case, user, payload: dict, **kw):
    return _step(case, user, "nazorg_contact", payload, **kw)


def refer(case: Case, user, service: SocialService, *, warm: bool, reason: str = "", **kw):
    """A referral to the sociale kaart; its outcome is asked back by a work task for the caseworker, due when the
    stated waiting time plus two weeks has passed (four weeks without a stated wait: assumption)."""
    from regie.worktasks.services import create as create_task

    payload = {
        "referral_id": new_id("VW"),
        "service_id": service.pk,
        "service_name": service.name,
        "warm": warm,
        **({"reason": reason} if reason else {}),
    }
    outcome, event = _step(case, user, "verwijzing", payload, **kw)
    weeks = (service.waiting_weeks or 2) + 2
    create_task(
        user,
        case=case,
        title=_("Uitkomst verwijzing navragen: %(service)s") % {"service": service.name},
        assignee=user,
        due_on=event.effective_date + dt.timedelta(weeks=weeks),
        source="signal",
        source_ref=f"verwijzing:{payload['referral_id']}",
    )
    return outcome, event


def referral_outcome(case: Case, user, payload: dict, **kw):
    return _step(case, user, "verwijzing_uitkomst", payload, **kw)


# --- sociale kaart ------------------------------------------------------------------------------------------


def save_service(user, values, service: SocialService | None = None) -> SocialService:
    errors: dict[str, str] = {}
    kind = values.get("kind") or ""
    if kind not in dict(SERVICE_KINDS):
        errors["kind"] = _("Soort voorziening: kies een soort")
    name = _text(values, "name", errors, _("Naam"))
    raw = str(values.get("waiting_weeks") or "").strip()
    if raw and (not raw.isdigit() or int(raw) > 520):
        errors["waiting_weeks"] = _("Wachttijd: een heel aantal weken")
    if errors:
        raise FormError(errors)
    service = service or SocialService(municipality_id=user.municipality_id)
    service.kind, service.name = kind, name
    service.organisation = _text(values, "organisation", {}, "", required=False)
    service.contact = _text(values, "contact", {}, "", required=False, max_length=300)
    service.conditions = str(values.get("conditions") or "")[:2000]
    service.waiting_weeks = int(raw) if raw else None
    service.save()
    return service


# --- employers2: the employer's account and the loonkostensubsidie in the payment run (Pw art. 10d) ------------


def set_employer_account(employer: Employer, values: dict) -> Employer:
    """The account the employer's loonkostensubsidie is paid to: an IBAN checked with schwifty and the holder."""
    from regie.benefit import sepa

    errors: dict[str, str] = {}
    raw = str(values.get("iban") or "").strip()
    if problem := sepa.iban_problem(raw):
        errors["iban"] = problem
    holder = _text(values, "iban_holder", errors, _("Naam van de rekeninghouder"), max_length=70)
    if errors:
        raise FormError(errors)
    employer.iban, employer.iban_holder = sepa.normal_iban(raw), holder
    employer.save(update_fields=["iban", "iban_holder"])
    return employer


def compute_subsidy_lines(run) -> list[SubsidyLine]:
    """The employer section of a payment run's preview: every month of a loonkostensubsidie placement of the run's
    municipality the run pays (:func:`regie.core.placements.subsidy_payable` over the one derivation
    :func:`selectors.subsidy_rows`), to the employer's account. A line the run cannot pay is kept with its reason
    (no account, no policy: fail closed) and paid by a later run once that is set right. Idempotent: the run's
    previous lines are replaced."""
    from regie.core.benefit.ledger import parse_month
    from regie.core.placements import subsidy_payable
    from regie.core.policy import PolicyUnavailable

    from .selectors import subsidy_rows, subsidy_rules

    SubsidyLine.objects.filter(run=run).delete()
    first = parse_month(run.month)
    muni = run.municipality
    try:
        in_arrears = subsidy_rules(muni.code, first).in_arrears
        rows = subsidy_rows({muni.pk}, _month_end(first))
    except PolicyUnavailable as exc:
        # the placements are listed, unpaid, with the reason
        placed = _subsidised_placements(muni)
        known = set(Employer.objects.filter(pk__in={e for _c, e, _p in placed}).values_list("pk", flat=True))
        lines = [
            SubsidyLine(
                run=run,
                case_id=cid,
                employer_id=eid,
                placement_id=pid,
                month=run.month,
                skipped=exc.message[:300],
            )
            for cid, eid, pid in placed
            if eid in known
        ]
        return SubsidyLine.objects.bulk_create(lines)
    payable = subsidy_payable([m for _c, m in rows], run.month, in_arrears=in_arrears)
    keep = {(m.placement_id, m.month) for m in payable}
    visible = {
        e.pk: e for e in Employer.objects.filter(pk__in={m.employer_id for m in payable}, region__municipalities=muni)
    }
    lines = []
    for cid, m in rows:
        if (m.placement_id, m.month) not in keep:
            continue
        employer = visible.get(m.employer_id)
        if employer is None:  # unknown or outside the municipality's werkgeversservicepunt: nothing is paid
            continue
        skipped = "" if employer.iban else _("geen rekeningnummer van de werkgever vastgelegd")
        lines.append(
            SubsidyLine(
                run=run,
                case_id=cid,
                employer=employer,
                placement_id=m.placement_id,
                month=m.month,
                days=m.days,
                days_in_month=m.days_in_month,
                amount_cents=m.open_cents,
                iban=employer.iban,
                holder=(employer.iban_holder or employer.name)[:70],
                skipped=skipped,
            )
        )
    return SubsidyLine.objects.bulk_create(lines)


def _month_end(first: dt.date) -> dt.date:
    """The last day of the month starting on ``first``."""
    from regie.core.placements import add_months

    return add_months(first, 1) - dt.timedelta(days=1)


def _subsidised_placements(muni) -> list[tuple[int, int, str]]:  # noqa: N802
    from regie.casework.models import Event

    return [
        (cid, p["employer_id"], p["placement_id"])
        for cid, p in Event.objects.filter(
            municipality=muni, type="plaatsing", payload__kind="loonkostensubsidie"
        ).values_list("case_id", "payload")
    ]


def release_subsidy_lines(run, user, on: dt.date) -> list[dict]:
    """On the run's release (its transaction): a ``subsidiebetaling`` event per payable line, and the SEPA payments
    for the run's file. A month paid meanwhile by another run is not paid again (the line says so)."""
    from regie.benefit.sepa import IBAN
    from regie.casework.models import Event
    from regie.casework.services import append_event
    from regie.core.benefit.money import euro

    payments = []
    for line in SubsidyLine.objects.filter(run=run, skipped="").select_related("case", "employer"):
        if Event.objects.filter(
            case=line.case, type="subsidiebetaling", payload__placement_id=line.placement_id, payload__month=line.month
        ).exists():
            line.skipped = _("al betaald in een andere betaalrun")
            line.save(update_fields=["skipped"])
            continue
        append_event(
            line.case,
            type="subsidiebetaling",
            effective_date=on,
            payload={
                "placement_id": line.placement_id,
                "employer_id": line.employer_id,
                "month": line.month,
                "amount": str(euro(line.amount_cents)),
                "days": line.days or None,
                "run": f"run-{run.pk}",
            },
            actor=user,
        )
        payment = {
            "name": line.holder[:70],
            "IBAN": line.iban,
            "amount": int(line.amount_cents),
            "description": f"Loonkostensubsidie {line.month} plaatsing {line.placement_id}"[:140],
            "endtoend_id": f"REGIE-{run.pk}-W{line.pk}"[:35],
        }
        bic = IBAN(line.iban).bic
        if bic is not None:
            payment["BIC"] = str(bic.compact)
        payments.append(payment)
    return payments


def on_run_computed(sender, run, **kwargs) -> None:
    compute_subsidy_lines(run)


def on_run_releasing(sender, run, user, on, **kwargs) -> list[dict]:
    return release_subsidy_lines(run, user, on)
