"""The auditor's view of the access log: search and CSV export."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from regie.accounts.access import require_capability
from regie.accounts.tenancy import municipality_ids
from regie.platform.labels import ACTION_LABELS, OBJECT_LABELS, action_label, object_label

from . import selectors as audit_selectors
from .services import log_request


def _audit_filters(request) -> dict:
    f = {}
    for key in ("actor", "action", "object_type", "object_id"):
        if value := request.GET.get(key, "").strip():
            f[key] = value
    for key in ("since", "until"):
        if value := request.GET.get(key, "").strip():
            try:
                f[key] = (
                    dt.datetime.fromisoformat(value).astimezone(dt.UTC)
                    if "T" in value
                    else dt.datetime.combine(dt.date.fromisoformat(value), dt.time.min, tzinfo=dt.UTC)
                )
            except ValueError:
                f.setdefault("errors", []).append(
                    _("%(field)s: geen geldige datum (JJJJ-MM-DD)") % {"field": _DATE_LABELS[key]()}
                )
    return f


_DATE_LABELS = {"since": lambda: _("Vanaf"), "until": lambda: _("Tot")}


def _choices(labels: dict, label_of, chosen: str) -> list[tuple[str, str]]:
    """The filter's options, by label in the reader's language (sorted as read); a value given in the URL that is not
    in the list (an older record's) is kept as an option so the form shows what is searched for."""
    options = sorted(((key, label_of(key)) for key in labels), key=lambda kv: kv[1].casefold())
    if chosen and chosen not in labels:
        options.append((chosen, label_of(chosen)))
    return options


@login_required
def audit_log(request):
    require_capability(request, "view_audit", "auditlog")
    filters = _audit_filters(request)
    errors = filters.pop("errors", [])
    rows = audit_selectors.search(municipality_ids=municipality_ids(request.user), **filters)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    # read the page now: the slice's bounds were fixed from the count, so this read's own audit line (written
    # below) would otherwise push the oldest row of the page out when the template reads it
    page.object_list = list(page.object_list)
    log_request(
        request,
        "read",
        "auditlog",
        municipality_id=request.user.municipality_id,
        detail=f"results={page.paginator.count}",
    )
    return render(
        request,
        "audit/audit_log.html",
        {
            "page": page,
            "errors": errors,
            "params": request.GET,
            "actions": _choices(ACTION_LABELS, action_label, request.GET.get("action", "").strip()),
            "object_types": _choices(OBJECT_LABELS, object_label, request.GET.get("object_type", "").strip()),
        },
    )


@login_required
def audit_export(request):
    require_capability(request, "view_audit", "auditlog")
    filters = _audit_filters(request)
    filters.pop("errors", None)
    rows = audit_selectors.search(municipality_ids=municipality_ids(request.user), **filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="auditlog.csv"'
    n = audit_selectors.write_csv(rows, response, labelled=True)
    log_request(request, "export", "auditlog", municipality_id=request.user.municipality_id, detail=f"{n} records")
    return response
