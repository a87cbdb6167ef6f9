"""iCalendar files (RFC 5545) of appointments, with the ``icalendar`` library: one appointment as an invitation
(``METHOD:REQUEST``) and a caseworker's calendar feed (``METHOD:PUBLISH``).

Times are local to the deployment (``TIME_ZONE``, Europe/Amsterdam) and written with their TZID. The UID is stable
per appointment (its id at this municipality), so a calendar program updates instead of duplicating. A rescheduled
or cancelled appointment is written with ``STATUS:CANCELLED``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Appointment

PRODID = "-//Regie//Agenda//NL"
KIND_LABELS = {
    "intake": "Intake",
    "voortgangsgesprek": "Voortgangsgesprek",
    "driegesprek": "Driegesprek",
    "huisbezoek": "Huisbezoek",
    "hoorzitting": "Hoorzitting",
}


def _tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def uid(appointment: Appointment) -> str:
    return f"{appointment.appointment_id}@{appointment.municipality_id}.regie"


def _vevent(appointment: Appointment, *, with_client: bool) -> VEvent:
    tz = _tz()
    ev = VEvent()
    ev.add("uid", uid(appointment))
    ev.add("dtstamp", timezone.now())
    ev.add("dtstart", dt.datetime.combine(appointment.date, appointment.start_time, tzinfo=tz))
    ev.add("dtend", dt.datetime.combine(appointment.date, appointment.end_time, tzinfo=tz))
    title = KIND_LABELS.get(appointment.kind, appointment.kind)
    if with_client:
        client = appointment.case.client
        title = f"{title}: {client.given_name} {client.family_name}"
    ev.add("summary", title)
    if appointment.location:
        ev.add("location", appointment.location)
    if appointment.with_whom:
        ev.add("description", f"Met: {appointment.with_whom}")
    ev.add("status", "CANCELLED" if appointment.status == "verzet" else "CONFIRMED")
    return ev


def appointment_ics(appointment: Appointment, *, with_client: bool = True) -> bytes:
    """One appointment as an invitation file."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    cal.add_component(_vevent(appointment, with_client=with_client))
    return cal.to_ical()


def feed_ics(appointments, *, name: str) -> bytes:
    """A calendar feed (the caseworker's own appointments)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for a in appointments:
        cal.add_component(_vevent(a, with_client=True))
    return cal.to_ical()


# --- the subscription link (regie.agenda.feeds): minimal personal data ---


def initials(given_name: str, family_name: str) -> str:
    """``Fatima`` ``el Amrani`` -> ``F.e.A.``: the first letter of every part, each followed by a dot."""
    parts = f"{given_name} {family_name}".replace("-", " ").split()
    return "".join(f"{p[0]}." for p in parts if p)


def _minimal_vevent(appointment: Appointment, link: str) -> VEvent:
    tz = _tz()
    ev = VEvent()
    ev.add("uid", uid(appointment))
    ev.add("dtstamp", timezone.now())
    ev.add("dtstart", dt.datetime.combine(appointment.date, appointment.start_time, tzinfo=tz))
    ev.add("dtend", dt.datetime.combine(appointment.date, appointment.end_time, tzinfo=tz))
    client = appointment.case.client
    kind = KIND_LABELS.get(appointment.kind, appointment.kind)
    ev.add("summary", f"{kind}: {initials(client.given_name, client.family_name)} ({appointment.case.external_id})")
    if appointment.location and appointment.kind != "huisbezoek":  # a huisbezoek's place is the client's home
        ev.add("location", appointment.location)
    ev.add("url", link)
    ev.add("status", "CANCELLED" if appointment.status == "verzet" else "CONFIRMED")
    ev.add("class", "PRIVATE")
    return ev


def subscription_ics(appointments, *, name: str, link_for) -> bytes:
    """The subscription feed: per appointment the kind, the client's initials and case number, the time, the place
    (not of a huisbezoek) and ``link_for(appointment)``, the appointment's page in Regie."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for a in appointments:
        cal.add_component(_minimal_vevent(a, link_for(a)))
    return cal.to_ical()
