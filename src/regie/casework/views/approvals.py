"""The teammanager's queue of deviating decisions and their review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.access import require_capability
from regie.accounts.tenancy import municipality_ids
from regie.audit.services import log_request
from regie.casework import steps
from regie.casework.decisions import DecisionRefused, review_pending
from regie.casework.models import PendingDecision
from regie.core.events import EventError
from regie.platform.labels import field_label


@login_required
def approvals(request):
    """The teammanager's queue of deviating decisions (rules-steered municipalities)."""
    require_capability(request, "approve_deviations", "approvals")
    return _queue(request)


def _queue(request, refused=None, note: str = "", errors=()):
    """The queue; after a refused review the ``refused`` decision's form shows the typed ``note`` and the
    ``errors`` (status 400), nothing written."""
    pending = PendingDecision.objects.filter(
        municipality_id__in=municipality_ids(request.user), status="pending"
    ).select_related("case__client", "requested_by")
    log_request(
        request, "read", "approvals", municipality_id=request.user.municipality_id, detail=f"{pending.count()} pending"
    )
    return render(
        request,
        "casework/approvals.html",
        {
            "pending": pending,
            "labels": steps.STEP_LABELS,
            "refused": refused.pk if refused else None,
            "note": note,
            "errors": list(errors),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def review(request, pending_id: int):
    require_capability(request, "approve_deviations", "approvals", pending_id)
    pending = get_object_or_404(PendingDecision, pk=pending_id, municipality_id__in=municipality_ids(request.user))
    approve = request.POST.get("verdict") == "approve"
    note = request.POST.get("note", "")
    try:
        review_pending(pending, request.user, approve=approve, note=note)
    except DecisionRefused as exc:
        log_request(
            request,
            "denied",
            "case",
            pending.case.external_id,
            result="denied",
            municipality_id=pending.municipality_id,
            detail=f"review {exc.rule}",
        )
        return _queue(request, pending, note, [exc.message])
    except EventError as exc:
        return _queue(request, pending, note, [f"{field_label(name)}: {message}" for name, message in exc.errors])
    else:
        log_request(
            request,
            "update",
            "case",
            pending.case.external_id,
            municipality_id=pending.municipality_id,
            detail=f"{'approved' if approve else 'rejected'} {pending.event_type}",
        )
        messages.success(request, _("Goedgekeurd") if approve else _("Afgewezen"))
    return redirect("approvals")
