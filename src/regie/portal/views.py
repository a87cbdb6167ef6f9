"""Mijn Regie's pages. Every view below the log-in takes the identity from the portal session (never
``request.user``), opens only the file the person acts for, and writes one audit line as the client's own access
(``services.audit``). An unknown municipality, or a file the person may not see, answers 404."""

from __future__ import annotations

import functools
import logging

from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.models import Municipality
from regie.casework.models import Client

from . import oidc, selectors, services, session
from .config import LEVEL_LABELS, PortalUnavailable, broker_for

LOGGER = logging.getLogger(__name__)


def _municipality(code: str) -> Municipality:
    return get_object_or_404(Municipality, code=code)


def _unavailable(request, municipality, exc: PortalUnavailable):
    LOGGER.warning("portal unavailable: %s", exc.detail)
    return render(
        request, "portal/unavailable.html", {"municipality": municipality, "message": exc.message}, status=503
    )


def portal_view(view):
    """The identity of the logged-in citizen for this municipality, or the log-in page; the file acted for."""

    @functools.wraps(view)
    def wrapped(request, code: str, *args, **kwargs):
        municipality = _municipality(code)
        identity = session.current(request, code)
        if identity is None:
            return redirect(
                reverse("portal:start", args=[code])
                + ("?verlopen=1" if getattr(request, "regie_portal_expired", False) else "")
            )
        if not services.still_authorised(identity):
            session.end(request)
            raise Http404
        client = Client.objects.filter(pk=identity.acting_for, municipality_id=identity.municipality_id).first()
        if client is None:
            raise Http404
        request.portal = identity
        return view(request, municipality, identity, client, *args, **kwargs)

    return wrapped


def start(request, code: str):
    """The municipality's Mijn Regie log-in page: "Inloggen met DigiD"."""
    municipality = _municipality(code)
    try:
        broker = broker_for(code)
    except PortalUnavailable as exc:
        return _unavailable(request, municipality, exc)
    return render(
        request,
        "portal/start.html",
        {
            "municipality": municipality,
            "level": LEVEL_LABELS[broker.acr_min],
            "expired": request.GET.get("verlopen") == "1",
            "refused": request.GET.get("mislukt") == "1",
        },
    )


def login(request, code: str):
    municipality = _municipality(code)
    try:
        broker = broker_for(code)
    except PortalUnavailable as exc:
        return _unavailable(request, municipality, exc)
    callback = broker.redirect_uri or request.build_absolute_uri(reverse("portal:callback", args=[code]))
    return redirect(oidc.authorization_url(request, broker, callback))


def callback(request, code: str):
    municipality = _municipality(code)
    try:
        broker = broker_for(code)
    except PortalUnavailable as exc:
        return _unavailable(request, municipality, exc)
    refused = reverse("portal:start", args=[code]) + "?mislukt=1"
    try:
        assertion = oidc.finish(request, broker)
    except oidc.LoginRefused as exc:
        services.audit_failure(request, municipality.pk, exc.reason)
        return redirect(refused)
    if not broker.level_sufficient(assertion.level):
        services.audit_failure(
            request, municipality.pk, f"assurance level {assertion.level or 'unknown'} below {broker.acr_min}"
        )
        return redirect(refused)
    identity = services.identify(municipality, assertion.bsn, assertion.level)
    if identity is None:
        services.audit_failure(request, municipality.pk, "no client file or authorisation for this BSN")
        return render(request, "portal/no_file.html", {"municipality": municipality}, status=403)
    session.start(request, identity)
    services.audit(
        request,
        identity,
        "login",
        "portal",
        identity.acting_for,
        detail=f"acr {assertion.acr[:80]}; files {len(identity.allowed)}",
    )
    return redirect("portal:overview", code=code)


@require_POST
def logout(request, code: str):
    identity = session.current(request, code)
    if identity is not None:
        services.audit(request, identity, "logout", "portal", identity.acting_for)
    session.end(request)
    return render(request, "portal/logged_out.html", {"municipality": _municipality(code)})


@portal_view
def overview(request, municipality, identity, client):
    data = selectors.overview(client)
    services.audit(request, identity, "read", "client", client.pk, detail="overview")
    files = selectors.files_of(identity) if len(identity.allowed) > 1 else []
    return render(
        request,
        "portal/overview.html",
        {"municipality": municipality, "identity": identity, "client": client, "files": files, **data},
    )


@portal_view
def act_for(request, municipality, identity, client, client_id: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if client_id not in identity.allowed:
        raise Http404
    session.act_for(request, client_id)
    services.audit(request, session.current(request, municipality.code), "read", "client", client_id, detail="switch")
    return redirect("portal:overview", code=municipality.code)


@portal_view
def sign_plan(request, municipality, identity, client):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    from regie.core.events import EventError

    try:
        services.sign_plan(request, identity, client, version=request.POST.get("version", ""))
    except services.PortalActionError as exc:
        return render(
            request,
            "portal/overview.html",
            {
                "municipality": municipality,
                "identity": identity,
                "client": client,
                "error": exc.message,
                **selectors.overview(client),
            },
            status=400,
        )
    except EventError as exc:
        return render(
            request,
            "portal/overview.html",
            {
                "municipality": municipality,
                "identity": identity,
                "client": client,
                "error": "; ".join(str(m) for _f, m in exc.errors),
                **selectors.overview(client),
            },
            status=400,
        )
    from django.contrib import messages

    messages.success(request, _("U heeft uw plan van aanpak ondertekend. Dank u wel."))
    return redirect("portal:overview", code=municipality.code)
