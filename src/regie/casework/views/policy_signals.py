"""Signals to policy: a caseworker reports where a rule does not fit; policy officers answer them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from regie.accounts.access import require_capability
from regie.accounts.tenancy import can, municipality_ids
from regie.casework.models import PolicySignal

from .common import case_or_404


@login_required
def policy_signals(request):
    """Policy officers see the caseworkers' signals in one list; caseworkers see their own."""
    mine_only = not can(request.user, "view_aggregates")
    if mine_only:
        require_capability(request, "record_events", "policy_signals")
    signals = PolicySignal.objects.filter(municipality_id__in=municipality_ids(request.user)).select_related(
        "created_by", "case"
    )
    if mine_only:
        signals = signals.filter(created_by=request.user)
    if request.method == "POST" and not mine_only:
        sig = get_object_or_404(signals, pk=request.POST.get("signal"))
        status = request.POST.get("status")
        if status in dict(PolicySignal.STATUSES):
            PolicySignal.objects.filter(pk=sig.pk).update(
                status=status, response=request.POST.get("response", "").strip()
            )
            messages.success(request, _("Signaal bijgewerkt"))
        return redirect("policy_signals")
    return render(
        request,
        "casework/policy_signals.html",
        {"signals": signals, "statuses": PolicySignal.STATUSES, "can_respond": not mine_only},
    )


@login_required
def new_policy_signal(request, case_id: int):
    require_capability(request, "record_events", "policy_signals")
    case = case_or_404(request, case_id)
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST.dict()
        topic, text = values.get("topic", "").strip(), values.get("text", "").strip()
        if not topic:
            errors["topic"] = _("vul een onderwerp in")
        if len(text) < 10:
            errors["text"] = _("beschrijf het knelpunt (minstens 10 tekens)")
        if not errors:
            PolicySignal.objects.create(
                municipality_id=case.municipality_id,
                case=case,
                topic=topic[:200],
                text=text,
                rule_id=values.get("rule_id", "")[:100],
                created_by=request.user,
            )
            messages.success(request, _("Signaal naar beleid verstuurd"))
            return redirect("client_detail", case.client_id)
    return render(request, "casework/policy_signal_form.html", {"case": case, "errors": errors, "values": values})
