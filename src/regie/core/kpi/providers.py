"""Provider scores on the six criteria caseworkers named (seed 002:1564-1655), from the event log (polars; no Django).

The seed lists, "not in order of importance": uitstroom, rapportage, bejegening van cliënten, diagnostiek, toegang
tot en gebruik van relevant netwerk, directe communicatie. The log does not hold caseworkers' or clients' opinions
(the seed notes that clients' signals "worden niet systematisch bijgehouden", 002:1609-1611), so every criterion is
measured by a *proxy* from events; the proxies are Regie's choice and documented in docs/kpi-definitions.md:

1. uitstroom            share of trajectories ended in the period with result werk or werk_gesubsidieerd
2. rapportage           reports received as a share of reports due by the policy's report interval (seed 003:506,
                        001:1006), over trajectories ended in the period (capped at the due number per trajectory)
3. bejegening           1 − share ended as ``voortijdig_gestopt`` (drop-out), with no-show reports per trajectory
4. diagnostiek          of ended ``diagnose`` trajectories, the share followed within 30 days by a classification or a
                        plan in the same case (the diagnosis was usable); empty for providers without diagnoses
5. relevant netwerk     of trajectories ended with work, the share whose client is off benefit 6 months later
                        (a durable placement); only trajectories whose 6-month horizon lies before the as-of date
6. directe communicatie share of ended trajectories with at least one provider-initiated contact: a report of kind
                        ``advies`` or ``driegesprek_verzoek`` or a ``driegesprek`` about the trajectory

Scores are fractions (0..1, higher is better), not combined: the seed's caseworkers weigh them differently. Each row
also carries the number of trajectories, so small numbers can be read as such.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ..frames import Frames, of_type
from .indicators import spells

SUCCESS = ("werk", "werk_gesubsidieerd")
CRITERIA = ("uitstroom", "rapportage", "bejegening", "diagnostiek", "netwerk", "communicatie")
DEFAULT_REPORT_INTERVALS = ((3, 7), (12, 30), (999, 91))  # national-default policy: (max trajectory months, days)
DURABLE_DAYS = 182
DIAGNOSIS_FOLLOW_UP_DAYS = 30


def trajectories(frames: Frames, as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per trajectory: case, client, provider, module, kind, start, planned end, price, end, result, cost."""
    starts, ends = frames.memo(("kpi.providers", "trajectories"), lambda: _trajectory_events(frames))
    if as_of is not None:
        starts, ends = starts.filter(pl.col("start") <= as_of), ends.filter(pl.col("effective_date") <= as_of)
    st = starts.sort("start").group_by("case_id", "trajectory_id").agg(pl.all().first())
    en = ends.group_by("case_id", "trajectory_id").agg(
        pl.col("effective_date").max().alias("end"),
        pl.col("result").sort_by("effective_date").last(),
        pl.col("cost").sort_by("effective_date").last(),
    )
    return st.join(en, on=["case_id", "trajectory_id"], how="left").join(
        frames.cases.select("case_id", "team"), on="case_id", how="left"
    )


def _trajectory_events(frames: Frames) -> tuple[pl.DataFrame, pl.DataFrame]:
    starts = of_type(
        frames,
        "traject_start",
        columns=(
            "type",
            "case_id",
            "trajectory_id",
            "client_id",
            "provider",
            "module",
            "kind",
            "effective_date",
            "price",
            "payload",
        ),
    )
    starts = starts.select(
        "case_id",
        "trajectory_id",
        "client_id",
        "provider",
        "module",
        "kind",
        pl.col("effective_date").alias("start"),
        "price",
        pl.col("payload").str.json_path_match("$.planned_end").str.to_date(strict=False).alias("planned_end"),
    )
    ends = of_type(
        frames, "traject_einde", columns=("type", "case_id", "trajectory_id", "effective_date", "result", "cost")
    )
    return starts, ends


def _reports(frames: Frames) -> pl.DataFrame:
    def compute():
        r = of_type(
            frames,
            "rapportage",
            "driegesprek",
            columns=("type", "case_id", "trajectory_id", "effective_date", "payload"),
        )
        return (
            r.filter(pl.col("trajectory_id").is_not_null())
            .with_columns(pl.col("payload").str.json_path_match("$.kind").alias("rkind"))
            .drop("payload")
        )

    return frames.memo(("kpi.providers", "reports"), compute)


def _interval_expr(intervals) -> pl.Expr:
    months = (pl.coalesce("planned_end", "end") - pl.col("start")).dt.total_days() / 30.44
    expr = pl.lit(intervals[-1][1])
    for max_months, days in reversed(intervals):
        expr = pl.when(months <= max_months).then(pl.lit(days)).otherwise(expr)
    return expr


def scores(
    frames: Frames,
    start: dt.date,
    end: dt.date,
    team: str | None = None,
    report_intervals=DEFAULT_REPORT_INTERVALS,
    as_of: dt.date | None = None,
) -> list[dict]:
    """Per provider: trajectories ended in [start, end), the six criterion scores, cost and cost per success."""
    as_of = as_of or end
    t = trajectories(frames, as_of)
    if team:
        t = t.filter(pl.col("team") == team)
    t = t.filter(pl.col("end").is_not_null() & (pl.col("end") >= start) & (pl.col("end") < end))
    key = ["case_id", "trajectory_id"]
    # reports and provider-initiated contacts about each trajectory, between its start and 14 days after its end
    rep = (
        _reports(frames)
        .filter(pl.col("effective_date") <= as_of)
        .join(t.select(*key, "start", "end"), on=key, how="inner")
        .filter(
            (pl.col("effective_date") >= pl.col("start"))
            & (pl.col("effective_date") <= pl.col("end") + pl.duration(days=14))
        )
    )
    per = rep.group_by(key).agg(
        ((pl.col("type") == "rapportage") & pl.col("rkind").is_in(["voortgang", "eind"])).sum().alias("reports"),
        ((pl.col("type") == "rapportage") & (pl.col("rkind") == "no_show")).sum().alias("no_shows"),
        ((pl.col("type") == "driegesprek") | pl.col("rkind").is_in(["advies", "driegesprek_verzoek"]))
        .sum()
        .alias("initiatives"),
    )
    # diagnosis followed by a classification or plan in the same case within 30 days
    follow = (
        of_type(frames, "classificatie", "plan_van_aanpak", columns=("type", "case_id", "effective_date"))
        .filter(pl.col("effective_date") <= as_of)
        .rename({"effective_date": "f"})
    )
    diag = (
        t.filter(pl.col("kind") == "diagnose")
        .select(*key, "end")
        .join(follow, on="case_id", how="inner")
        .filter(
            (pl.col("f") >= pl.col("end")) & (pl.col("f") <= pl.col("end") + pl.duration(days=DIAGNOSIS_FOLLOW_UP_DAYS))
        )
        .select(*key)
        .unique()
        .with_columns(pl.lit(True).alias("followed"))
    )
    # durable placement: the client is not on benefit (any case) 6 months after a trajectory ended with work
    sp = spells(frames, as_of).select("client_id", pl.col("start").alias("s"), pl.col("end").alias("e"))
    work = (
        t.filter(pl.col("result").is_in(SUCCESS))
        .with_columns((pl.col("end") + pl.duration(days=DURABLE_DAYS)).alias("h"))
        .filter(pl.col("h") <= as_of)
    )
    back = (
        work.select(*key, "client_id", "h")
        .join(sp, on="client_id", how="inner")
        .filter((pl.col("s") <= pl.col("h")) & (pl.col("e").is_null() | (pl.col("e") > pl.col("h"))))
        .select(*key)
        .unique()
        .with_columns(pl.lit(True).alias("on_benefit_after"))
    )
    work = work.select(*key).with_columns(pl.lit(True).alias("observable")).join(back, on=key, how="left")
    x = (
        t.join(per, on=key, how="left")
        .join(diag, on=key, how="left")
        .join(work, on=key, how="left")
        .with_columns(
            pl.col("reports", "no_shows", "initiatives").fill_null(0),
            _interval_expr(report_intervals).alias("every"),
            pl.col("result").is_in(SUCCESS).alias("success"),
            pl.coalesce("cost", "price").fill_null(0).alias("spent"),
        )
        .with_columns(
            pl.max_horizontal(
                pl.lit(1), ((pl.col("end") - pl.col("start")).dt.total_days() / pl.col("every")).floor().cast(pl.Int64)
            ).alias("due")
        )
        .with_columns(pl.min_horizontal("reports", "due").alias("on_record"))
    )
    g = (
        x.group_by("provider")
        .agg(
            pl.len().alias("trajecten"),
            pl.col("success").sum().alias("naar_werk"),
            (pl.col("success").sum() / pl.len()).round(4).alias("uitstroom"),
            (pl.col("on_record").sum() / pl.col("due").sum()).round(4).alias("rapportage"),
            (1 - (pl.col("result") == "voortijdig_gestopt").sum() / pl.len()).round(4).alias("bejegening"),
            (pl.col("no_shows").sum() / pl.len()).round(3).alias("no_shows_per_traject"),
            pl.when((pl.col("kind") == "diagnose").sum() > 0)
            .then(
                (pl.col("followed").fill_null(False) & (pl.col("kind") == "diagnose")).sum()
                / (pl.col("kind") == "diagnose").sum()
            )
            .round(4)
            .alias("diagnostiek"),
            pl.col("observable").fill_null(False).sum().alias("_obs"),
            (pl.col("observable").fill_null(False) & pl.col("on_benefit_after").is_null()).sum().alias("_durable"),
            ((pl.col("initiatives") > 0).sum() / pl.len()).round(4).alias("communicatie"),
            pl.col("spent").sum().round(0).alias("kosten"),
        )
        .with_columns(
            pl.when(pl.col("_obs") > 0).then((pl.col("_durable") / pl.col("_obs")).round(4)).alias("netwerk"),
            pl.when(pl.col("naar_werk") > 0)
            .then((pl.col("kosten") / pl.col("naar_werk")).round(0))
            .alias("kosten_per_succes"),
        )
        .sort("provider", nulls_last=True)
    )
    cols = ["provider", "trajecten", "naar_werk", *CRITERIA, "no_shows_per_traject", "kosten", "kosten_per_succes"]
    return g.select(cols).to_dicts()


def results_by_provider_module(frames: Frames, start: dt.date, end: dt.date, team: str | None = None) -> list[dict]:
    """Trajectory results and cost per successful trajectory per provider and module (seed 002:793), with the team
    filter (core.kpi.indicators.trajectory_results has none)."""
    t = trajectories(frames)
    if team:
        t = t.filter(pl.col("team") == team)
    t = t.filter(pl.col("end").is_not_null() & (pl.col("end") >= start) & (pl.col("end") < end)).with_columns(
        pl.coalesce("cost", "price").fill_null(0).alias("spent"), pl.col("result").is_in(SUCCESS).alias("success")
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
        .sort(["provider", "module"], nulls_last=True)
    )
    return g.to_dicts()
