"""Pages of the employer side: employers (accountmanagers), vacancies with ranked candidates, a case's work page
(work profile, vacancies, consent, proposals, placements, aftercare, referrals), the employer's list (lijstwerk),
the sociale kaart and the monitoring page.

Tenancy: employers and vacancies are the region's; clients are only the user's municipalities'. An accountmanager
(``manage_employers``) sees candidates without names (rank, reasons) and named only in the employer's list, after
the client's consent; caseworkers (``record_events``) see their own municipality's candidates by name and decide.
Every shown list is recorded (services.record_match_list) and every read of client data audited.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.access import allowed, not_found, require_capability
from regie.accounts.tenancy import can
from regie.audit.services import log_request
from regie.casework.decisions import DecisionRefused
from regie.casework.models import Case, CaseState
from regie.casework.services import ConflictError
from regie.casework.views.common import case_or_404
from regie.core.events import EventError
from regie.core.matching import candidates_for, reason_text, vacancies_for
from regie.core.policy import PolicyUnavailable
from regie.platform import labels
from regie.platform.labels import option_labels

from . import selectors, services
from .models import AGREEMENT_KINDS, CONTACT_KINDS, SECTORS, SERVICE_KINDS, Vacancy
from .templatetags.employers_tags import placement_kind_labels

CANDIDATES_SHOWN = 25  # rows of a shown list (assumption: a page a person reads)


def _require_any(request, caps: tuple[str, ...], object_type: str, object_id="") -> None:
    """Pass when the user has one of ``caps``; otherwise the audited denial of the first."""
    if any(can(request.user, c) for c in caps):
        return
    if not allowed(request, caps[0], object_type, object_id):
        raise PermissionDenied


def _field_errors(exc: EventError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, message in exc.errors:
        name = field.removeprefix("payload.").split(".")[0] if field.startswith("payload.") else "form"
        errors[name] = f"{errors[name]} {message}" if name in errors else str(message)
    return errors


def _gate_errors(exc) -> dict[str, str]:
    if isinstance(exc, EventError):
        return _field_errors(exc)
    if isinstance(exc, ConflictError):
        return {
            "form": _(
                "Iemand anders heeft dit dossier intussen gewijzigd. Uw invoer staat er nog; controleer en sla "
                "opnieuw op."
            )
        }
    if isinstance(exc, PolicyUnavailable):
        return {"form": exc.message}
    return {"form": str(getattr(exc, "message", exc))}


def _reasons(match) -> list[dict]:
    return [{"text": reason_text(_labelled(r), _, _distance), "ok": r.ok, "hard": r.hard} for r in match.reasons]


def _distance(km) -> str:
    """A distance in km in the reader's language: one decimal where it has one ("2,5"; "2.5" in English)."""
    value = float(km)
    return labels.number(int(value)) if value.is_integer() else labels.number(value, 1)


def _labelled(reason):
    """The policy line names the route by its label ("Work First"), not by its key (``work_first``)."""
    if reason.key != "policy" or not reason.p.get("route"):
        return reason
    from dataclasses import replace

    from regie.platform.labels import option_label

    params = tuple((k, option_label("route", v) if k == "route" else v) for k, v in reason.params)
    return replace(reason, params=params)


# --- employers ------------------------------------------------------------------------------------------------


@login_required
def index(request):
    require_capability(request, "manage_employers", "employer")
    errors: dict[str, str] = {}
    values: dict = {}
    if request.method == "POST":
        values = request.POST.dict()
        try:
            employer = services.create_employer(request.user, values)
        except services.FormError as exc:
            errors = exc.errors
        else:
            log_request(request, "create", "employer", employer.pk, municipality_id=request.user.municipality_id)
            messages.success(request, _("Werkgever vastgelegd: %(name)s") % {"name": employer.name})
            return redirect("employers:employer", employer.pk)
    q = request.GET.get("q", "").strip()
    employers = selectors.employers_for(request.user)
    if q:
        employers = employers.filter(name__icontains=q) | employers.filter(kvk_number=q)
    return render(
        request,
        "employers/index.html",
        {
            "employers": employers[:200],
            "regions": selectors.regions_for(request.user),
            "sectors": SECTORS,
            "errors": errors,
            "values": values,
            "q": q,
        },
    )


@login_required
def employer(request, pk: int):
    require_capability(request, "manage_employers", "employer", pk)
    try:
        emp = selectors.employer_for(request.user, pk)
    except Http404:
        raise not_found(request, "employer", pk) from None
    errors: dict[str, str] = {}
    form = ""
    values: dict = {}
    if request.method == "POST":
        form, values = request.POST.get("form", ""), request.POST.dict()
        actions = {
            "location": lambda: services.add_location(emp, values),
            "contact": lambda: services.add_contact(emp, values),
            "moment": lambda: services.add_contact_moment(emp, request.user, values),
            "agreement": lambda: services.add_agreement(emp, values),
            "account": lambda: services.set_employer_account(emp, values),  # employers2
        }
        if form not in actions:
            raise Http404
        try:
            actions[form]()
        except services.FormError as exc:
            errors = exc.errors
        else:
            log_request(
                request,
                "update",
                "employer",
                emp.pk,
                municipality_id=request.user.municipality_id,
                detail=f"form {form}",
            )
            messages.success(request, _("Vastgelegd."))
            return redirect("employers:employer", emp.pk)
    mids = selectors.municipality_ids(request.user)
    agreements = [{"agreement": a, **selectors.agreement_fulfilment(a, mids)} for a in emp.agreements.all()]
    subsidy = _employer_subsidy(request, emp, mids)  # employers2
    return render(
        request,
        "employers/employer.html",
        {
            "employer": emp,
            "agreements": agreements,
            "vacancies": emp.vacancies.all(),
            "moments": emp.contact_moments.select_related("accountmanager")[:50],
            "contact_kinds": CONTACT_KINDS,
            "agreement_kinds": AGREEMENT_KINDS,
            "errors": errors,
            "form": form,
            "values": values,
            "today": timezone.localdate(),
            "subsidy": subsidy,
        },
    )


def _employer_subsidy(request, emp, mids) -> dict:
    """employers2: the loonkostensubsidie of the user's municipalities' placements at the employer, per placement
    (due up to this month and paid), from the one derivation; the read of case numbers is audited."""
    try:
        rows = selectors.subsidy_rows(mids, timezone.localdate(), employer_id=emp.pk)
    except PolicyUnavailable as exc:
        return {"problem": exc.message, "placements": [], "total": None}
    by: dict[str, dict] = {}
    cases = dict(Case.objects.filter(pk__in={c for c, _m in rows}).values_list("pk", "external_id"))
    for cid, m in rows:
        p = by.setdefault(
            m.placement_id,
            {
                "placement_id": m.placement_id,
                "case": cases.get(cid),
                "first": None,
                "last": None,
                "months": 0,
                "due": 0,
                "paid": 0,
                "recover": 0,
            },
        )
        if m.days:  # the subsidy's own months; a month paid and no longer due only adds to what is to recover
            p["first"], p["last"], p["months"] = p["first"] or m.month, m.month, p["months"] + 1
        p["due"] += m.due_cents
        p["paid"] += m.paid_cents
        p["recover"] += m.recover_cents
    if rows:
        log_request(
            request, "read", "subsidy_ledger", emp.pk, municipality_id=request.user.municipality_id, detail="employer"
        )
    return {"problem": None, "placements": list(by.values()), "total": selectors.subsidy_summary(rows)}


@login_required
def vacancy_edit(request, employer_pk: int, pk: int | None = None):
    require_capability(request, "manage_employers", "vacancy", pk or "")
    try:
        emp = selectors.employer_for(request.user, employer_pk)
        vacancy = selectors.vacancy_for(request.user, pk) if pk else None
    except Http404:
        raise not_found(request, "vacancy", pk or employer_pk) from None
    if vacancy is not None and vacancy.employer_id != emp.pk:
        raise not_found(request, "vacancy", pk)
    errors: dict[str, str] = {}
    if vacancy is not None:
        values = {
            "kind": vacancy.kind,
            "title": vacancy.title,
            "occupation_code": vacancy.occupation_code,
            "occupation_required": vacancy.occupation_required,
            "hours": vacancy.hours,
            "postcode": vacancy.postcode,
            "requirements_hard": services.requirements_text(vacancy.requirements, hard=True),
            "requirements_soft": services.requirements_text(vacancy.requirements, hard=False),
            "contract_type": vacancy.contract_type,
            "max_distance_km": vacancy.max_distance_km or "",
            "wage_per_hour": vacancy.wage_per_hour or "",
            "starts_on": vacancy.starts_on.isoformat() if vacancy.starts_on else "",
            "tasks": vacancy.tasks,
        }
        chosen = list(vacancy.conditions)
    else:
        values = {"kind": request.GET.get("soort", "vacature")}
        chosen = []
        first = emp.locations.first()
        if first:
            values["postcode"] = first.postcode
    if request.method == "POST":
        values, chosen = request.POST.dict(), request.POST.getlist("conditions")
        try:
            vacancy = services.save_vacancy(emp, request.user, request.POST, vacancy)
        except services.FormError as exc:
            errors = exc.errors
        else:
            log_request(request, "update", "vacancy", vacancy.pk, municipality_id=request.user.municipality_id)
            messages.success(request, _("Vacature opgeslagen: %(title)s") % {"title": vacancy.title})
            return redirect("employers:vacancy", vacancy.pk)
    return render(
        request,
        "employers/vacancy_form.html",
        {
            "employer": emp,
            "vacancy": vacancy,
            "values": values,
            "chosen": chosen,
            "errors": errors,
            "conditions": option_labels("conditions", "vacancy").items(),
            "contract_types": option_labels("contract_type", "vacancy").items(),
            "levels": option_labels("education_level").items(),
        },
    )


@login_required
def vacancy(request, pk: int):
    """A vacancy with its ranked candidates from the user's municipality: named for caseworkers (who propose),
    without names for accountmanagers. The list shown is recorded."""
    _require_any(request, ("manage_employers", "record_events"), "vacancy", pk)
    try:
        v = selectors.vacancy_for(request.user, pk)
    except Http404:
        raise not_found(request, "vacancy", pk) from None
    if request.method == "POST" and request.POST.get("status") and can(request.user, "manage_employers"):
        try:
            services.close_vacancy(v, request.POST["status"])
        except services.FormError as exc:
            messages.error(request, exc.errors["status"])
        return redirect("employers:vacancy", v.pk)
    municipality = request.user.municipality
    named = can(request.user, "record_events")
    rows, ml, error = [], None, None
    if municipality is None:
        error = _("U hoort bij geen gemeente: kandidaten zijn per gemeente.")
    else:
        try:
            table = selectors.caseload_table(municipality)
        except PolicyUnavailable as exc:
            error = exc.message
        else:
            result = candidates_for(table, selectors.core_vacancy(v), limit=CANDIDATES_SHOWN)
            ml = services.record_match_list(request.user, municipality.pk, result, vacancy=v)
            cases = {
                c.pk: c
                for c in Case.objects.filter(pk__in=[int(m.ref) for m in result.matches]).select_related("client")
            }
            proposed = set(
                selectors.Event.objects.filter(
                    case_id__in=cases, type="match_voorgesteld", payload__vacancy_id=v.pk
                ).values_list("case_id", flat=True)
            )
            for m in result.matches:
                case = cases[int(m.ref)]
                rows.append(
                    {
                        "match": m,
                        "case": case if named else None,
                        "reasons": _reasons(m),
                        "proposed": case.pk in proposed,
                    }
                )
            log_request(
                request,
                "read",
                "match_list",
                ml.pk,
                municipality_id=municipality.pk,
                detail=f"candidates for vacancy {v.pk}: {len(rows)} shown{' named' if named else ' without names'}",
            )
            considered, eligible = result.total, result.eligible
    return render(
        request,
        "employers/vacancy.html",
        {
            "vacancy": v,
            "rows": rows,
            "match_list": ml,
            "named": named,
            "error": error,
            "considered": locals().get("considered"),
            "eligible": locals().get("eligible"),
            "conditions": option_labels("conditions", "vacancy"),
            "levels": option_labels("education_level"),
            "kinds": option_labels("requirement_kind", "vacancy"),
            "can_manage": can(request.user, "manage_employers"),
        },
    )


@login_required
def employer_list(request, pk: int):
    """The employer's list (lijstwerk): the candidates proposed to it whose consent is in force, with only the data
    they agreed to share."""
    require_capability(request, "manage_employers", "employer", pk)
    try:
        emp = selectors.employer_for(request.user, pk)
    except Http404:
        raise not_found(request, "employer", pk) from None
    rows = selectors.proposed_to_employer(request.user, emp)
    for r in rows:
        log_request(
            request,
            "read",
            "case",
            r["case"].external_id,
            municipality_id=r["case"].municipality_id,
            detail=f"lijstwerk for employer {emp.pk} (consent {r['consent'].consent_id})",
        )
    return render(
        request,
        "employers/employer_list.html",
        {
            "employer": emp,
            "rows": rows,
            "conditions": option_labels("conditions", "vacancy"),
            "levels": option_labels("education_level"),
        },
    )


# --- a case's work page ---------------------------------------------------------------------------------------


def _parse_case_form(form: str, post, errors: dict) -> dict:
    """The payload of one of the case forms from the POST (types are checked again by the event schema)."""

    def num(name, cast=float):
        raw = (post.get(name) or "").strip().replace(",", ".")
        if not raw:
            return None
        try:
            return cast(raw)
        except ValueError:
            errors[name] = _("%(field)s is geen getal") % {"field": name}
            return None

    def lines(name):
        return [x.strip() for x in (post.get(name) or "").replace(",", "\n").splitlines() if x.strip()]

    if form == "profile":
        return {
            "hours_available": num("hours_available"),
            "travel_radius_km": num("travel_radius_km"),
            "certificates": lines("certificates"),
            "occupations": lines("occupations"),
            "occupation_codes": [  # employers2: "9329 Productiemedewerker", one per line
                {"code": line.split(None, 1)[0], "label": (line.split(None, 1) + [""])[1].strip()}
                for line in (post.get("occupation_codes") or "").splitlines()
                if line.strip()
            ],
            "restrictions": post.getlist("restrictions"),
            "note": post.get("note") or None,
        }
    if form == "consent":
        return {
            "granted": post.get("granted", "1") == "1",
            "employer_id": num("employer_id", int),
            "vacancy_id": num("vacancy_id", int),
            "data": post.getlist("data"),
            "until": post.get("until") or None,
            "how": post.get("how") or "schriftelijk",
        }
    if form == "placement":
        return {
            "kind": post.get("kind") or "",
            "employer_id": num("employer_id", int),
            "vacancy_id": num("vacancy_id", int),
            "planned_end": post.get("planned_end") or None,
            "hours": num("hours"),
            "wage_per_hour": (post.get("wage_per_hour") or "").replace(",", ".") or None,
            "loonwaarde_pct": num("loonwaarde_pct", int),
            "subsidy_per_month": (post.get("subsidy_per_month") or "").replace(",", ".") or None,
            "subsidy_months": num("subsidy_months", int),
        }
    if form == "placement_end":
        return {
            "placement_id": post.get("placement_id") or "",
            "reason": post.get("reason") or "",
            "evaluation": post.get("evaluation") or None,
        }
    if form == "aftercare":
        return {
            "placement_id": post.get("placement_id") or "",
            "still_working": post.get("still_working") == "1",
            "milestone": num("milestone", int),
            "summary": post.get("summary") or None,
        }
    if form == "outcome":
        return {
            "referral_id": post.get("referral_id") or "",
            "outcome": post.get("outcome") or "",
            "waited_days": num("waited_days", int),
            "note": post.get("note") or None,
        }
    return {}


def _effective(post, errors) -> dt.date:
    raw = (post.get("effective_date") or "").strip()
    if not raw:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors["effective_date"] = _("Ingangsdatum is geen geldige datum (JJJJ-MM-DD)")
        return timezone.localdate()


@login_required
def case_work(request, case_id: int):
    """Work and the local network for one case: the work profile (completed here), vacancies ranked for the client
    (recorded), consent, proposals, placements with aftercare, and referrals to the sociale kaart."""
    require_capability(request, "view_clients", "case", case_id)
    case = case_or_404(request, case_id)
    may_record = can(request.user, "record_events")
    errors: dict[str, str] = {}
    form, values = "", {}
    if request.method == "POST":
        if not may_record:
            require_capability(request, "record_events", "case", case_id)
        form, values = request.POST.get("form", ""), request.POST.dict()
        on = _effective(request.POST, errors)
        try:
            expected = int(request.POST.get("expected_version", ""))
        except ValueError:
            expected = None
        payload = _parse_case_form(form, request.POST, errors)
        kw = {"on": on, "expected_version": expected}
        if not errors:
            try:
                if form == "profile":
                    services.complete_work_profile(case, request.user, payload, **kw)
                elif form == "consent":
                    services.record_consent(
                        case, request.user, {k: v for k, v in payload.items() if v is not None}, **kw
                    )
                elif form == "propose":
                    v = selectors.vacancy_for(request.user, int(request.POST.get("vacancy_id") or 0))
                    ml = request.POST.get("match_list_id")
                    services.propose(
                        case,
                        request.user,
                        v,
                        match_list_id=int(ml) if ml and ml.isdigit() else None,
                        rank=int(request.POST["rank"]) if request.POST.get("rank", "").isdigit() else None,
                        note=request.POST.get("note", ""),
                        **kw,
                    )
                elif form == "placement":
                    emp = (
                        selectors.employer_for(request.user, payload["employer_id"]) if payload["employer_id"] else None
                    )
                    if emp is None:
                        raise EventError([("payload.employer_id", _("Werkgever is verplicht"))])
                    payload["employer_name"] = emp.name
                    outcome, _obj = services.record_placement(
                        case,
                        request.user,
                        {k: v for k, v in payload.items() if v is not None},
                        motivation=request.POST.get("motivation", ""),
                        **kw,
                    )
                    if outcome == "pending":
                        messages.info(request, _("De plaatsing wacht op akkoord van de teammanager."))
                elif form == "placement_end":
                    services.end_placement(case, request.user, {k: v for k, v in payload.items() if v}, **kw)
                elif form == "aftercare":
                    services.aftercare_contact(
                        case, request.user, {k: v for k, v in payload.items() if v is not None}, **kw
                    )
                elif form == "refer":
                    service = (
                        selectors.services_for(request.user).filter(pk=request.POST.get("service_id") or 0).first()
                    )
                    if service is None:
                        raise EventError([("payload.service_id", _("Voorziening: kies een voorziening"))])
                    services.refer(
                        case, request.user, service, warm=request.POST.get("warm") == "1",
                        reason=request.POST.get("reason", ""), **kw,
                    )  # fmt: skip
                elif form == "outcome":
                    services.referral_outcome(
                        case, request.user, {k: v for k, v in payload.items() if v is not None}, **kw
                    )
                else:
                    raise Http404
            except Http404:
                raise not_found(request, "vacancy", request.POST.get("vacancy_id", "")) from None
            except (EventError, ConflictError, DecisionRefused, PolicyUnavailable) as exc:
                errors = _gate_errors(exc)
            else:
                log_request(
                    request,
                    "update",
                    "case",
                    case.external_id,
                    municipality_id=case.municipality_id,
                    detail=f"form {form}",
                )
                messages.success(request, _("Vastgelegd."))
                return redirect("employers:case_work", case.pk)
    log_request(request, "read", "case", case.external_id, municipality_id=case.municipality_id, detail="work page")
    context = {"case": case, "client": case.client, "errors": errors, "form": form, "values": values}
    context["again"] = f"{form}:{values.get('placement_id', '')}"  # the placement whose form was refused
    try:
        profile = selectors.work_profile(case)
        aftercare = selectors.aftercare_for(case)
    except PolicyUnavailable as exc:
        profile, aftercare = None, []
        context["policy_error"] = exc.message
    ds = selectors.demand_side(case)
    rows, ml = [], None
    if profile is not None:
        result = vacancies_for(selectors.open_vacancy_table(request.user), profile, limit=CANDIDATES_SHOWN)
        ml = services.record_match_list(request.user, case.municipality_id, result, case=case)
        by_pk = {
            str(v.pk): v
            for v in selectors.vacancies_for_user(request.user).filter(pk__in=[m.ref for m in result.matches])
        }
        proposed = {p["vacancy_id"] for p in ds.proposals}
        today = timezone.localdate()
        for m in result.matches:
            v = by_pk[m.ref]
            rows.append(
                {
                    "match": m,
                    "vacancy": v,
                    "reasons": _reasons(m),
                    "proposed": v.pk in proposed,
                    "consent": ds.consent_for(v.employer_id, v.pk, today) is not None,
                }
            )
    state = CaseState.objects.filter(case=case).first()
    context.update(
        {
            "profile": profile,
            "aftercare": aftercare,
            "demand": ds,
            "rows": rows,
            "match_list": ml,
            "may_record": may_record,
            "version": state.version if state else 0,
            "employers": selectors.employers_for(request.user),
            "services": selectors.services_for(request.user).filter(active=True),
            "conditions": option_labels("restrictions", "werkprofiel_aanvulling").items(),
            "condition_labels": option_labels("restrictions", "werkprofiel_aanvulling"),
            "consent_data": option_labels("data", "toestemming_delen").items(),
            "consent_labels": option_labels("data", "toestemming_delen"),
            "employer_names": dict(selectors.employers_for(request.user).values_list("pk", "name")),
            "placement_kinds": placement_kind_labels().items(),
            "placement_labels": placement_kind_labels(),
            "end_reasons": option_labels("reason", "plaatsing_einde").items(),
            "referral_outcomes": option_labels("outcome", "verwijzing_uitkomst").items(),
            "outcome_labels": option_labels("outcome", "verwijzing_uitkomst"),
            "levels": option_labels("education_level"),
            "today": timezone.localdate(),
        }
    )
    return render(request, "employers/case_work.html", context)


# --- sociale kaart ------------------------------------------------------------------------------------------


@login_required
def social_map(request):
    _require_any(request, ("record_events", "manage_employers", "manage_providers"), "social_service")
    errors: dict[str, str] = {}
    values: dict = {}
    editable = can(request.user, "manage_providers")
    if request.method == "POST":
        require_capability(request, "manage_providers", "social_service")
        values = request.POST.dict()
        try:
            service = services.save_service(request.user, values)
        except services.FormError as exc:
            errors = exc.errors
        else:
            log_request(request, "create", "social_service", service.pk, municipality_id=request.user.municipality_id)
            messages.success(request, _("Voorziening vastgelegd: %(name)s") % {"name": service.name})
            return redirect("employers:social_map")
    return render(
        request,
        "employers/social_map.html",
        {
            "services": selectors.services_for(request.user),
            "kinds": SERVICE_KINDS,
            "editable": editable,
            "errors": errors,
            "values": values,
        },
    )


# --- monitoring -----------------------------------------------------------------------------------------------


@login_required
def monitoring(request):
    _require_any(request, ("view_aggregates", "manage_employers"), "employer_monitoring")
    log_request(request, "read", "employer_monitoring", "", municipality_id=request.user.municipality_id)
    data = selectors.monitoring(request.user)
    return render(
        request,
        "employers/monitoring.html",
        {"m": data, "kind_labels": placement_kind_labels(), "vacancy_open": Vacancy.objects.none()},
    )
