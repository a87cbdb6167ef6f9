"""One step of the client route: the form shows the policy's advice; the decision goes through the one service.
Also acknowledging a signal. (The decision letter is the letters app's: ``regie.letters.views.letter``.)"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.access import require_capability
from regie.audit.services import log_request
from regie.casework import recommend, signals, steps
from regie.casework.decisions import DecisionRefused, record_step
from regie.casework.models import Case
from regie.casework.services import ConflictError
from regie.core.events import EVENT_TYPES, EventError
from regie.core.policy import PolicyUnavailable
from regie.platform import labels as registry

from .common import case_or_404, parse_date

MOTIVATION_CODES = list(registry.BUILTIN_OPTIONS["motivation_code"].items())  # labels: regie.platform.labels


def _fields(case: Case, event_type: str, on: dt.date) -> list:
    """The step's form fields; the classification offers the levels of the municipality's own scheme."""
    fields = steps.for_case(case, event_type, steps.fields_for(event_type))
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
    require_capability(request, "record_events", "case", case_id)
    if event_type not in EVENT_TYPES:
        raise Http404
    case = case_or_404(request, case_id)
    state = getattr(case, "state", None)
    version = state.version if state else 0
    errors: dict[str, str] = {}
    values: dict = {}
    conflict = False
    on = dt.date.today()
    if request.method == "POST":
        values = request.POST.dict()
        on = parse_date(values.get("effective_date", ""), errors) or on
        payload = steps.parse_form(event_type, request.POST)
        try:
            expected = int(values.get("expected_version", ""))
        except ValueError:
            expected = None
        if not errors and "advies_bijwerken" not in values:  # without JavaScript: recompute the advice only
            try:
                outcome, obj = record_step(
                    case,
                    request.user,
                    event_type=event_type,
                    effective_date=on,
                    payload=payload,
                    motivation_code=values.get("motivation_code", ""),
                    motivation=values.get("motivation", ""),
                    expected_version=expected,
                    source="web",
                )
            except DecisionRefused as exc:  # the policy's decision rights: nothing recorded, the rule named
                errors["form"] = exc.message
            except EventError as exc:
                for fieldname, message in exc.errors:
                    errors[fieldname.removeprefix("payload.")] = message
            except ConflictError as exc:
                errors["form"] = str(exc)
                version = exc.actual
                conflict = True
            except PolicyUnavailable as exc:  # fail closed: nothing recorded, what was typed stays in the form
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
                if outcome == "pending":
                    messages.info(
                        request, _("Uw besluit wijkt af van het advies en wacht op akkoord van de teammanager.")
                    )
                else:
                    messages.success(request, _("Vastgelegd: %(step)s") % {"step": steps.STEP_LABELS[event_type]})
                return redirect("client_detail", case.client_id)
    else:
        log_request(
            request,
            "read",
            "case",
            case.external_id,
            municipality_id=case.municipality_id,
            detail=f"step form {event_type}",
        )
    advice, steering, fields = None, None, steps.fields_for(event_type)
    entered = steps.advice_inputs(event_type, request.POST) if request.method == "POST" else {}
    try:
        advice = recommend.advice_for(case, event_type, on, extra=entered) if steps.is_decision(event_type) else None
        steering = recommend.steering_mode(case, on)
        fields = _fields(case, event_type, on)
    except PolicyUnavailable as exc:  # the form says so; recording is refused by record_step as well
        errors.setdefault("form", exc.message)
    if request.method == "GET":
        values = {"effective_date": on.isoformat()}
        # agenda: a link may pre-fill the form (a no-show starts a waarschuwing: ?obligation_type=...)
        values.update({f.name: request.GET[f.name] for f in fields if request.GET.get(f.name)})
    # the advice fills what the caseworker left empty (also without JavaScript: on "advies bijwerken" or an error)
    advised = _prefill(advice)
    values = {**values, **{k: v for k, v in advised.items() if values.get(k) in (None, "")}}
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
            "advice": advice,
            "advised": advised,
            "deviates": _deviations(advice, advised, values),
            "version": version,
            "is_decision": steps.is_decision(event_type),
            "steering": steering,
            "motivation_codes": MOTIVATION_CODES,
        },
        # a refused step is the form again with what was typed: 400, or 409 when someone else changed the case
        status=409 if conflict else 400 if errors and request.method == "POST" else 200,
    )


def _prefill(advice) -> dict:
    """The form values the advice proposes: the recommended values and the suggested inputs, as form strings."""
    if advice is None:
        return {}
    return {k: _form_value(v) for k, v in {**advice.suggested, **advice.values}.items()}


def _deviations(advice, proposed: dict, data) -> list[str]:
    """Labels of the fields whose entered value differs from the recommended one (a deviation needs a motivation)."""
    if advice is None:
        return []
    out = []
    for k in advice.values:
        entered = str(data.get(k, "") or "").strip()
        if entered and entered.lower() != proposed[k].lower() and not _same_number(entered, proposed[k]):
            out.append(recommend.field_label(k))
    return out


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _form_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)


@login_required
def advice(request, case_id: int, event_type: str):
    """The advice panel of a step form, recomputed from the values entered so far (htmx, on every change).

    Read-only: nothing is recorded. The same ``recommend.advice_for`` the decision gate calls computes it, so the
    panel shows what will be stored. Inputs the advice proposes are swapped into the form (out of band) while the
    caseworker has left them empty or unchanged since the last advice; what the caseworker typed is kept."""
    require_capability(request, "record_events", "case", case_id)
    if event_type not in EVENT_TYPES or not steps.is_decision(event_type):
        raise Http404
    case = case_or_404(request, case_id)
    data = request.POST if request.method == "POST" else request.GET
    errors: dict[str, str] = {}
    on = parse_date(data.get("effective_date", ""), errors) or dt.date.today()
    advice_, steering, failure, fields = None, None, None, []
    try:
        advice_ = recommend.advice_for(case, event_type, on, extra=steps.advice_inputs(event_type, data))
        steering = recommend.steering_mode(case, on)
        fields = _fields(case, event_type, on)
    except PolicyUnavailable as exc:
        failure = exc.message
    log_request(
        request,
        "read",
        "case",
        case.external_id,
        municipality_id=case.municipality_id,
        detail=f"step advice {event_type}",
    )
    proposed = _prefill(advice_)
    by_name = {f.name: f for f in fields}
    refill = [
        (by_name[k], {k: v})
        for k, v in proposed.items()
        if k in by_name and (data.get(k, "") in ("", data.get(f"advised_{k}")))
    ]
    deviates = _deviations(advice_, proposed, data)
    return render(
        request,
        "casework/_advice.html",
        {
            "case": case,
            "event_type": event_type,
            "advice": advice_,
            "steering": steering,
            "failure": failure,
            "advised": proposed,
            "refill": refill,
            "deviates": deviates,
            "oob": True,
        },
    )


@login_required
@require_POST
def acknowledge_signal(request, case_id: int):
    """A caseworker acknowledges a signal with a note; it leaves the worklist until it recurs with a new due date."""
    require_capability(request, "record_events", "case", case_id)
    case = case_or_404(request, case_id)
    note = request.POST.get("note", "").strip()
    code, due = request.POST.get("code", ""), request.POST.get("due", "")
    try:
        due_date = dt.date.fromisoformat(due)
    except ValueError:
        due_date = None
    if not note or not code or due_date is None:
        messages.error(request, _("Signaal afvinken: een notitie is verplicht"))
    else:
        signals.acknowledge(case, request.user, code=code, due=due_date, note=note)
        log_request(
            request,
            "update",
            "case",
            case.external_id,
            municipality_id=case.municipality_id,
            detail=f"signal acknowledged {code[:40]}",
        )
        messages.success(request, _("Signaal afgevinkt"))
    return redirect("client_detail", case.client_id)
