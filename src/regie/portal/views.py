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


# --- what the client can do ---


def _field_errors(exc) -> dict[str, str]:
    """Field -> Dutch message, from an EventError or DocumentError (``payload.x`` becomes ``x``)."""
    out: dict[str, str] = {}
    for field, message in getattr(exc, "errors", []) or []:
        key = str(field).removeprefix("payload.")
        out.setdefault(key, str(message))
    return out


def _action(request, municipality, identity, client, *, template: str, values: dict, run, done: str):
    """Shared flow of the portal's forms: on POST run the service; on bad input show the form again with what was
    typed and a message per field; on success go back to the overview with ``done``."""
    from django.contrib import messages

    from regie.casework.decisions import DecisionRefused
    from regie.casework.services import ConflictError
    from regie.core.events import EventError
    from regie.documents.services import DocumentError

    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            run()
        except (EventError, DocumentError) as exc:
            errors = _field_errors(exc) or {"general": _("Controleer wat u heeft ingevuld.")}
        except services.PortalActionError as exc:
            errors = {"general": exc.message}
        except (DecisionRefused, ConflictError):
            errors = {"general": _("Dit lukt nu niet. Probeer het later opnieuw of bel de gemeente.")}
        else:
            messages.success(request, done)
            return redirect("portal:overview", code=municipality.code)
    else:
        services.audit(request, identity, "read", "client", client.pk, detail=template)
    return render(
        request,
        f"portal/{template}.html",
        {"municipality": municipality, "identity": identity, "client": client, "values": values, "errors": errors},
        status=400 if errors else 200,
    )


def _date(value: str, field: str, label: str):
    import datetime as dt

    from regie.core.events import EventError

    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        try:
            return dt.datetime.strptime(value, "%d-%m-%Y").date()
        except ValueError:
            raise EventError([(field, _("%(label)s: vul een datum in als dd-mm-jjjj.") % {"label": label})]) from None


@portal_view
def income(request, municipality, identity, client):
    from regie.benefit.services import current_month

    values = request.POST.dict() if request.method == "POST" else {"month": current_month()}
    return _action(
        request,
        municipality,
        identity,
        client,
        template="income",
        values=values,
        run=lambda: services.report_income(
            request,
            identity,
            client,
            month=values.get("month", ""),
            work_income=values.get("work_income", ""),
            other_income=values.get("other_income", ""),
        ),
        done=_("Dank u wel. Wij hebben uw inkomsten ontvangen."),
    )


@portal_view
def change(request, municipality, identity, client):
    from regie.core.events import CHANGE_KINDS, EventError

    values = request.POST.dict() if request.method == "POST" else {}

    def run():
        kind = values.get("kind", "")
        problems = []
        if kind not in CHANGE_KINDS:
            problems.append(("kind", _("Wat is er veranderd: kies een van de mogelijkheden.")))
        change_on = _date(values.get("change_on", ""), "change_on", _("Datum"))
        if change_on is None:
            problems.append(("change_on", _("Datum: vul in wanneer het verandert of veranderd is.")))
        until = _date(values.get("until", ""), "until", _("Tot en met"))
        if not values.get("description", "").strip():
            problems.append(("description", _("Uitleg: schrijf kort op wat er verandert.")))
        if problems:
            raise EventError(problems)
        services.report_change(
            request, identity, client, kind=kind, change_on=change_on, until=until, description=values["description"]
        )

    return _action(
        request,
        municipality,
        identity,
        client,
        template="change",
        values={**values, "kinds": [(k, _(v)) for k, v in CHANGE_KINDS.items()]},
        run=run,
        done=_("Dank u wel. Uw klantmanager bekijkt uw wijziging en neemt zo nodig contact met u op."),
    )


@portal_view
def message(request, municipality, identity, client):
    values = request.POST.dict() if request.method == "POST" else {}

    def run():
        from regie.core.events import EventError

        if not values.get("text", "").strip():
            raise EventError([("text", _("Uw bericht: schrijf uw vraag of bericht."))])
        services.send_message(request, identity, client, text=values["text"])

    return _action(
        request,
        municipality,
        identity,
        client,
        template="message",
        values=values,
        run=run,
        done=_("Uw bericht is verstuurd naar uw klantmanager."),
    )


@portal_view
def document(request, municipality, identity, client):
    from regie.core.events import DOCUMENT_KINDS

    values = request.POST.dict() if request.method == "POST" else {}
    kinds = [(k, _(DOCUMENT_KINDS[k])) for k in services.CLIENT_DOCUMENT_KINDS]
    return _action(
        request,
        municipality,
        identity,
        client,
        template="document",
        values={**values, "kinds": kinds},
        run=lambda: services.upload_document(
            request, identity, client, f=request.FILES.get("file"), kind=values.get("kind", "")
        ),
        done=_("Dank u wel. Wij hebben uw document ontvangen."),
    )


@portal_view
def objection(request, municipality, identity, client):
    from regie.core.events import EventError

    case = selectors.current_case(client)
    values = request.POST.dict() if request.method == "POST" else {}

    def run():
        problems = []
        try:
            decision_event = int(values.get("decision_event", ""))
        except ValueError:
            decision_event = 0
            problems.append(("decision_event", _("Besluit: kies een van uw besluiten uit de lijst.")))
        if not values.get("grounds", "").strip():
            problems.append(("grounds", _("Waarom bent u het er niet mee eens: schrijf uw redenen op.")))
        if problems:
            raise EventError(problems)
        services.lodge_objection(
            request,
            identity,
            client,
            decision_event=decision_event,
            grounds=values["grounds"],
            late_reason=values.get("late_reason", ""),
        )

    return _action(
        request,
        municipality,
        identity,
        client,
        template="objection",
        values={**values, "decisions": selectors.contestable(case) if case else []},
        run=run,
        done=_("Wij hebben uw bezwaar ontvangen. In de brief over uw bezwaar leest u wat er nu gebeurt."),
    )


@portal_view
def letter(request, municipality, identity, client, event_id: int):
    """The PDF of a letter the municipality sent the client (the letters app composes it)."""
    from django.http import HttpResponse

    from regie.letters.recipient import LetterRefused
    from regie.letters.services import compose

    case = selectors.current_case(client)
    event = selectors.letter_event(case, event_id) if case else None
    if event is None:
        raise Http404
    try:
        made = compose(event)
    except LetterRefused:
        raise Http404 from None
    services.audit(request, identity, "export", "event", event.pk, detail=f"letter {event.type}")
    response = HttpResponse(made.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="brief-{event.pk}.pdf"'
    return response


def demo_login(request, code: str):
    """The demo citizen log-in (regie.portal.demo): 404 unless DEBUG and REGIE_PORTAL_DEMO_LOGIN are both on."""
    from . import demo

    if not demo.enabled():
        raise Http404
    municipality = _municipality(code)
    error = ""
    bsn = (request.POST.get("bsn") or "").strip()
    if request.method == "POST":
        identity = services.identify(municipality, bsn, "midden")
        if identity is None:
            services.audit_failure(request, municipality.pk, "demo log-in: no client file for this BSN")
            error = _("Met dit BSN is er geen dossier bij deze gemeente.")
        else:
            session.start(request, identity)
            services.audit(request, identity, "login", "portal", identity.acting_for, detail="demo log-in (no DigiD)")
            return redirect("portal:overview", code=code)
    citizen = demo.demo_citizen(municipality)
    return render(
        request,
        "portal/demo_login.html",
        {"municipality": municipality, "bsn": bsn or (citizen or {}).get("bsn", ""), "error": error},
        status=400 if error else 200,
    )


@portal_view
def appointment(request, municipality, identity, client, pk: int, action: str):
    """Confirm an appointment, or ask to move it (with a reason)."""
    from django.contrib import messages

    from regie.agenda.models import Appointment
    from regie.core.events import EventError

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    case = selectors.current_case(client)
    item = Appointment.objects.filter(pk=pk, case=case, status="gepland").first() if case else None
    if item is None or action not in ("bevestigen", "verzetten"):
        raise Http404
    try:
        services.answer_appointment(
            request, identity, client, item, action=action, reason=request.POST.get("reason", "")
        )
    except EventError as exc:
        messages.error(request, "; ".join(str(m) for _f, m in exc.errors))
    else:
        messages.success(
            request,
            _("Dank u wel. Wij zien u graag op de afspraak.")
            if action == "bevestigen"
            else _("Uw klantmanager neemt contact met u op voor een nieuwe afspraak."),
        )
    return redirect("portal:overview", code=municipality.code)


@portal_view
def access_request(request, municipality, identity, client):
    """Ask for a copy of one's file (inzageverzoek) through the privacy app."""
    from django.contrib import messages

    from regie.privacy.models import AccessRequest

    if request.method == "POST":
        req = services.request_access(request, identity, client)
        messages.success(
            request,
            _("Wij hebben uw verzoek ontvangen. U krijgt uiterlijk %(date)s een kopie van uw gegevens.")
            % {"date": f"{req.due_on:%d-%m-%Y}"},
        )
        return redirect("portal:overview", code=municipality.code)
    services.audit(request, identity, "read", "client", client.pk, detail="access request form")
    open_requests = AccessRequest.objects.filter(client=client, provided_on__isnull=True).order_by("-received_on")
    return render(
        request,
        "portal/access_request.html",
        {"municipality": municipality, "identity": identity, "client": client, "open_requests": open_requests},
    )
