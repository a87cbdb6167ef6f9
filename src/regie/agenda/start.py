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
import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from regie.accounts.access import require_capability
from regie.audit.services import log_request
from regie.casework.derived import per_case, snapshots_of
from regie.casework.legal import legal_states_for
from regie.casework.models import CaseState, Event, PendingDecision
from regie.casework.signals import norms_for, open_signals_light, policy_key, signal_horizon_days, split_by_horizon
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
    return _clearing_link(code, case_id, get_script_prefix())


@functools.lru_cache(maxsize=50_000)  # pages3: reverse() per signal row was a tenth of the start page
def _clearing_link(code: str, case_id: int, _prefix: str) -> str:
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
            "version",
            "case__client_id",
            "case__client__given_name",
            "case__client__family_name",
        )
    )
    names = {r[0]: (r[3], f"{r[4]} {r[5]}") for r in rows}
    # pages: what is derived per case (its reports and portal steps, signals, legal state, terms) is memoised per
    # case version (regie.casework.derived); only cases that changed are read anew
    versions = {r[0]: r[2] for r in rows}
    listed = per_case("start_events", versions, _listed_events)
    candidates = [ev for evs in listed.values() for ev in (evs or ())]
    report_ids = _newest(candidates, lambda ev: ev[1] == "rapportage" and ev[3] > reports_since)
    reports = list(
        Event.objects.filter(id__in=report_ids).select_related("case__client").order_by("-recorded_at", "-id")
    )
    decisions = list(
        PendingDecision.objects.filter(
            requested_by=user, status__in=("approved", "rejected"), reviewed_at__gt=decisions_since
        )
        .select_related("case__client")  # pages4: not the reviewer (the page does not name them)
        .order_by("-reviewed_at")[:20]
    )
    # portal: what the caseworker's clients did in Mijn Regie in the last two weeks (signed a plan, reported a
    # change, lodged an objection); income forms, documents and messages arrive as tasks or in their own sections
    portal_ids = _newest(
        candidates, lambda ev: ev[2] == "client" and ev[1] in PORTAL_STEPS and ev[3] > now - NEW_WINDOW
    )
    portal_steps = list(
        Event.objects.filter(id__in=portal_ids).select_related("case__client").order_by("-recorded_at", "-id")
    )
    signals = open_signals_light([(r[0], r[1], None, r[2]) for r in rows], today)
    horizons: dict[str, int] = {}
    norms: dict[str, object] = {}
    for code in {r[1] for r in rows}:
        horizons[code] = signal_horizon_days(code, today)
        norms[code] = norms_for(code, today)
    code_of = {r[0]: r[1] for r in rows}

    def derive_terms(ids: list[int]) -> dict[int, list]:
        snaps = snapshots_of(ids)
        legal = legal_states_for(ids, versions)  # legal: the zienswijze and objection terms among the terms
        return {cid: due_dates(snaps.get(cid) or {}, today, norms[code_of[cid]], legal.get(cid)) for cid in ids}

    due = per_case("start_terms", versions, derive_terms, extra=policy_key(set(code_of.values()), today))
    groups: dict[str, dict] = {}
    terms = []
    for case_id, code, *_rest in rows:
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
        for d in due.get(case_id) or ():
            if d.key in CLIENT_LEGAL_TERMS:
                continue  # the client's own terms (bezwaar, beroep) are on the case page, not the caseworker's day
            if not d.overdue and d.due <= today + dt.timedelta(days=TERMS_SOON_DAYS):
                terms.append(
                    {
                        "client_id": client_id,
                        "name": name,
                        "key": d.key,
                        "label": d.label,
                        "due": d.due,
                        "source": d.source,
                    }
                )
    # ranked: the kind with the most rows first; within a kind the longest overdue first
    signal_groups = sorted(groups.values(), key=lambda g: (-(len(g["rows"]) + g["older"]), g["code"]))
    for g in signal_groups:
        g["rows"].sort(key=lambda r: r["due"])
        # pages4: the key of the group's rendered list (casework.templatetags.fragments): everything a row shows
        # (the action's label follows from the code)
        g["rows_key"] = (g["code"], tuple((r["client_id"], r["name"], r["due"], r["link"]) for r in g["rows"]))
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


PORTAL_STEPS = ("plan_ondertekend", "wijziging_gemeld", "bezwaar_ingediend", "bezwaar")


def _listed_events(ids: list[int]) -> dict[int, list[tuple]]:
    """(id, type, actor role, recorded at) of the events of these cases the start page may list: provider reports
    and the client's steps in the portal."""
    out: dict[int, list[tuple]] = {}
    for i in range(0, len(ids), 2000):
        for case_id, *ev in Event.objects.filter(
            case_id__in=ids[i : i + 2000], type__in=("rapportage", *PORTAL_STEPS)
        ).values_list("case_id", "id", "type", "actor_role", "recorded_at"):
            out.setdefault(case_id, []).append(tuple(ev))
    return out


def _newest(events: list[tuple], keep, n: int = 20) -> list[int]:
    """The ids of the ``n`` most recently recorded of ``events`` that ``keep`` accepts."""
    return [ev[0] for ev in sorted(filter(keep, events), key=lambda ev: (ev[3], ev[0]), reverse=True)[:n]]


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
