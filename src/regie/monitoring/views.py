"""Monitoring dashboard: stock and flows, duration, caseload, trajectories, rates and the RWI cohort, with charts and
CSV/Excel export of every table. Aggregates only: for teammanagers and policy officers."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from regie.audit.services import log_request
from regie.core.kpi import cohort_kpis
from regie.core.kpi import indicators as I
from regie.web.views import _require

from .selectors import frames_cached
from .services import norms_for


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _tables(request):
    muni = request.user.municipality
    today = dt.date.today()
    start = _date(request.GET.get("from"), dt.date(today.year - 1, 1, 1))
    end = _date(request.GET.get("to"), dt.date(today.year, 1, 1))
    team = request.GET.get("team") or None
    f = frames_cached(muni)
    flows = I.stock_and_flows(f, start, end, team)
    bands = I.duration_bands(f, end - dt.timedelta(days=1), team)
    norm = norms_for(muni.code, end).caseload_norm
    cohort_from = dt.date(start.year - 2, 1, 1)
    cohort = cohort_kpis(f, cohort_from, dt.date(cohort_from.year, 6, 30), by="team")
    tables = {
        "flows": [{"indicator": k, "value": v} for k, v in flows.items() if k != "outflow_by_reason"],
        "outflow_by_reason": [{"reason": k, "count": v} for k, v in flows["outflow_by_reason"].items()],
        "duration": [{"band": k, "stock": v} for k, v in bands.items()],
        "caseload": I.caseload(f, end - dt.timedelta(days=1), norm),
        "first_trajectory": [I.time_to_first_trajectory(f, start, end)],
        "rates": [I.rates(f, start, end)],
        "trajectories": I.trajectory_results(f, start, end),
        "cohort": [{"team": t, **v} for t, v in cohort["by"]["team"].items()]
                  + [{"team": "totaal", **{k: cohort[k] for k in ("X", "Y", "Z", "A", "B", "C", "A1", "B1", "compliance",
                                                                  "langdurigheid", "sluiting", "niet_sluiting",
                                                                  "uitstroom_met_traject", "uitstroom_zonder_traject")}}],
    }
    teams = sorted({t for t in f.cases["team"].drop_nulls().unique().to_list()})
    return tables, {"start": start, "end": end, "team": team, "teams": teams, "cohort_from": cohort_from}


def _bars(rows: list[dict], label: str, value: str) -> list[dict]:
    top = max([r[value] or 0 for r in rows] + [1])
    return [{"label": r[label], "value": r[value], "pct": round(100 * (r[value] or 0) / top, 1)} for r in rows]


@login_required
def dashboard(request):
    _require(request, "view_aggregates", "dashboard")
    tables, ctx = _tables(request)
    export = request.GET.get("export")
    name = request.GET.get("table")
    if export in ("csv", "xlsx") and name in tables:
        log_request(request, "export", "dashboard", name, municipality_id=request.user.municipality_id,
                    detail=f"{export}")
        return _export(tables[name], name, export)
    log_request(request, "read", "dashboard", municipality_id=request.user.municipality_id)
    return render(request, "monitoring/dashboard.html", {
        **ctx, "tables": tables,
        "reason_bars": _bars(tables["outflow_by_reason"], "reason", "count"),
        "duration_bars": _bars(tables["duration"], "band", "stock"),
        "caseload_bars": _bars(tables["caseload"][:30], "caseworker", "cases"),
    })


def _export(rows: list[dict], name: str, fmt: str) -> HttpResponse:
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)
        resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = name[:31]
        ws.append(columns)
        for r in rows:
            ws.append([r[c] if not isinstance(r[c], dict) else str(r[c]) for c in columns])
        out = io.BytesIO()
        wb.save(out)
        resp = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp
