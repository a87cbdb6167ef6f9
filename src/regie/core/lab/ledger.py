"""I-deel spending of a lab run from simulated ledgers: the benefit computation (regie.core.benefit) applied to the
simulated clients month by month, instead of the run's flat benefit amounts.

:func:`i_deel_from_ledgers` rebuilds, from a :class:`~regie.core.lab.model.SimResult`'s compact event log, who is
on benefit in each month (toekenning .. uitstroom), their household (the pool's ``household``), age (the pool's age
at the start plus the months run; assumption: the pool's age is the age at the run's start) and the measures in
force (maatregel: percentage ``x`` for ``c`` months), and computes each month's ledger for all of them at once with
``regie.core.benefit.batch.ledger_batch`` and the national norm table in force that month. The I-deel cost of a
month is the benefit due (norm incl. the holiday allowance, less measures; the lab has no income and no
cost-sharers: assumption). ``norm_factor`` scales every norm amount: a policy change to the norm shows its cost.
A month without a norm table raises NormUnavailable (fail closed): the national layer has tables from 2025.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import numpy as np

from regie.core.benefit.batch import ledger_batch
from regie.core.benefit.norms import NormTable

from .state import EV, month_date


def scaled(table: NormTable, factor: float) -> NormTable:
    """The table with every norm amount × ``factor`` (rounded half up to cents): a lab policy change."""
    if factor == 1.0:
        return table

    def s(d: dict[str, int]) -> dict[str, int]:
        return {k: int(np.floor(v * factor + 0.5)) for k, v in d.items()}

    return dataclasses.replace(table, adult=s(table.adult), youth=s(table.youth), pension=s(table.pension))


def on_benefit(log: dict, n_clients: int, months: int) -> np.ndarray:
    """Boolean matrix client × month: on benefit from the month of a toekenning until the month of an uitstroom."""
    delta = np.zeros((n_clients, months + 1), np.int32)
    t = log["type"]
    for etype, step in (("toekenning", 1), ("uitstroom", -1)):
        sel = t == EV[etype]
        np.add.at(delta, (log["client"][sel], np.clip(log["month"][sel], 0, months)), step)
    return np.cumsum(delta, axis=1)[:, :months] > 0


def sanction_bp(log: dict, n_clients: int, months: int) -> np.ndarray:
    """Basis points of the norm withheld per client × month (measures in force, added up, at most 100 %)."""
    delta = np.zeros((n_clients, months + 1), np.int64)
    sel = log["type"] == EV["maatregel"]
    c, m0 = log["client"][sel], log["month"][sel].astype(np.int64)
    bp = np.round(np.nan_to_num(log["x"][sel]) * 100).astype(np.int64)
    m1 = np.clip(m0 + np.maximum(log["c"][sel], 0), 0, months)
    np.add.at(delta, (c, np.clip(m0, 0, months)), bp)
    np.add.at(delta, (c, m1), -bp)
    return np.clip(np.cumsum(delta, axis=1)[:, :months], 0, 10000)


def i_deel_from_ledgers(result, table_for: Callable[[dt.date], NormTable], norm_factor: float = 1.0) -> dict:
    """Monthly I-deel spending (euro) of a lab run from the benefit computation, and its total."""
    cl, log, months = result.clients, result.log, result.months
    n = len(cl["household"])
    on = on_benefit(log, n, months)
    bp = sanction_bp(log, n, months)
    hh = np.asarray(cl["household"], np.int64)
    age0 = np.floor(np.asarray(cl["age"], float)).astype(np.int64)
    spent, stock = [], []
    for t in range(months):
        idx = np.flatnonzero(on[:, t])
        table = scaled(table_for(month_date(result.start, t)), norm_factor)
        age = age0[idx] + t // 12
        cols = {
            "norm_type": hh[idx],
            "age": age,
            "partner_age": np.where(hh[idx] == 2, age, -1),  # assumption: partners of the same age
            "has_children": hh[idx] == 1,
            "days": np.full(len(idx), 30),
            "mdays": np.full(len(idx), 30),
            "sanction_bp": bp[idx, t],
        }
        out = ledger_batch(cols, table)
        spent.append(int(out["due"].sum()))
        stock.append(len(idx))
    return {
        "months": [month_date(result.start, t).isoformat()[:7] for t in range(months)],
        "stock": stock,
        "i_spent": [c / 100 for c in spent],
        "total": sum(spent) / 100,
        "norm_factor": norm_factor,
    }
