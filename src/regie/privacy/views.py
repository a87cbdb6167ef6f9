"""Pages of the privacy app: inzage- and rectification requests (``handle_privacy_requests``) and the register of
legal grounds (``view_audit``: the functioneel beheerder and the auditor, who acts for the FG).

Every page and download is audited; another municipality's request or client answers 404, audited as denied.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.access import not_found, require_capability
from regie.accounts.tenancy import can
from regie.audit.services import log_request
from regie.audit.services import origin_of as log_origin

from . import documents, grounds, selectors, services
from .models import CHANNELS, CORRECTABLE, FROM_BRP, OTHER, RELATIONS

CAP = "handle_privacy_requests"


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except (AttributeError, ValueError):
        return None


def _access_or_404(request, request_id: int):
    req = selectors.access_request(request.user, request_id)
    if req is None:
        raise not_found(request, "access_request", request_id)
    return req


def _rect_or_404(request, request_id: int):
    req = selectors.rectification_request(request.user, request_id)
    if req is None:
        raise not_found(request, "rectification_request", request_id)
    return req


@login_required
def index(request):
    require_capability(request, CAP, "access_request")
    access, rect = selectors.requests_for(request.user)
    log_request(
        request,
        "read",
        "access_request",
        municipality_id=request.user.municipality_id,
        detail=f"list {access.count()} + {rect.count()}",
    )
    return render(
        request,
        "privacy/index.html",
        {
            "access": access[:200],
            "rect": rect[:200],
            "relations": RELATIONS,
            "channels": CHANNELS,
            "fields": list(CORRECTABLE.items()) + [(OTHER, _("Anders (gebeurtenis, notitie; toelichting)"))],
            "today": dt.date.today(),
            "can_register": can(request.user, "view_audit"),
        },
    )


def _client_from_form(request):
    external_id = request.POST.get("client", "").strip()
    client = selectors.client_by_external_id(request.user, external_id) if external_id else None
    if client is None:
        log_request(
            request,
            "read",
            "client",
            external_id[:64],
            result="denied",
            municipality_id=request.user.municipality_id,
            detail="privacy request: no such client",
        )
    return client


@login_required
@require_POST
def access_new(request):
    require_capability(request, CAP, "access_request")
    client = _client_from_form(request)
    if client is None:
        messages.error(request, _("Geen cliënt met dit nummer in uw gemeente."))
        return redirect("privacy:index")
    try:
        req = services.record_access_request(
            client,
            requested_by=request.POST.get("requested_by", ""),
            received_on=_date(request.POST.get("received_on", "")),
            relation=request.POST.get("relation", "betrokkene"),
            channel=request.POST.get("channel", "balie"),
            user=request.user,
            origin=log_origin(request),
        )
    except services.PrivacyError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:index")
    messages.success(
        request,
        _("Inzageverzoek vastgelegd; uiterlijk %(date)s beantwoorden.") % {"date": f"{req.due_on:%d-%m-%Y}"},
    )
    return redirect("privacy:access", req.pk)


@login_required
def access_detail(request, request_id: int):
    require_capability(request, CAP, "access_request", request_id)
    req = _access_or_404(request, request_id)
    log_request(request, "read", "access_request", req.pk, municipality_id=req.municipality_id)
    return render(request, "privacy/access_request.html", {"req": req, "client": req.client, "today": dt.date.today()})


@login_required
@require_POST
def access_action(request, request_id: int, action: str):
    """verify (identity), extend (the term, with a reason) or provided (handed over)."""
    require_capability(request, CAP, "access_request", request_id)
    req = _access_or_404(request, request_id)
    try:
        if action == "verify":
            services.verify_identity(
                req, method=request.POST.get("identity_method", ""), user=request.user, origin=log_origin(request)
            )
        elif action == "extend":
            services.extend(req, reason=request.POST.get("reason", ""), user=request.user, origin=log_origin(request))
        elif action == "provided":
            services.mark_provided(req, user=request.user, origin=log_origin(request))
        else:
            raise Http404
    except services.PrivacyError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Vastgelegd."))
    return redirect("privacy:access", req.pk)


@login_required
def access_download(request, request_id: int, fmt: str):
    """The person's file as PDF or JSON; only after the requester's identity was verified; audited."""
    require_capability(request, CAP, "access_request", request_id)
    req = _access_or_404(request, request_id)
    if fmt not in ("pdf", "json"):
        raise Http404
    try:
        services.require_verified(req)
    except services.PrivacyError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:access", req.pk)
    pf = selectors.person_file(req.client)
    if fmt == "pdf":
        body, ctype = documents.render_pdf(pf, request=req), "application/pdf"
    else:
        body, ctype = documents.render_json(pf, request=req), "application/json"
    log_request(
        request,
        "export",
        "client",
        req.client.external_id,
        municipality_id=req.municipality_id,
        detail=f"inzage {fmt} request {req.pk}",
    )
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="inzage-{req.pk}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def rectification_new(request):
    require_capability(request, CAP, "rectification_request")
    client = _client_from_form(request)
    if client is None:
        messages.error(request, _("Geen cliënt met dit nummer in uw gemeente."))
        return redirect("privacy:index")
    try:
        req = services.record_rectification(
            client,
            requested_by=request.POST.get("requested_by", ""),
            received_on=_date(request.POST.get("received_on", "")),
            field=request.POST.get("field", ""),
            statement=request.POST.get("statement", ""),
            requested_value=request.POST.get("requested_value", ""),
            relation=request.POST.get("relation", "betrokkene"),
            channel=request.POST.get("channel", "balie"),
            user=request.user,
            origin=log_origin(request),
        )
    except services.PrivacyError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:index")
    messages.success(
        request,
        _("Verzoek om correctie vastgelegd; uiterlijk %(date)s beslissen.") % {"date": f"{req.due_on:%d-%m-%Y}"},
    )
    return redirect("privacy:rectification", req.pk)


@login_required
def rectification_detail(request, request_id: int):
    require_capability(request, CAP, "rectification_request", request_id)
    req = _rect_or_404(request, request_id)
    log_request(request, "read", "rectification_request", req.pk, municipality_id=req.municipality_id)
    current = services.current_value(req.client, req.field) if req.field in CORRECTABLE else None
    return render(
        request,
        "privacy/rectification.html",
        {
            "req": req,
            "client": req.client,
            "current": current,
            "from_brp": req.field in FROM_BRP,
            "correctable": req.field in CORRECTABLE,
            "today": dt.date.today(),
        },
    )


@login_required
@require_POST
def rectification_action(request, request_id: int, action: str):
    """decide (granted/refused with a reason; a granted client field is corrected) or extend (the term)."""
    require_capability(request, CAP, "rectification_request", request_id)
    req = _rect_or_404(request, request_id)
    try:
        if action == "decide":
            decision = request.POST.get("decision", "")
            if decision not in ("granted", "refused"):
                raise services.PrivacyError("Kies toewijzen of afwijzen.", "decision")
            services.decide_rectification(
                req,
                granted=decision == "granted",
                reason=request.POST.get("reason", ""),
                new_value=request.POST.get("new_value", ""),
                user=request.user,
                origin=log_origin(request),
            )
        elif action == "extend":
            services.extend(req, reason=request.POST.get("reason", ""), user=request.user, origin=log_origin(request))
        else:
            raise Http404
    except services.PrivacyError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Vastgelegd."))
    return redirect("privacy:rectification", req.pk)


@login_required
def register(request):
    """The register of legal grounds per data category (no personal data): functioneel beheerder and auditor/FG."""
    require_capability(request, "view_audit", "privacy_register")
    log_request(request, "read", "privacy_register", municipality_id=request.user.municipality_id)
    if request.GET.get("format") == "md":
        response = HttpResponse(grounds.as_markdown(), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="grondslagen.md"'
        return response
    return render(request, "privacy/grounds.html", {"categories": grounds.CATEGORIES})
