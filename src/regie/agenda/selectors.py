"""Reads of appointments, always within the user's municipalities (tenancy first)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from regie.accounts.tenancy import municipality_ids

from .models import Appointment


def appointments_for(user) -> QuerySet[Appointment]:
    return Appointment.objects.filter(municipality_id__in=municipality_ids(user))


def appointment(user, pk: int) -> Appointment:
    """One appointment of the user's municipalities (Appointment.DoesNotExist otherwise)."""
    return appointments_for(user).select_related("case__client", "case__state", "caseworker").get(pk=pk)


def calendar(user, caseworker, start: dt.date, days: int) -> QuerySet[Appointment]:
    """The caseworker's appointments from ``start`` for ``days`` days, rescheduled ones left out."""
    return (
        appointments_for(user)
        .filter(caseworker=caseworker, date__gte=start, date__lt=start + dt.timedelta(days=days))
        .exclude(status="verzet")
        .select_related("case__client")
        .order_by("date", "start_time", "id")
    )


def for_case(user, case) -> QuerySet[Appointment]:
    return appointments_for(user).filter(case=case).order_by("-date", "-start_time")


def last_location(case, kind: str) -> str:
    """The location of the case's last appointment of this kind (the usual place), or ""."""
    row = (
        Appointment.objects.filter(case=case, kind=kind)
        .exclude(location="")
        .order_by("-date", "-id")
        .values_list("location", flat=True)
        .first()
    )
    return row or ""
