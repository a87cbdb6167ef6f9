"""Writes and computations of the equity app: vignette answers, the study analysis, codings, report runs."""

from __future__ import annotations

import datetime as dt
import logging
import time
import typing
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from regie.core.equity import vignettes as analysis
from regie.core.events import TrajectoryKind

from .models import MotivationCoding, ReportRun, Vignette, VignetteAnswer, VignetteStudy

log = logging.getLogger(__name__)


class AlreadyAnswered(Exception):
    pass


@dataclass
class SchemeOptions:
    """What the answer form offers for one respondent's municipality (its own classification scheme)."""

    scheme: str = ""
    levels: list[tuple[str, str, int]] = field(default_factory=list)  # (id, label, rank)
    routes: list[str] = field(default_factory=list)
    policy_version: str | None = None


def scheme_options(municipality, on: dt.date) -> SchemeOptions:
    """Levels and routes from the municipality's policy in force (regie.core.policy), as the step form does.

    Without a policy there are no levels to offer: PolicyUnavailable (the page says so; nothing is invented)."""
    from regie.core.policy import policy_for

    kinds = list(typing.get_args(TrajectoryKind))
    pol = policy_for(municipality.code, on)
    routes = []
    for r in pol.routing.rules:
        if r.route not in routes:
            routes.append(r.route)
    routes += [k for k in kinds if k not in routes]
    return SchemeOptions(
        scheme=pol.scheme.id,
        levels=[(lv.id, lv.label, lv.rank) for lv in pol.scheme.levels],
        routes=routes,
        policy_version=pol.version_id,
    )


def progress(study: VignetteStudy, user) -> tuple[int, int, Vignette | None]:
    """(answered, total, next unanswered vignette) for one respondent."""
    vignettes = list(study.vignettes.all())
    done = set(VignetteAnswer.objects.filter(study=study, respondent=user).values_list("vignette_id", flat=True))
    nxt = next((v for v in vignettes if v.pk not in done), None)
    return len(done), len(vignettes), nxt


def record_answer(
    study: VignetteStudy, vignette: Vignette, user, municipality, options: SchemeOptions, data: dict
) -> VignetteAnswer:
    """Store one judgement; a second answer to the same vignette raises AlreadyAnswered."""
    rank = next((r for lid, _l, r in options.levels if lid == data.get("level")), None)
    try:
        with transaction.atomic():
            return VignetteAnswer.objects.create(
                study=study,
                vignette=vignette,
                respondent=user,
                municipality=municipality,
                respondent_role=user.role,
                scheme=options.scheme if data.get("level") else "",
                level=data.get("level") or "",
                level_rank=rank,
                route=data.get("route") or "",
                exemption=data.get("exemption"),
                months_to_work=data.get("months"),
                motivation=data.get("motivation") or "",
            )
    except IntegrityError as exc:
        raise AlreadyAnswered from exc


def study_answers(study: VignetteStudy) -> list[dict]:
    """Answers as the analysis reads them: pseudonymised respondents (keyed-hash codes), municipality codes."""
    rows = (
        VignetteAnswer.objects.filter(study=study)
        .select_related("vignette", "municipality")
        .order_by("vignette__position", "vignette_id", "id")
    )
    return [
        {
            "vignette": a.vignette.code,
            "respondent": study.respondent_code(a.respondent_id),
            "municipality": a.municipality.code,
            "scheme": a.scheme or None,
            "level": a.level or None,
            "level_rank": a.level_rank,
            "route": a.route or None,
            "exemption": a.exemption,
            "months": a.months_to_work,
        }
        for a in rows
    ]


def analyse_study(study: VignetteStudy) -> dict:
    codes = [v.code for v in study.vignettes.all()]
    return analysis.analyse(study_answers(study), codes)


# --- human coding of deviation motivations --------------------------------------------------------------------------


def save_coding(event, coder, label: str, suggestion: str | None) -> MotivationCoding:
    obj, _created = MotivationCoding.objects.update_or_create(
        event=event,
        coder=coder,
        defaults={"label": label, "municipality_id": event.municipality_id, "suggestion": suggestion or ""},
    )
    return obj


def coder_agreement(municipality_id: int) -> list[dict]:
    """Cohen's kappa for every pair of coders over the items both coded (regie.core.equity.cohen_kappa)."""
    from regie.core.equity import cohen_kappa

    by_coder: dict[int, dict[int, str]] = {}
    names: dict[int, str] = {}
    for c in MotivationCoding.objects.filter(municipality_id=municipality_id).select_related("coder"):
        by_coder.setdefault(c.coder_id, {})[c.event_id] = c.label
        names[c.coder_id] = c.coder.username
    coders = sorted(by_coder)
    out = []
    for i, a in enumerate(coders):
        for b in coders[i + 1 :]:
            common = sorted(set(by_coder[a]) & set(by_coder[b]))
            if not common:
                continue
            row = {
                "coder_a": names[a],
                "coder_b": names[b],
                "n": len(common),
                "kappa": None,
                "ci": None,
                "agreement": sum(by_coder[a][e] == by_coder[b][e] for e in common) / len(common),
            }
            try:
                k = cohen_kappa([by_coder[a][e] for e in common], [by_coder[b][e] for e in common])
                row.update(kappa=k.get("kappa"), ci=k.get("ci"), agreement=k.get("agreement", row["agreement"]))
            except NotImplementedError:
                pass
            out.append(row)
    return out


def suggestion_for(text: str | None, code: str | None = None) -> dict:
    """The lexicon's first pass (regie.core.equity.code_motivation) on the text, else the structured code."""
    if not text and not code:
        return {"logic": None, "matched": []}
    try:
        from regie.core.equity import code_motivation

        return code_motivation(text, code) or {"logic": None, "matched": []}
    except NotImplementedError:
        return {"logic": None, "matched": []}


# --- the discretion report: computed once per municipality, as-of date and event-log state --------------------------

RETRY_MINUTES = 5  # a failed computation is shown as failed for this long before it is tried again
INTERRUPTED = "Onderbroken: de berekening is gestopt (herstart van de server of de worker); ze wordt opnieuw gestart."


def watermark(municipality) -> str:
    from regie.casework.models import Event

    agg = Event.objects.filter(municipality=municipality).aggregate(n=Count("id"), m=Max("id"))
    return f"{agg['n']}:{agg['m'] or 0}"


def human_codes(municipality_id: int) -> dict[str, str]:
    """Human codings per event (external id), for the report's deviation table: the label most coders chose."""
    from collections import Counter

    votes: dict[str, Counter] = {}
    for ext, label in MotivationCoding.objects.filter(municipality_id=municipality_id).values_list(
        "event__external_id", "label"
    ):
        votes.setdefault(ext, Counter())[label] += 1
    return {ext: c.most_common(1)[0][0] for ext, c in votes.items()}


def pseudonym(municipality_code: str, caseworker_id) -> str:
    """A caseworker's stable pseudonym in the report: keyed hash of municipality and caseworker id."""
    import hashlib
    import hmac

    from django.conf import settings

    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"caseworker:{municipality_code}:{caseworker_id}".encode(), hashlib.sha256
    )
    return "KM-" + digest.hexdigest()[:6]


def funnel_labels() -> dict:
    """The funnel plot's own text in the active language (regie.core.equity.funnel.FUNNEL_LABELS' keys)."""
    from django.utils.translation import gettext as _

    return {
        "limit_95": _("95%-grens"),
        "limit_998": _("99,8%-grens"),
        "x_duration": _("verwacht aantal trajectstarts (V)"),
        "x_count": _("aantal beslissingen (n)"),
        "y_duration": _("waargenomen / verwacht (W/V)"),
        "y_continuous": _("gecorrigeerd gemiddelde"),
        "y_binary": _("gecorrigeerd aandeel"),
    }


def funnel_images(result: dict, municipality_code: str) -> dict[str, dict[str, str]]:
    """Funnel plots per UI language and decision as data URIs (``{lang: {decision: uri}}``), drawn once per run
    with pseudonymised caseworkers (matplotlib takes a few hundred ms per plot: too slow for every page view).
    <img> rather than inline SVG: matplotlib's SVG has its own <style> and ids that would clash when several are
    inlined in one page."""
    import base64
    import copy

    from django.conf import settings
    from django.utils import translation

    from regie.core.equity import funnel_svg

    from .templatetags.equity import DECISION_LABELS

    out: dict[str, dict[str, str]] = {}
    for name, dec in (result.get("decisions") or {}).items():
        if dec.get("error") or not dec.get("caseworker_effects"):
            continue
        d = copy.deepcopy(dec)
        for row in d["caseworker_effects"]:
            row["caseworker"] = pseudonym(municipality_code, row.get("caseworker"))
        for lang, _name in settings.LANGUAGES:
            with translation.override(lang):
                try:
                    label, description = DECISION_LABELS.get(name, (name, d.get("description", "")))
                    title = f"{translation.gettext(label)}: {translation.gettext(description)}"
                    svg = funnel_svg(d, title=title, labels=funnel_labels())
                except Exception:  # noqa: BLE001  (a plot must not take the whole report down)
                    log.exception("funnel plot %s failed", name)
                    continue
            out.setdefault(lang, {})[name] = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return out


def compute_run(run_id: int, lease=None) -> None:
    """Compute one report run (the job ``equity.tasks.compute_report``) and store its JSON or its error; reports
    progress and a heartbeat after every model (regie.platform.jobs)."""
    from regie.analytics.store import current_cut
    from regie.core.equity import equity_report, report_events
    from regie.platform import jobs

    run = ReportRun.objects.select_related("municipality").get(pk=run_id)
    t0 = time.perf_counter()
    jobs.beat(ReportRun, run_id, lease)
    try:
        # only the columns and events the report reads (a tenth of the log; docs/performance.md); as_of is set
        frames, _ = current_cut(run.municipality, report_events)

        def progress(name: str, done: int, total: int) -> None:
            jobs.beat(ReportRun, run_id, lease, step=f"{done}/{total} {name}"[:100])

        result = equity_report(
            frames, as_of=run.as_of, human_codes=human_codes(run.municipality_id) or None, progress=progress
        )
        result = _jsonable(result)
        from django.conf import settings

        by_lang = funnel_images(result, run.municipality.code)
        # per language; "funnel_images" (Dutch) as older results have it
        result["funnel_images_by_lang"] = by_lang
        result["funnel_images"] = by_lang.get(settings.LANGUAGE_CODE, {})
        ReportRun.objects.filter(pk=run_id).update(
            state="done", result=result, finished_at=timezone.now(), seconds=time.perf_counter() - t0
        )
        # keep only the newest result per municipality and as-of date (older watermarks are superseded)
        ReportRun.objects.filter(municipality_id=run.municipality_id, as_of=run.as_of).exclude(pk=run_id).exclude(
            state="running"
        ).delete()
        _add_profile_intervals(run_id, frames, result, run.as_of, lease)
    except Exception as exc:  # noqa: BLE001  (shown on the page; the run can be retried)
        log.exception("equity report failed for %s", run.municipality)
        ReportRun.objects.filter(pk=run_id).update(
            state="error",
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
            seconds=time.perf_counter() - t0,
        )


def _add_profile_intervals(run_id: int, frames, result: dict, as_of, lease) -> None:
    """Second phase of a run: the report is shown (state done) with Wald intervals while the profile-likelihood
    intervals are computed here, in the same job, and then replace them. A failure keeps the Wald intervals."""
    from regie.core.equity import profile_intervals
    from regie.platform import jobs

    fitted = [d for d, v in (result.get("decisions") or {}).items() if v.get("icc") is not None]
    jobs.beat(ReportRun, run_id, lease)  # (the step keeps "9/9 done": the page shows the report already)
    try:
        extra = profile_intervals(frames, fitted, as_of=as_of)
    except Exception:  # noqa: BLE001  (the report stands with its Wald intervals)
        log.exception("profile intervals failed for run %s", run_id)
        return
    for d, v in extra.items():
        result["decisions"][d].update(icc_ci=v["icc_ci"], method=v["method"])
    result["intervals"] = "profile"
    ReportRun.objects.filter(pk=run_id, state="done").update(result=result)


def _jsonable(obj):
    import math

    import orjson

    def default(o):
        if isinstance(o, (dt.date, dt.datetime)):
            return o.isoformat()
        if hasattr(o, "item"):
            return o.item()
        if hasattr(o, "tolist"):
            return o.tolist()
        raise TypeError(type(o))

    def clean(o):
        if isinstance(o, float) and not math.isfinite(o):
            return None
        if isinstance(o, dict):
            return {str(k): clean(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [clean(v) for v in o]
        return o

    return clean(orjson.loads(orjson.dumps(obj, default=default, option=orjson.OPT_SERIALIZE_NUMPY)))


def report_run(municipality, as_of: dt.date, *, start: bool = True) -> ReportRun | None:
    """The run for the municipality's current event log as of a date: cached, or queued now (a job,
    ``equity.tasks.compute_report``; with the immediate backend it is computed before this returns)."""
    from regie.platform import jobs

    mark = watermark(municipality)
    run = ReportRun.objects.filter(municipality=municipality, as_of=as_of, watermark=mark).first()
    if run is not None and run.state == "running" and jobs.is_stale(run.heartbeat):
        # its worker died (restart, deploy, crash): shown as interrupted, started again by the retry rule below
        ReportRun.objects.filter(pk=run.pk, state="running").update(
            state="error", error=INTERRUPTED, finished_at=timezone.now()
        )
        run.refresh_from_db()
    if (
        run is not None
        and run.state == "error"
        and start
        and (run.finished_at or run.started_at) < timezone.now() - dt.timedelta(minutes=RETRY_MINUTES)
    ):
        run.delete()  # a failed run is retried, but not on every page view
        run = None
    if run is not None or not start:
        return run
    from .tasks import compute_report

    try:
        with transaction.atomic():
            # the run row and its queue entry are committed together: two requests racing here create one run
            # and one job (the unique constraint), in any number of processes
            run = ReportRun.objects.create(municipality=municipality, as_of=as_of, watermark=mark)
            jobs.enqueue(compute_report, run.pk)
    except IntegrityError:  # another request started it
        return ReportRun.objects.get(municipality=municipality, as_of=as_of, watermark=mark)
    run.refresh_from_db()
    return run


def latest_done(municipality, as_of: dt.date) -> ReportRun | None:
    """The newest finished report for this municipality and date, shown while a newer one is computed."""
    return (
        ReportRun.objects.filter(municipality=municipality, as_of=as_of, state="done")
        .order_by("-finished_at", "-id")
        .first()
    )
