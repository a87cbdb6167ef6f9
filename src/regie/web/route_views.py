"""Web adapters for the client route: step forms, the approval queue, policy signals, new clients."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.tenancy import can, municipality_ids
from regie.audit.services import log_request
from regie.casework import recommend, steps
from regie.casework.models import Case, CaseState, Client, PendingDecision, PolicySignal
from regie.casework.services import ConflictError, append_event, record_step, review_pending
from regie.core.bsn import bsn_problem
from regie.core.events import EVENT_TYPES, EventError

from .views import _require

MOTIVATION_CODES = [
    ("professioneel", _("Professioneel oordeel: maatwerk voor deze cliënt")),
    ("regel", _("Regel of procedure schrijft anders voor")),
    ("capaciteit", _("Capaciteit, budget of wachtlijst")),
    ("client_wens", _("Wens of situatie van de cliënt")),
    ("gegevens", _("Advies berust op onjuiste of verouderde gegevens")),
    ("overig", _("Overig (licht toe)")),
]


def _case_or_404(request, case_id: int) -> Case:
    case = Case.objects.filter(pk=case_id, municipality_id__in=municipality_ids(request.user)).select_related(
        "client", "municipality", "state").first()
    if case is None:
        log_request(request, "read", "case", case_id, result="denied", municipality_id=request.user.municipality_id,
                    detail="not found in user's municipalities")
        raise Http404
    return case


def _parse_date(value: str, errors: dict, name: str = "effective_date") -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        errors[name] = _("geen geldige datum (JJJJ-MM-DD)")
        return None


def _fields(case: Case, event_type: str, on: dt.date) -> list:
    """The step's form fields; the classification offers the levels of the municipality's own scheme."""
    fields = steps.fields_for(event_type)
    if event_type == "classificatie":
        scheme = recommend.scheme_for(case, on)
        if scheme:
            for f in fields:
                if f.name == "level":
                    f.widget, f.choices = "select", tuple(lv.id for lv in scheme.levels)
                elif f.name == "scheme":
                    f.widget, f.choices = "select", (scheme.id,)
    return fields


@login_required
def step(request, case_id: int, event_type: str):
    """One step of the route: the form shows the policy's advice; the decision is recorded as an event."""
    _require(request, "record_events", "case", case_id)
    if event_type not in EVENT_TYPES:
        raise Http404
    case = _case_or_404(request, case_id)
    state = getattr(case, "state", None)
    version = state.version if state else 0
    errors: dict[str, str] = {}
    values: dict = {}
    on = dt.date.today()
    if request.method == "POST":
        values = request.POST.dict()
        on = _parse_date(values.get("effective_date", ""), errors) or on
        payload = steps.parse_form(event_type, request.POST)
        try:
            expected = int(values.get("expected_version", ""))
        except ValueError:
            expected = None
        if not errors:
            try:
                outcome, obj = record_step(case, request.user, event_type=event_type, effective_date=on,
                                           payload=payload, motivation_code=values.get("motivation_code", ""),
                                           motivation=values.get("motivation", ""), expected_version=expected)
            except EventError as exc:
                for fieldname, message in exc.errors:
                    errors[fieldname.removeprefix("payload.")] = message
            except ConflictError as exc:
                errors["form"] = str(exc)
                version = exc.actual
            else:
                log_request(request, "create", "case", case.external_id, municipality_id=case.municipality_id,
                            detail=f"{outcome} {event_type}")
                if outcome == "pending":
                    messages.info(request, _("Uw besluit wijkt af van het advies en wacht op akkoord van de teammanager."))
                else:
                    messages.success(request, _("Vastgelegd: %(step)s") % {"step": steps.STEP_LABELS[event_type]})
                return redirect("client_detail", case.client_id)
    else:
        log_request(request, "read", "case", case.external_id, municipality_id=case.municipality_id,
                    detail=f"step form {event_type}")
    advice = recommend.advice_for(case, event_type, on) if steps.is_decision(event_type) else None
    if request.method == "GET":
        values = {"effective_date": on.isoformat(), **{k: v for k, v in ((advice.values if advice else {}) or {}).items()}}
    return render(request, "regie/step_form.html", {
        "case": case, "client": case.client, "event_type": event_type, "label": steps.STEP_LABELS[event_type],
        "fields": _fields(case, event_type, on), "values": values, "errors": errors, "advice": advice,
        "version": version, "is_decision": steps.is_decision(event_type),
        "steering": recommend.steering_mode(case, on), "motivation_codes": MOTIVATION_CODES,
    })


@login_required
def approvals(request):
    """The teammanager's queue of deviating decisions (rules-steered municipalities)."""
    _require(request, "approve_deviations", "approvals")
    pending = PendingDecision.objects.filter(
        municipality_id__in=municipality_ids(request.user), status="pending"
    ).select_related("case__client", "requested_by")
    log_request(request, "read", "approvals", municipality_id=request.user.municipality_id,
                detail=f"{pending.count()} pending")
    return render(request, "regie/approvals.html", {"pending": pending, "labels": steps.STEP_LABELS})


@login_required
@require_POST
def review(request, pending_id: int):
    _require(request, "approve_deviations", "approvals", pending_id)
    pending = get_object_or_404(PendingDecision, pk=pending_id, municipality_id__in=municipality_ids(request.user))
    approve = request.POST.get("verdict") == "approve"
    try:
        review_pending(pending, request.user, approve=approve, note=request.POST.get("note", ""))
    except EventError as exc:
        for fieldname, message in exc.errors:
            messages.error(request, f"{fieldname}: {message}")
    else:
        log_request(request, "update", "case", pending.case.external_id, municipality_id=pending.municipality_id,
                    detail=f"{'approved' if approve else 'rejected'} {pending.event_type}")
        messages.success(request, _("Goedgekeurd") if approve else _("Afgewezen"))
    return redirect("approvals")


@login_required
def policy_signals(request):
    """Policy officers see the caseworkers' signals in one list; caseworkers see their own."""
    mine_only = not can(request.user, "view_aggregates")
    if mine_only:
        _require(request, "record_events", "policy_signals")
    signals = PolicySignal.objects.filter(municipality_id__in=municipality_ids(request.user)).select_related("created_by", "case")
    if mine_only:
        signals = signals.filter(created_by=request.user)
    if request.method == "POST" and not mine_only:
        sig = get_object_or_404(signals, pk=request.POST.get("signal"))
        status = request.POST.get("status")
        if status in dict(PolicySignal.STATUSES):
            PolicySignal.objects.filter(pk=sig.pk).update(status=status, response=request.POST.get("response", "").strip())
            messages.success(request, _("Signaal bijgewerkt"))
        return redirect("policy_signals")
    return render(request, "regie/policy_signals.html", {"signals": signals, "statuses": PolicySignal.STATUSES,
                                                          "can_respond": not mine_only})


@login_required
def new_policy_signal(request, case_id: int):
    _require(request, "record_events", "policy_signals")
    case = _case_or_404(request, case_id)
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST.dict()
        topic, text = values.get("topic", "").strip(), values.get("text", "").strip()
        if not topic:
            errors["topic"] = _("vul een onderwerp in")
        if len(text) < 10:
            errors["text"] = _("beschrijf het knelpunt (minstens 10 tekens)")
        if not errors:
            PolicySignal.objects.create(municipality_id=case.municipality_id, case=case, topic=topic[:200], text=text,
                                        rule_id=values.get("rule_id", "")[:100], created_by=request.user)
            messages.success(request, _("Signaal naar beleid verstuurd"))
            return redirect("client_detail", case.client_id)
    return render(request, "regie/policy_signal_form.html", {"case": case, "errors": errors, "values": values})


@login_required
def new_client(request):
    """Register a client and their melding in one go (the start of the route)."""
    _require(request, "record_events", "client")
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST.dict()
        for name in ("given_name", "family_name", "birth_date", "sex", "bsn", "melding_date"):
            if not values.get(name, "").strip():
                errors[name] = _("verplicht")
        if values.get("bsn") and (problem := bsn_problem(values["bsn"].strip())):
            errors["bsn"] = f"BSN {problem}"
        birth = _parse_date(values.get("birth_date", ""), errors, "birth_date") if "birth_date" not in errors else None
        melding = _parse_date(values.get("melding_date", ""), errors, "melding_date") if "melding_date" not in errors else None
        if values.get("sex") and values["sex"] not in ("M", "V", "X"):
            errors["sex"] = _("kies M, V of X")
        if not errors:
            payload = {"channel": values.get("channel") or "balie"}
            age = (melding - birth).days // 365.25 if birth and melding else 99
            if age < 27:  # Pw art. 41 lid 4: four-week search period for under-27s
                payload["search_period_end"] = (melding + dt.timedelta(weeks=4)).isoformat()
            try:
                with transaction.atomic():
                    client = Client.objects.create(
                        municipality_id=request.user.municipality_id, external_id=f"C-{uuid.uuid4().hex[:12]}",
                        bsn=values["bsn"].strip(), given_name=values["given_name"].strip(),
                        family_name=values["family_name"].strip(), birth_date=birth, sex=values["sex"],
                    )
                    case = Case.objects.create(municipality_id=client.municipality_id, client=client,
                                               external_id=f"K-{uuid.uuid4().hex[:12]}", opened_on=melding,
                                               team=request.user.team)
                    append_event(case, type="melding", effective_date=melding, payload=payload, actor=request.user)
                    append_event(case, type="caseworker_toewijzing", effective_date=melding,
                                 payload={"caseworker": request.user.username}, actor=request.user)
            except IntegrityError:
                errors["bsn"] = _("er bestaat al een cliënt met dit BSN in uw gemeente")
            else:
                log_request(request, "create", "client", client.external_id, municipality_id=client.municipality_id)
                return redirect("client_detail", client.pk)
    return render(request, "regie/client_new.html", {"errors": errors, "values": values})


@login_required
def letter(request, case_id: int, event_id: int):
    """The decision letter (beschikking) of a decision event, as PDF."""
    from django.http import HttpResponse

    from regie.casework.letters import LETTER_TYPES, render_letter
    from regie.casework.models import Event

    _require(request, "view_clients", "case", case_id)
    case = _case_or_404(request, case_id)
    event = Event.objects.filter(pk=event_id, case=case, type__in=list(LETTER_TYPES)).select_related("case__client").first()
    if event is None:
        raise Http404
    pdf = render_letter(event, municipality_name=case.municipality.name)
    log_request(request, "export", "case", case.external_id, municipality_id=case.municipality_id,
                detail=f"letter {event.type} {event.external_id}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="beschikking-{event.external_id}.pdf"'
    return response


@login_required
@require_POST
def acknowledge_signal(request, case_id: int):
    """A caseworker acknowledges a signal with a note; it leaves the worklist until it recurs with a new due date."""
    from regie.monitoring.models import SignalAcknowledgement

    _require(request, "record_events", "case", case_id)
    case = _case_or_404(request, case_id)
    note = request.POST.get("note", "").strip()
    code, due = request.POST.get("code", ""), request.POST.get("due", "")
    try:
        due_date = dt.date.fromisoformat(due)
    except ValueError:
        due_date = None
    if not note or not code or due_date is None:
        messages.error(request, _("Signaal afvinken: een notitie is verplicht"))
    else:
        SignalAcknowledgement.objects.get_or_create(
            municipality_id=case.municipality_id, case=case, code=code[:40], due=due_date,
            defaults={"note": note, "by": request.user})
        log_request(request, "update", "case", case.external_id, municipality_id=case.municipality_id,
                    detail=f"signal acknowledged {code[:40]}")
        messages.success(request, _("Signaal afgevinkt"))
    return redirect("client_detail", case.client_id)
