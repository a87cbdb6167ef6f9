"""The caseworker's start page: "what do I do today?".

Grouped and ranked, top to bottom: today's appointments; tasks due this week (a template tag of regie.worktasks,
a sibling app: no import); new provider reports; decisions back from the teammanager; signals that need action,
grouped by kind, each row linking to the step that clears it (pre-filled); terms that expire soon. A signal due
longer ago than the policy's horizon (``deadlines.signal_horizon_days``) is counted in one line per kind ("12 oudere
signalen"), not listed on every row.

Everything is read from the projections (CaseState, Appointment) and the log's indexed columns: a fixed handful of
queries whatever the caseload (tests/agenda/test_start.py).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from regie.accounts.access import require_capability
from regie.audit.services import log_request
from regie.casework.legal import legal_states_for
from regie.casework.models import CaseState, Event, PendingDecision
from regie.casework.signals import norms_for, open_signals_light, signal_horizon_days, split_by_horizon
from regie.core.kpi.deadlines import due_dates
from regie.core.kpi.signals import CLIENT_LEGAL_TERMS

from . import selectors
from .models import StartPageSeen

# How far back "new" reaches when the caseworker never marked anything seen (assumption: two weeks).
NEW_WINDOW = dt.timedelta(days=14)
# Terms shown as "about to expire": due within this many days and not yet passed (assumption: two weeks, the
# usual planning horizon of a caseload; passed terms are signals).
TERMS_SOON_DAYS = 14

# The step that clears a signal: (kind, argument). "step" opens the route step form of that event type,
# "agenda" the new-appointment form with that kind.
CLEARING_STEP: dict[str, tuple[str, str]] = {
    "intake_late": ("agenda", "intake"),
    "search_period_over": ("step", "toekenning"),
    "plan_review_due": ("step", "plan_van_aanpak"),
    "no_trajectory_12m": ("step", "traject_start"),
    "no_contact": ("agenda", "voortgangsgesprek"),
    "report_overdue": ("step", "rapportage"),
    "exemption_ended": ("step", "ontheffing_einde"),
    "exemption_ending": ("step", "ontheffing_einde"),
    "aftercare_ending": ("step", "nazorg_einde"),
    "no_action": ("agenda", "voortgangsgesprek"),
    # legal: the hearing after a zienswijze term, the decision on an objection (regie.legal's step forms)
    "zienswijze_term_passed": ("legal", "horen"),
    "objection_term_passed": ("legal", "beslissing_op_bezwaar"),
    "objection_term_expiring": ("legal", "beslissing_op_bezwaar"),
}
STEP_ACTION_LABELS = {
    "intake_late": _("Intake plannen"),
    "search_period_over": _("Aanvraag beslissen"),
    "plan_review_due": _("Plan van aanpak evalueren"),
    "no_trajectory_12m": _("Traject starten"),
    "no_contact": _("Gesprek plannen"),
    "report_overdue": _("Rapportage vastleggen"),
    "exemption_ended": _("Ontheffing beëindigen"),
    "exemption_ending": _("Ontheffing beëindigen"),
    "aftercare_ending": _("Nazorg afsluiten"),
    "no_action": _("Gesprek plannen"),
    "zienswijze_term_passed": _("Horen vastleggen"),
    "objection_term_passed": _("Op het bezwaar beslissen"),
    "objection_term_expiring": _("Op het bezwaar beslissen"),
}


def clearing_link(code: str, case_id: int) -> str:
    kind, arg = CLEARING_STEP.get(code, ("step", "contact"))
    if kind == "agenda":
        return reverse("agenda:new", args=[case_id]) + f"?soort={arg}"
    if kind == "legal":
        return reverse("legal:step", args=[case_id, arg])
    return reverse("case_step", args=[case_id, arg])


def start_data(user, today: dt.date | None = None) -> dict:
    """What the start page shows for ``user`` (their own caseload)."""
    today = today or timezone.localdate()
    now = timezone.now()
    seen = StartPageSeen.objects.filter(user=user).first()
    reports_since = (seen.reports_seen_at if seen and seen.reports_seen_at else None) or now - NEW_WINDOW
    decisions_since = (seen.decisions_seen_at if seen and seen.decisions_seen_at else None) or now - NEW_WINDOW

    appointments = list(selectors.calendar(user, user, today, 1))
    rows = list(
        CaseState.objects.filter(caseworker=user).values_list(
            "case_id",
            "case__municipality__code",
            "snapshot",
            "case__client_id",
            "case__client__given_name",
            "case__client__family_name",
        )
    )
    names = {r[0]: (r[3], f"{r[4]} {r[5]}") for r in rows}
    reports = list(
        Event.objects.filter(case__state__caseworker=user, type="rapportage", recorded_at__gt=reports_since)
        .select_related("case__client")
        .order_by("-recorded_at")[:20]
    )
    decisions = list(
        PendingDecision.objects.filter(
            requested_by=user, status__in=("approved", "rejected"), reviewed_at__gt=decisions_since
        )
        .select_related("case__client", "reviewed_by")
        .order_by("-reviewed_at")[:20]
    )
    # portal: what the caseworker's clients did in Mijn Regie in the last two weeks (signed a plan, reported a
    # change, lodged an objection); income forms, documents and messages arrive as tasks or in their own sections
    portal_steps = list(
        Event.objects.filter(
            case__state__caseworker=user,
            actor_role="client",
            type__in=("plan_ondertekend", "wijziging_gemeld", "bezwaar_ingediend", "bezwaar"),
            recorded_at__gt=now - NEW_WINDOW,
        )
        .select_related("case__client")
        .order_by("-recorded_at")[:20]
    )
    signals = open_signals_light([(r[0], r[1], r[2]) for r in rows], today)
    legal = legal_states_for(r[0] for r in rows)  # legal: the zienswijze and objection terms among the terms
    horizons: dict[str, int] = {}
    norms: dict[str, object] = {}
    groups: dict[str, dict] = {}
    terms = []
    for case_id, code, snapshot, *_rest in rows:
        if code not in horizons:
            horizons[code] = signal_horizon_days(code, today)
            norms[code] = norms_for(code, today)
        recent, older = split_by_horizon(signals.get(case_id, []), today, horizons[code])
        client_id, name = names[case_id]
        for s in recent + older:
            g = groups.setdefault(
                s.code,
                {
                    "code": s.code,
                    "label": s.label,
                    "action": STEP_ACTION_LABELS.get(s.code, _("Contact vastleggen")),
                    "rows": [],
                    "older": 0,
                    "horizon": horizons[code],
                },
            )
            if s in recent:
                g["rows"].append(
                    {
                        "client_id": client_id,
                        "name": name,
                        "due": s.due,
                        "source": s.source,
                        "link": clearing_link(s.code, case_id),
                    }
                )
            else:
                g["older"] += 1
        for d in due_dates(snapshot, today, norms[code], legal.get(case_id)):
            if d.key in CLIENT_LEGAL_TERMS:
                continue  # the client's own terms (bezwaar, beroep) are on the case page, not the caseworker's day
            if not d.overdue and d.due <= today + dt.timedelta(days=TERMS_SOON_DAYS):
                terms.append({"client_id": client_id, "name": name, "label": d.label, "due": d.due, "source": d.source})
    # ranked: the kind with the most rows first; within a kind the longest overdue first
    signal_groups = sorted(groups.values(), key=lambda g: (-(len(g["rows"]) + g["older"]), g["code"]))
    for g in signal_groups:
        g["rows"].sort(key=lambda r: r["due"])
    terms.sort(key=lambda t: t["due"])
    return {
        "today": today,
        "appointments": appointments,
        "reports": reports,
        "portal_steps": portal_steps,  # portal
        "decisions": decisions,
        "signal_groups": signal_groups,
        "terms": terms,
        "caseload": len(rows),
    }


@login_required
def start_page(request):
    require_capability(request, "record_events", "start_page")
    data = start_data(request.user)
    log_request(
        request,
        "read",
        "start_page",
        request.user.username,
        municipality_id=request.user.municipality_id,
        detail=f"appointments={len(data['appointments'])} reports={len(data['reports'])} "
        f"signal_kinds={len(data['signal_groups'])}",
    )
    return render(request, "agenda/start.html", data)


@login_required
@require_POST
def mark_seen(request):
    """Mark the new reports or the returned decisions as seen (they leave the start page)."""
    require_capability(request, "record_events", "start_page")
    what = request.POST.get("what")
    seen, _created = StartPageSeen.objects.get_or_create(user=request.user)
    if what == "reports":
        seen.reports_seen_at = timezone.now()
    elif what == "decisions":
        seen.decisions_seen_at = timezone.now()
    seen.save()
    return redirect("agenda:start")
