"""Writing appointments: planning (``afspraak``), the outcome (``afspraak_uitkomst``), rescheduling, the
invitation e-mail; and the appointment projection, kept up to date from the events.

Every event goes through the decision gate :func:`regie.casework.decisions.record_step` (non-decision events pass
through it after the decision-rights check), so the API and these pages write the same way. The projection
(:class:`~regie.agenda.models.Appointment`) follows every saved ``afspraak``/``afspraak_uitkomst`` event, whoever
wrote it (a ``post_save`` receiver), and is rebuilt from the log after an import.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.casework.decisions import record_step
from regie.casework.models import Case, Event
from regie.core.dates import nl_date
from regie.core.events import EventError

from .models import Appointment

APPOINTMENT_TYPES = ("afspraak", "afspraak_uitkomst")

# Usual length of an appointment per kind, in minutes, when the deployment sets none (REGIE_APPOINTMENT_MINUTES).
# Assumption: no seed gives durations; these are common practice (an intake takes longer than a progress talk).
DEFAULT_MINUTES = {"intake": 60, "voortgangsgesprek": 30, "driegesprek": 45, "huisbezoek": 60, "hoorzitting": 60}


def minutes_for(kind: str) -> int:
    table = getattr(settings, "REGIE_APPOINTMENT_MINUTES", None) or DEFAULT_MINUTES
    if kind not in table:
        raise EventError([("kind", _("Voor deze soort afspraak is geen duur ingesteld (REGIE_APPOINTMENT_MINUTES)."))])
    return int(table[kind])


def plan(
    case: Case,
    user,
    *,
    kind: str,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time | None = None,
    location: str = "",
    caseworker: str = "",
    provider: str = "",
    with_whom: str = "",
    rescheduled_from: str = "",
    expected_version: int | None = None,
    source: str = "web",
    planned_on: dt.date | None = None,
) -> Appointment:
    """Plan an appointment: one ``afspraak`` event, effective the day it was planned (``planned_on``, default
    today; the appointment's day may not lie before it). Raises EventError, DecisionRefused, ConflictError or
    PolicyUnavailable from the gate; nothing is written then."""
    if end_time is None:
        end = dt.datetime.combine(date, start_time) + dt.timedelta(minutes=minutes_for(kind))
        end_time = end.time() if end.date() == date else dt.time(23, 59)
    payload = {
        "kind": kind,
        "date": date.isoformat(),
        "start_time": start_time.isoformat(timespec="minutes"),
        "end_time": end_time.isoformat(timespec="minutes"),
        "location": location,
        "caseworker": caseworker or user.username,
        "with_whom": with_whom,
    }
    if provider:
        payload["provider"] = provider
    if rescheduled_from:
        payload["rescheduled_from"] = rescheduled_from
    _outcome, event = record_step(
        case,
        user,
        event_type="afspraak",
        effective_date=planned_on or timezone.localdate(),
        payload=payload,
        expected_version=expected_version,
        source=source,
    )
    return Appointment.objects.get(event=event)


OUTCOMES = ("gehouden", "no_show_gemeld", "no_show", "verzet")


@transaction.atomic
def record_outcome(
    appointment: Appointment,
    user,
    *,
    outcome: str,
    note: str = "",
    new_date: dt.date | None = None,
    new_start: dt.time | None = None,
    source: str = "web",
    expected_version: int | None = None,
) -> Appointment:
    """Record how an appointment went. ``verzet`` (rescheduled) needs ``new_date`` and ``new_start``: the new
    appointment is planned in the same transaction and returned; otherwise the appointment itself is returned.

    Held or no-show is a fact of the appointment's day: it cannot be recorded before that day."""
    today = timezone.localdate()
    if appointment.status != "gepland":
        raise EventError([("outcome", _("Deze afspraak heeft al een uitkomst."))])
    if outcome not in OUTCOMES:
        raise EventError([("outcome", _("Uitkomst: kies gehouden, niet verschenen (afgemeld of niet) of verzet."))])
    if outcome == "verzet":
        errors = []
        if new_date is None:
            errors.append(("new_date", _("Nieuwe datum is verplicht bij verzetten.")))
        if new_start is None:
            errors.append(("new_start", _("Nieuwe begintijd is verplicht bij verzetten.")))
        if errors:
            raise EventError(errors)
        on = min(today, appointment.date)
    else:
        if appointment.date > today:
            raise EventError(
                [("outcome", _("Deze afspraak is pas op %(date)s.") % {"date": nl_date(appointment.date)})]
            )
        on = appointment.date
    case = appointment.case
    payload = {"appointment_id": appointment.appointment_id, "outcome": outcome}
    if note:
        payload["note"] = note
    record_step(
        case,
        user,
        event_type="afspraak_uitkomst",
        effective_date=on,
        payload=payload,
        source=source,
        expected_version=expected_version,
    )
    if outcome != "verzet":
        return Appointment.objects.get(pk=appointment.pk)
    length = dt.datetime.combine(appointment.date, appointment.end_time) - dt.datetime.combine(
        appointment.date, appointment.start_time
    )
    end = (dt.datetime.combine(new_date, new_start) + length).time()
    return plan(
        case,
        user,
        kind=appointment.kind,
        date=new_date,
        start_time=new_start,
        end_time=end if end > new_start else None,
        location=appointment.location,
        caseworker=appointment.caseworker_username,
        provider=appointment.provider,
        with_whom=appointment.with_whom,
        rescheduled_from=appointment.appointment_id,
        source=source,
    )


def send_invitation(appointment: Appointment, to: str, *, ics: bytes, body: str, subject: str) -> None:
    """The invitation e-mail with the .ics attached, through Django's mail (the backend is the deployment's:
    console by default, SMTP when configured)."""
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach(f"afspraak-{appointment.appointment_id}.ics", ics, "text/calendar; method=REQUEST")
    message.send(fail_silently=False)


# --- the projection -----------------------------------------------------------------------------------------


def _apply(event: Event, caseworkers: dict[str, int] | None = None) -> None:
    p = event.payload or {}
    if event.type == "afspraak":
        username = p.get("caseworker", "")
        if caseworkers is None:
            from regie.accounts.models import User

            cw = User.objects.filter(username=username).values_list("id", flat=True).first()
        else:
            cw = caseworkers.get(username)
        Appointment.objects.update_or_create(
            event=event,
            defaults={
                "municipality_id": event.municipality_id,
                "case_id": event.case_id,
                "appointment_id": p["appointment_id"],
                "kind": p["kind"],
                "date": dt.date.fromisoformat(p["date"]),
                "start_time": dt.time.fromisoformat(p["start_time"]),
                "end_time": dt.time.fromisoformat(p["end_time"]),
                "location": p.get("location", ""),
                "caseworker_id": cw,
                "caseworker_username": username,
                "provider": p.get("provider") or "",
                "with_whom": p.get("with_whom", ""),
                "rescheduled_from": p.get("rescheduled_from") or "",
            },
        )
    elif event.type == "afspraak_uitkomst":
        Appointment.objects.filter(
            municipality_id=event.municipality_id, case_id=event.case_id, appointment_id=p.get("appointment_id")
        ).update(status=p["outcome"], outcome_event=event)


def on_event_saved(sender, instance: Event, created: bool, **kwargs) -> None:
    """post_save of an Event: bring the appointment projection up to date (any writer: web, API)."""
    if created and instance.type in APPOINTMENT_TYPES:
        _apply(instance)


def rebuild_appointments(municipality_id: int) -> int:
    """Recompute the projection of a municipality from its events (in log order). Returns the appointments."""
    from regie.accounts.models import User

    caseworkers = dict(User.objects.values_list("username", "id"))
    with transaction.atomic():
        Appointment.objects.filter(municipality_id=municipality_id).delete()
        events = Event.objects.filter(municipality_id=municipality_id, type__in=APPOINTMENT_TYPES).order_by(
            "effective_date", "id"
        )
        # plans first, then outcomes: an outcome recorded before its plan's effective date still finds it
        for e in events.filter(type="afspraak"):
            _apply(e, caseworkers)
        for e in events.filter(type="afspraak_uitkomst"):
            _apply(e, caseworkers)
    return Appointment.objects.filter(municipality_id=municipality_id).count()


def rebuild_after_import(sender, municipality, **kwargs) -> None:
    """After ``regie import`` (bulk inserts send no post_save): rebuild the municipality's appointments."""
    rebuild_appointments(municipality.id)
