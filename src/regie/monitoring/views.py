"""Monitoring pages: Overzicht (stock, flows, duration, caseload, rates, cohort), Trajecten & aanbieders (results,
provider scores, time to first trajectory, participatieladder movement), Budget (W-deel depletion forecast, I-deel
balance) and Statistiek CBS (BUS/SRG records, validation, downloads).

Every page takes the same filters (period ``from``/``to`` and ``team``); the team filter is applied to the analytic
tables themselves (cases of the team and their events), so every table on every page honours it. Every table
exports to CSV and Excel (``?table=NAME&export=csv|xlsx``). Aggregates only, for teammanagers and policy officers;
the CBS page (pseudonymised records) also for the functioneel beheerder, who delivers them.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal, InvalidOperation

import polars as pl
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from regie.accounts.access import require_capability
from regie.accounts.tenancy import can
from regie.analytics.store import checked_at, current
from regie.audit.services import log_request
from regie.benefit import selectors as benefit_selectors  # benefit: I-deel from real payments
from regie.casework.signals import norms_for
from regie.core.frames import Frames
from regie.core.kpi import budget as B
from regie.core.kpi import cohort_kpis
from regie.core.kpi import cohorts as C
from regie.core.kpi import indicators as I
from regie.core.kpi import ladder as L
from regie.core.kpi import providers as P
from regie.core.kpi import route as route_kpis
from regie.core.kpi import statistics as S
from regie.core.policy import policy_for
from regie.platform.exports import csv_string, table_response

from .models import BudgetAllocation

PAGES = (
    ("dashboard", N_("Overzicht")),
    ("trajectories", N_("Trajecten & aanbieders")),
    ("budget", N_("Budget")),
    ("statistics", N_("Statistiek CBS")),
)

_team_cache: dict[tuple, tuple[Frames, Frames]] = {}
_team_lock = threading.Lock()


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def team_frames(f: Frames, team: str | None) -> Frames:
    """The frames restricted to one team's cases (and their clients and events); cached per frames object."""
    if not team:
        return f
    key = (id(f), team)
    with _team_lock:
        hit = _team_cache.get(key)
        if hit is not None and hit[0] is f:
            return hit[1]
    cases = f.cases.filter(pl.col("team") == team)
    sub = Frames(
        municipality=f.municipality,
        cases=cases,
        clients=f.clients.join(cases.select("client_id").unique(), on="client_id", how="semi"),
        events=f.events.join(cases.select("case_id"), on="case_id", how="semi"),
        users=f.users,
    )
    with _team_lock:
        if len(_team_cache) > 16:
            _team_cache.clear()
        _team_cache[key] = (f, sub)
    return sub


def _filters(request) -> dict:
    muni = request.user.municipality
    today = dt.date.today()
    start = _date(request.GET.get("from"), dt.date(today.year - 1, 1, 1))
    end = _date(request.GET.get("to"), dt.date(today.year, 1, 1))
    if end <= start:
        end = start + dt.timedelta(days=1)
    full = current(muni)
    team = request.GET.get("team") or None
    teams = sorted(full.cases["team"].drop_nulls().unique().to_list())
    return {
        "muni": muni,
        "start": start,
        "end": end,
        "last": end - dt.timedelta(days=1),
        "team": team,
        "teams": teams,
        "full": full,
        "f": team_frames(full, team),
    }


# --- tables per page ---------------------------------------------------------------------------------------------


COHORT_KEYS = C.COUNTS + C.RATIOS  # the cohort table's columns, as the KPI code defines them


def overview_tables(c: dict) -> dict:
    # Indicators that follow a client over all their cases (durable outflow, the cohort's "still on benefit in any
    # case") take the team as a parameter on the full frames; the others run on the team's frames.
    full, f, team, start, end, last = c["full"], c["f"], c["team"], c["start"], c["end"], c["last"]
    flows = I.stock_and_flows(full, start, end, team)
    norm = norms_for(c["muni"].code, end).caseload_norm
    cohort_from = dt.date(start.year - 2, 1, 1)
    c["cohort_from"] = cohort_from
    cohort = cohort_kpis(full, cohort_from, dt.date(cohort_from.year, 6, 30), by="team")
    by_team = [{"team": t, **v} for t, v in cohort["by"]["team"].items() if not team or t == team]
    total = [] if team else [{"team": "totaal", **{k: cohort[k] for k in COHORT_KEYS}}]
    return {
        "flows": [{"indicator": k, "value": v} for k, v in flows.items() if k != "outflow_by_reason"],
        "outflow_by_reason": [{"reason": k, "count": v} for k, v in flows["outflow_by_reason"].items()],
        "duration": [{"band": k, "stock": v} for k, v in I.duration_bands(full, last, team).items()],
        "caseload": I.caseload(f, last, norm),
        "rates": [I.rates(f, start, end)],
        "cohort": by_team + total,
        # route: decision term, medical assessment, suspensions, heronderzoek, refrained decisions
        "route": [route_kpis.route_indicators(f, start, end, norms_for(c["muni"].code, end).heronderzoek_months)],
    }


def _report_intervals(code: str, on: dt.date):
    """The policy's report intervals for providers; no policy raises PolicyUnavailable (shown as an error page)."""
    return tuple((r.max_trajectory_months, r.every_days) for r in policy_for(code, on).deadlines.report_intervals)


def trajectory_tables(c: dict) -> dict:
    full, f, team, start, end, last = c["full"], c["f"], c["team"], c["start"], c["end"], c["last"]
    move = L.movement(full, start, last, team) if last > start else None
    c["ladder"] = move
    return {
        "trajectories": P.results_by_provider_module(full, start, end, team),
        "provider_scores": P.scores(full, start, end, team, report_intervals=_report_intervals(c["muni"].code, last)),
        "first_trajectory": [I.time_to_first_trajectory(f, start, end)],
        "ladder": move["matrix"] if move else [],
        "ladder_summary": [
            {k: move[k] for k in ("d1", "d2", "population", "measured", "unmeasured", "up", "same", "down", "left")}
        ]
        if move
        else [],
    }


def _allocation(muni, year: int) -> BudgetAllocation | None:
    return BudgetAllocation.objects.filter(municipality=muni, year=year).first()


def budget_tables(c: dict) -> dict:
    full, team, start = c["full"], c["team"], c["start"]
    year = start.year
    as_of = min(c["last"], dt.date(year, 12, 31), dt.date.today())
    alloc = _allocation(c["muni"], year)
    w_budget = float(alloc.w_deel) if alloc and alloc.w_deel is not None else None
    i_budget = float(alloc.i_deel) if alloc and alloc.i_deel is not None else None
    w = B.w_deel(full, year, w_budget, as_of, team)
    i = B.i_deel(full, year, i_budget, as_of, team)
    # benefit: where the benefit administration has payments for the year, the I-deel shows them, not the estimate
    if team is None and (paid := benefit_selectors.paid_by_month(c["muni"].pk, year)):
        i = B.i_deel_paid(year, paid, i_budget, as_of)
    c.update(budget_year=year, budget_as_of=as_of, allocation=alloc, w=w, i=i)
    keep = lambda d: {k: v for k, v in d.items() if k != "series"}  # noqa: E731
    return {"w_deel": [keep(w)], "w_deel_months": w["series"], "i_deel": [keep(i)], "i_deel_months": i["series"]}


def _month(request, c: dict) -> str:
    m = request.GET.get("month") or f"{c['last']:%Y-%m}"
    try:
        S.month_bounds(m)
    except ValueError:
        m = f"{c['last']:%Y-%m}"
    return m


def statistics_tables(c: dict) -> dict:
    full, team, month = c["full"], c["team"], c["month"]

    def compute():
        bus, srg = S.bus_frame(full, month, team), S.srg_frame(full, month, team)
        return bus, srg, S.validate(bus.to_dicts(), "bus"), S.validate(srg.to_dicts(), "srg")

    # the record-by-record validation is plain Python: memoised on the cached frames until the log changes
    bus, srg, pb, ps = full.memo(("monitoring.statistics", month, team), compute)
    c["records"] = {"bus": bus, "srg": srg}

    def per(frame, kind, column):
        codes = {x.name: x for x in S.LAYOUTS[kind]}[column].codes or {}
        g = frame.group_by(column).len().sort(column, nulls_last=True)
        return [
            {"code": k, "omschrijving": codes.get(k, "—") if k is not None else "(leeg)", "records": n}
            for k, n in g.iter_rows()
        ]

    return {
        "cbs_summary": [
            {
                "statistiek": "BUS",
                "maand": month,
                "records": bus.height,
                "beeindigd": int(bus["reden_beeindiging"].is_not_null().sum()),
                "met_ontheffing": int(bus["ontheffing_artikel"].is_not_null().sum()),
                "met_maatregel": int(bus["maatregel_reden"].is_not_null().sum()),
                "fouten": len(pb),
                "records_met_fout": len({p.record for p in pb}),
            },
            {
                "statistiek": "SRG",
                "maand": month,
                "records": srg.height,
                "beeindigd": int(srg["reden_beeindiging"].is_not_null().sum()),
                "met_ontheffing": None,
                "met_maatregel": None,
                "fouten": len(ps),
                "records_met_fout": len({p.record for p in ps}),
            },
        ],
        "bus_regeling": per(bus, "bus", "regeling"),
        "bus_huishoudtype": per(bus, "bus", "huishoudtype"),
        "bus_ontheffing": per(bus, "bus", "ontheffing_artikel"),
        "bus_maatregel": per(bus, "bus", "maatregel_reden"),
        "bus_beeindiging": per(bus, "bus", "reden_beeindiging"),
        "srg_soort": per(srg, "srg", "soort_voorziening"),
        "srg_beeindiging": per(srg, "srg", "reden_beeindiging"),
        "srg_ladder": per(srg, "srg", "participatieladder"),
        "validation": [{"statistiek": k, **p.as_dict()} for k, ps_ in (("BUS", pb), ("SRG", ps)) for p in ps_][:200],
    }


TITLES = {
    "flows": N_("Bestand en stromen"),
    "outflow_by_reason": N_("Uitstroom naar reden"),
    "duration": N_("Uitkeringsduur"),
    "caseload": N_("Caseload per klantmanager"),
    "rates": N_("Ontheffingen, waarschuwingen en maatregelen"),
    "cohort": N_("Cohort (RWI-ratio's)"),
    "trajectories": N_("Trajectresultaten per aanbieder en module"),
    "provider_scores": N_("Aanbieders op zes criteria"),
    "first_trajectory": N_("Tijd tot eerste traject"),
    "ladder": N_("Beweging op de participatieladder"),
    "ladder_summary": N_("Participatieladder: samenvatting"),
    "w_deel": N_("W-deel (participatiebudget)"),
    "w_deel_months": N_("W-deel per maand"),
    "i_deel": N_("I-deel (uitkeringsbudget)"),
    "i_deel_months": N_("I-deel per maand"),
    "cbs_summary": N_("CBS-records"),
    "bus_regeling": N_("BUS naar regeling"),
    "bus_huishoudtype": N_("BUS naar huishoudtype"),
    "bus_ontheffing": N_("BUS naar ontheffingsartikel"),
    "bus_maatregel": N_("BUS naar reden maatregel"),
    "bus_beeindiging": N_("BUS naar reden beëindiging"),
    "srg_soort": N_("SRG naar soort voorziening"),
    "srg_beeindiging": N_("SRG naar reden beëindiging"),
    "srg_ladder": N_("SRG naar trede participatieladder"),
    "validation": N_("Validatie: gevonden fouten"),
    "route": N_("Aanvragen, medisch advies, opschorting en heronderzoek"),
}


def _titles() -> dict:
    return {k: _(v) for k, v in TITLES.items()}


# --- charts ------------------------------------------------------------------------------------------------------


def _bars(rows: list[dict], label: str, value: str) -> list[dict]:
    top = max([r[value] or 0 for r in rows] + [1])
    return [{"label": r[label], "value": r[value], "pct": round(100 * (r[value] or 0) / top, 1)} for r in rows]


def line_chart(series: list[dict]) -> dict:
    """Points for an SVG line chart (viewBox 0 0 100 50): actual cumulative, forecast (dashed) and the budget."""
    values = [v for r in series for v in (r["cumulative"], r["forecast_cumulative"], r["budget"]) if v is not None]
    top = max(values + [1.0]) * 1.05

    def pt(i, v):
        return f"{round(100 * (i + 1) / 12, 2)},{round(50 - 50 * v / top, 2)}"

    actual = [pt(i, r["cumulative"]) for i, r in enumerate(series) if r["cumulative"] is not None]
    last_actual = max((i for i, r in enumerate(series) if r["cumulative"] is not None), default=None)
    forecast = [pt(i, r["forecast_cumulative"]) for i, r in enumerate(series) if r["forecast_cumulative"] is not None]
    if forecast and last_actual is not None:
        forecast = [pt(last_actual, series[last_actual]["cumulative"])] + forecast
    budget = series[0]["budget"] if series else None
    return {
        "actual": " ".join(["0,50"] + actual) if actual else "",
        "forecast": " ".join(forecast),
        "budget_y": round(50 - 50 * budget / top, 2) if budget is not None else None,
        "top": round(top),
        "months": [dt.date.fromisoformat(r["month"][:7] + "-01") for r in series],  # shown as month names
    }


# --- views -------------------------------------------------------------------------------------------------------

BUILDERS = {
    "dashboard": overview_tables,
    "trajectories": trajectory_tables,
    "budget": budget_tables,
    "statistics": statistics_tables,
}


def _page(request, page: str, capability_any=("view_aggregates",)):
    if not any(can(request.user, cap) for cap in capability_any):
        require_capability(request, capability_any[0], "dashboard", page)
    c = _filters(request)
    if page == "statistics":
        c["month"] = _month(request, c)
    tables = BUILDERS[page](c)
    export, name = request.GET.get("export"), request.GET.get("table")
    if export in ("csv", "xlsx") and name in tables:
        log_request(
            request,
            "export",
            "dashboard",
            name,
            municipality_id=request.user.municipality_id,
            detail=f"{page} {export} {c['start']}..{c['end']} team={c['team'] or '-'}",
        )
        return _export(tables[name], name, export)
    log_request(
        request,
        "read",
        "dashboard",
        page,
        municipality_id=request.user.municipality_id,
        detail=f"{c['start']}..{c['end']} team={c['team'] or '-'}",
    )
    ctx = {k: v for k, v in c.items() if k not in ("full", "f", "records")}
    return ctx, tables


# Columns whose values are ids of people or organisations; the pages show their names (exports keep the ids).
NAMED_COLUMNS = ("caseworker", "provider")


def display_names(muni) -> dict[str, dict[str, str]]:
    """Per named column: id in the analytic tables (a user's external id or username, a provider's code) -> the
    name people know (full name, or the username when none is recorded; the provider's name)."""
    from django.db.models import Q

    from regie.accounts.models import Provider, User

    people = {}
    serving = Q(municipality=muni) | Q(shared_service__municipalities=muni)
    for ext, username, first, last in User.objects.filter(serving).values_list(
        "external_id", "username", "first_name", "last_name"
    ):
        people[ext or username] = f"{first} {last}".strip() or username
    providers = dict(Provider.objects.filter(municipality=muni).values_list("code", "name"))
    return {"caseworker": people, "provider": providers}


def _named(rows: list[dict], names: dict[str, dict[str, str]]) -> list[dict]:
    if not rows or not any(c in rows[0] for c in NAMED_COLUMNS):
        return rows
    return [{k: names[k].get(v, v) if k in names and isinstance(v, str) else v for k, v in r.items()} for r in rows]


def _render(request, template: str, page: str, ctx: dict, tables: dict, **extra):
    names = display_names(ctx["muni"])
    tables = {n: _named(rows, names) for n, rows in tables.items()}
    for key, bars in extra.items():
        if key.endswith("_bars") and key.startswith("caseload"):
            extra[key] = [{**b, "label": names["caseworker"].get(b["label"], b["label"])} for b in bars]
    query = f"from={ctx['start']:%Y-%m-%d}&to={ctx['end']:%Y-%m-%d}&team={ctx['team'] or ''}"
    if "month" in ctx:
        query += f"&month={ctx['month']}"
    titles = _titles()
    sections = [{"name": n, "title": titles.get(n, n), "rows": rows} for n, rows in tables.items()]
    checked = checked_at(ctx["muni"])
    extra.setdefault("data_as_of", dt.datetime.fromtimestamp(checked, tz=dt.UTC) if checked else None)
    extra.setdefault("max_age", settings.REGIE_MONITORING_MAX_AGE)
    return render(
        request,
        template,
        {
            **ctx,
            **extra,
            "tables": tables,
            "sections": sections,
            "page": page,
            "pages": [(p, _(label)) for p, label in PAGES],
            "query": query,
        },
    )


@login_required
def dashboard(request):
    out = _page(request, "dashboard")
    if isinstance(out, HttpResponse):
        return out
    ctx, tables = out
    return _render(
        request,
        "monitoring/dashboard.html",
        "dashboard",
        ctx,
        tables,
        reason_bars=_bars(tables["outflow_by_reason"], "reason", "count"),
        duration_bars=_bars(tables["duration"], "band", "stock"),
        caseload_bars=_bars(tables["caseload"][:30], "caseworker", "cases"),
    )


@login_required
def trajectories(request):
    out = _page(request, "trajectories")
    if isinstance(out, HttpResponse):
        return out
    ctx, tables = out
    scores = [
        {"provider": r["provider"] or "—", "pct": round(100 * (r["uitstroom"] or 0), 1)}
        for r in tables["provider_scores"]
    ]
    costs = [
        {"label": f"{r['provider']} · {r['module']}", "v": r["cost_per_success"]}
        for r in tables["trajectories"]
        if r["cost_per_success"] is not None
    ]
    return _render(
        request,
        "monitoring/trajectories.html",
        "trajectories",
        ctx,
        tables,
        outflow_bars=_bars(scores, "provider", "pct"),
        cost_bars=_bars(costs, "label", "v"),
        ladder_cols=[str(r) for r in L.RUNGS] + [L.LEFT],
    )


@login_required
def budget(request):
    out = _page(request, "budget")
    if isinstance(out, HttpResponse):
        return out
    ctx, tables = out
    return _render(
        request,
        "monitoring/budget.html",
        "budget",
        ctx,
        tables,
        w_chart=line_chart(tables["w_deel_months"]),
        i_chart=line_chart(tables["i_deel_months"]),
        can_edit_budget=can(request.user, "manage_budget"),
    )


@login_required
def statistics(request):
    capability_any = ("view_aggregates", "import_export")
    kind, fmt = request.GET.get("records"), request.GET.get("format", "csv")
    if kind in ("bus", "srg") and fmt in ("csv", "jsonl"):
        if not any(can(request.user, cap) for cap in capability_any):
            require_capability(request, "view_aggregates", "statistics", kind)
        c = _filters(request)
        month = _month(request, c)
        rows = S.records(c["full"], kind, month, c["team"])
        log_request(
            request,
            "export",
            "statistics",
            kind,
            municipality_id=request.user.municipality_id,
            detail=f"{kind} {month} {fmt}: {len(rows)} records team={c['team'] or '-'}",
        )
        body = _stats_csv(rows, kind) if fmt == "csv" else S.to_jsonl(rows, kind)
        resp = HttpResponse(body, content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson")
        resp["Content-Disposition"] = f'attachment; filename="{kind}-{c["muni"].code}-{month}.{fmt}"'
        return resp
    out = _page(request, "statistics", capability_any)
    if isinstance(out, HttpResponse):
        return out
    ctx, tables = out
    return _render(
        request,
        "monitoring/statistics.html",
        "statistics",
        ctx,
        tables,
        type_bars=_bars(tables["srg_soort"], "omschrijving", "records"),
        household_bars=_bars(tables["bus_huishoudtype"], "omschrijving", "records"),
        layouts={"BUS": S.BUS_LAYOUT, "SRG": S.SRG_LAYOUT},
    )


def _amount(value: str | None) -> Decimal | None:
    """An amount as typed: '1200000.50', '1.200.000,50' or empty (no budget)."""
    value = (value or "").strip().replace(" ", "")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    if not value:
        return None
    try:
        d = Decimal(value)
    except InvalidOperation:
        raise ValueError(value) from None
    if d < 0:
        raise ValueError(value)
    return d


@login_required
def budget_edit(request):
    """The functioneel beheerder records the year's W-deel and I-deel with their source (audited)."""
    require_capability(request, "manage_budget", "budget")
    muni = request.user.municipality
    if muni is None:
        raise PermissionDenied
    errors = []
    if request.method == "POST":
        data = request.POST
        try:
            year = int(data.get("year", ""))
            if not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            errors.append(_("Jaar: geef een jaartal."))
            year = None
        amounts = {}
        for name in ("w_deel", "i_deel"):
            try:
                amounts[name] = _amount(data.get(name))
            except ValueError:
                errors.append(_("Bedrag ongeldig: %(name)s") % {"name": name})
        source = (data.get("source") or "").strip()
        assumption = bool(data.get("assumption"))
        reason = (data.get("assumption_reason") or "").strip()
        if len(source) < 3:
            errors.append(_("Bron: vermeld waar de bedragen vandaan komen."))
        if assumption and not reason:
            errors.append(_("Aanname: geef de reden."))
        if not errors:
            old = _allocation(muni, year)
            before = f"{old.w_deel}/{old.i_deel}" if old else "-"
            BudgetAllocation.objects.update_or_create(
                municipality=muni,
                year=year,
                defaults={
                    **amounts,
                    "source": source[:300],
                    "assumption": assumption,
                    "assumption_reason": reason[:300],
                    "updated_by": request.user,
                },
            )
            log_request(
                request,
                "write",
                "budget",
                str(year),
                municipality_id=muni.id,
                detail=f"w_deel/i_deel {before} -> {amounts['w_deel']}/{amounts['i_deel']}",
            )
            messages.success(request, _("Budget opgeslagen."))
            return redirect("monitoring:budget_edit")
    else:
        log_request(request, "read", "budget", municipality_id=muni.id)
    return render(
        request,
        "monitoring/budget_edit.html",
        {
            "allocations": BudgetAllocation.objects.filter(municipality=muni).select_related("updated_by"),
            "errors": errors,
            "data": request.POST if request.method == "POST" else {},
        },
        status=400 if errors else 200,
    )


def _stats_csv(rows: list[dict], kind: str) -> str:
    cols, body = S.table(rows, kind)
    return csv_string(body, header=cols, delimiter=";")


def sheet_title(name: str) -> str:
    """The Excel sheet of a table: its title on the page (without the characters a sheet name cannot hold)."""
    return "".join(" " if ch in "[]:*?/\\" else ch for ch in str(_titles().get(name, name)))[:31]


def _export(rows: list[dict], name: str, fmt: str) -> HttpResponse:
    """A table as CSV or Excel: columns and option values by their labels (the label registry, in the user's
    language); caseworkers and providers keep their ids, so that a file can be joined to other data."""
    from regie.platform import labels

    return table_response({sheet_title(name): labels.export_rows(rows)}, name, fmt)
