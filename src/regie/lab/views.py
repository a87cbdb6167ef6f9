"""Beleidslab pages: pick a baseline and a policy change, run a small ensemble as a background job (progress by
htmx polling), see the effect on outflow, duration, cost and equal treatment side by side, download the results.

Aggregates of a simulated municipality only (no personal data): for roles with ``view_aggregates``. Runs belong to
the user who started them, within their municipality; anyone else's run answers 404.
"""

from __future__ import annotations

import base64

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from regie.accounts.access import require_capability
from regie.accounts.tenancy import municipality_ids
from regie.audit.services import log_request
from regie.platform import labels
from regie.platform.exports import table_response

from . import runner
from .forms import LabRunForm
from .models import LabRun

CAP = "view_aggregates"


def _municipality(user):
    if user.municipality_id:
        return user.municipality
    from regie.accounts.models import Municipality

    ids = sorted(municipality_ids(user))
    if not ids:
        raise Http404
    return Municipality.objects.get(pk=ids[0])


def _run_or_404(request, run_id: int) -> LabRun:
    runner.mark_interrupted(LabRun.objects.filter(pk=run_id))
    return get_object_or_404(
        LabRun.objects.select_related("municipality"),
        pk=run_id,
        created_by=request.user,
        municipality_id__in=municipality_ids(request.user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    require_capability(request, CAP, "lab_run")
    muni = _municipality(request.user)
    if request.method == "POST":
        form = LabRunForm(request.POST, municipality=muni)
        if form.is_valid():
            d = form.cleaned_data
            with transaction.atomic():  # the run and its queued job exist together or not at all
                run = LabRun.objects.create(
                    municipality=muni,
                    created_by=request.user,
                    scenario=d["baseline"],
                    params={
                        "clients": d["clients"],
                        "caseworkers": d["caseworkers"],
                        "months": d["months"],
                        "runs": d["runs"],
                        "seed": d["seed"],
                        "change": form.change(),
                        "use_arms": d["use_arms"],
                    },
                    total=max(2, len(runner.scenario_arms(d["baseline"])) if d["use_arms"] else 2) * d["runs"],
                )
                log_request(
                    request, "create", "lab_run", run.pk, municipality_id=muni.pk, detail=f"scenario {run.scenario}"
                )
                runner.start(run)
            return redirect("lab:run", run_id=run.pk)
    else:
        form = LabRunForm(municipality=muni)
    mine = LabRun.objects.filter(created_by=request.user, municipality_id__in=municipality_ids(request.user))
    runner.mark_interrupted(mine)
    runs = list(mine[:20])
    shown = {b["key"]: b["label"] for b in runner.baselines(muni)}
    for r in runs:  # the baseline by its name in the reader's language, not its key
        r.baseline_label = shown.get(r.scenario) or _("Uitgangssituatie niet meer beschikbaar")
    return render(request, "lab/index.html", {"form": form, "runs": runs, "municipality": muni})


def _labels(run: LabRun) -> dict:
    b = runner.baseline(run.municipality, run.scenario)
    form = LabRunForm(municipality=run.municipality)
    change = []
    for key, value in (run.params.get("change") or {}).items():
        field = form.fields.get(key)
        if field is None:
            continue
        choices = dict(getattr(field, "choices", []) or [])
        shown = (
            ", ".join(str(choices.get(v, v)) for v in value) if isinstance(value, list) else choices.get(value, value)
        )
        change.append({"label": field.label, "value": shown})
    if run.params.get("use_arms"):
        arms = ", ".join(runner.arm_label(run.scenario, a) for a in runner.scenario_arms(run.scenario))
        change = [{"label": _("Varianten van het scenario"), "value": arms}]
    sc = runner.scenario_of(run.scenario)
    lang = get_language()
    return {
        "baseline_label": b["label"] if b else _("Uitgangssituatie niet meer beschikbaar"),
        "change": change,
        "scenario_question": sc.question.in_(lang) if sc is not None and sc.question is not None else "",
        "scenario_source": sc.source if sc is not None else "",
    }


@login_required
@require_GET
def run_detail(request, run_id: int):
    require_capability(request, CAP, "lab_run", run_id)
    run = _run_or_404(request, run_id)
    measures = [
        {**m, "label": _(m["label"]), "group": _(m["group"]), "unit": runner.MEASURE_UNITS.get(m["key"], "number")}
        for m in (run.result or {}).get("measures", [])
    ]
    # charts as images (data URIs): isolated from the page's CSS and from each other's SVG ids; drawn in the
    # reader's language (runner._charts draws every language; an older result has only the Dutch "svg")
    lang = get_language()
    charts = [
        {
            "title": _(c["title"]) if c.get("title") else "",
            "src": "data:image/svg+xml;base64,"
            + base64.b64encode((c.get("svgs", {}).get(lang) or c["svg"]).encode()).decode(),
        }
        for c in (run.result or {}).get("charts", [])
    ]
    arm_names = [runner.arm_label(run.scenario, a) for a in (run.result or {}).get("arms", [])]
    return render(
        request,
        "lab/run.html",
        {"run": run, "measures": measures, "charts": charts, "arm_names": arm_names, **_labels(run)},
    )


@login_required
@require_GET
def run_status(request, run_id: int):
    """htmx polling target: the progress fragment; when the run has finished, tells htmx to reload the page."""
    require_capability(request, CAP, "lab_run", run_id)
    run = _run_or_404(request, run_id)
    resp = render(request, "lab/_status.html", {"run": run})
    if run.status in ("done", "failed") and request.headers.get("HX-Request"):
        resp["HX-Refresh"] = "true"
    return resp


def _effect_rows(run: LabRun) -> list[dict]:
    """Per measure each arm's mean and 90% band and the difference from the first arm, with column names a
    policy officer reads ("Variant B: gemiddelde", "Verschil variant B: p05")."""
    stats = {"mean": _("gemiddelde"), "p05": _("ondergrens (p05)"), "p95": _("bovengrens (p95)")}
    rows = []
    for m in (run.result or {}).get("measures", []):
        row = {_("Maat"): _(m["label"]), _("Groep"): _(m["group"])}
        for diff, bands in ((False, m["arms"]), (True, m["diffs"])):
            for band in bands:
                arm = runner.arm_label(run.scenario, band["name"])
                for k in ("mean", "p05", "p95"):
                    head = _("Verschil %(arm)s: %(stat)s") if diff else _("%(arm)s: %(stat)s")
                    row[head % {"arm": arm, "stat": stats[k]}] = band[k]
        rows.append(row)
    return rows


def _run_rows(run: LabRun) -> list[dict]:
    """The simulation runs, one row each, with the measures' names as column names (the label registry for the
    rest)."""
    names = {key: _(label) for key, label, _group, _better in runner.MEASURES}
    names["arm"] = _("Variant")
    arms = {a: runner.arm_label(run.scenario, a) for a in run.result.get("arms", [])}
    return labels.export_rows(run.result.get("runs", []), columns=names.get, values=arms.get)


@login_required
@require_GET
def run_export(request, run_id: int, fmt: str):
    require_capability(request, CAP, "lab_run", run_id)
    run = _run_or_404(request, run_id)
    if fmt not in ("csv", "xlsx") or run.status != "done":
        raise Http404
    effects = _effect_rows(run)
    runs = _run_rows(run)
    log_request(request, "export", "lab_run", run.pk, municipality_id=run.municipality_id, detail=fmt)
    name = f"beleidslab-{run.pk}"
    if fmt == "csv" and request.GET.get("table") == "runs":
        return table_response({_("Runs"): runs}, f"{name}-runs", fmt)
    return table_response({_("Effecten"): effects, _("Runs"): runs}, name, fmt)
