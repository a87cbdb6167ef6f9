"""Web adapters: thin views over selectors and services, each read of personal data audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.tenancy import can, municipality_ids
from regie.audit import selectors as audit_selectors
from regie.audit.services import log_request
from regie.casework import selectors
from regie.casework.models import Client
from regie.core.projection import STATUSES


def _require(request, capability: str, object_type: str, object_id="") -> None:
    if not can(request.user, capability):
        log_request(request, "denied", object_type, object_id, result="denied",
                    municipality_id=request.user.municipality_id, detail=f"lacks {capability}")
        raise PermissionDenied


def _client_or_404(request, client_id: int) -> Client:
    try:
        return selectors.client_detail(request.user, client_id)
    except Client.DoesNotExist:
        # Another municipality's client, or none at all: the same answer, so existence does not leak.
        log_request(request, "read", "client", client_id, result="denied", municipality_id=request.user.municipality_id,
                    detail="not found in user's municipalities")
        raise Http404


@login_required
def home(request):
    """Each role starts on its own page."""
    from django.shortcuts import redirect

    from regie.web.context import navigation

    items = navigation(request)["nav_items"]
    return redirect(items[0]["url"] if items else "login")


@login_required
def worklist(request):
    _require(request, "view_clients", "worklist")
    scope = request.GET.get("scope", "mine" if request.user.is_caseworker else "all")
    if scope not in ("mine", "team", "all"):
        scope = "mine"
    status = request.GET.get("status", "open")
    status = status if status in STATUSES or status == "open" else ""
    q = request.GET.get("q", "")
    from regie.monitoring.services import open_signals, open_signals_light

    rows = selectors.worklist(request.user, scope=scope, q=q, status=status).select_related("case__municipality")
    today = dt.date.today()
    if scope == "mine":
        # A caseload is small (~100-200): compute its signals from plain rows (no model objects), put clients with
        # open signals first, then load only the page's 50 rows as objects.
        light = list(rows.values_list("case_id", "case__municipality__code", "snapshot"))
        signals = open_signals_light(light, today)
        order = [cid for cid, _, _ in sorted(light, key=lambda r: -len(signals.get(r[0], [])))]
        page = Paginator(order, 50).get_page(request.GET.get("page"))
        by_id = {st.case_id: st for st in rows.filter(case_id__in=list(page.object_list))}
        page.object_list = [by_id[cid] for cid in page.object_list if cid in by_id]
    else:
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        signals = open_signals(list(page.object_list), today)
    for st in page.object_list:
        st.open_signals = signals.get(st.case_id, [])
    log_request(request, "search" if q else "read", "worklist", municipality_id=request.user.municipality_id,
                detail=f"scope={scope} status={status or '-'} results={page.paginator.count} query={'yes' if q else 'no'}")
    return render(request, "regie/worklist.html", {"page": page, "scope": scope, "status": status, "q": q,
                                                    "statuses": STATUSES})


@login_required
def client_detail(request, client_id: int):
    _require(request, "view_clients", "client", client_id)
    client = _client_or_404(request, client_id)
    log_request(request, "read", "client", client.external_id, municipality_id=client.municipality_id)
    return _client_page(request, client, bsn=None)


def _client_page(request, client: Client, bsn: str | None):
    from regie.casework import steps

    record = can(request.user, "record_events")
    from regie.casework import recommend
    from regie.casework.deadlines import deadlines_for

    today = dt.date.today()

    def offered(case, state):
        if not record:
            return []
        return [(t, steps.STEP_LABELS[t]) for t in steps.next_steps(state.status if state else None)
                if recommend.may_decide(request.user, t, case, today)]  # decision rights per policy

    from regie.monitoring.services import open_signals

    triples = selectors.cases_with_events(client)
    signals = open_signals([st for _, st, _ in triples if st is not None], today)
    cases = [(case, state, events, offered(case, state), deadlines_for(case), signals.get(case.pk, []))
             for case, state, events in triples]
    return render(request, "regie/client_detail.html", {
        "client": client, "cases": cases, "bsn": bsn, "today": dt.date.today(),
        "can_reveal": can(request.user, "reveal_bsn"), "can_record": record,
        "letter_types": ("toekenning", "afwijzing", "ontheffing_start", "maatregel", "plan_van_aanpak"),
    })


@login_required
@require_POST
def reveal_bsn(request, client_id: int):
    """Show the full BSN once, on an explicit action that is audited (issue 8: masked by default)."""
    _require(request, "reveal_bsn", "client", client_id)
    client = _client_or_404(request, client_id)
    log_request(request, "reveal_bsn", "client", client.external_id, municipality_id=client.municipality_id)
    return _client_page(request, client, bsn=client.bsn)


def _audit_filters(request) -> dict:
    f = {}
    for key in ("actor", "action", "object_type", "object_id"):
        if value := request.GET.get(key, "").strip():
            f[key] = value
    for key in ("since", "until"):
        if value := request.GET.get(key, "").strip():
            try:
                f[key] = dt.datetime.fromisoformat(value).astimezone(dt.timezone.utc) if "T" in value else \
                    dt.datetime.combine(dt.date.fromisoformat(value), dt.time.min, tzinfo=dt.timezone.utc)
            except ValueError:
                f.setdefault("errors", []).append(_("%(field)s: geen geldige datum (JJJJ-MM-DD)") % {"field": key})
    return f


@login_required
def audit_log(request):
    _require(request, "view_audit", "auditlog")
    filters = _audit_filters(request)
    errors = filters.pop("errors", [])
    rows = audit_selectors.search(municipality_ids=municipality_ids(request.user), **filters)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    log_request(request, "read", "auditlog", municipality_id=request.user.municipality_id,
                detail=f"results={page.paginator.count}")
    return render(request, "regie/audit_log.html", {"page": page, "errors": errors, "params": request.GET})


@login_required
def audit_export(request):
    _require(request, "view_audit", "auditlog")
    filters = _audit_filters(request)
    filters.pop("errors", None)
    rows = audit_selectors.search(municipality_ids=municipality_ids(request.user), **filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="auditlog.csv"'
    n = audit_selectors.write_csv(rows, response)
    log_request(request, "export", "auditlog", municipality_id=request.user.municipality_id, detail=f"{n} records")
    return response
