"""Objections upheld per caseworker (equity:objections): an outcome of discretion beside the report's decisions.

A caseworker whose decisions are often overturned on objection (gegrond or deels gegrond, Awb art. 7:11) is a
discretion signal. The rows come from the one derivation of the legal life (regie.casework.legal.objection_rows);
the statistics from regie.core.legal.monitoring.upheld_per_caseworker. Who sees which caseworker follows the
report page (report_views.labeller): a teammanager their own team by name, everyone else under the same stable
pseudonym as on the report; clients do not appear at all.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from regie.accounts.access import require_capability
from regie.audit.services import log_request
from regie.casework.legal import objection_rows
from regie.core.legal import monitoring

from .report_views import _municipality, labeller


@login_required
def objections(request):
    require_capability(request, "view_caseworker_results", "equity_objections")
    muni = _municipality(request)
    rows = objection_rows({muni.pk})
    label = labeller(request.user, muni)
    per = [(label(r.caseworker), r) for r in monitoring.upheld_per_caseworker(rows)]
    log_request(
        request,
        "read",
        "equity_objections",
        muni.code,
        municipality_id=muni.pk,
        detail=f"{len(per)} caseworkers, {len(rows)} objections",
    )
    return render(
        request,
        "equity/objections.html",
        {
            "muni": muni,
            "rows": per,
            "within": monitoring.within_term(rows),
            "min_decided": monitoring.MIN_DECIDED,
            "is_teammanager": request.user.role == "teammanager",
        },
    )
