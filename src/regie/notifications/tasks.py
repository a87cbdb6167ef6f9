"""The periodic job of notifications (regie.platform.jobs): announce terms about to expire, once per term.

Run it daily: ``regie notifications terms`` from cron / a systemd timer, or enqueue :func:`announce_terms` (the
worker runs it). It is idempotent (Notification.key), so running it twice a day announces nothing twice."""

from __future__ import annotations

import datetime as dt

from regie.platform import jobs

# Announce a term this many days before it expires (assumption: a week, time to act; the start page shows two).
ANNOUNCE_DAYS = 7


@jobs.task()
def announce_terms(municipality_id: int, on: str | None = None) -> int:
    """Notify each caseworker of the due dates in their caseload that expire within ANNOUNCE_DAYS (not passed:
    passed ones are signals). The due dates are :func:`regie.core.kpi.deadlines.due_dates`, the one function."""
    from django.urls import reverse
    from django.utils import timezone

    from regie.casework.legal import legal_states_for
    from regie.casework.models import CaseState
    from regie.casework.signals import norms_for
    from regie.core.kpi.deadlines import due_dates
    from regie.core.kpi.signals import CLIENT_LEGAL_TERMS

    from .services import notify

    day = dt.date.fromisoformat(on) if on else timezone.localdate()
    rows = (
        CaseState.objects.filter(municipality_id=municipality_id, caseworker__isnull=False)
        .select_related("caseworker", "case__municipality")
        .only("case_id", "snapshot", "caseworker", "case__client_id", "case__external_id", "case__municipality__code")
    )
    norms: dict = {}
    sent = 0
    legal = legal_states_for(rows.values_list("case_id", flat=True))  # legal: zienswijze and objection terms
    for st in rows.iterator(chunk_size=2000):
        code = st.case.municipality.code
        if code not in norms:
            norms[code] = norms_for(code, day)
        for d in due_dates(st.snapshot, day, norms[code], legal.get(st.case_id)):
            if d.overdue or d.due > day + dt.timedelta(days=ANNOUNCE_DAYS) or d.key in CLIENT_LEGAL_TERMS:
                continue
            n = notify(
                st.caseworker,
                "term",
                "term_expiring",
                {"label": d.key, "label_text": d.label, "due": d.due.isoformat(), "case": st.case.external_id},
                reverse("client_detail", args=[st.case.client_id]),
                key=f"term:{st.case_id}:{d.key}:{d.due.isoformat()}",
            )
            sent += n is not None
    return sent
