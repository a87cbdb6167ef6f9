"""RWI cohort ratios (seed 001:1602-1692, domain brief section 6), computed from the event log with polars.

Definitions (docs/kpi-definitions.md):

- X  clients whose benefit starts (``toekenning``) in the inflow window; a client counts once, with the first start
- Y  of X, on benefit on day 365 after that start (in any case of the client: a re-entry within the year counts)
- Z  of Y, with a work obligation: no full exemption (``ontheffing_start`` scope ``volledig``) active on day 365
- A  of Z, with a trajectory in year 1 (start ≤ event date ≤ day 365); "trajectory" per ``trajectory_definition``
- B  Z − A
- C  of Y − Z (exempted), those with a trajectory in year 1 — our reading of the undefined C (seed 001:1602-1692)
- A1 / B1  of A / B, those who flow out (``uitstroom``) in the first half of year 2 (day 366–547)

Ratios: compliance (X−Y+A+C)/X, langdurigheid Y/X, sluiting A/Z, niet_sluiting B/Z, uitstroom_met_traject A1/A,
uitstroom_zonder_traject B1/B (fractions; None when the denominator is 0). Events after ``as_of`` are ignored.

Speed (docs/performance.md "Monitoring"): the computation reads only the memoised per-type events
(:func:`regie.core.frames.of_type`), never
the whole log.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, cast

import polars as pl

from ..frames import Frames, kpi_columns
from ..frames import of_type as _of_type
from .indicators import spell_ends

TrajectoryDefinition = Literal["instrument", "plan_or_instrument"]
COUNTS = ("X", "Y", "Z", "A", "B", "C", "A1", "B1")
RATIOS = (
    "compliance",
    "langdurigheid",
    "sluiting",
    "niet_sluiting",
    "uitstroom_met_traject",
    "uitstroom_zonder_traject",
)


def of_type(frames: Frames, *types: str) -> pl.DataFrame:
    return _of_type(frames, *types, columns=kpi_columns(*types))


def _ratio(n: int, d: int) -> float | None:
    return round(n / d, 6) if d else None


def cohort_members(
    frames: Frames,
    inflow_from: dt.date,
    inflow_to: dt.date,
    as_of: dt.date | None = None,
    trajectory_definition: TrajectoryDefinition = "instrument",
) -> pl.DataFrame:
    """One row per client of cohort X with the flags y, z, a, c, left_h1y2, and the case, team and caseworker."""

    def typed(*types: str) -> pl.DataFrame:
        ev = of_type(frames, *types)
        return ev if as_of is None else ev.filter(pl.col("effective_date") <= as_of)

    starts = typed("toekenning").select("client_id", "case_id", pl.col("effective_date").alias("start"))
    uitstroom = typed("uitstroom")
    ends = spell_ends(frames, as_of).select("case_id", "end")
    spells = starts.join(ends, on="case_id", how="left")
    cohort = (
        spells.filter(pl.col("start").is_between(inflow_from, inflow_to))
        .sort("start", maintain_order=True)
        .group_by("client_id", maintain_order=True)
        .first()
        .with_columns(
            (pl.col("start") + pl.duration(days=365)).alias("d365"),
            (pl.col("start") + pl.duration(days=547)).alias("d547"),
        )
    )
    anchors = cohort.select("client_id", "d365", "d547", pl.col("start").alias("x_start"))
    # Y: on benefit on day 365 in any spell of the client
    on_benefit = (
        spells.join(anchors, on="client_id")
        .filter((pl.col("start") <= pl.col("d365")) & (pl.col("end").is_null() | (pl.col("end") > pl.col("d365"))))
        .select("client_id")
        .unique()
        .with_columns(pl.lit(True).alias("y"))
    )
    # Z: no full exemption active on day 365
    ex_start = typed("ontheffing_start").filter(pl.col("scope").fill_null("volledig") == "volledig")
    ex_end = typed("ontheffing_einde").select("case_id", "exemption_id", pl.col("effective_date").alias("ex_end"))
    exempt = (
        ex_start.join(anchors, on="client_id")
        .filter(pl.col("effective_date") <= pl.col("d365"))
        .filter(pl.col("end_date").is_null() | (pl.col("end_date") > pl.col("d365")))
        .join(ex_end, on=["case_id", "exemption_id"], how="left")
        .filter(pl.col("ex_end").is_null() | (pl.col("ex_end") > pl.col("d365")))
        .select("client_id")
        .unique()
        .with_columns(pl.lit(True).alias("exempt"))
    )
    traj_types = ["traject_start"] + (["plan_van_aanpak"] if trajectory_definition == "plan_or_instrument" else [])
    trajectory = (
        typed(*traj_types)
        .join(anchors, on="client_id")
        .filter(pl.col("effective_date").is_between(pl.col("x_start"), pl.col("d365")))
        .select("client_id")
        .unique()
        .with_columns(pl.lit(True).alias("traj"))
    )
    left = (
        uitstroom.join(anchors, on="client_id")
        .filter((pl.col("effective_date") > pl.col("d365")) & (pl.col("effective_date") <= pl.col("d547")))
        .select("client_id")
        .unique()
        .with_columns(pl.lit(True).alias("left_h1y2"))
    )
    first_cw = (
        typed("caseworker_toewijzing")
        .sort("effective_date", maintain_order=True)
        .group_by("case_id", maintain_order=True)
        .first()
        .select("case_id", pl.col("caseworker"))
    )
    out = (
        cohort.join(on_benefit, on="client_id", how="left")
        .join(exempt, on="client_id", how="left")
        .join(trajectory, on="client_id", how="left")
        .join(left, on="client_id", how="left")
        .join(first_cw, on="case_id", how="left")
        .join(frames.cases.select("case_id", "team"), on="case_id", how="left")
        .with_columns([pl.col(c).fill_null(False) for c in ("y", "exempt", "traj", "left_h1y2")])
    )
    return out.with_columns(
        z=pl.col("y") & ~pl.col("exempt"),
    ).with_columns(
        a=pl.col("z") & pl.col("traj"),
        b=pl.col("z") & ~pl.col("traj"),
        c=pl.col("y") & pl.col("exempt") & pl.col("traj"),
    )


def _summarise(m: pl.DataFrame) -> dict:
    s = m.select(
        pl.len().alias("X"),
        pl.col("y").sum().alias("Y"),
        pl.col("z").sum().alias("Z"),
        pl.col("a").sum().alias("A"),
        pl.col("b").sum().alias("B"),
        pl.col("c").sum().alias("C"),
        (pl.col("a") & pl.col("left_h1y2")).sum().alias("A1"),
        (pl.col("b") & pl.col("left_h1y2")).sum().alias("B1"),
    ).row(0, named=True)
    counts = {k: int(s[k]) for k in COUNTS}
    X, Y, Z, A, B, C, A1, B1 = (counts[k] for k in COUNTS)
    ratios = {
        "compliance": _ratio(X - Y + A + C, X),
        "langdurigheid": _ratio(Y, X),
        "sluiting": _ratio(A, Z),
        "niet_sluiting": _ratio(B, Z),
        "uitstroom_met_traject": _ratio(A1, A),
        "uitstroom_zonder_traject": _ratio(B1, B),
    }
    return {**counts, **ratios}


def cohort_kpis(
    frames: Frames,
    inflow_from: dt.date,
    inflow_to: dt.date,
    as_of: dt.date | None = None,
    by: Literal["team", "caseworker"] | None = None,
    trajectory_definition: TrajectoryDefinition = "instrument",
) -> dict:
    """The counts and ratios for the cohort, overall and (optionally) per team or per caseworker."""
    m = cohort_members(frames, inflow_from, inflow_to, as_of, trajectory_definition)
    result = {
        "municipality": frames.municipality,
        "inflow_from": inflow_from.isoformat(),
        "inflow_to": inflow_to.isoformat(),
        "as_of": (as_of or cast("dt.date | None", frames.events["effective_date"].max()) or inflow_to).isoformat(),
        "trajectory_definition": trajectory_definition,
        **_summarise(m),
    }
    complete_by = inflow_to + dt.timedelta(days=547)
    result["complete"] = as_of is None or as_of >= complete_by
    if by:
        key = "team" if by == "team" else "caseworker"
        groups = {}
        for value, part in m.group_by(key, maintain_order=True):
            groups[str(value[0])] = _summarise(part)
        result["by"] = {key: dict(sorted(groups.items()))}
    return result
