"""Demo data of the agenda (``regie demo``): a realistic week for the demo municipality's caseworkers --
appointments today and this week, outcomes of last week's (two no-shows). Notes: regie.journal.demo. Everything
goes through the same services as the pages (the decision gate)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

KINDS_TODAY = ("intake", "voortgangsgesprek", "driegesprek", "voortgangsgesprek", "huisbezoek")


def add_demo_appointments(municipality, caseworkers: int = 3) -> int:
    """Add appointments for the first ``caseworkers`` caseworkers with a caseload; returns the number of events
    written. Called once after the demo import (it adds, it does not check for earlier runs)."""
    from regie.casework.models import CaseState
    from regie.core.records import CASEWORKER_ROLES

    from .services import plan, record_outcome

    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    written = 0
    users = []
    for st in (
        CaseState.objects.filter(municipality=municipality, status="lopend", caseworker__role__in=CASEWORKER_ROLES)
        .select_related("caseworker")
        .order_by("caseworker_id")
    ):
        if st.caseworker not in users:
            users.append(st.caseworker)
        if len(users) >= caseworkers:
            break
    for user in users:
        states = list(CaseState.objects.filter(caseworker=user, status="lopend").select_related("case__client")[:12])
        for i, st in enumerate(states[:5]):  # today: five appointments from 9:00
            plan(
                st.case,
                user,
                kind=KINDS_TODAY[i],
                date=today,
                start_time=dt.time(9 + i, 0),
                location="Werkplein, spreekkamer 2" if KINDS_TODAY[i] != "huisbezoek" else "",
                planned_on=today - dt.timedelta(days=7),
            )
            written += 1
        for i, st in enumerate(states[5:9]):  # last week: held, two no-shows, rescheduled to next week
            day = monday - dt.timedelta(days=7 - i)
            appt = plan(
                st.case,
                user,
                kind="voortgangsgesprek",
                date=day,
                start_time=dt.time(10, 0),
                location="Werkplein, spreekkamer 2",
                planned_on=day - dt.timedelta(days=7),
            )
            outcome = ("gehouden", "no_show", "no_show_gemeld", "verzet")[i]
            record_outcome(
                appt,
                user,
                outcome=outcome,
                new_date=monday + dt.timedelta(days=8) if outcome == "verzet" else None,
                new_start=dt.time(11, 0) if outcome == "verzet" else None,
            )
            written += 2 + (outcome == "verzet")
    return written
