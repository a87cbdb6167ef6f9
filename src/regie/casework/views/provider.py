"""The provider portal: external coaches see only the clients referred to their organisation.

What a coach sees of a client is deliberately narrow (``referral_view``): name, the warm hand-over summary, the
plan (goal, version, review date), the trajectory and its report deadline, and the reports their own
organisation sent. Never the BSN, household, income, sanctions, exemptions or other trajectories.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from regie.accounts.access import not_found, require_capability
from regie.audit.services import log_request
from regie.casework.models import Case, Event
from regie.casework.services import append_event
from regie.core.events import EventError
from regie.platform import labels as registry

# Assumption until the policy engine supplies it: monthly reports for trajectories (seed 003:506 and 001:1006 name
# weekly, monthly or quarterly reporting depending on trajectory length).
DEFAULT_REPORT_INTERVAL_DAYS = 30

REPORT_KINDS = list(registry.BUILTIN_OPTIONS["rapportage.kind"].items())  # labels: regie.platform.labels


@dataclass
class Referral:
    case: Case
    trajectory_id: str
    kind: str
    module: str | None
    start: dt.date
    handover: str | None
    plan: dict | None
    last_report: dt.date | None
    next_report_due: dt.date
    reports: list[Event]


def _referrals(user, case_id: int | None = None) -> list[Referral]:
    """Open trajectories at the coach's provider, in the coach's municipality (two queries, no N+1)."""
    if not user.provider_id:
        return []
    code = user.provider.code
    starts = Event.objects.filter(
        municipality_id=user.provider.municipality_id, type="traject_start", payload__provider=code
    ).select_related("case__client", "case__state")
    if case_id is not None:
        starts = starts.filter(case_id=case_id)
    starts = [e for e in starts if e.payload["trajectory_id"] in (e.case.state.snapshot.get("trajectories") or {})]
    if not starts:
        return []
    case_ids = {e.case_id for e in starts}
    related = Event.objects.filter(case_id__in=case_ids, type__in=("plan_van_aanpak", "rapportage")).order_by(
        "effective_date", "id"
    )
    plans: dict[int, dict] = {}
    reports: dict[tuple[int, str], list[Event]] = {}
    for e in related:
        if e.type == "plan_van_aanpak":
            plans[e.case_id] = e.payload
        elif e.payload.get("trajectory_id"):
            reports.setdefault((e.case_id, e.payload["trajectory_id"]), []).append(e)
    out = []
    for e in starts:
        tid = e.payload["trajectory_id"]
        mine = reports.get((e.case_id, tid), [])
        last = mine[-1].effective_date if mine else None
        out.append(
            Referral(
                case=e.case,
                trajectory_id=tid,
                kind=e.payload["kind"],
                module=e.payload.get("module"),
                start=e.effective_date,
                handover=e.payload.get("handover"),
                plan=plans.get(e.case_id),
                last_report=last,
                next_report_due=(last or e.effective_date) + dt.timedelta(days=DEFAULT_REPORT_INTERVAL_DAYS),
                reports=mine,
            )
        )
    return sorted(out, key=lambda r: r.next_report_due)


@login_required
def clients(request):
    require_capability(request, "view_referred_clients", "referrals")
    referrals = _referrals(request.user)
    log_request(
        request,
        "read",
        "referrals",
        municipality_id=request.user.municipality_id,
        detail=f"{len(referrals)} referred clients",
    )
    return render(request, "casework/provider_clients.html", {"referrals": referrals, "today": dt.date.today()})


@login_required
def referral(request, case_id: int):
    require_capability(request, "view_referred_clients", "case", case_id)
    found = _referrals(request.user, case_id)
    if not found:
        raise not_found(request, "case", case_id, detail="not referred to this provider")
    ref = found[0]
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST.dict()
        kind = values.get("kind", "")
        summary = values.get("summary", "").strip()
        try:
            on = dt.date.fromisoformat(values.get("effective_date", ""))
        except ValueError:
            errors["effective_date"] = _("geen geldige datum (JJJJ-MM-DD)")
            on = None
        if kind not in dict(REPORT_KINDS):
            errors["kind"] = _("kies een soort melding")
        if kind in ("voortgang", "eind", "advies") and len(summary) < 10:
            errors["summary"] = _("schrijf minstens een paar zinnen")
        if not errors:
            try:
                append_event(
                    ref.case,
                    type="rapportage",
                    effective_date=on,
                    actor=request.user,
                    payload={"trajectory_id": ref.trajectory_id, "kind": kind, "summary": summary},
                )
            except EventError as exc:
                errors.update({f.removeprefix("payload."): m for f, m in exc.errors})
            else:
                log_request(
                    request,
                    "create",
                    "case",
                    ref.case.external_id,
                    municipality_id=ref.case.municipality_id,
                    detail=f"provider report {kind}",
                )
                messages.success(request, _("Rapportage verstuurd"))
                return redirect("provider:referral", case_id)
    else:
        log_request(
            request,
            "read",
            "case",
            ref.case.external_id,
            municipality_id=ref.case.municipality_id,
            detail="provider referral",
        )
    return render(
        request,
        "casework/provider_referral.html",
        {
            "ref": ref,
            "errors": errors,
            "values": values,
            "kinds": REPORT_KINDS,
            "today": dt.date.today(),
        },
        status=400 if errors else 200,
    )
