"""The two WWB budgets against the event log (polars; no Django). docs/kpi-definitions.md, "Budgets".

- W-deel (participation budget; unspent money goes back, seed 000:250): spending on trajectories against the year's
  budget, with a depletion forecast at the current burn rate (Maastricht's 2004 W-deel was spent by early October,
  seed 002:862). Spending is booked on a commitment basis in the month the trajectory starts: its final ``cost``
  when it has ended by the as-of date, otherwise its ``price`` (what was committed). Trajectories without either
  cost nothing here (counted in ``without_amount``).
- I-deel (benefit budget; the municipality keeps a surplus and bears a deficit): benefit payments — the
  ``monthly_amount`` of the case's last ``toekenning``, pro rata for the days on benefit in each month, less the
  reductions of sanctions (``maatregel``: ``amount`` / months when recorded, else percentage × monthly amount, for
  each month it runs, as in the BUS records) — against the year's I-deel budget.

The burn rate is the spending so far divided by the elapsed part of the year in months (day of the as-of date /
days in the year × 12). Budget amounts are not in the event log: the adapter passes them (regie.monitoring:
``BudgetAllocation``, entered by the functioneel beheerder with a source).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from typing import cast

import polars as pl

from ..frames import Frames, of_type
from .indicators import spells
from .providers import trajectories


def _elapsed_months(year: int, as_of: dt.date) -> float:
    if as_of < dt.date(year, 1, 1):
        return 0.0
    if as_of >= dt.date(year, 12, 31):
        return 12.0
    days = 366 if calendar.isleap(year) else 365
    return (as_of - dt.date(year, 1, 1)).days / days * 12 + 12 / days  # the as-of day itself is elapsed


def _months(year: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "m": list(range(1, 13)),
            "m_first": [dt.date(year, m, 1) for m in range(1, 13)],
            "m_last": [dt.date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, 13)],
        }
    )


def _forecast(year: int, monthly: list[float], budget: float | None, as_of: dt.date) -> dict:
    """Cumulative series, burn rate and the month the budget runs out (actual, or forecast at the burn rate)."""
    elapsed = _elapsed_months(year, as_of)
    to_date = sum(monthly)  # monthly already only holds amounts up to the as-of date
    rate = to_date / elapsed if elapsed else None
    series, cum = [], 0.0
    for m in range(1, 13):
        cum += monthly[m - 1]
        m_end = dt.date(year, m, calendar.monthrange(year, m)[1])
        past = m_end <= as_of or (as_of.year == year and as_of.month == m)
        fc = None
        if rate is not None and m_end > as_of:
            fc = round(to_date + rate * (m - elapsed), 2)
        series.append(
            {
                "month": f"{year}-{m:02d}",
                "amount": round(monthly[m - 1], 2),
                "cumulative": round(cum, 2) if past else None,
                "forecast_cumulative": fc,
                "budget": budget,
            }
        )
    depleted_month = forecast_month = None
    if budget is not None:
        cum = 0.0
        for m in range(1, 13):
            cum += monthly[m - 1]
            if cum >= budget and budget > 0 or budget == 0 and cum > 0:
                depleted_month = m
                break
        if depleted_month is None and rate and elapsed < 12:
            at = elapsed + (budget - to_date) / rate
            forecast_month = math.ceil(at) if at <= 12 else None
    year_end = round(to_date + rate * (12 - elapsed), 2) if rate is not None else None
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "budget": budget,
        "to_date": round(to_date, 2),
        "remaining": round(budget - to_date, 2) if budget is not None else None,
        "elapsed_months": round(elapsed, 3),
        "per_month": round(rate, 2) if rate is not None else None,
        "forecast_year_end": year_end,
        "forecast_balance": round(budget - year_end, 2) if budget is not None and year_end is not None else None,
        "depleted_month": depleted_month,
        "forecast_depletion_month": forecast_month,
        "series": series,
    }


def w_deel(frames: Frames, year: int, budget: float | None, as_of: dt.date, team: str | None = None) -> dict:
    """W-deel spending in ``year`` as known on ``as_of`` against ``budget`` (None: no budget recorded)."""
    t = trajectories(frames, as_of)
    if team:
        t = t.filter(pl.col("team") == team)
    t = t.filter((pl.col("start").dt.year() == year) & (pl.col("start") <= as_of)).with_columns(
        pl.when(pl.col("end").is_not_null())
        .then(pl.coalesce("cost", "price"))
        .otherwise(pl.col("price"))
        .alias("amount")
    )
    per = {m: a for m, a in t.group_by(pl.col("start").dt.month().alias("m")).agg(pl.col("amount").sum()).iter_rows()}
    out = _forecast(year, [float(per.get(m) or 0.0) for m in range(1, 13)], budget, as_of)
    out["trajectories"] = t.height
    out["without_amount"] = t.filter(pl.col("amount").is_null()).height
    return out


def benefit_payments(frames: Frames, year: int, as_of: dt.date, team: str | None = None) -> pl.DataFrame:
    """Benefit paid per month of ``year`` up to ``as_of``: columns m, gross, reductions, paid, cases."""
    upto = pl.col("effective_date") <= as_of
    sp = spells(frames, as_of)
    if team:
        sp = sp.filter(pl.col("team") == team)
    sp = sp.filter(pl.col("start") <= dt.date(year, 12, 31)).filter(
        pl.col("end").is_null() | (pl.col("end") > dt.date(year, 1, 1))
    )
    amount = (
        of_type(frames, "toekenning", columns=("type", "case_id", "effective_date", "recorded_at", "monthly_amount"))
        .filter(upto)
        .join(sp.select("case_id"), on="case_id", how="semi")
        .group_by("case_id")
        .agg(pl.col("monthly_amount").sort_by("effective_date", "recorded_at").last())
    )
    months = (
        _months(year)
        .with_columns(pl.min_horizontal(pl.col("m_last"), pl.lit(as_of)).alias("upto"))
        .filter(pl.col("m_first") <= as_of)
    )
    x = (
        sp.join(amount, on="case_id", how="left")
        .join(months, how="cross")
        .with_columns(
            pl.max_horizontal("start", "m_first").alias("a"),
            pl.min_horizontal(pl.col("end") - pl.duration(days=1), pl.col("upto")).alias("b"),
        )
        .filter(pl.col("b") >= pl.col("a"))
        .with_columns(
            ((pl.col("b") - pl.col("a")).dt.total_days() + 1).alias("days"),
            ((pl.col("m_last") - pl.col("m_first")).dt.total_days() + 1).alias("mdays"),
        )
        .with_columns((pl.col("monthly_amount").fill_null(0) * pl.col("days") / pl.col("mdays")).alias("gross"))
    )
    gross = x.group_by("m").agg(
        pl.col("gross").sum(),
        pl.col("case_id").n_unique().alias("cases"),
        pl.col("monthly_amount").is_null().sum().alias("without_amount"),
    )
    # sanctions: every month they run (at least their own month), pro rata for the days on benefit like the gross
    sanc = (
        of_type(frames, "maatregel", columns=("type", "case_id", "effective_date", "months", "percentage", "payload"))
        .filter(upto)
        .join(sp.select("case_id"), on="case_id", how="semi")
        .with_columns(
            (pl.col("effective_date").dt.year() * 12 + pl.col("effective_date").dt.month()).alias("k0"),
            pl.col("payload").str.json_path_match("$.amount").cast(pl.Float64).alias("_amount"),
        )
        .select("case_id", "k0", "months", "percentage", "_amount")
        .join(x.select("case_id", "m", "monthly_amount", "days", "mdays"), on="case_id", how="inner")
        .filter(
            (pl.col("k0") <= year * 12 + pl.col("m"))
            & (pl.col("k0") + pl.max_horizontal(pl.col("months"), pl.lit(1)) > year * 12 + pl.col("m"))
        )
        .with_columns(
            (
                pl.when(pl.col("_amount").is_not_null())
                .then(pl.col("_amount") / pl.max_horizontal(pl.col("months"), pl.lit(1)))
                .otherwise(pl.col("monthly_amount").fill_null(0) * pl.col("percentage") / 100)
                * pl.col("days")
                / pl.col("mdays")
            ).alias("red")
        )
        .group_by("m")
        .agg(pl.col("red").sum().alias("reductions"))
    )
    out = (
        months.select("m")
        .join(gross, on="m", how="left")
        .join(sanc, on="m", how="left")
        .with_columns(pl.col("gross", "reductions").fill_null(0.0), pl.col("cases", "without_amount").fill_null(0))
        .with_columns((pl.col("gross") - pl.col("reductions")).alias("paid"))
        .sort("m")
    )
    return out


def i_deel(frames: Frames, year: int, budget: float | None, as_of: dt.date, team: str | None = None) -> dict:
    """I-deel: benefit payments in ``year`` up to ``as_of`` against ``budget``, with the year-end balance forecast."""
    p = benefit_payments(frames, year, as_of, team)
    per = {m: v for m, v in p.select("m", "paid").iter_rows()}
    out = _forecast(year, [float(per.get(m) or 0.0) for m in range(1, 13)], budget, as_of)
    out["reductions"] = round(float(p["reductions"].sum()), 2)
    out["without_amount"] = int(cast(int, p["without_amount"].max()) or 0) if p.height else 0
    return out


# --- benefit: the I-deel from the benefit administration's payments --------------------------------------------


def i_deel_paid(year: int, paid_by_month: dict[int, float], budget: float | None, as_of: dt.date) -> dict:
    """I-deel from real payments (the payment runs' betaling events, regie.benefit) instead of the estimate from
    toekenning amounts: the same series and forecast as :func:`i_deel`, ``source`` "ledger"."""
    monthly = [float(paid_by_month.get(m, 0.0)) if m <= as_of.month or as_of.year > year else 0.0 for m in range(1, 13)]
    out = _forecast(year, monthly, budget, as_of)
    out["reductions"] = 0.0
    out["without_amount"] = 0
    out["source"] = "ledger"
    return out
