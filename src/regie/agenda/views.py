"""The caseworker's calendar (day and week), planning an appointment, its page (outcome, invitation, no-show
follow-up), the .ics files, and the start page (start.py)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from regie.accounts.access import not_found, require_capability
from regie.accounts.models import Provider, User
from regie.accounts.tenancy import can, municipality_ids
from regie.audit.services import log_request
from regie.casework.decisions import DecisionRefused
from regie.casework.services import ConflictError
from regie.casework.views.common import case_or_404
from regie.core.dates import nl_date
from regie.core.events import EventError
from regie.core.policy import PolicyUnavailable

from . import ics, selectors, services
from .models import Appointment

KINDS = [
    ("intake", _l("Intake")),
    ("voortgangsgesprek", _l("Voortgangsgesprek")),
    ("driegesprek", _l("Driegesprek (met de aanbieder)")),
    ("huisbezoek", _l("Huisbezoek")),
    ("hoorzitting", _l("Hoorzitting")),
]
OUTCOME_LABELS = {
    "gepland": _l("gepland"),
    "gehouden": _l("gehouden"),
    "no_show_gemeld": _l("niet verschenen, wel afgemeld"),
    "no_show": _l("niet verschenen, niet afgemeld"),
    "verzet": _l("verzet"),
}


def _parse_day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _whose(request) -> User:
    """Whose calendar: one's own; a teammanager may open a caseworker's of their municipalities (?klantmanager=)."""
    name = request.GET.get("klantmanager")
    if not name or name == request.user.username:
        return request.user
    if request.user.role != "teammanager":
        raise not_found(request, "calendar", name)
    other = User.objects.filter(username=name, municipality_id__in=municipality_ids(request.user)).first()
    if other is None:
        raise not_found(request, "calendar", name)
    return other


def _audit_calendar(request, who: User, start: dt.date, days: int, n: int) -> None:
    log_request(
        request,
        "read",
        "calendar",
        who.username,
        municipality_id=request.user.municipality_id,
        detail=f"from {start.isoformat()} days={days} appointments={n}",
    )


@login_required
def day(request):
    require_capability(request, "view_clients", "calendar")
    who = _whose(request)
    on = _parse_day(request.GET.get("datum"))
    rows = list(selectors.calendar(request.user, who, on, 1))
    _audit_calendar(request, who, on, 1, len(rows))
    return render(
        request,
        "agenda/day.html",
        {
            "on": on,
            "who": who,
            "appointments": rows,
            "prev": on - dt.timedelta(days=1),
            "next": on + dt.timedelta(days=1),
            "outcome_labels": OUTCOME_LABELS,
        },
    )


@login_required
def week(request):
    require_capability(request, "view_clients", "calendar")
    who = _whose(request)
    on = _parse_day(request.GET.get("datum"))
    monday = on - dt.timedelta(days=on.weekday())
    rows = list(selectors.calendar(request.user, who, monday, 7))
    _audit_calendar(request, who, monday, 7, len(rows))
    days = [
        (monday + dt.timedelta(days=i), [a for a in rows if a.date == monday + dt.timedelta(days=i)]) for i in range(7)
    ]
    return render(
        request,
        "agenda/week.html",
        {
            "monday": monday,
            "who": who,
            "days": days,
            "prev": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "outcome_labels": OUTCOME_LABELS,
        },
    )


def _default_location(case, kind: str) -> str:
    """Pre-filled place: where this case's last appointment of the kind was; for a home visit the client's
    address; else the deployment's usual location (REGIE_APPOINTMENT_LOCATION, e.g. "Werkplein, balie 3")."""
    from django.conf import settings

    if last := selectors.last_location(case, kind):
        return last
    if kind == "huisbezoek":
        c = case.client.contact or {}
        return ", ".join(x for x in (c.get("street"), " ".join(filter(None, (c.get("postcode"), c.get("city"))))) if x)
    return getattr(settings, "REGIE_APPOINTMENT_LOCATION", "") or case.municipality.name


def _next_slot(now: dt.datetime) -> tuple[dt.date, dt.time]:
    """The next working day at 10:00 (assumption: a sensible first proposal; the caseworker changes it)."""
    d = now.date() + dt.timedelta(days=1)
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d, dt.time(10, 0)


@login_required
def new(request, case_id: int):
    """Plan an appointment for a case: everything Regie knows is filled in (client, caseworker, place, length)."""
    require_capability(request, "record_events", "case", case_id)
    case = case_or_404(request, case_id)
    state = getattr(case, "state", None)
    snap = (state.snapshot if state else {}) or {}
    providers = dict(Provider.objects.filter(municipality_id=case.municipality_id).values_list("code", "name"))
    kind = (
        request.POST.get("kind")
        or request.GET.get("soort")
        or ("intake" if not snap.get("intake_on") else "voortgangsgesprek")
    )
    errors: dict[str, str] = {}
    conflict = False
    if request.method == "POST":
        values = request.POST.dict()
        date = _field_date(values.get("date"), errors, "date")
        start = _field_time(values.get("start_time"), errors, "start_time")
        end = _field_time(values.get("end_time"), errors, "end_time") if values.get("end_time") else None
        if not errors:
            try:
                appt = services.plan(
                    case,
                    request.user,
                    kind=kind,
                    date=date,
                    start_time=start,
                    end_time=end,
                    location=values.get("location", "").strip(),
                    caseworker=values.get("caseworker", "").strip() or request.user.username,
                    provider=values.get("provider", "").strip(),
                    with_whom=values.get("with_whom", "").strip(),
                    expected_version=_int(values.get("expected_version")),
                )
            except EventError as exc:
                for name, message in exc.errors:
                    errors[name.removeprefix("payload.")] = message
            except DecisionRefused as exc:
                errors["form"] = exc.message
            except ConflictError as exc:
                errors["form"] = str(exc)
                conflict = True
            except PolicyUnavailable as exc:
                errors["form"] = exc.message
            else:
                log_request(
                    request,
                    "create",
                    "appointment",
                    appt.appointment_id,
                    municipality_id=case.municipality_id,
                    detail=f"afspraak {kind} case {case.external_id}",
                )
                messages.success(request, _("Afspraak gepland"))
                return redirect("agenda:appointment", appt.pk)
    else:
        date, start = _next_slot(timezone.localtime())
        trajectories = snap.get("trajectories") or {}
        provider = next((t.get("provider") for t in trajectories.values() if t.get("provider")), "") or ""
        values = {
            "kind": kind,
            "date": (request.GET.get("datum") or date.isoformat()),
            "start_time": request.GET.get("tijd") or start.strftime("%H:%M"),
            "location": _default_location(case, kind),
            "caseworker": (state.caseworker.username if state and state.caseworker else request.user.username),
            "provider": provider if kind == "driegesprek" else "",
        }
        log_request(
            request, "read", "case", case.external_id, municipality_id=case.municipality_id, detail="appointment form"
        )
    return render(
        request,
        "agenda/new.html",
        {
            "case": case,
            "client": case.client,
            "values": values,
            "errors": errors,
            "kinds": KINDS,
            "minutes": {k: services.DEFAULT_MINUTES.get(k) for k, _l in KINDS},
            "providers": providers,
            "version": state.version if state else 0,
        },
        status=(409 if conflict else 400) if errors else 200,
    )


def _int(v) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _field_date(value, errors, name) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        errors[name] = _("Datum: geen geldige datum (JJJJ-MM-DD)")
        return None


def _field_time(value, errors, name) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value or "")
    except ValueError:
        errors[name] = _("Tijd: geen geldige tijd (UU:MM)")
        return None


def _appointment_or_404(request, pk: int) -> Appointment:
    try:
        return selectors.appointment(request.user, pk)
    except Appointment.DoesNotExist:
        raise not_found(request, "appointment", pk) from None


def warning_link(appt: Appointment) -> str:
    """The waarschuwing step form, pre-filled for a no-show (administrative obligation, the date and kind)."""
    text = _("Niet verschenen op de afspraak (%(kind)s) van %(date)s om %(time)s%(notice)s.") % {
        "kind": dict(KINDS).get(appt.kind, appt.kind),
        "date": nl_date(appt.date),
        "time": appt.start_time.strftime("%H:%M"),
        "notice": _(", wel afgemeld") if appt.status == "no_show_gemeld" else _(", zonder afmelding"),
    }
    query = urlencode({"obligation_type": "administratief", "description": text})
    return reverse("case_step", args=[appt.case_id, "waarschuwing"]) + "?" + query


@login_required
def detail(request, appointment_id: int):
    """One appointment: the outcome form, the invitation, the .ics, and after a no-show the warning route."""
    require_capability(request, "view_clients", "appointment", appointment_id)
    appt = _appointment_or_404(request, appointment_id)
    errors: dict[str, str] = {}
    values: dict = {}
    conflict = False
    if request.method == "POST":
        require_capability(request, "record_events", "appointment", appointment_id)
        values = request.POST.dict()
        outcome = values.get("outcome", "")
        new_date = _field_date(values["new_date"], errors, "new_date") if values.get("new_date") else None
        new_start = _field_time(values["new_start"], errors, "new_start") if values.get("new_start") else None
        if not errors:
            try:
                result = services.record_outcome(
                    appt,
                    request.user,
                    outcome=outcome,
                    note=values.get("note", "").strip(),
                    new_date=new_date,
                    new_start=new_start,
                )
            except EventError as exc:
                for name, message in exc.errors:
                    errors[name.removeprefix("payload.")] = message
            except (DecisionRefused, PolicyUnavailable) as exc:
                errors["form"] = exc.message
            except ConflictError as exc:
                errors["form"] = str(exc)
                conflict = True
            else:
                log_request(
                    request,
                    "create",
                    "appointment",
                    appt.appointment_id,
                    municipality_id=appt.municipality_id,
                    detail=f"outcome {outcome}",
                )
                messages.success(request, _("Uitkomst vastgelegd: %(o)s") % {"o": OUTCOME_LABELS.get(outcome, "")})
                return redirect("agenda:appointment", result.pk)
    return _detail_page(request, appt, errors, values, status=409 if conflict else 400 if errors else 200)


def _detail_page(request, appt, errors, values, *, status: int = 200, to: str | None = None, to_error: str = ""):
    """The appointment's page; after a refusal the refused form shows what was typed and its message (``to`` and
    ``to_error``: the invitation's address), with a 4xx ``status``, nothing written."""
    log_request(request, "read", "appointment", appt.appointment_id, municipality_id=appt.municipality_id)
    email = to if to is not None else (appt.case.client.contact or {}).get("email", "")
    return render(
        request,
        "agenda/detail.html",
        {
            "a": appt,
            "client": appt.case.client,
            "kind_label": dict(KINDS).get(appt.kind, appt.kind),
            "status_label": OUTCOME_LABELS.get(appt.status, appt.status),
            "errors": errors,
            "values": values,
            "warning_link": warning_link(appt) if appt.no_show else "",
            "email": email,
            "to_error": to_error,
            "today": timezone.localdate(),
            "can_record": can(request.user, "record_events"),
        },
        status=status,
    )


@login_required
def appointment_ics(request, appointment_id: int):
    require_capability(request, "view_clients", "appointment", appointment_id)
    appt = _appointment_or_404(request, appointment_id)
    log_request(request, "export", "appointment", appt.appointment_id, municipality_id=appt.municipality_id)
    response = HttpResponse(ics.appointment_ics(appt), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="afspraak-{appt.appointment_id}.ics"'
    return response


@login_required
def feed(request):
    """The user's own calendar as one .ics (eight weeks back, half a year ahead; assumption: what a calendar
    program needs). Log-in required: a secret-link subscription would put client names outside Regie."""
    require_capability(request, "view_clients", "calendar")
    start = timezone.localdate() - dt.timedelta(weeks=8)
    rows = list(selectors.calendar(request.user, request.user, start, 8 * 7 + 183))
    log_request(
        request,
        "export",
        "calendar",
        request.user.username,
        municipality_id=request.user.municipality_id,
        detail=f"feed appointments={len(rows)}",
    )
    body = ics.feed_ics(
        rows, name=_("Regie-agenda van %(name)s") % {"name": request.user.get_full_name() or request.user.username}
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="regie-agenda.ics"'
    return response


# --- the calendar subscription link (feeds.py): a secret URL instead of a session ---


def subscription_feed(request, secret: str):
    """The agenda as .ics for a calendar program that cannot log in: the secret link opens its user's own
    appointments, with minimal personal data (feeds.py). Every fetch audited; an unknown link is a 404."""
    from regie.audit.services import log, origin_of

    from . import feeds

    token = feeds.token_for(secret, origin=origin_of(request))
    if token is None:
        return HttpResponse(status=404)
    user = token.user
    start = timezone.localdate() - dt.timedelta(weeks=feeds.WEEKS_BACK)
    rows = list(
        Appointment.objects.filter(
            municipality_id=user.municipality_id,
            caseworker=user,
            date__gte=start,
            date__lt=start + dt.timedelta(days=feeds.WEEKS_BACK * 7 + feeds.DAYS_AHEAD),
        )
        .exclude(status="verzet")
        .select_related("case__client")
        .order_by("date", "start_time", "id")
    )
    log(
        actor=user,
        action="export",
        object_type="calendar",
        object_id=user.username,
        origin=origin_of(request),
        municipality_id=user.municipality_id,
        detail=f"subscription {token.prefix} appointments={len(rows)}",
    )
    body = ics.subscription_ics(
        rows,
        name=_("Regie-agenda"),
        link_for=lambda a: request.build_absolute_uri(reverse("agenda:appointment", args=[a.pk])),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
def subscription(request):
    """The user's subscription link: make one (shown once), make a new one, or stop it."""
    require_capability(request, "view_clients", "calendar")
    from regie.audit.services import origin_of

    from . import feeds

    link = ""
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            feeds.revoke(request.user, origin=origin_of(request))
            messages.success(request, _("De abonnementslink werkt niet meer."))
            return redirect("agenda:subscription")
        _token, secret = feeds.issue(request.user, origin=origin_of(request))
        link = request.build_absolute_uri(reverse("agenda:subscription_feed", args=[secret]))
    return render(
        request,
        "agenda/subscription.html",
        {"active": feeds.active(request.user), "link": link},
    )


@login_required
@require_POST
def invite(request, appointment_id: int):
    """Send the invitation e-mail (with the .ics) to the client's e-mail address."""
    require_capability(request, "record_events", "appointment", appointment_id)
    appt = _appointment_or_404(request, appointment_id)
    typed = request.POST.get("to", "")
    to = (typed or (appt.case.client.contact or {}).get("email") or "").strip()
    if "@" not in to:
        return _detail_page(
            request,
            appt,
            {},
            {},
            status=400,
            to=typed,
            to_error=_("E-mailadres: geen geldig adres; de uitnodiging is niet verstuurd."),
        )
    client = appt.case.client
    when = formats.date_format(appt.date, "l j F Y")
    body = _(
        "Beste %(name)s,\n\nU bent uitgenodigd voor een %(kind)s op %(when)s om %(time)s.\nPlaats: %(place)s\n\n"
        "Kunt u niet komen? Laat het ons dan vóór de afspraak weten.\n\nMet vriendelijke groet,\n%(caseworker)s\n"
        "%(municipality)s"
    ) % {
        "name": f"{client.given_name} {client.family_name}",
        "kind": str(dict(KINDS).get(appt.kind, appt.kind)).lower(),
        "when": when,
        "time": appt.start_time.strftime("%H:%M"),
        "place": appt.location or "-",
        "caseworker": request.user.get_full_name() or request.user.username,
        "municipality": appt.case.municipality.name,
    }
    subject = _("Uitnodiging: %(kind)s op %(when)s") % {"kind": dict(KINDS).get(appt.kind, appt.kind), "when": when}
    services.send_invitation(appt, to, ics=ics.appointment_ics(appt), body=body, subject=subject)
    log_request(
        request,
        "export",
        "appointment",
        appt.appointment_id,
        municipality_id=appt.municipality_id,
        detail="invitation e-mail",
    )
    messages.success(request, _("Uitnodiging verstuurd naar %(to)s") % {"to": to})
    return redirect("agenda:appointment", appt.pk)
