"""Measure a generated (or any regie-jsonl) file against the calibration targets of ``params``.

Used by docs/synthetic-data.md and by the calibration test. Computed with polars from the analytic frames.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

import polars as pl

from ..events import WORK_OUTFLOW_REASONS
from ..frames import from_jsonl

# target, tolerance (absolute, in fraction points), source
TARGETS = {
    "share_female": (0.588, 0.04, "seed 000:297-305 (Tabel 2.2, stock 2008 <65)"),
    "share_under_1y": (0.185, 0.06, "seed 000:297-300 (Tabel 2.2: uitkeringsduur < 1 jaar, <65)"),
    "origin_niet_westers": (0.427, 0.04, "seed 000:326-333 (Tabel 2.3)"),
    "origin_nederland": (0.462, 0.04, "seed 000:326-333 (Tabel 2.3)"),
    "age_under_25": (0.048, 0.03, "seed 000:276-288 (Tabel 2.1, 2008, renormalised <65)"),
    "age_25_35": (0.166, 0.05, "seed 000:276-288"),
    "age_35_45": (0.261, 0.05, "seed 000:276-288"),
    "age_45_55": (0.272, 0.05, "seed 000:276-288"),
    "age_55_plus": (0.249, 0.06, "seed 000:276-288"),
    "inflow_per_stock_year": (0.24, 0.05, "domain brief section 8 (ext CBS: inflow ~80-88k on ~405k)"),
    "outflow_per_stock_year": (0.24, 0.05, "domain brief section 8 (ext CBS: outflow ~72-100k on ~405k)"),
    "outflow_to_work": (0.40, 0.05, "domain brief section 8 (ext CBS: about 40% of outflow to work)"),
    "share_exempt": (0.10, 0.04, "domain brief section 8 (ext: ~10% exempt)"),
}


def _periods(events: pl.DataFrame) -> pl.DataFrame:
    """One row per case with benefit start and end (None while open)."""
    start = (
        events.filter(pl.col("type") == "toekenning")
        .group_by("case_id")
        .agg(pl.col("effective_date").min().alias("start"), pl.col("client_id").first())
    )
    end = (
        events.filter(pl.col("type") == "uitstroom")
        .group_by("case_id")
        .agg(pl.col("effective_date").max().alias("end"), pl.col("reason").last())
    )
    return start.join(end, on="case_id", how="left")


def calibration_report(path: str | Path, as_of: dt.date | None = None) -> dict:
    """Figures of a file: shares of the stock at ``as_of`` (default: the last event date) and yearly flows."""
    f = from_jsonl(path, normalise=False)
    ev = f.events
    periods = _periods(ev)
    last = cast(dt.date, ev["effective_date"].max())
    as_of = as_of or last
    stock = periods.filter((pl.col("start") <= as_of) & (pl.col("end").is_null() | (pl.col("end") > as_of)))
    clients = f.clients.join(stock.select("client_id").unique(), on="client_id")
    n = clients.height
    age = clients.select(((pl.lit(as_of) - pl.col("birth_date")).dt.total_days() / 365.25).alias("age"))["age"]
    dur_days = stock.select((pl.lit(as_of) - pl.col("start")).dt.total_days().alias("d"))["d"]
    # exemptions active at as_of
    starts = ev.filter((pl.col("type") == "ontheffing_start") & (pl.col("effective_date") <= as_of))
    ends = ev.filter((pl.col("type") == "ontheffing_einde") & (pl.col("effective_date") <= as_of))
    active = starts.join(ends.select("case_id", "exemption_id"), on=["case_id", "exemption_id"], how="anti")
    active = active.filter(pl.col("end_date").is_null() | (pl.col("end_date") > as_of))
    exempt = active.join(stock.select("case_id"), on="case_id").select("case_id").unique().height
    # yearly flows over the full calendar years before as_of, relative to the average of the stock at year starts
    years = [
        y for y in range(as_of.year - 5, as_of.year) if dt.date(y, 1, 1) >= cast(dt.date, ev["effective_date"].min())
    ]
    inflow, outflow, stock_avg, to_work, outs = 0, 0, 0.0, 0, 0
    for y in years:
        y0, y1 = dt.date(y, 1, 1), dt.date(y + 1, 1, 1)
        s0 = periods.filter((pl.col("start") <= y0) & (pl.col("end").is_null() | (pl.col("end") > y0))).height
        s1 = periods.filter((pl.col("start") <= y1) & (pl.col("end").is_null() | (pl.col("end") > y1))).height
        stock_avg += (s0 + s1) / 2
        inflow += periods.filter((pl.col("start") >= y0) & (pl.col("start") < y1)).height
        out_y = periods.filter((pl.col("end") >= y0) & (pl.col("end") < y1))
        outflow += out_y.height
        outs += out_y.height
        to_work += out_y.filter(pl.col("reason").is_in(list(WORK_OUTFLOW_REASONS))).height

    def share(x: int | float, d: int | float) -> float:
        return round(x / d, 4) if d else 0.0

    figures: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "stock": n,
        "clients_in_file": f.clients.height,
        "cases": f.cases.height,
        "events": ev.height,
        "years_measured": years,
        "share_female": share(clients.filter(pl.col("sex") == "V").height, n),
        "share_under_1y": share(int((dur_days < 365).sum()), n),
        "duration_1_3y": share(int(((dur_days >= 365) & (dur_days < 3 * 365)).sum()), n),
        "duration_3_5y": share(int(((dur_days >= 3 * 365) & (dur_days < 5 * 365)).sum()), n),
        "duration_5y_plus": share(int((dur_days >= 5 * 365).sum()), n),
        "origin_niet_westers": share(clients.filter(pl.col("origin") == "niet_westers").height, n),
        "origin_nederland": share(clients.filter(pl.col("origin") == "nederland").height, n),
        "age_under_25": share(int((age < 25).sum()), n),
        "age_25_35": share(int(((age >= 25) & (age < 35)).sum()), n),
        "age_35_45": share(int(((age >= 35) & (age < 45)).sum()), n),
        "age_45_55": share(int(((age >= 45) & (age < 55)).sum()), n),
        "age_55_plus": share(int((age >= 55).sum()), n),
        "single_parents": share(clients.filter(pl.col("n_children") > 0, ~pl.col("has_partner")).height, n),
        "inflow_per_stock_year": share(inflow, stock_avg),
        "outflow_per_stock_year": share(outflow, stock_avg),
        "outflow_to_work": share(to_work, outs),
        "share_exempt": share(exempt, n),
    }
    figures["checks"] = {
        k: {"target": t, "tolerance": tol, "value": figures[k], "ok": abs(figures[k] - t) <= tol, "source": src}
        for k, (t, tol, src) in TARGETS.items()
    }
    return figures
