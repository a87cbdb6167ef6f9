"""Equal treatment in the web app: the vignette study (compose, answer, analyse), human coding of deviation
motivations and the discretion report. Every view starts from the user's municipalities and capabilities; results
about individual caseworkers are for teammanagers and policy officers only (view_caseworker_results)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from regie.accounts.access import not_found, require_capability
from regie.accounts.tenancy import can, municipality_ids
from regie.audit.services import log_request
from regie.casework.models import Event
from regie.casework.steps import STEP_LABELS
from regie.core.equity import vignettes as VA
from regie.platform import exports

from . import selectors, services
from .forms import AnswerForm, CodingForm, StudyForm, VignetteForm
from .models import LOGICS, QUESTIONS, MotivationCoding, VignetteAnswer

# --- vignette study -------------------------------------------------------------------------------------------------


@login_required
def studies(request):
    user = request.user
    if not any(can(user, c) for c in ("compose_vignettes", "answer_vignettes", "view_caseworker_results")):
        require_capability(request, "answer_vignettes", "vignette_study")
    today = dt.date.today()
    rows = []
    for s in selectors.visible_studies(user).select_related("municipality"):
        row = {"study": s, "owned": s.municipality_id in municipality_ids(user), "open": s.is_open(today)}
        if can(user, "answer_vignettes") and selectors.respondent_municipality(user, s) is not None:
            row["done"], row["total"], _nxt = services.progress(s, user)
            row["can_answer"] = row["open"] and row["done"] < row["total"]
        row["can_compose"] = row["owned"] and can(user, "compose_vignettes")
        row["can_analyse"] = can(user, "view_caseworker_results")
        if row.get("can_answer") is not None or row["can_compose"] or row["can_analyse"]:
            rows.append(row)
    log_request(request, "read", "vignette_study", municipality_id=user.municipality_id, detail=f"list {len(rows)}")
    return render(request, "equity/studies.html", {"rows": rows, "can_compose": can(user, "compose_vignettes")})


@login_required
def study_new(request):
    require_capability(request, "compose_vignettes", "vignette_study")
    form = StudyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        study = form.save(commit=False)
        study.municipality_id = request.user.municipality_id or form.cleaned_data["participants"][0].pk
        study.created_by = request.user
        study.save()
        form.save_m2m()
        log_request(request, "create", "vignette_study", study.pk, municipality_id=study.municipality_id)
        messages.success(request, _("Onderzoek aangemaakt. Voeg nu vignetten toe."))
        return redirect("equity:study", study.pk)
    return render(request, "equity/study_form.html", {"form": form}, status=400 if form.errors else 200)


def _compose_or_404(request, study_id: int):
    require_capability(request, "compose_vignettes", "vignette_study", study_id)
    study = selectors.study_for_compose(request.user, study_id)
    if study is None:
        raise not_found(request, "vignette_study", study_id)
    return study


@login_required
def study(request, study_id: int):
    study = _compose_or_404(request, study_id)
    if request.method == "POST":
        form = StudyForm(request.POST, instance=study, user=request.user)
        if form.is_valid():
            form.save()
            log_request(request, "update", "vignette_study", study.pk, municipality_id=study.municipality_id)
            messages.success(request, _("Onderzoek bijgewerkt."))
            return redirect("equity:study", study.pk)
    else:
        form = StudyForm(instance=study, user=request.user)
    vignettes = study.vignettes.all()
    counts = {
        v["vignette_id"]: v["n"]
        for v in VignetteAnswer.objects.filter(study=study).values("vignette_id").annotate(n=Count("id"))
    }
    log_request(request, "read", "vignette_study", study.pk, municipality_id=study.municipality_id)
    return render(
        request,
        "equity/study.html",
        {
            "study": study,
            "form": form,
            "vignettes": [(v, counts.get(v.pk, 0)) for v in vignettes],
            "n_respondents": VignetteAnswer.objects.filter(study=study).values("respondent").distinct().count(),
            "questions": [label for k, label in QUESTIONS if study.asks(k)],
        },
        status=400 if form.errors else 200,
    )


@login_required
def vignette_edit(request, study_id: int, vignette_id: int | None = None):
    study = _compose_or_404(request, study_id)
    vignette = None
    if vignette_id is not None:
        vignette = study.vignettes.filter(pk=vignette_id).first()
        if vignette is None:
            raise not_found(request, "vignette", vignette_id)
        if vignette.answers.exists():
            messages.error(request, _("Dit vignet is al beantwoord en kan niet meer worden gewijzigd."))
            return redirect("equity:study", study.pk)
    form = VignetteForm(request.POST or None, instance=vignette)
    if request.method == "POST" and form.is_valid():
        v = form.save(commit=False)
        v.study = study
        if vignette is None:
            v.position = (max([x.position for x in study.vignettes.all()] or [0])) + 1
        v.save()
        log_request(
            request, "create" if vignette is None else "update", "vignette", v.pk, municipality_id=study.municipality_id
        )
        messages.success(request, _("Vignet %(code)s opgeslagen.") % {"code": v.code})
        return redirect("equity:study", study.pk)
    return render(
        request,
        "equity/vignette_form.html",
        {"study": study, "form": form, "vignette": vignette},
        status=400 if form.errors else 200,
    )


@login_required
def answer(request, study_id: int):
    """One vignette at a time, as for a real client; an answer cannot be changed or given twice."""
    require_capability(request, "answer_vignettes", "vignette_study", study_id)
    study = selectors.study_for_answer(request.user, study_id)
    if study is None:
        raise not_found(request, "vignette_study", study_id)
    today = dt.date.today()
    municipality = selectors.respondent_municipality(request.user, study)
    done, total, nxt = services.progress(study, request.user)
    if not study.is_open(today) or nxt is None:
        log_request(
            request, "read", "vignette_study", study.pk, municipality_id=municipality.pk, detail="closed or done"
        )
        return render(
            request,
            "equity/answer_done.html",
            {"study": study, "done": done, "total": total, "open": study.is_open(today)},
        )
    options = services.scheme_options(municipality, today)
    form = AnswerForm(request.POST or None, study=study, options=options)
    if request.method == "POST":
        posted = request.POST.get("vignette")
        if posted != str(nxt.pk):
            # a stale tab or a double submit: that vignette was answered already (or is not the next one)
            messages.warning(request, _("Dit vignet hebt u al beantwoord; hier is het volgende."))
            return redirect("equity:answer", study.pk)
        if form.is_valid():
            try:
                services.record_answer(study, nxt, request.user, municipality, options, form.cleaned_data)
            except services.AlreadyAnswered:
                messages.warning(request, _("Dit vignet hebt u al beantwoord; hier is het volgende."))
            else:
                log_request(request, "create", "vignette_answer", nxt.pk, municipality_id=municipality.pk)
                messages.success(request, _("Antwoord op %(code)s opgeslagen.") % {"code": nxt.code})
            return redirect("equity:answer", study.pk)
    log_request(request, "read", "vignette", nxt.pk, municipality_id=municipality.pk)
    return render(
        request,
        "equity/answer.html",
        {
            "study": study,
            "vignette": nxt,
            "form": form,
            "done": done,
            "total": total,
            "number": done + 1,
            "options": options,
        },
        status=400 if form.errors else 200,
    )


def _chart_labels() -> dict:
    return {
        "level": _("trede"),
        "route": _("route"),
        "municipality": _("gemeente"),
        "caseworker": _("klantmanager"),
        "residual": _("rest"),
        "median": _("mediaan"),
        "months": _("maanden tot werk"),
        "level_rank": _("trede"),
    }


@login_required
def analysis(request, study_id: int):
    require_capability(request, "view_caseworker_results", "vignette_study", study_id)
    study = selectors.study_for_analysis(request.user, study_id)
    if study is None:
        raise not_found(request, "vignette_study", study_id)
    result = services.analyse_study(study)
    fmt = request.GET.get("export")
    table = request.GET.get("table")
    if fmt in ("xlsx", "pdf") or (fmt == "csv" and table in VA.TABLES):
        log_request(
            request,
            "export",
            "vignette_study",
            study.pk,
            municipality_id=request.user.municipality_id,
            detail=f"{fmt} {table or ''}".strip(),
        )
        name = f"vignetten-{study.pk}"
        from regie.platform import labels

        from .templatetags.equity import export_label, warning_text

        sheets = labels.export_sheets(
            {k: v for k, v in VA.export_sheets(result, study.title).items() if fmt == "xlsx" or k == table},
            titles=lambda k: (export_label(k) or labels.column_label(k))[:31],
            columns=export_label,
            values=export_label,
        )
        if fmt == "csv":
            return exports.csv_response(next(iter(sheets.values())), f"{name}-{table}.csv")
        if fmt == "xlsx":
            return exports.xlsx_response(sheets, f"{name}.xlsx")
        counts = answer_counts(result)
        pdf = VA.to_pdf(
            result,
            study.title,
            label=lambda k: export_label(k) or labels.column_label(k),
            value=lambda column, v: (
                warning_text(v) if column == "warning" and v else labels.export_value(column, v, export_label)
            ),
            counts=counts,
        )
        resp = HttpResponse(pdf, content_type="application/pdf")
        resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return resp
    log_request(
        request, "read", "vignette_study", study.pk, municipality_id=request.user.municipality_id, detail="analysis"
    )
    return render(
        request,
        "equity/analysis.html",
        {
            "study": study,
            "result": result,
            "counts": answer_counts(result),
            "tables": VA.TABLES,
            "agreement_svg": VA.agreement_svg(
                result, _("Aandeel van het meest gekozen antwoord per vignet"), _chart_labels()
            ),
            "spread_svg": VA.spread_svg(result, "months", _("Verwachte maanden tot werk per vignet"), _chart_labels()),
            "variance_svg": VA.variance_svg(result, _("Variantiecomponenten"), _chart_labels()),
            "vignettes": list(study.vignettes.all()),
        },
    )


# --- human coding of deviation motivations --------------------------------------------------------------------------


def _coding_municipality(request):
    mids = municipality_ids(request.user)
    try:
        mid = int(request.GET.get("m") or request.POST.get("m") or request.user.municipality_id or min(mids))
    except (TypeError, ValueError):
        mid = request.user.municipality_id
    if mid not in mids:
        raise not_found(request, "municipality", mid)
    return mid


@login_required
def coding(request):
    """Deviating decisions with their motivations, pseudonymised (case id and step only); each coder assigns a
    logic blind to the other coders; the lexicon's suggestion is shown."""
    require_capability(request, "view_caseworker_results", "motivation_coding")
    if not municipality_ids(request.user):
        raise PermissionDenied
    mid = _coding_municipality(request)
    if request.method == "POST":
        form = CodingForm(request.POST)
        if form.is_valid():
            ev = Event.objects.filter(pk=form.cleaned_data["event"], municipality_id=mid, deviates=True).first()
            if ev is None:
                raise not_found(request, "event", form.cleaned_data["event"])
            sugg = services.suggestion_for(
                (ev.decision or {}).get("motivation"), (ev.decision or {}).get("motivation_code")
            )
            services.save_coding(ev, request.user, form.cleaned_data["label"], sugg.get("logic"))
            log_request(request, "create", "motivation_coding", ev.external_id, municipality_id=mid)
            return redirect(
                f"{request.path}?m={mid}&page={request.POST.get('page', '1')}"
                f"&todo={request.POST.get('todo', '')}#e{ev.pk}"
            )
        messages.error(request, _("Kies een logica."))
    todo = request.GET.get("todo") == "1"
    events = (
        Event.objects.filter(municipality_id=mid, deviates=True)
        .select_related("case")
        .order_by("-effective_date", "-id")
    )
    mine = dict(
        MotivationCoding.objects.filter(municipality_id=mid, coder=request.user).values_list("event_id", "label")
    )
    if todo:
        events = events.exclude(pk__in=list(mine))
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    items = []
    for ev in page.object_list:
        d = ev.decision or {}
        items.append(
            {
                "event": ev,
                "case": ev.case.external_id,
                "step": STEP_LABELS.get(ev.type, ev.type),
                "date": ev.effective_date,
                "code": d.get("motivation_code"),
                "text": d.get("motivation"),
                "suggestion": services.suggestion_for(d.get("motivation"), d.get("motivation_code")),
                "mine": mine.get(ev.pk),
            }
        )
    log_request(
        request,
        "read",
        "motivation_coding",
        municipality_id=mid,
        detail=f"page {page.number} of {page.paginator.num_pages}, {len(items)} items",
    )
    return render(
        request,
        "equity/coding.html",
        {
            "items": items,
            "page": page,
            "logics": LOGICS,
            "m": mid,
            "todo": todo,
            "municipalities": selectors.coder_municipalities(request.user),
            "n_mine": len(mine),
            "agreement": services.coder_agreement(mid),
            "total": page.paginator.count,
        },
    )


def answer_counts(result: dict) -> str:
    """ "12 antwoorden van 3 klantmanagers op 4 vignetten in 1 gemeente.", each count with its own singular/plural."""
    from django.utils.translation import ngettext

    a, r, v, m = (result[k] for k in ("answers", "respondents", "vignettes", "municipalities"))
    return _("%(answers)s van %(respondents)s op %(vignettes)s in %(municipalities)s.") % {
        "answers": ngettext("%(n)s antwoord", "%(n)s antwoorden", a) % {"n": a},
        "respondents": ngettext("%(n)s klantmanager", "%(n)s klantmanagers", r) % {"n": r},
        "vignettes": ngettext("%(n)s vignet", "%(n)s vignetten", v) % {"n": v},
        "municipalities": ngettext("%(n)s gemeente", "%(n)s gemeenten", m) % {"n": m},
    }
