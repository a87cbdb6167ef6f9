"""Operational indicators from the event log (polars; no Django). Each returns a small table (list of dicts).

Periods are half-open [start, end). "Spell": one case from ``toekenning`` to ``uitstroom`` (or open).

Speed (docs/performance.md "Monitoring"): every indicator starts from the memoised per-type events
(:func:`regie.core.frames.of_type`) and the
memoised :func:`spells`, so a dashboard scans the event log once per event type, not once per table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import cast

import polars as pl

from ..events import WORK_OUTFLOW_REASONS
from ..frames import Frames, kpi_columns
from ..frames import of_type as _of_type


def of_type(frames: Frames, *types: str) -> pl.DataFrame:
    return _of_type(frames, *types, columns=kpi_columns(*types))


def spells(frames: Frames, as_of: dt.date) -> pl.DataFrame:
    """One row per case with a benefit start on or before ``as_of``: case_id, start, client_id, end, reason, team.

    ``end``/``reason``: the last ``uitstroom`` on or before ``as_of`` (null while open). Memoised per ``as_of``.
    """
    return frames.memo(("spells", as_of), lambda: _spells(frames, as_of))


def _spells(frames: Frames, as_of: dt.date) -> pl.DataFrame:
    # the earliest start is the same for every as_of it does not exceed: group the starts once
    starts = frames.memo(
        "spell_starts",
        lambda: (
            of_type(frames, "toekenning")
            .group_by("case_id")
            .agg(pl.col("effective_date").min().alias("start"), pl.col("client_id").first())
            .join(frames.cases.select("case_id", "team"), on="case_id", how="left")
        ),
    )
    ends = spell_ends(frames, as_of)
    return (
        starts.filter(pl.col("start") <= as_of)
        .join(ends, on="case_id", how="left")
        .select("case_id", "start", "client_id", "end", "reason", "team")
    )


def spell_ends(frames: Frames, as_of: dt.date | None) -> pl.DataFrame:
    """Per case the last ``uitstroom`` on or before ``as_of``: case_id, end, reason (memoised; one table for every
    ``as_of`` after the last outflow in the log). route: a benefit ended by a decision -- ``beeindiging`` (its
    reason) or ``intrekking`` (reason ``geen_recht``, on its decision date) -- ends the spell as an outflow does."""
    out = frames.memo("spell_end_events", lambda: _end_events(frames))
    last = frames.memo("last_outflow", lambda: out["effective_date"].max())
    if as_of is not None and last is not None and as_of >= last:
        as_of = None

    def compute() -> pl.DataFrame:
        o = out if as_of is None else out.filter(pl.col("effective_date") <= as_of)
        return o.group_by("case_id").agg(pl.col("effective_date").max().alias("end"), pl.col("reason").last())

    return frames.memo(("spell_ends", as_of), compute)


def _end_events(frames: Frames) -> pl.DataFrame:
    """The events that end a benefit, in log order: uitstroom, and the route's beeindiging and intrekking."""
    ends = of_type(frames, "uitstroom", "beeindiging", "intrekking")
    if ends.is_empty() or ends.filter(pl.col("type") != "uitstroom").is_empty():
        return of_type(frames, "uitstroom")  # the common case: the same table as before
    return ends.with_columns(
        pl.when(pl.col("type") == "intrekking").then(pl.lit("geen_recht")).otherwise(pl.col("reason")).alias("reason")
    )


def _on_benefit(sp: pl.DataFrame, day: dt.date) -> pl.Expr:
    return (pl.col("start") <= day) & (pl.col("end").is_null() | (pl.col("end") > day))


def stock_and_flows(frames: Frames, start: dt.date, end: dt.date, team: str | None = None) -> dict:
    """Stock at both ends, inflow, outflow by reason, outflow to work, durable outflow (still off after 6 and 12
    months)."""
    sp = spells(frames, end)
    if team:
        sp = sp.filter(pl.col("team") == team)
    stock_start = sp.filter(_on_benefit(sp, start)).height
    stock_end = sp.filter(_on_benefit(sp, end - dt.timedelta(days=1))).height
    inflow = sp.filter((pl.col("start") >= start) & (pl.col("start") < end)).height
    out = sp.filter((pl.col("end") >= start) & (pl.col("end") < end))
    by_reason = {r: n for r, n in out.group_by("reason").len().sort("len", descending=True).iter_rows()}
    to_work = out.filter(pl.col("reason").is_in(list(WORK_OUTFLOW_REASONS)))
    # durable: no new spell of the same client (in any team) within 6 / 12 months after the outflow, judged with
    # everything the log knows (its last effective date), not only up to the period's end: an outflow in December
    # can be judged as durable or not once the next year's events are in
    known = cast("dt.date | None", frames.events["effective_date"].max())
    everything = spells(frames, known) if known is not None else sp
    later = everything.select("client_id", pl.col("start").alias("next_start"))
    durable = {}
    for months in (6, 12):
        # only outflows whose whole horizon lies within what the log knows can be judged
        w = to_work.with_columns((pl.col("end") + pl.duration(days=int(months * 30.44))).alias("horizon")).filter(
            pl.col("horizon") <= known
        )
        back = (
            w.join(later, on="client_id")
            .filter((pl.col("next_start") > pl.col("end")) & (pl.col("next_start") <= pl.col("horizon")))
            .select("case_id")
            .unique()
            .height
        )
        observable = w.height
        durable[f"durable_{months}m"] = round((observable - back) / observable, 4) if observable else None
    return {
        "stock_start": stock_start,
        "stock_end": stock_end,
        "inflow": inflow,
        "outflow": out.height,
        "outflow_to_work": to_work.height,
        "outflow_by_reason": by_reason,
        **durable,
    }


def duration_bands(frames: Frames, on: dt.date, team: str | None = None) -> dict:
    """The stock on ``on`` by time on benefit: <1, 1–3, 3–5, ≥5 years (the 'granite' caseload)."""
    sp = spells(frames, on)
    if team:
        sp = sp.filter(pl.col("team") == team)
    days = sp.filter(_on_benefit(sp, on)).select((pl.lit(on) - pl.col("start")).dt.total_days().alias("d"))["d"]
    bands = {
        "<1": int((days < 365).sum()),
        "1-3": int(((days >= 365) & (days < 1096)).sum()),
        "3-5": int(((days >= 1096) & (days < 1826)).sum()),
        ">=5": int((days >= 1826).sum()),
    }
    return bands


def caseload(frames: Frames, on: dt.date, norm: float) -> list[dict]:
    """Caseload per caseworker on ``on`` against the norm: the cases on benefit that day (a spell running; an
    application is not yet in the caseload) by their last ``caseworker_toewijzing`` on or before ``on``; cases
    without one under caseworker ``None``. The one computation behind the dashboard's table and the
    ``caseload_above_norm`` signal (``regie signals run``)."""
    sp = spells(frames, on)
    sp = sp.filter(_on_benefit(sp, on))
    assign = (
        of_type(frames, "caseworker_toewijzing")
        .filter(pl.col("effective_date") <= on)
        .sort("effective_date", maintain_order=True)
        .group_by("case_id")
        .agg(pl.col("caseworker").last())
    )
    per = sp.join(assign, on="case_id", how="left").group_by("caseworker").len()
    return caseload_against_norm(dict(per.iter_rows()), norm)


def caseload_against_norm(counts: Mapping[str, int] | Mapping[str | None, int], norm: float) -> list[dict]:
    """Rows caseworker, cases, norm, above_norm (more cases than the norm); largest caseload first, then by name,
    unassigned (``None``) last among equals."""
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))
    return [{"caseworker": cw, "cases": n, "norm": norm, "above_norm": n > norm} for cw, n in rows]


def time_to_first_trajectory(frames: Frames, start: dt.date, end: dt.date) -> dict:
    """Days from benefit start to the first trajectory, for inflow in [start, end)."""
    sp = spells(frames, dt.date.max).filter((pl.col("start") >= start) & (pl.col("start") < end))
    first = of_type(frames, "traject_start").group_by("case_id").agg(pl.col("effective_date").min().alias("first_traj"))
    d = sp.join(first, on="case_id").select((pl.col("first_traj") - pl.col("start")).dt.total_days().alias("d"))["d"]
    return {
        "inflow": sp.height,
        "with_trajectory": d.len(),
        "median_days": float(cast(float, d.median())) if d.len() else None,
        "p75_days": float(cast(float, d.quantile(0.75))) if d.len() else None,
    }


def rates(frames: Frames, start: dt.date, end: dt.date) -> dict:
    """Exemptions, warnings and sanctions in the period per 100 clients of the average stock."""
    in_period = (pl.col("effective_date") >= start) & (pl.col("effective_date") < end)
    sp = spells(frames, end)
    avg_stock = (
        sp.filter(_on_benefit(sp, start)).height + sp.filter(_on_benefit(sp, end - dt.timedelta(days=1))).height
    ) / 2
    count = lambda t: of_type(frames, t).filter(in_period).height  # noqa: E731
    per100 = lambda n: round(100 * n / avg_stock, 2) if avg_stock else None  # noqa: E731
    return {
        "average_stock": avg_stock,
        "exemptions": count("ontheffing_start"),
        "warnings": count("waarschuwing"),
        "sanctions": count("maatregel"),
        "exemptions_per_100": per100(count("ontheffing_start")),
        "warnings_per_100": per100(count("waarschuwing")),
        "sanctions_per_100": per100(count("maatregel")),
        "deviations": int(frames.events.select((in_period & pl.col("deviates")).sum()).item()),
    }


def trajectory_results(frames: Frames, start: dt.date, end: dt.date) -> list[dict]:
    """Per provider and module: trajectories ended in the period, results, cost, cost per successful trajectory
    (success = result werk or werk_gesubsidieerd; cf. seed 002:793)."""
    starts = of_type(frames, "traject_start").select("case_id", "trajectory_id", "provider", "module", pl.col("price"))
    ends = (
        of_type(frames, "traject_einde")
        .filter((pl.col("effective_date") >= start) & (pl.col("effective_date") < end))
        .select("case_id", "trajectory_id", "result", "cost")
    )
    t = ends.join(starts, on=["case_id", "trajectory_id"], how="left").with_columns(
        pl.coalesce("cost", "price").fill_null(0).alias("spent"),
        pl.col("result").is_in(["werk", "werk_gesubsidieerd"]).alias("success"),
    )
    g = (
        t.group_by("provider", "module")
        .agg(pl.len().alias("ended"), pl.col("success").sum().alias("successful"), pl.col("spent").sum().alias("cost"))
        .with_columns(
            (pl.col("successful") / pl.col("ended")).round(4).alias("success_rate"),
            pl.when(pl.col("successful") > 0)
            .then((pl.col("cost") / pl.col("successful")).round(0))
            .otherwise(None)
            .alias("cost_per_success"),
        )
        .sort(["provider", "module"])
    )
    return g.to_dicts()
