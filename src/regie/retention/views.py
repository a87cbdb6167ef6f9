"""The archivaris's pages: the destruction lists (approve, or take a case off with a reason), the holds, and the
retention classes with their Selectielijst category. Capability ``approve_destruction``; every page is audited;
another municipality's list or hold answers 404, audited as denied. Destruction itself is not a page: it runs
through ``regie retention destroy`` (maintenance mode is never used by request handling).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.access import not_found, require_capability
from regie.audit.services import log_request, origin_of

from . import selectors, services
from .classes import CLASSES, OBJECTION_NOTE, SELECTIELIJST
from .models import RetentionHold

CAP = "approve_destruction"


@login_required
def index(request):
    require_capability(request, CAP, "destruction_list")
    return _index(request)


def _index(request, values=None, errors=None):
    """The lists, holds and classes; after a refused hold its form shows the typed ``values`` and the ``errors``
    by field (status 400), nothing written."""
    lists = selectors.lists_for(request.user)[:24]
    holds = selectors.holds_for(request.user).filter(released_at__isnull=True)
    log_request(
        request,
        "read",
        "destruction_list",
        municipality_id=request.user.municipality_id,
        detail=f"list {len(lists)} lists, {holds.count()} holds",
    )
    return render(
        request,
        "retention/index.html",
        {
            "lists": lists,
            "holds": holds,
            "classes": CLASSES.values(),
            "selectielijst": SELECTIELIJST,
            "objection_note": OBJECTION_NOTE,
            "reasons": RetentionHold.REASONS,
            "values": values or {},
            "errors": errors or {},
        },
        status=400 if errors else 200,
    )


@login_required
def list_detail(request, list_id: int):
    require_capability(request, CAP, "destruction_list", list_id)
    dl = selectors.list_for(request.user, list_id)
    if dl is None:
        raise not_found(request, "destruction_list", list_id)
    return _list_page(request, dl)


def _list_page(request, dl, item_id=None, reason: str = "", error: str = ""):
    """The list; after a refused removal the item's form shows the typed ``reason`` and the ``error`` (400)."""
    items = list(dl.items.all())
    for i in items:
        i.class_label = CLASSES[i.retention_class].label if i.retention_class in CLASSES else i.retention_class
    log_request(
        request, "read", "destruction_list", dl.pk, municipality_id=dl.municipality_id, detail=f"{len(items)} items"
    )
    return render(
        request,
        "retention/list.html",
        {
            "dl": dl,
            "items": items,
            "record": getattr(dl, "record", None),
            "proposed": sum(1 for i in items if i.state == "proposed"),
            "refused_item": item_id,
            "typed_reason": reason,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def approve(request, list_id: int):
    require_capability(request, CAP, "destruction_list", list_id)
    dl = selectors.list_for(request.user, list_id)
    if dl is None:
        raise not_found(request, "destruction_list", list_id)
    try:
        services.approve(request.user, dl, origin=origin_of(request))
        messages.success(
            request,
            _(
                "Vernietigingslijst goedgekeurd. De functioneel beheerder voert hem uit met "
                "'regie retention destroy --list %(pk)s'."
            )
            % {"pk": dl.pk},
        )
    except services.RetentionError as exc:
        messages.error(request, exc.message)
    return redirect("retention:list", list_id=dl.pk)


@login_required
@require_POST
def remove_item(request, list_id: int, item_id: int):
    require_capability(request, CAP, "destruction_list", list_id)
    dl = selectors.list_for(request.user, list_id)
    item = dl.items.filter(pk=item_id).first() if dl else None
    if item is None:
        raise not_found(request, "destruction_list", list_id)
    reason = request.POST.get("reason", "")
    try:
        services.remove_item(request.user, item, reason, origin=origin_of(request))
    except services.RetentionError as exc:
        return _list_page(request, dl, item.pk, reason, exc.message)
    messages.success(request, _("Dossier %(case)s is van de lijst gehaald.") % {"case": item.case_external_id})
    return redirect("retention:list", list_id=dl.pk)


@login_required
@require_POST
def hold_new(request):
    require_capability(request, CAP, "retention_hold")
    values = {n: request.POST.get(n, "") for n in ("case", "reason", "note")}
    ext = values["case"].strip()
    if not ext:  # an empty field is the user's slip, not an unknown dossier (those stay a 404)
        return _index(request, values, {"case": _("Dossiernummer: vul het nummer van het dossier in.")})
    case = selectors.case_for(request.user, ext)
    if case is None:
        raise not_found(request, "case", ext[:64])
    try:
        services.place_hold(case, values["reason"], values["note"], actor=request.user, origin=origin_of(request))
    except services.RetentionError as exc:
        return _index(request, values, {"reason": exc.message})
    messages.success(request, _("Bewaarblokkade op dossier %(case)s.") % {"case": case.external_id})
    return redirect("retention:index")


@login_required
@require_POST
def hold_release(request, hold_id: int):
    require_capability(request, CAP, "retention_hold", hold_id)
    hold = selectors.holds_for(request.user).filter(pk=hold_id).first()
    if hold is None:
        raise not_found(request, "retention_hold", hold_id)
    services.release_hold(hold, actor=request.user, origin=origin_of(request))
    messages.success(request, _("Bewaarblokkade op dossier %(case)s opgeheven.") % {"case": hold.case.external_id})
    return redirect("retention:index")
