"""The caseworker's worklist: their clients, open signals first."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from regie.accounts.access import require_capability
from regie.audit.services import log_request
from regie.casework import selectors
from regie.casework.signals import open_signals_light, signal_horizon_days, split_by_horizon
from regie.core.bsn import mask_bsn
from regie.core.projection import STATUSES


@login_required
def worklist(request):
    require_capability(request, "view_clients", "worklist")
    scope = request.GET.get("scope", "mine" if request.user.is_caseworker else "all")
    if scope not in ("mine", "team", "all"):
        scope = "mine"
    status = request.GET.get("status", "open")
    status = status if status in STATUSES or status == "open" else ""
    q = request.GET.get("q", "")
    rows = selectors.worklist(request.user, scope=scope, q=q, status=status)
    # pages3: the rows shown are plain values, not model objects (five objects a row cost a quarter of the page);
    # signals come from the per-version memo, which reads snapshots itself
    today = dt.date.today()
    if scope == "mine":
        # A caseload is small (~100-200): compute its signals from plain rows (no model objects), put clients with
        # open signals first, then load only the page's 50 rows as objects.
        # pages: the version instead of the snapshot: signals are memoised per case version (casework.derived)
        light = list(rows.values_list("case_id", "case__municipality__code", "version"))
        signals = open_signals_light([(cid, code, None, version) for cid, code, version in light], today)
        # agenda: clients with signals within the policy's horizon first (those are shown on the row), then the rest
        limits = {code: today - dt.timedelta(days=signal_horizon_days(code, today)) for code in {r[1] for r in light}}

        def rank(r):
            sigs = signals.get(r[0], [])
            return (-sum(sg.due >= limits[r[1]] for sg in sigs), -len(sigs))

        order = [cid for cid, _, _ in sorted(light, key=rank)]
        page = Paginator(order, 50).get_page(request.GET.get("page"))
        by_id = selectors.worklist_rows(request.user, page.object_list, _ROW_FIELDS)
        page.object_list = [_Row(by_id[cid]) for cid in page.object_list if cid in by_id]
    else:
        # pages4: page through the case ids alone (the count joins no client row; the page's ids are sorted on the
        # client's name keys without reading the shown columns), then read the page's 50 rows by id. A search's
        # matches are read as one sorted id list (its length is the count: one query instead of two).
        ids = rows.values_list("case_id", flat=True)
        page = Paginator(list(ids) if q.strip() else ids, 50).get_page(request.GET.get("page"))
        by_id = selectors.worklist_rows(request.user, page.object_list, _ROW_FIELDS)
        page.object_list = [_Row(by_id[cid]) for cid in page.object_list if cid in by_id]
        signals = open_signals_light(
            [(st.case_id, st.case.municipality.code, None, st.version) for st in page.object_list], today
        )
    # agenda: signals past the policy's horizon are summarised once above the list, not repeated on every row
    horizons: dict[str, int] = {}
    older = 0
    for st in page.object_list:
        code = st.case.municipality.code
        if code not in horizons:
            horizons[code] = signal_horizon_days(code, today)
        st.open_signals, old = split_by_horizon(signals.get(st.case_id, []), today, horizons[code])
        older += len(old)
        st.row_key = _row_key(st)
    log_request(
        request,
        "search" if q else "read",
        "worklist",
        municipality_id=request.user.municipality_id,
        detail=f"scope={scope} status={status or '-'} results={page.paginator.count} query={'yes' if q else 'no'}",
    )
    return render(
        request,
        "casework/worklist.html",
        {
            "page": page,
            "scope": scope,
            "status": status,
            "q": q,
            "statuses": STATUSES,
            "older_signals": older,
            "signal_horizon": min(horizons.values()) if horizons else None,
        },
    )


def _row_key(st) -> tuple:
    """pages3: everything a worklist row shows, the key of its rendered HTML (casework.templatetags.fragments)."""
    client, cw = st.case.client, st.caseworker
    return (
        st.case.client_id,
        client.family_name,
        client.given_name,
        client.bsn,
        st.status,
        st.level,
        (cw.pk, cw.first_name, cw.last_name, cw.username) if cw is not None else None,
        st.last_event_on,
        tuple((str(sg.label), sg.due, str(sg.source)) for sg in st.open_signals),
    )


# pages3: what a row shows, read as values (selectors.worklist orders and filters; these are the columns)
_ROW_FIELDS = (
    "case_id",
    "version",
    "status",
    "level",
    "last_event_on",
    "case__client_id",
    "case__client__family_name",
    "case__client__given_name",
    "case__client__bsn",
    "case__municipality__code",
    "caseworker_id",
    "caseworker__first_name",
    "caseworker__last_name",
    "caseworker__username",
)


class _Named:
    """The few attributes of a model object the worklist template reads (``st.case.client.family_name``, ...)."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


class _Row:
    """One worklist row from a values row: the attributes the template and :func:`_row_key` read, as on a
    CaseState with its case, client, municipality and caseworker."""

    def __init__(self, r: tuple):
        (self.case_id, self.version, self.status, self.level, self.last_event_on, client_id, family, given, bsn) = r[:9]
        code, cw_id, first, last, username = r[9:]
        client = _Named(pk=client_id, family_name=family, given_name=given, bsn=bsn, masked_bsn=mask_bsn(bsn))
        self.case = _Named(pk=self.case_id, client_id=client_id, client=client, municipality=_Named(code=code))
        self.caseworker = (
            None
            if cw_id is None
            else _Named(
                pk=cw_id,
                first_name=first,
                last_name=last,
                username=username,
                get_full_name=f"{first} {last}".strip(),  # as Django's AbstractUser.get_full_name
            )
        )
