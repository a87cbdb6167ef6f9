"""The discretion report (equity:report): the equity monitor's results for one municipality, cached per as-of date
and event-log state (services.report_run), computed in the background with an htmx-polled "being computed" state.

Who sees which caseworker (decision, docs/equity.md "Vignette study" and docs/user-guide.md):
- only teammanagers and policy officers reach the page (view_caseworker_results); caseworkers, providers, auditors
  and administrators get 403;
- a teammanager sees the caseworkers of their own team by name and every other caseworker under a pseudonym;
- a policy officer sees every caseworker under a pseudonym (policy needs the pattern, not the person; the
  teammanager of a flagged caseworker's team sees the name and can act on it);
- pseudonyms are keyed hashes of municipality and caseworker id ("KM-3fa2c1"), stable between reports so a
  caseworker can be followed over time without being named;
- clients appear only by case id (frames are pseudonymised); motivation texts are not shown here (they are free
  text; coders read them on the coding page, which is audited per page).
"""

from __future__ import annotations

import copy
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from regie.accounts.access import require_capability
from regie.accounts.models import Municipality, User
from regie.accounts.tenancy import municipality_ids
from regie.audit.services import log_request
from regie.core.equity import DECISIONS
from regie.platform import labels
from regie.platform.exports import table_response

from . import services
from .services import pseudonym  # noqa: F401  (re-exported for tests and docs)

TABLES = ("icc", "caseworkers", "deviation_caseworkers", "deviation_teams", "pairs")


def labeller(user, municipality: Municipality):
    """caseworker id (frames user_id) -> what this viewer may see: a name (own team, teammanager) or a pseudonym."""
    own_team = (
        user.team.code
        if user.role == "teammanager" and user.team_id and user.team.municipality_id == municipality.pk
        else None
    )
    names: dict[str, tuple[str, str | None]] = {}
    if own_team:
        for _pk, ext, username, first, last, team in User.objects.filter(municipality=municipality).values_list(
            "pk", "external_id", "username", "first_name", "last_name", "team__code"
        ):
            names[ext or username] = ((f"{first} {last}".strip() or username), team)

    def label(cw) -> str:
        if cw is None:
            return "—"
        cw = str(cw)
        hit = names.get(cw)
        if own_team and hit and hit[1] == own_team:
            return hit[0]
        return pseudonym(municipality.code, cw)

    return label


def _relabel(result: dict, label) -> dict:
    """A copy of the report with every caseworker id replaced by what the viewer may see."""
    out = copy.deepcopy(result)
    for dec in (out.get("decisions") or {}).values():
        for row in dec.get("caseworker_effects") or []:
            row["caseworker"] = label(row.get("caseworker"))
    dev = out.get("deviations") or {}
    for row in dev.get("caseworkers") or []:
        row["caseworker"] = label(row.get("caseworker"))
        row.pop("motivations", None)
    for row in dev.get("teams") or []:
        row.pop("motivations", None)
    if isinstance(dev.get("overall"), dict):
        dev["overall"].pop("motivations", None)
    for pairs in (out.get("pairs") or {}).values():
        for p in pairs:
            for side in ("a", "b"):
                if isinstance(p.get(side), dict):
                    p[side]["caseworker"] = label(p[side].get("caseworker"))
                    p[side].pop("client", None)
    return out


def _logic_cells(row: dict) -> dict:
    by = row.get("by_logic") or {}
    return {f"logic_{k}": by.get(k, 0) for k in ("professional", "bureaucratic", "market", "unclassified")}


def tables(result: dict, decision: str = "") -> dict[str, list[dict]]:
    decs = {k: v for k, v in (result.get("decisions") or {}).items() if not decision or k == decision}
    icc = [
        {
            "decision": k,
            "kind": d.get("kind"),
            "n": d.get("n"),
            "caseworkers": d.get("n_caseworkers"),
            "mean": d.get("mean"),
            "icc": d.get("icc"),
            "icc_lo": (d.get("icc_ci") or [None, None])[0],
            "icc_hi": (d.get("icc_ci") or [None, None])[1],
            "flagged": d.get("n_flagged"),
            "method": d.get("method"),
            "error": d.get("error"),
        }
        for k, d in decs.items()
    ]
    cws = [
        {
            "decision": k,
            "caseworker": r.get("caseworker"),
            "team": r.get("team"),
            "n": r.get("n"),
            "observed": r.get("observed"),
            "expected": r.get("expected"),
            "effect": r.get("effect"),
            "effect_lo": (r.get("effect_ci") or [None, None])[0],
            "effect_hi": (r.get("effect_ci") or [None, None])[1],
            "flag": r.get("flag"),
        }
        for k, d in decs.items()
        for r in d.get("caseworker_effects") or []
    ]
    dev = result.get("deviations") or {}
    dev_cw = [
        {
            "caseworker": r.get("caseworker"),
            "decisions": r.get("n_decisions"),
            "deviations": r.get("n_deviations"),
            "rate": r.get("rate"),
            **_logic_cells(r),
        }
        for r in dev.get("caseworkers") or []
    ]
    dev_team = [
        {
            "team": r.get("team"),
            "decisions": r.get("n_decisions"),
            "deviations": r.get("n_deviations"),
            "rate": r.get("rate"),
            **_logic_cells(r),
        }
        for r in dev.get("teams") or []
    ]
    pairs = []
    for k, ps in (result.get("pairs") or {}).items():
        if decision and k != decision:
            continue
        for p in ps:
            a, b = p.get("a") or {}, p.get("b") or {}
            pairs.append(
                {
                    "decision": k,
                    "profile": ", ".join(
                        f"{labels.covariate_label(x)}: {labels.covariate_value(x, y)}"
                        for x, y in (p.get("stratum") or {}).items()
                    ),
                    "case_a": a.get("case"),
                    "caseworker_a": a.get("caseworker"),
                    "date_a": a.get("date"),
                    "value_a": a.get("value"),
                    "case_b": b.get("case"),
                    "caseworker_b": b.get("caseworker"),
                    "date_b": b.get("date"),
                    "value_b": b.get("value"),
                }
            )
    return {
        "icc": icc,
        "caseworkers": cws,
        "deviation_caseworkers": dev_cw,
        "deviation_teams": dev_team,
        "pairs": pairs,
    }


def _export(rows: list[dict], name: str, fmt: str) -> HttpResponse:
    """A report table as CSV or Excel, with the report's own column names and the label registry's (the user's
    language): the same words as on the page."""
    from .templatetags.equity import export_label

    sheet = (export_label(name) or labels.column_label(name))[:31]
    rows = labels.export_rows(rows, columns=export_label, values=export_label)
    return table_response({sheet: rows}, f"gelijke-behandeling-{name}", fmt)


def _municipality(request) -> Municipality:
    mids = municipality_ids(request.user)
    if not mids:
        raise PermissionDenied
    try:
        mid = int(request.GET.get("m") or request.POST.get("m") or request.user.municipality_id or min(mids))
    except (TypeError, ValueError):
        mid = request.user.municipality_id or min(mids)
    if mid not in mids:
        log_request(
            request,
            "read",
            "equity_report",
            mid,
            result="denied",
            municipality_id=request.user.municipality_id,
            detail="not in user's municipalities",
        )
        from django.http import Http404

        raise Http404
    return Municipality.objects.get(pk=mid)


@login_required
def report(request):
    """The last finished report and its age; never computed here. A POST (the page's button) queues the job
    (services.report_run: one run per municipality, as-of date and event-log state) and comes back here."""
    require_capability(request, "view_caseworker_results", "equity_report")
    muni = _municipality(request)
    today = dt.date.today()
    try:
        as_of = dt.date.fromisoformat(request.GET.get("as_of") or request.POST.get("as_of") or today.isoformat())
    except ValueError:
        as_of = today
    as_of = min(as_of, today)
    decision = request.GET.get("decision") or ""
    if request.method == "POST":
        run = services.report_run(muni, as_of, start=True)
        log_request(
            request, "create", "equity_report", muni.code, municipality_id=muni.pk, detail=f"start: {run.state} {as_of}"
        )
        from django.shortcuts import redirect
        from django.utils.http import urlencode

        return redirect(f"{request.path}?{urlencode({'m': muni.pk, 'as_of': as_of.isoformat(), 'decision': decision})}")
    current = services.report_run(muni, as_of, start=False)  # the run for today's event log, if one was started
    ctx = {
        "muni": muni,
        "as_of": as_of,
        "decision": decision,
        "run": current,
        "municipalities": Municipality.objects.filter(pk__in=municipality_ids(request.user)),
        "is_teammanager": request.user.role == "teammanager",
    }
    ctx["decision_names"] = list(DECISIONS)
    partial = request.headers.get("HX-Request") == "true" or request.GET.get("partial") == "1"
    shown = current
    if current is None or (current.state == "running" and not partial) or current.state == "error":
        # show the last finished report (older event log) with its age, and what is going on with the current one
        shown = services.latest_done(muni, as_of) or current
        ctx["newer_running"] = current is not None and current.state == "running" and shown is not current
        ctx["outdated"] = current is None and shown is not None
        ctx["failed"] = current if current is not None and current.state == "error" and shown is not current else None
    if shown is None or shown.state != "done":
        ctx["run"] = shown
        log_request(
            request,
            "read",
            "equity_report",
            muni.code,
            municipality_id=muni.pk,
            detail=f"{shown.state if shown else 'none'} {as_of}",
        )
        return render(request, "equity/_report_body.html" if partial else "equity/report.html", ctx)
    ctx["run"] = shown
    result = _relabel(shown.result or {}, labeller(request.user, muni))
    tabs = tables(result, decision)
    fmt, table = request.GET.get("export"), request.GET.get("table")
    if fmt in ("csv", "xlsx") and table in TABLES:
        log_request(
            request, "export", "equity_report", muni.code, municipality_id=muni.pk, detail=f"{fmt} {table} {as_of}"
        )
        return _export(tabs[table], table, fmt)
    # the plots in the reader's language (an older result has only the Dutch "funnel_images")
    stored = shown.result or {}
    images = (stored.get("funnel_images_by_lang") or {}).get(get_language()) or stored.get("funnel_images") or {}
    funnels = []
    for name, dec in (result.get("decisions") or {}).items():
        if decision and name != decision:
            continue
        funnels.append(
            {
                "name": name,
                "dec": dec,
                "svg": images.get(name),
                "flagged": [r for r in dec.get("caseworker_effects") or [] if r.get("flag")],
            }
        )
    log_request(
        request,
        "read",
        "equity_report",
        muni.code,
        municipality_id=muni.pk,
        detail=f"as_of={as_of} decision={decision or 'all'}",
    )
    ctx.update(result=result, tables=tabs, funnels=funnels, table_names=TABLES)
    return render(request, "equity/_report_body.html" if partial else "equity/report.html", ctx)
