"""Bezwaar en beroep pages: the worklist of objections by deadline (juridisch medewerker), one objection with its
terms and steps, and the form of every legal step. Every view is audited; another municipality's case is a 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from regie.accounts.access import not_found, require_capability
from regie.accounts.tenancy import can
from regie.audit.services import log_request
from regie.casework import steps
from regie.casework.decisions import DecisionRefused
from regie.casework.legal import legal_state, objection_rows
from regie.casework.services import ConflictError
from regie.core.events import LEGAL_EVENT_TYPES, EventError
from regie.core.legal.lifecycle import is_decision_type
from regie.core.policy import PolicyUnavailable

from . import selectors
from .access import capability_for
from .services import record_legal_step


def _case_or_404(request, case_id: int):
    case = selectors.case_for(request.user, case_id)
    if case is None:
        raise not_found(request, "case", case_id)
    return case


@login_required
def worklist(request):
    """The objections of the user's municipalities, by the last day of their decision term (Awb art. 7:10)."""
    require_capability(request, "handle_objections", "objection_worklist")
    include_closed = request.GET.get("alle") == "1"
    rows = selectors.objection_worklist(request.user, include_closed=include_closed)
    log_request(
        request,
        "read",
        "objection_worklist",
        municipality_id=request.user.municipality_id,
        detail=f"{len(rows)} objections",
    )
    return render(request, "legal/worklist.html", {"rows": rows, "include_closed": include_closed})


@login_required
def objection(request, case_id: int, objection_id: str):
    """One objection: the contested decision, its terms with their dates and articles, its steps."""
    require_capability(request, "handle_objections", "objection", objection_id)
    case = _case_or_404(request, case_id)
    state = legal_state(case)
    obj = state.objections.get(objection_id)
    if obj is None:
        raise not_found(request, "objection", objection_id, detail="no such objection in this case")
    log_request(
        request, "read", "objection", f"{case.external_id}/{objection_id}", municipality_id=case.municipality_id
    )
    decision = state.decisions.get(str(obj.decision_event))
    appeals = [a for a in state.appeals.values() if a.objection_id == objection_id]
    appeals += [h for h in state.appeals.values() if any(h.lower_appeal_id == a.appeal_id for a in appeals)]
    on = dt.date.today()
    return render(
        request,
        "legal/objection.html",
        {
            "case": case,
            "client": case.client,
            "o": obj,
            "decision": decision,
            "term": obj.decision_term(),
            "appeals": appeals,
            "open_terms": [t for t in state.open_terms(on) if t.ref in (objection_id, *(a.appeal_id for a in appeals))],
            "decision_label": steps.STEP_LABELS.get(obj.decision_type or "", obj.decision_type or ""),
            "outcome_label": steps.CHOICE_LABELS["outcome"].get(obj.outcome or "", ""),
            "letters": selectors.objection_letters(case, objection_id),
            "can_record": True,  # handle_objections was required above: the letters' "brief verstuurd" is theirs
        },
    )


def _choices(case, event_type: str, fields: list) -> list:
    """Offer the case's own voornemens, decisions, objections and appeals in the id fields."""
    state = legal_state(case)
    events = dict(case.events.values_list("id", "type"))
    dates = dict(case.events.values_list("id", "effective_date"))
    for f in fields:
        if f.name == "voornemen_id":
            f.widget, f.choices = (
                "select",
                tuple(
                    (v.voornemen_id, f"{v.voornemen_id} · {steps.STEP_LABELS.get(v.decision_type, v.decision_type)}")
                    for v in state.voornemens.values()
                    if v.used_by is None
                ),
            )
        elif f.name == "decision_event":
            f.widget, f.choices = (
                "select",
                tuple(
                    (str(pk), f"{steps.STEP_LABELS.get(t, t)} · {dates[pk]:%d-%m-%Y} (#{pk})")
                    for pk, t in sorted(events.items())
                    if is_decision_type(t) and t != "beslissing_op_bezwaar"
                ),
            )
        elif f.name == "objection_id" and event_type != "bezwaar":
            f.widget, f.choices = (
                "select",
                tuple(
                    (o.objection_id, f"{o.objection_id} · {o.received_on:%d-%m-%Y}")
                    for o in state.objections.values()
                    if o.open or event_type in ("beroep", "voorlopige_voorziening")
                ),
            )
        elif f.name in ("appeal_id", "lower_appeal_id"):
            f.widget, f.choices = (
                "select",
                tuple(
                    (a.appeal_id, f"{a.appeal_id} · {steps.CHOICE_LABELS['court'].get(a.court, a.court)}")
                    for a in state.appeals.values()
                ),
            )
            f.required = False
    return fields


@login_required
def step(request, case_id: int, event_type: str):
    """The form of one legal step, recorded through the decision gate (record_step)."""
    if event_type not in LEGAL_EVENT_TYPES:
        raise Http404
    require_capability(request, capability_for(request.user, event_type), "case", case_id)
    case = _case_or_404(request, case_id)
    state = getattr(case, "state", None)
    version = state.version if state else 0
    errors: dict[str, str] = {}
    values: dict = {k: v for k, v in request.GET.items() if k in {f.name for f in steps.fields_for(event_type)}}
    on = dt.date.today()
    conflict = False
    if request.method == "POST":
        values = request.POST.dict()
        try:
            on = dt.date.fromisoformat(values.get("effective_date", ""))
        except ValueError:
            errors["effective_date"] = _("geen geldige datum (JJJJ-MM-DD)")
        payload = steps.parse_form(event_type, request.POST)
        if event_type == "beroep" and not payload.get("appeal_id") and payload.get("stage") != "ingesteld":
            payload.pop("appeal_id", None)
        try:
            expected = int(values.get("expected_version", ""))
        except ValueError:
            expected = None
        if not errors:
            try:
                outcome, obj = record_legal_step(
                    case,
                    request.user,
                    event_type=event_type,
                    effective_date=on,
                    payload=payload,
                    motivation=values.get("motivation", ""),
                    expected_version=expected,
                    source="web",
                )
            except DecisionRefused as exc:
                errors["form"] = exc.message
            except EventError as exc:
                for fieldname, message in exc.errors:
                    errors[fieldname.removeprefix("payload.") if fieldname != "payload" else "form"] = message
            except ConflictError as exc:
                errors["form"] = str(exc)
                version = exc.actual
                conflict = True
            except PolicyUnavailable as exc:
                errors["form"] = exc.message
            else:
                log_request(
                    request,
                    "create",
                    "case",
                    case.external_id,
                    municipality_id=case.municipality_id,
                    detail=f"{outcome} {event_type}",
                )
                messages.success(request, _("Vastgelegd: %(step)s") % {"step": steps.STEP_LABELS[event_type]})
                objection_id = getattr(obj, "payload", {}).get("objection_id") if outcome == "recorded" else None
                if objection_id and can(request.user, "handle_objections"):
                    return redirect("legal:objection", case.pk, objection_id)
                return redirect("client_detail", case.client_id)
    else:
        log_request(
            request, "read", "case", case.external_id, municipality_id=case.municipality_id, detail=f"form {event_type}"
        )
        values.setdefault("effective_date", on.isoformat())
    fields = _choices(case, event_type, steps.fields_for(event_type))
    return render(
        request,
        "casework/step_form.html",
        {
            "case": case,
            "client": case.client,
            "event_type": event_type,
            "label": steps.STEP_LABELS[event_type],
            "fields": fields,
            "values": values,
            "errors": errors,
            "advice": None,
            "advised": {},
            "deviates": [],
            "version": version,
            "is_decision": False,
            "steering": None,
            "motivation_codes": [],
        },
        status=(409 if conflict else 400) if errors else 200,  # a refusal: the form again with what was typed
    )


@login_required
def monitoring(request):
    """Objections per decision type and outcome and the share decided within the term (Awb art. 7:10); with
    view_caseworker_results a link to the objections upheld per caseworker on the equity monitor."""
    from regie.accounts.tenancy import municipality_ids
    from regie.core.legal import monitoring as m

    capability = next((c for c in ("view_aggregates", "handle_objections") if can(request.user, c)), "view_aggregates")
    require_capability(request, capability, "objection_monitoring")
    rows = objection_rows(municipality_ids(request.user))
    # per caseworker: on the equity monitor's page (equity:objections), with its names and pseudonyms
    per_caseworker = can(request.user, "view_caseworker_results")
    log_request(
        request,
        "read",
        "objection_monitoring",
        municipality_id=request.user.municipality_id,
        detail=f"{len(rows)} objections",
    )
    table = m.by_type_and_outcome(rows)
    outcomes = ["open", "gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk", "ingetrokken"]
    return render(
        request,
        "legal/monitoring.html",
        {
            "rows": [
                (steps.STEP_LABELS.get(t, t), [counts.get(o, 0) for o in outcomes], sum(counts.values()))
                for t, counts in table.items()
            ],
            "outcomes": outcomes,
            "within": m.within_term(rows),
            "per_caseworker": per_caseworker,
        },
    )
