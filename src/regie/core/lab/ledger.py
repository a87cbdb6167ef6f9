"""I-deel spending of a lab run from simulated ledgers: the benefit computation (regie.core.benefit) applied to the
simulated clients month by month, instead of the run's flat benefit amounts.

:func:`i_deel_from_ledgers` rebuilds, from a :class:`~regie.core.lab.model.SimResult`'s compact event log, who is
on benefit in each month (toekenning .. uitstroom), their household (the pool's ``household``), age (the pool's age
at the start plus the months run; assumption: the pool's age is the age at the run's start) and the measures in
force (maatregel: percentage ``x`` for ``c`` months), and computes each month's ledger for all of them at once with
``regie.core.benefit.batch.ledger_batch`` and the national norm table in force that month. The I-deel cost of a
month is the benefit due (norm incl. the holiday allowance, less measures and income; the lab has no cost-sharers:
assumption). ``norm_factor`` scales every norm amount: a policy change to the norm shows its cost.
A month without a norm table raises NormUnavailable (fail closed): the national layer has tables from 2004.

Part-time work (the lab's clients have no income of their own; assumption, to show what the inkomstenvrijlating
costs): a fixed share ``parttime_share`` of the clients (chosen by client number, the same in every arm) earns
``parttime_income`` net a month from their fourth month on benefit in a spell; the first six of those months are
their vrijlating period (Pw art. 31 lid 2 sub n; from 27, as the benefit computation checks). ``vrijlating_percentage``
and ``vrijlating_max_cents`` replace the table's: a policy change to the vrijlating shows its cost. A month whose
table has no vrijlating maximum (the layer has one sourced only for 1-7-2021 and from 2024) is computed without
the vrijlating and counted in ``months_without_vrijlating``. :func:`lab_ledger` is the hook the lab run calls
(ensemble.run_one).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import numpy as np

from regie.core.benefit.batch import ledger_batch
from regie.core.benefit.norms import NormTable, Vrijlating

from .state import EV, month_date

# assumption: share of bijstand clients with part-time work and their net monthly income from it (CBS reports a
# few per cent of bijstand clients combining benefit and work; check against the municipality's own figures)
PARTTIME_SHARE = 0.06
PARTTIME_INCOME_CENTS = 40000
PARTTIME_AFTER_MONTHS = 3  # part-time work starts in the fourth month of a spell (assumption)
VRIJLATING_MONTHS = 6  # Pw art. 31 lid 2 sub n: at most six consecutive months


def scaled(table: NormTable, factor: float) -> NormTable:
    """The table with every norm amount × ``factor`` (rounded half up to cents): a lab policy change."""
    if factor == 1.0:
        return table

    def s(d: dict[str, int]) -> dict[str, int]:
        return {k: int(np.floor(v * factor + 0.5)) for k, v in d.items()}

    return dataclasses.replace(table, adult=s(table.adult), youth=s(table.youth), pension=s(table.pension))


# The client × month matrices below are stored month-major (one contiguous row of clients per month: the running
# sums over months and each month's lookups read contiguous memory) and returned as their transposed views, so
# ``m[client, month]`` indexes them; ``m.T[t]`` is month t's row.
def on_benefit(log: dict, n_clients: int, months: int) -> np.ndarray:
    """Boolean matrix client × month: on benefit from the month of a toekenning until the month of an uitstroom."""
    delta = np.zeros((months + 1, n_clients), np.int32)
    t = log["type"]
    for etype, step in (("toekenning", 1), ("uitstroom", -1)):
        sel = t == EV[etype]
        np.add.at(delta, (np.clip(log["month"][sel], 0, months), log["client"][sel]), step)
    np.cumsum(delta, axis=0, out=delta)
    return (delta[:months] > 0).T


def sanction_bp(log: dict, n_clients: int, months: int) -> np.ndarray:
    """Basis points of the norm withheld per client × month (measures in force, added up, at most 100 %)."""
    delta = np.zeros((months + 1, n_clients), np.int64)
    sel = log["type"] == EV["maatregel"]
    c, m0 = log["client"][sel], log["month"][sel].astype(np.int64)
    bp = np.round(np.nan_to_num(log["x"][sel]) * 100).astype(np.int64)
    m1 = np.clip(m0 + np.maximum(log["c"][sel], 0), 0, months)
    np.add.at(delta, (np.clip(m0, 0, months), c), bp)
    np.add.at(delta, (m1, c), -bp)
    np.cumsum(delta, axis=0, out=delta)
    out = delta[:months]
    np.clip(out, 0, 10000, out=out)
    return out.T


def with_vrijlating(table: NormTable, percentage: int | None, max_cents: int | None) -> NormTable:
    """The table with the lab's vrijlating (percentage, monthly maximum) where given."""
    if percentage is None and max_cents is None:
        return table
    v = table.vrijlating
    return dataclasses.replace(
        table,
        vrijlating=Vrijlating(
            percentage=v.percentage if percentage is None else int(percentage),
            max_cents=v.max_cents if max_cents is None else int(max_cents),
            months=v.months,
            min_age=v.min_age,
            source=v.source + " (beleidslab: gewijzigd)",
        ),
    )


def parttime_clients(n: int, share: float) -> np.ndarray:
    """A fixed ``share`` of client numbers (a multiplicative hash of the number, the same in every arm and run)."""
    u = (np.arange(n, dtype=np.uint64) * np.uint64(2654435761) % np.uint64(2**32)).astype(float) / 2**32
    return u < share


def spell_months(on: np.ndarray) -> np.ndarray:
    """Months on benefit in the current spell, per client x month (1 in a spell's first month, 0 off benefit)."""
    rows = on.T  # month-major (contiguous when ``on`` comes from :func:`on_benefit`)
    out = np.zeros(rows.shape, np.int64)
    run = np.zeros(rows.shape[1], np.int64)
    for t in range(rows.shape[0]):
        run += 1
        run *= rows[t]
        out[t] = run
    return out.T


def i_deel_from_ledgers(
    result,
    table_for: Callable[[dt.date], NormTable],
    norm_factor: float = 1.0,
    *,
    parttime_share: float = 0.0,
    parttime_income_cents: int = PARTTIME_INCOME_CENTS,
    vrijlating_percentage: int | None = None,
    vrijlating_max_cents: int | None = None,
) -> dict:
    """Monthly I-deel spending (euro) of a lab run from the benefit computation, its total, and what the
    inkomstenvrijlating cost (module docstring: the part-time assumption)."""
    cl, log, months = result.clients, result.log, result.months
    n = len(cl["household"])
    on = on_benefit(log, n, months)
    bp = sanction_bp(log, n, months)
    hh = np.asarray(cl["household"], np.int64)
    age0 = np.floor(np.asarray(cl["age"], float)).astype(np.int64)
    works = parttime_clients(n, parttime_share) if parttime_share > 0 else np.zeros(n, bool)
    spell = spell_months(on).T if works.any() else None  # month-major
    on_t, bp_t = on.T, bp.T  # month-major rows
    spent, stock, vrij = [], [], []
    without = 0
    for t in range(months):
        idx = np.flatnonzero(on_t[t])
        table = with_vrijlating(
            scaled(table_for(month_date(result.start, t)), norm_factor), vrijlating_percentage, vrijlating_max_cents
        )
        age = age0[idx] + t // 12
        income = np.zeros(len(idx), np.int64)
        vmonth = np.zeros(len(idx), bool)
        if spell is not None:
            k = spell[t, idx] - PARTTIME_AFTER_MONTHS  # 1 = the first month of part-time work
            working = works[idx] & (k >= 1)
            income = np.where(working, parttime_income_cents, 0)
            vmonth = working & (k <= VRIJLATING_MONTHS) & (age >= table.vrijlating.min_age)
            if table.vrijlating.max_cents is None and vmonth.any():
                without += 1  # the layer gives no maximum for this month: computed without the vrijlating
                vmonth = np.zeros(len(idx), bool)
        cols = {
            "norm_type": hh[idx],
            "age": age,
            "partner_age": np.where(hh[idx] == 2, age, -1),  # assumption: partners of the same age
            "has_children": hh[idx] == 1,
            "days": np.full(len(idx), 30),
            "mdays": np.full(len(idx), 30),
            "sanction_bp": bp_t[t, idx],
            "income_work": income,
            "vrijlating_month": vmonth,
        }
        out = ledger_batch(cols, table)
        spent.append(int(out["due"].sum()))
        vrij.append(int(out["vrijlating"].sum()))
        stock.append(len(idx))
    return {
        "months": [month_date(result.start, t).isoformat()[:7] for t in range(months)],
        "stock": stock,
        "i_spent": [c / 100 for c in spent],
        "total": sum(spent) / 100,
        "vrijlating": [c / 100 for c in vrij],
        "vrijlating_total": sum(vrij) / 100,
        "months_without_vrijlating": without,
        "norm_factor": norm_factor,
    }


def national_table(d: dt.date) -> NormTable:
    """The national norm table in force on ``d`` (regie.core.policy.loader.norms_on; PolicyUnavailable: fail
    closed)."""
    from regie.core.benefit.norms import table_from_norms
    from regie.core.policy.loader import norms_on

    return table_from_norms(norms_on(d))


def ledger_change(data: dict) -> dict:
    """The benefit part of a lab policy change (the page's cleaned form data or the CLI options: ``norm_pct``,
    ``vrijlating_percentage``, ``vrijlating_max`` in euro) as :func:`lab_ledger`'s ``change``."""
    out: dict = {}
    if data.get("norm_pct") is not None:
        out["norm_factor"] = int(data["norm_pct"]) / 100
    if data.get("vrijlating_percentage") is not None:
        out["vrijlating_percentage"] = int(data["vrijlating_percentage"])
    if data.get("vrijlating_max") not in (None, ""):
        out["vrijlating_max"] = float(data["vrijlating_max"])
    return out


def lab_ledger(result, change: dict | None = None) -> dict:
    """The lab run's hook: I-deel from simulated ledgers with the national norms and the part-time assumption, and
    the policy change ``change`` (``norm_factor``, ``vrijlating_percentage``, ``vrijlating_max`` in euro). Returns
    the figures (``total``, ``vrijlating_total``, ``i_spent`` per month, ...) or ``{"problem": Dutch message}``
    when a month has no norm table (fail closed: no figure rather than a guessed one)."""
    from regie.core.policy.loader import PolicyUnavailable

    change = change or {}
    vmax = change.get("vrijlating_max")
    try:
        return i_deel_from_ledgers(
            result,
            national_table,
            float(change.get("norm_factor") or 1.0),
            parttime_share=PARTTIME_SHARE,
            vrijlating_percentage=change.get("vrijlating_percentage"),
            vrijlating_max_cents=None if vmax is None else int(round(float(vmax) * 100)),
        )
    except PolicyUnavailable as exc:  # NormUnavailable included
        return {"problem": exc.message}
