"""Between municipalities (equity:between): for a user whose account spans several municipalities (a shared
service), how much of a decision's variation lies between the municipalities and how much between caseworkers
within them (`regie.core.equity.between_municipalities`). Municipality-level results only: no caseworker appears."""

from __future__ import annotations

import datetime as dt
import threading

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from regie.accounts.access import require_capability
from regie.accounts.models import Municipality
from regie.accounts.tenancy import municipality_ids
from regie.analytics.store import current
from regie.audit.services import log_request
from regie.core.equity import DECISIONS, between_municipalities

DEFAULT_DECISION = "trajectory_12m"
_cache: dict[tuple, dict] = {}
_lock = threading.Lock()


def _date(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        return dt.date.today()


def compute(munis: list[Municipality], decision: str, as_of: dt.date) -> dict:
    """The variance split, cached per municipalities, decision, as-of date and the frames' identity (new events
    give new frames objects, so a changed log is recomputed)."""
    frames = [current(m) for m in munis]
    key = (tuple(m.pk for m in munis), decision, as_of, tuple(id(f) for f in frames))
    with _lock:
        if key in _cache:
            return _cache[key]
    result = between_municipalities(frames, decision, as_of=as_of)
    names = {m.code: m.name for m in munis}
    for row in result.get("municipalities", []):
        row["name"] = names.get(row["municipality"], row["municipality"])
    with _lock:
        if len(_cache) > 32:
            _cache.clear()
        _cache[key] = result
    return result


def forest(rows: list[dict]) -> dict:
    """Geometry (unlocalised numbers, 0-100 scale) of a forest plot of municipality effects with their intervals."""
    lo = min([r["effect_ci"][0] for r in rows] + [0.0])
    hi = max([r["effect_ci"][1] for r in rows] + [0.0])
    span = (hi - lo) or 1.0
    x = lambda v: round(5 + 90 * (v - lo) / span, 2)  # noqa: E731
    return {
        "zero": x(0.0),
        "rows": [
            {
                "name": r.get("name", r["municipality"]),
                "effect": r["effect"],
                "x": x(r["effect"]),
                "x0": x(r["effect_ci"][0]),
                "x1": x(r["effect_ci"][1]),
                "y": 12 + 22 * i,
            }
            for i, r in enumerate(rows)
        ],
        "height": 24 + 22 * len(rows),
    }


@login_required
@require_GET
def between(request):
    require_capability(request, "view_aggregates", "equity_between")
    ids = municipality_ids(request.user)
    munis = list(Municipality.objects.filter(pk__in=ids).order_by("name"))
    decision = request.GET.get("decision") or DEFAULT_DECISION
    if decision not in DECISIONS:
        decision = DEFAULT_DECISION
    as_of = _date(request.GET.get("as_of"))
    ctx = {"municipalities": munis, "decision": decision, "decision_names": list(DECISIONS), "as_of": as_of}
    if len(munis) >= 2:
        result = compute(munis, decision, as_of)
        ctx.update(result=result, chart=forest(result.get("municipalities", [])))
    log_request(
        request,
        "read",
        "equity_between",
        decision,
        municipality_id=munis[0].pk if munis else None,
        detail=",".join(m.code for m in munis),
    )
    return render(request, "equity/between.html", ctx)
