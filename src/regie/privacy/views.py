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
    return _index(request)


def _index(request, form: str = "", values=None, errors=None):
    """The list and the two forms; after a refusal ``form`` ("access" or "rect") is re-rendered with the typed
    ``values`` and the ``errors`` by field (status 400), nothing written."""
    access, rect = selectors.requests_for(request.user)
    log_request(
        request,
        "read",
        "access_request",
        municipality_id=request.user.municipality_id,
        detail=f"list {access.count()} + {rect.count()}",
    )
    if errors:  # a message about no one field of the form (or one it does not show) heads the form
        errors = {(f if f in values else "form"): m for f, m in errors.items()}
    today = dt.date.today()
    blank = {"received_on": f"{today:%Y-%m-%d}", "relation": "betrokkene", "channel": "balie"}
    return render(
        request,
        "privacy/index.html",
        {
            "access": access[:200],
            "rect": rect[:200],
            "relations": RELATIONS,
            "channels": CHANNELS,
            "fields": list(CORRECTABLE.items()) + [(OTHER, _("Anders (gebeurtenis, notitie; toelichting)"))],
            "today": today,
            "can_register": can(request.user, "view_audit"),
            "av": values if form == "access" else blank,
            "rv": values if form == "rect" else blank,
            "ae": errors if form == "access" else {},
            "re": errors if form == "rect" else {},
        },
        status=400 if errors else 200,
    )


def _typed(request, *names: str) -> dict[str, str]:
    """What was typed in the form's fields (a relation or channel left out of the form: the usual one)."""
    defaults = {"relation": "betrokkene", "channel": "balie"}
    return {n: request.POST.get(n, defaults.get(n, "")) for n in names}


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
    values = _typed(request, "client", "requested_by", "relation", "channel", "received_on")
    client = _client_from_form(request)
    if client is None:
        return _index(request, "access", values, {"client": _("Geen cliënt met dit nummer in uw gemeente.")})
    try:
        req = services.record_access_request(
            client,
            requested_by=values["requested_by"],
            received_on=_date(values["received_on"]),
            relation=values["relation"],
            channel=values["channel"],
            user=request.user,
            origin=log_origin(request),
        )
    except services.PrivacyError as exc:
        return _index(request, "access", values, {exc.field: exc.message})
    messages.success(
        request,
        _("Inzageverzoek vastgelegd; uiterlijk %(date)s beantwoorden.") % {"date": f"{req.due_on:%d-%m-%Y}"},
    )
    return redirect("privacy:access", req.pk)


@login_required
def access_detail(request, request_id: int):
    require_capability(request, CAP, "access_request", request_id)
    return _access_page(request, _access_or_404(request, request_id))


def _access_page(request, req, action: str = "", values=None, error: str = ""):
    """The request's page; after a refused ``action`` its form shows the typed ``values`` and the ``error``
    (status 400)."""
    log_request(request, "read", "access_request", req.pk, municipality_id=req.municipality_id)
    return render(
        request,
        "privacy/access_request.html",
        {
            "req": req,
            "client": req.client,
            "today": dt.date.today(),
            "action": action,
            "values": values or {},
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def access_action(request, request_id: int, action: str):
    """verify (identity), extend (the term, with a reason) or provided (handed over)."""
    require_capability(request, CAP, "access_request", request_id)
    req = _access_or_404(request, request_id)
    values = _typed(request, "identity_method", "reason")
    try:
        if action == "verify":
            services.verify_identity(
                req, method=values["identity_method"], user=request.user, origin=log_origin(request)
            )
        elif action == "extend":
            services.extend(req, reason=values["reason"], user=request.user, origin=log_origin(request))
        elif action == "provided":
            services.mark_provided(req, user=request.user, origin=log_origin(request))
        else:
            raise Http404
    except services.PrivacyError as exc:
        return _access_page(request, req, action, values, exc.message)
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
    values = _typed(
        request, "client", "requested_by", "relation", "channel", "received_on", "field", "statement", "requested_value"
    )
    client = _client_from_form(request)
    if client is None:
        return _index(request, "rect", values, {"client": _("Geen cliënt met dit nummer in uw gemeente.")})
    try:
        req = services.record_rectification(
            client,
            requested_by=values["requested_by"],
            received_on=_date(values["received_on"]),
            field=values["field"],
            statement=values["statement"],
            requested_value=values["requested_value"],
            relation=values["relation"],
            channel=values["channel"],
            user=request.user,
            origin=log_origin(request),
        )
    except services.PrivacyError as exc:
        return _index(request, "rect", values, {exc.field: exc.message})
    messages.success(
        request,
        _("Verzoek om correctie vastgelegd; uiterlijk %(date)s beslissen.") % {"date": f"{req.due_on:%d-%m-%Y}"},
    )
    return redirect("privacy:rectification", req.pk)


@login_required
def rectification_detail(request, request_id: int):
    require_capability(request, CAP, "rectification_request", request_id)
    return _rect_page(request, _rect_or_404(request, request_id))


def _rect_page(request, req, action: str = "", values=None, error: str = ""):
    """The request's page; after a refused ``action`` its form shows the typed ``values`` and the ``error``
    (status 400)."""
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
            "action": action,
            "values": values or {},
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def rectification_action(request, request_id: int, action: str):
    """decide (granted/refused with a reason; a granted client field is corrected) or extend (the term)."""
    require_capability(request, CAP, "rectification_request", request_id)
    req = _rect_or_404(request, request_id)
    values = _typed(request, "decision", "reason", "new_value")
    try:
        if action == "decide":
            if values["decision"] not in ("granted", "refused"):
                raise services.PrivacyError(_("Besluit: kies toewijzen of afwijzen."), "decision")
            services.decide_rectification(
                req,
                granted=values["decision"] == "granted",
                reason=values["reason"],
                new_value=values["new_value"],
                user=request.user,
                origin=log_origin(request),
            )
        elif action == "extend":
            services.extend(req, reason=values["reason"], user=request.user, origin=log_origin(request))
        else:
            raise Http404
    except services.PrivacyError as exc:
        return _rect_page(request, req, action, values, exc.message)
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
