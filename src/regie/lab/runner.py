"""Baselines, the policy change as lab parameters, and the background run of a small ensemble.

A run simulates the baseline and the changed policy with the same run seeds (common random numbers), so the
difference per run isolates the change; the page shows each arm's mean with its 90% band over runs and the paired
difference with its band. A run is a background job (``lab.tasks.run_lab``, regie.platform.jobs) executed by a
``regie worker``; progress and a heartbeat are written to the ``LabRun`` row after every simulation. One run at a
time per municipality, across all workers (a job lease): a second one waits as "queued".
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from regie.core.lab import adapters, report
from regie.core.lab import scenario as scenario_mod
from regie.core.lab.ensemble import aggregate, flatten, run_ensemble
from regie.core.lab.ledger import ledger_change
from regie.core.lab.params import LabParams

from .models import LabRun

log = logging.getLogger(__name__)

START = dt.date(2015, 1, 1)

# Measures shown side by side: key in the flattened run results, Dutch label and group (msgids, translated when
# shown), higher is better (or None)
MEASURES = [
    ("outflow_to_work_per_year_pct", N_("Uitstroom naar werk per jaar (% van het bestand)"), N_("uitstroom"), True),
    ("outflow_per_year_pct", N_("Uitstroom per jaar (% van het bestand)"), N_("uitstroom"), True),
    ("stock_end", N_("Bestand aan het eind"), N_("uitstroom"), False),
    ("mean_duration_months", N_("Gemiddelde uitkeringsduur (maanden)"), N_("duur"), False),
    ("cost_i_deel", N_("Uitkeringslasten I-deel (€, hele periode)"), N_("kosten"), False),
    ("cost_w_deel", N_("Re-integratie W-deel (€, hele periode)"), N_("kosten"), False),
    ("cost_per_success", N_("Kosten per geslaagd traject (€)"), N_("kosten"), False),
    (
        "trajectory_rate_ratio",
        N_("Trajecten laagste/hoogste herkomstgroep (1 = gelijk)"),
        N_("gelijke behandeling"),
        True,
    ),
    ("equal_treatment.icc", N_("Verschil tussen klantmanagers in trajectkans (ICC)"), N_("gelijke behandeling"), False),
    (
        "caseworker_sd_trajectory_rate",
        N_("Spreiding tussen klantmanagers (sd trajectkans)"),
        N_("gelijke behandeling"),
        False,
    ),
    ("deviation_rate", N_("Afwijkingen van de aanbeveling (aandeel besluiten)"), N_("gelijke behandeling"), None),
    ("trajectories_started", N_("Gestarte trajecten"), N_("trajecten"), None),
    ("trajectory_success", N_("Trajecten die in werk eindigen (aandeel)"), N_("trajecten"), True),
    ("sanctions_per_100_per_year", N_("Maatregelen per 100 cliënten per jaar"), N_("trajecten"), None),
    # benefit (h/benefit2): I-deel from simulated ledgers (regie.core.lab.ledger.lab_ledger)
    (
        "ledger.total",
        N_("Uitkeringslasten I-deel volgens de uitkeringsberekening (€, hele periode)"),
        N_("kosten"),
        False,
    ),
    ("ledger.vrijlating_total", N_("Waarvan inkomstenvrijlating (€, hele periode)"), N_("kosten"), None),
    # lab demand side (core/lab/demand.py): shown when the demand side is on in every arm
    ("demand.vacancies", N_("Geworven vacatures"), N_("werkgevers"), None),
    ("demand.vacancies_filled_share", N_("Vacatures vervuld uit het bestand (aandeel)"), N_("werkgevers"), True),
    ("demand.months_vacancy_to_placement", N_("Tijd van vacature tot plaatsing (maanden)"), N_("werkgevers"), False),
    ("demand.placements", N_("Plaatsingen op vacatures"), N_("werkgevers"), True),
    ("demand.placements_subsidised", N_("Waarvan met loonkostensubsidie"), N_("werkgevers"), None),
    ("demand.durable_6_share", N_("Plaatsingen duurzaam na 6 maanden (aandeel)"), N_("werkgevers"), True),
    ("demand.durable_12", N_("Duurzame plaatsingen (na 12 maanden)"), N_("werkgevers"), True),
    ("demand.subsidy_spent", N_("Loonkostensubsidie (€, hele periode)"), N_("kosten"), None),
    (
        "demand.subsidy_per_durable_placement",
        N_("Loonkostensubsidie per duurzame plaatsing met subsidie (€)"),
        N_("kosten"),
        False,
    ),
]


@lru_cache(maxsize=1)
def experiments() -> dict[str, scenario_mod.Scenario]:
    """The shipped scenarios by name. A shipped file that does not load is an error (the package is broken), not a
    scenario silently left out."""
    return {stem: scenario_mod.load(path) for stem, path in scenario_mod.shipped().items()}


def _policy_overrides(policy: str) -> dict | None:
    """The policy id with a ``policy_on`` date when its versions do not cover the simulated start; None if unknown."""
    try:
        adapters.policy_for(policy, START)
        return {"policy": policy}
    except LookupError:
        pass
    from regie.core.policy.loader import default_set

    try:
        versions = default_set().versions(policy)
    except LookupError:
        return None
    if not versions:
        return None
    return {"policy": policy, "policy_on": versions[-1].valid_from}


def _policy_id_for_code(code: str) -> str:
    """The id of the policy file of the municipality with this CBS code (as the casework finds it), or ''."""
    from regie.core.policy import policy_for

    try:
        return policy_for(code, dt.date.today()).id if code else ""
    except LookupError:
        return ""


def baselines(municipality) -> list[dict]:
    """What a policy officer can start from: the municipality's own policy, the national default, the shipped
    scenarios (their base, without arms)."""
    out = []
    slug = getattr(municipality, "policy_slug", "") or _policy_id_for_code(getattr(municipality, "code", ""))
    if slug:
        ov = _policy_overrides(slug)
        if ov:
            out.append(
                {
                    "key": f"policy:{slug}",
                    # the policy file's id (den-haag) is for the Bron, not the label a policy officer reads
                    "label": _("Beleid van %(name)s") % {"name": municipality.name},
                    "overrides": ov,
                }
            )
    nd = _policy_overrides("national-default")
    if nd and not any(b["key"] == "policy:national-default" for b in out):
        out.append({"key": "policy:national-default", "label": _("Landelijk standaardbeleid"), "overrides": nd})
    for stem, sc in experiments().items():
        ov = {"policy": sc.policy, "market": sc.market, **sc.overrides}
        if sc.policy_on:
            ov["policy_on"] = sc.policy_on
        if "start" in sc.population:
            ov["start"] = sc.population["start"]
        out.append(
            {
                "key": f"experiment:{stem}",
                "label": (_("Scenario: %(title)s") % {"title": sc.title.in_(get_language())})[:150],
                "overrides": ov,
            }
        )
    return out


def baseline(municipality, key: str) -> dict | None:
    return next((b for b in baselines(municipality) if b["key"] == key), None)


def change_overrides(data: dict) -> dict:
    """The policy change (cleaned form data) as lab parameter overrides; empty fields change nothing."""
    ov: dict = {}
    if data.get("steering"):
        ov["steering_override"] = data["steering"]
    if data.get("work_first"):
        ov["work_first_override"] = data["work_first"] == "aan"
    if data.get("caseload_norm"):
        ov["caseload_norm_override"] = float(data["caseload_norm"])
    if data.get("capacity_factor") is not None:
        ov["provider_capacity_factor"] = float(data["capacity_factor"])
    if data.get("w_deel_per_client") is not None:
        ov["w_deel_per_client"] = float(data["w_deel_per_client"])
    if data.get("sanction_factor") is not None:
        ov["sanction_factor"] = float(data["sanction_factor"])
    if data.get("warn_instead") is not None:
        ov["warn_instead"] = float(data["warn_instead"])
    if data.get("exemptions_off"):
        ov["exemptions_off"] = list(data["exemptions_off"])
    if data.get("freedom") is not None:
        ov["freedom_override"] = float(data["freedom"])
    if data.get("creaming") is not None:
        ov["creaming"] = float(data["creaming"])
    if data.get("market"):
        ov["market"] = data["market"]
    # lab demand side: accountmanagers recruit vacancies; the wage subsidy's percentage (core/lab/demand.py)
    if data.get("accountmanagers") is not None:
        ov["demand.accountmanagers"] = int(data["accountmanagers"])
    if data.get("subsidy_pct") is not None:
        ov["demand.subsidy_pct"] = float(data["subsidy_pct"])
    return ov


# How each measure's values are shown (regie.platform.templatetags.regie_format.measure); default "number".
MEASURE_UNITS = {
    "outflow_to_work_per_year_pct": "percent",
    "outflow_per_year_pct": "percent",
    "stock_end": "count",
    "mean_duration_months": "months",
    "cost_i_deel": "euro",
    "cost_w_deel": "euro",
    "cost_per_success": "euro",
    "trajectory_rate_ratio": "ratio",
    "equal_treatment.icc": "ratio",
    "caseworker_sd_trajectory_rate": "ratio",
    "deviation_rate": "share",
    "trajectories_started": "count",
    "trajectory_success": "share",
    "sanctions_per_100_per_year": "ratio",
    "ledger.total": "euro",
    "ledger.vrijlating_total": "euro",
    "demand.vacancies": "count",
    "demand.vacancies_filled_share": "share",
    "demand.months_vacancy_to_placement": "months",
    "demand.placements": "count",
    "demand.placements_subsidised": "count",
    "demand.durable_6_share": "share",
    "demand.durable_12": "count",
    "demand.subsidy_spent": "euro",
    "demand.subsidy_per_durable_placement": "euro",
}


def arm_ledgers(run: LabRun, names) -> dict[str, dict]:
    """Per arm the benefit change for its simulated ledgers: the change arm's own, nothing for the others."""
    if run.params.get("use_arms"):
        return {n: {} for n in names}
    change = ledger_change(run.params.get("change") or {})
    return {n: (change if n == "wijziging" else {}) for n in names}


def scenario_of(key: str) -> scenario_mod.Scenario | None:
    """The shipped scenario a baseline key (``experiment:<stem>``) names; None for a policy baseline."""
    return experiments().get(key.partition(":")[2]) if key.startswith("experiment:") else None


def arm_label(key: str, arm: str) -> str:
    """An arm's shown name in the active language: "Basis" / "Wijziging", a shipped scenario's label for its
    arm (``key`` the run's baseline, ``experiment:<stem>``), else the arm's name."""
    if arm in ARM_LABELS:
        return _(ARM_LABELS[arm])
    sc = scenario_of(key)
    text = sc.arm_label(arm) if sc is not None else None
    return text.in_(get_language()) if text is not None else arm


def scenario_arms(key: str) -> list[str]:
    """The arms of a shipped scenario (empty for a policy baseline or a scenario without arms)."""
    if not key.startswith("experiment:"):
        return []
    sc = experiments().get(key.partition(":")[2])
    return list(sc.arms) if sc else []


def arm_params(run: LabRun) -> dict[str, LabParams]:
    """Parameters per arm, in order (the first is the reference): baseline and change, or the scenario's own arms."""
    b = baseline(run.municipality, run.scenario)
    if b is None:
        raise ValueError(f"unknown baseline {run.scenario!r}")
    pr = run.params
    size = {"clients": int(pr["clients"]), "caseworkers": int(pr["caseworkers"]), "months": int(pr["months"])}
    if pr.get("use_arms"):
        sc = experiments()[run.scenario.partition(":")[2]]
        return {name: p.with_overrides(size) for name, p in sc.arm_params().items()}
    base = LabParams().with_overrides({**b["overrides"], **size})
    return {"basis": base, "wijziging": base.with_overrides(change_overrides(pr.get("change", {})))}


def _band(v: np.ndarray) -> dict:
    return {
        "mean": round(float(v.mean()), 4),
        "p05": round(float(np.percentile(v, 5)), 4),
        "p95": round(float(np.percentile(v, 95)), 4),
    }


def summarise(arms: dict[str, list[dict]], start: dt.date, scenario_key: str = "") -> dict:
    """Result JSON: per measure every arm's mean with its 90% band and the paired difference of every other arm
    from the first (same seeds, so per run); charts (SVG from the report code); the flattened runs for downloads."""
    names = list(arms)
    flat = {a: [flatten(r) for r in rs] for a, rs in arms.items()}
    agg = {a: aggregate(rs) for a, rs in arms.items()}
    measures = []
    for key, label, group, better in MEASURES:
        vals = {a: [_value(f, key) for f in flat[a]] for a in names}
        if any(v is None or not isinstance(v, (int, float)) for a in names for v in vals[a]):
            continue
        v = {a: np.array(vals[a], float) for a in names}
        measures.append(
            {
                "key": key,
                "label": label,
                "group": group,
                "better": better,
                "arms": [{"name": a, **_band(v[a])} for a in names],
                "diffs": [{"name": a, **_band(v[a] - v[names[0]])} for a in names[1:]],
            }
        )
    _, monthly = report.tables(arms)
    charts = _charts(arms, agg, monthly, start, scenario_key)
    problem = next((r["ledger"]["problem"] for rs in arms.values() for r in rs if "problem" in r.get("ledger", {})), "")
    runs = [{"arm": a, **f} for a in names for f in flat[a]]
    return json_safe(
        {
            "arms": names,
            "measures": measures,
            "charts": charts,
            "runs": runs,
            "equal_treatment_method": _method(arms),
            "ledger_problem": problem,
        }
    )


# The charts: key, title (a Dutch msgid, translated when shown) and kind. Their text is drawn in every UI language
# when the run finishes (matplotlib takes a few hundred ms per chart: too slow for every page view); the page
# shows the reader's language (views.run_detail).
BAND_CHARTS = [
    ("stock", N_("Bestand (gemiddelde en 90%-band)")),
    ("outflow_work", N_("Uitstroom naar werk per maand")),
    ("w_spent", N_("W-deel uitgaven per maand (€)")),
]
# benefit (h/benefit2): I-deel per month from the simulated ledgers, drawn fourth when the runs have it
LEDGER_CHART = ("i_ledger", N_("I-deel volgens de uitkeringsberekening per maand (€)"))
BAR_CHARTS = [
    ("outflow_to_work_per_year_pct", N_("Uitstroom naar werk (% per jaar)")),
    ("mean_duration_months", N_("Gemiddelde duur (maanden)")),
    ("cost_per_success", N_("Kosten per geslaagd traject (€)")),
    ("trajectory_rate_ratio", N_("Gelijke behandeling naar herkomst")),
    ("equal_treatment.icc", N_("Verschil tussen klantmanagers (ICC)")),
]
# the arms' shown names (a shipped scenario's arms: the labels of its file, arm_label)
ARM_LABELS = {"basis": N_("Basis"), "wijziging": N_("Wijziging")}


def _charts(arms: dict, agg: dict, monthly, start: dt.date, scenario_key: str = "") -> list[dict]:
    """Every chart as ``{"key", "title": msgid, "svg": Dutch SVG, "svgs": {language: SVG}}`` (``svg`` stays for
    readers of older results)."""
    from django.utils import translation
    from django.utils.formats import date_format

    band = list(BAND_CHARTS)
    if "i_ledger" in monthly.columns:
        band.insert(3, LEDGER_CHART)
    charts: dict[str, dict] = {}
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            arm_labels = {a: arm_label(scenario_key, a) for a in arms}
            xlabel = _("maanden sinds %(start)s") % {"start": date_format(start, "F Y")}
            for key, title in band:
                svg = report._band_plot(monthly, key, _(title), start, xlabel=xlabel, arm_labels=arm_labels)
                charts.setdefault(key, {"key": key, "title": title, "svgs": {}})["svgs"][lang] = svg
            for key, title in BAR_CHARTS:
                svg = report._bars(agg, key, _(title), arm_labels=arm_labels)
                if svg:
                    charts.setdefault(key, {"key": key, "title": title, "svgs": {}})["svgs"][lang] = svg
    for c in charts.values():
        c["svg"] = c["svgs"].get(settings.LANGUAGE_CODE) or next(iter(c["svgs"].values()))
    return list(charts.values())


def _value(flat: dict, key: str):
    """A measure of one run. Lab demand side: a run without it (no accountmanagers) placed nobody and paid no wage
    subsidy, so its counts and euros are 0 (shares and times stay unknown)."""
    v = flat.get(key)
    if v is None and key.startswith("demand.") and "demand.placements" not in flat:
        if MEASURE_UNITS.get(key) in ("count", "euro") and key != "demand.subsidy_per_durable_placement":
            return 0
    return v


def json_safe(v):
    """NaN and infinities → None (PostgreSQL's jsonb rejects them), numpy scalars → Python numbers."""
    if isinstance(v, dict):
        return {str(k): json_safe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [json_safe(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v


def _method(arms) -> str | None:
    for rs in arms.values():
        for r in rs:
            et = r.get("equal_treatment") or {}
            if et.get("implementation"):
                return " — ".join(x for x in (et.get("implementation"), et.get("decision"), et.get("method")) if x)
    return None


def execute(run_id: int, lease=None) -> None:
    """Run a LabRun's arms (same seeds) and store the result; never raises (the row records a failure). Called
    by the job ``lab.tasks.run_lab`` while it holds the municipality's lease."""
    from regie.platform import jobs

    try:
        run = LabRun.objects.select_related("municipality").get(pk=run_id)
        params = arm_params(run)
        jobs.beat(LabRun, run_id, lease, status="running", progress=0, total=len(params) * int(run.params["runs"]))

        def progress(k: int) -> None:
            jobs.beat(LabRun, run_id, lease, progress=F("progress") + k)

        # REGIE_LAB_SCHEDULER: the simulations go to that Dask cluster; this job waits for them, reporting as
        # they come back (results are the same for a seed whoever computes them)
        scheduler = getattr(settings, "REGIE_LAB_SCHEDULER", "") or None
        ledgers = arm_ledgers(run, list(params))
        arms = {
            name: run_ensemble(
                p,
                int(run.params["runs"]),
                seed=int(run.params.get("seed", 1)),
                workers=1,
                scheduler=scheduler,
                progress=progress,
                kpis=True,
                ledger=ledgers[name],
            )
            for name, p in params.items()
        }
        result = summarise(arms, next(iter(params.values())).start, run.scenario)
        LabRun.objects.filter(pk=run_id).update(status="done", result=result, finished=timezone.now())
    except Exception as exc:  # recorded for the user; the traceback goes to the log
        log.exception("lab run %s failed", run_id)
        LabRun.objects.filter(pk=run_id).update(
            status="failed", error=f"{type(exc).__name__}: {exc}"[:2000], finished=timezone.now()
        )


def mark_interrupted(runs) -> int:
    """Runs whose job died with its worker (restart, deploy, crash: no heartbeat for REGIE_JOB_STALE_SECONDS, the
    one stale rule of regie.platform.jobs) are marked failed, so they do not show "Bezig" forever; the user can
    start them again. Queued runs wait for a worker. Returns how many were marked."""
    from regie.platform import jobs

    stale = jobs.interrupted(runs.filter(status="running"))
    return LabRun.objects.filter(pk__in=list(stale.values_list("pk", flat=True)), status="running").update(
        status="failed",
        finished=timezone.now(),
        error=N_("Onderbroken: de server is herstart of de berekening liep vast. Start de simulatie opnieuw."),
    )


def start(run: LabRun):
    """Queue the run's job (call inside the transaction that created the run)."""
    from regie.platform import jobs

    from .tasks import run_lab

    return jobs.enqueue(run_lab, run.pk)
