"""Pages of the benefit app: the income form and the bank account of a case, the payment runs (preview, four-eyes
release, the SEPA file). Every page audited; another municipality's case or run answers 404 (audited)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.access import not_found, require_capability
from regie.accounts.tenancy import can
from regie.audit.services import log_request
from regie.casework import steps
from regie.casework.decisions import DecisionRefused
from regie.casework.models import CaseState
from regie.casework.services import ConflictError
from regie.casework.validation import localise
from regie.casework.views.common import case_or_404
from regie.core.events import EventError

from . import selectors, sepa, services


def _errors(exc: EventError) -> dict[str, str]:
    return {f.removeprefix("payload."): str(m) for f, m in localise(exc).errors}


@login_required
def income(request, case_id: int):
    """The inkomstenformulier of one month: income from work and other income (through the decision gate)."""
    require_capability(request, "record_events", "case", case_id)
    case = case_or_404(request, case_id)
    state = CaseState.objects.filter(case=case).first()
    values = request.POST.dict() if request.method == "POST" else {"month": services.current_month()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            on = dt.date.fromisoformat(values.get("effective_date") or dt.date.today().isoformat())
        except ValueError:
            errors["effective_date"] = _("Datum is geen geldige datum (JJJJ-MM-DD)")
            on = None
        payload = {
            k: values[k].strip() for k in ("month", "work_income", "other_income", "reported_by") if values.get(k)
        }
        for k in ("work_income", "other_income"):
            if k in payload:
                payload[k] = payload[k].replace(",", ".")
        if values.get("vrijlating") in ("true", "false"):
            payload["vrijlating"] = values["vrijlating"] == "true"
        if on is not None:
            try:
                services.record_income(
                    case,
                    request.user,
                    effective_date=on,
                    payload=payload,
                    expected_version=int(values["expected_version"]) if values.get("expected_version") else None,
                )
                log_request(
                    request,
                    "write",
                    "case",
                    case.external_id,
                    municipality_id=case.municipality_id,
                    detail=f"inkomstenopgave {payload.get('month')}",
                )
                messages.success(request, _("Inkomstenopgave vastgelegd."))
                return redirect(reverse("client_detail", args=[case.client_id]))
            except EventError as exc:
                errors = _errors(exc)
            except ConflictError:
                errors["expected_version"] = _("Het dossier is intussen gewijzigd; controleer en verstuur opnieuw.")
            except DecisionRefused as exc:
                errors["general"] = exc.message
    log_request(request, "read", "case", case.external_id, municipality_id=case.municipality_id, detail="income form")
    return render(
        request,
        "benefit/income.html",
        {
            "case": case,
            "values": values,
            "errors": errors,
            "version": state.version if state else 0,
            "labels": steps.FIELD_LABELS,
            "today": dt.date.today(),
        },
        status=400 if errors else 200,
    )


@login_required
def bank_account(request, case_id: int):
    require_capability(request, "record_events", "case", case_id)
    case = case_or_404(request, case_id)
    values = request.POST.dict() if request.method == "POST" else {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.set_bank_account(case.client, request.user, values.get("iban", ""), values.get("holder", ""))
            log_request(
                request,
                "write",
                "client",
                case.client.external_id,
                municipality_id=case.municipality_id,
                detail="bank account",
            )
            messages.success(request, _("Rekeningnummer vastgelegd."))
            return redirect(reverse("client_detail", args=[case.client_id]))
        except EventError as exc:
            errors = {f: str(m) for f, m in exc.errors}
    log_request(
        request,
        "read",
        "client",
        case.client.external_id,
        municipality_id=case.municipality_id,
        detail="bank account form",
    )
    return render(
        request,
        "benefit/bank_account.html",
        {"case": case, "values": values, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
def runs(request):
    require_capability(request, "manage_payments", "payment_run")
    errors: dict[str, str] = {}
    values = request.POST.dict() if request.method == "POST" else {"month": services.current_month()}
    if request.method == "POST":
        muni = request.user.municipality
        if muni is None:
            errors["month"] = _("Uw account hoort niet bij één gemeente.")
        else:
            try:
                run = services.request_run(muni, request.user, values.get("month", "").strip())
                log_request(
                    request, "write", "payment_run", run.pk, municipality_id=muni.pk, detail=f"month {run.month}"
                )
                return redirect("benefit:run", run.pk)
            except EventError as exc:
                errors = {f: str(m) for f, m in exc.errors}
    rows = selectors.runs_for(request.user)[:50]
    log_request(request, "read", "payment_run", municipality_id=request.user.municipality_id, detail="list")
    return render(
        request, "benefit/runs.html", {"runs": rows, "values": values, "errors": errors}, status=400 if errors else 200
    )


def _run_or_404(request, run_id: int):
    run = selectors.run_for(request.user, run_id)
    if run is None:
        raise not_found(request, "payment_run", run_id)
    return run


@login_required
def run(request, run_id: int):
    require_capability(request, "manage_payments", "payment_run", run_id)
    r = _run_or_404(request, run_id)
    log_request(request, "read", "payment_run", r.pk, municipality_id=r.municipality_id, detail=f"{r.month} preview")
    return render(
        request,
        "benefit/run.html",
        {
            "run": r,
            "lines": r.lines.select_related("case", "case__client"),
            "refusal": services.may_release(request.user, r),
            "can_release": can(request.user, "release_payments"),
        },
    )


@login_required
@require_POST
def release(request, run_id: int):
    require_capability(request, "release_payments", "payment_run", run_id)
    r = _run_or_404(request, run_id)
    try:
        services.release_run(r, request.user)
    except DecisionRefused as exc:
        log_request(
            request,
            "release",
            "payment_run",
            r.pk,
            result="denied",
            municipality_id=r.municipality_id,
            detail=f"refused {exc.rule}",
        )
        messages.error(request, exc.message)
        return redirect("benefit:run", r.pk)
    except services.NothingToRelease as exc:
        log_request(
            request, "release", "payment_run", r.pk, result="error", municipality_id=r.municipality_id, detail="empty"
        )
        messages.error(request, exc.message)
        return redirect("benefit:run", r.pk)
    except sepa.PaymentSetupMissing as exc:
        log_request(
            request,
            "release",
            "payment_run",
            r.pk,
            result="error",
            municipality_id=r.municipality_id,
            detail="debtor account missing",
        )
        messages.error(request, exc.message)
        return redirect("benefit:run", r.pk)
    log_request(
        request,
        "release",
        "payment_run",
        r.pk,
        municipality_id=r.municipality_id,
        detail=f"{r.month}: {r.count} payments",
    )
    messages.success(request, _("Betaalrun vrijgegeven; het SEPA-bestand staat klaar."))
    return redirect("benefit:run", r.pk)


@login_required
def sepa_file(request, run_id: int):
    require_capability(request, "manage_payments", "payment_run", run_id)
    r = _run_or_404(request, run_id)
    if r.status != "released":
        raise not_found(request, "payment_run", run_id, detail="not released")
    log_request(request, "export", "payment_run", r.pk, municipality_id=r.municipality_id, detail="SEPA pain.001")
    response = HttpResponse(r.sepa_xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="betaalrun-{r.municipality.code}-{r.month}.xml"'
    return response
