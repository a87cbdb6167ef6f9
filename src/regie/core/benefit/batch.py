"""The monthly ledger of many clients at once: the same calculation as ``compute.entitlement`` on numpy arrays.

``ledger_batch(columns, table)`` takes one array per :class:`~.compute.MonthInput` field (``paid`` as an array with
-1 for "not paid") and returns arrays of norm, sanction, vrijlating, income counted, due, holiday reserved, to pay
and overpayment, in cents. Integer arithmetic with the same half-up rounding as ``money.ratio_cents``, so the batch
and the single-case path agree to the cent (tests/benefit/test_batch.py checks it with hypothesis).
"""

from __future__ import annotations

import numpy as np

from .norms import YOUTH_KEYS, NormTable, NormUnavailable

NORM_CODES = {"alleenstaande": 0, "alleenstaande_ouder": 1, "gehuwden": 2}
FIELDS = (
    "norm_type",
    "age",
    "partner_age",
    "has_children",
    "cost_sharers",
    "days",
    "mdays",
    "sanction_bp",
    "income_work",
    "income_other",
    "vrijlating_month",
    "holiday_payout",
    "paid",
)


def _ratio(c: np.ndarray, num: np.ndarray | int, den: np.ndarray | int) -> np.ndarray:
    """cents * num / den, half up (non-negative), as ``money.ratio_cents``."""
    return (2 * c * num + den) // (2 * np.asarray(den))


def _lookup(amounts: dict[str, int], keys: tuple[str, ...], codes: np.ndarray, need: np.ndarray, what: str):
    vec = np.array([amounts.get(k, -1) for k in keys], dtype=np.int64)
    out = vec[codes]
    if np.any(need & (out < 0)):
        raise NormUnavailable(
            "Het normbedrag ontbreekt voor deze datum in het landelijk beleid; de uitkering kan niet worden berekend.",
            f"national norms give no {what} amount for some clients",
        )
    return np.where(need, out, 0)


def ledger_batch(cols: dict[str, np.ndarray], table: NormTable) -> dict[str, np.ndarray]:
    n = len(cols["age"])
    i64 = np.int64
    nt = np.asarray(cols["norm_type"], dtype=i64)
    age = np.asarray(cols["age"], dtype=i64)
    page = np.asarray(cols.get("partner_age", np.full(n, -1)), dtype=i64)  # -1: no partner age
    kids = np.asarray(cols.get("has_children", np.zeros(n, bool)), dtype=bool)
    cs = np.asarray(cols.get("cost_sharers", np.zeros(n)), dtype=i64)
    days = np.asarray(cols["days"], dtype=i64)
    mdays = np.asarray(cols["mdays"], dtype=i64)
    bp = np.clip(np.asarray(cols.get("sanction_bp", np.zeros(n)), dtype=i64), 0, 10000)
    work = np.asarray(cols.get("income_work", np.zeros(n)), dtype=i64)
    other = np.asarray(cols.get("income_other", np.zeros(n)), dtype=i64)
    vmonth = np.asarray(cols.get("vrijlating_month", np.zeros(n, bool)), dtype=bool)
    payout = np.asarray(cols.get("holiday_payout", np.zeros(n)), dtype=i64)
    paid = np.asarray(cols.get("paid", np.full(n, -1)), dtype=i64)

    couple = nt == 2
    youth = (age < 21) | (couple & (page >= 0) & (page < 21))
    pension = ~youth & (age >= table.pension_age)
    adult = ~youth & ~pension
    # youth keys: singles by norm type; couples both young / one young, with or without children
    both_young = (age < 21) & ((page < 0) | (page < 21))
    ycode = np.where(couple, np.where(both_young, 2, 4) + kids.astype(i64), nt)
    hh = ("alleenstaande", "alleenstaande_ouder", "gehuwden")
    base = (
        _lookup(table.adult, hh, nt, adult, "Pw art. 21")
        + _lookup(table.pension, hh, nt, pension, "pension-age")
        + _lookup(table.youth, YOUTH_KEYS, ycode, youth, "youth")
    )
    # kostendelersnorm (Pw art. 22a), not for the youth norms
    kd = (cs > 0) & ~youth
    if np.any(kd) and not table.cost_sharers:
        raise NormUnavailable("De kostendelersnorm ontbreekt in het landelijk beleid voor deze datum.", "no formula")
    persons = np.where(couple, 2, 1)
    a = persons + cs
    couple_norm = np.where(pension, table.pension.get("gehuwden", table.couple_norm), table.couple_norm)
    kb, kp, kd_den = table.cost_sharer_terms
    kdn = persons * _ratio(couple_norm, kb + kp * a, kd_den * a)
    norm = np.where(kd, kdn, base)
    partial = days < mdays
    norm = np.where(partial, _ratio(norm, np.maximum(days, 0), mdays), norm)
    sanction = np.where(bp > 0, _ratio(norm, bp, 10000), 0)
    vr = vmonth & (work > 0) & (age >= table.vrijlating.min_age)
    if np.any(vr) and table.vrijlating.max_cents is None:
        raise NormUnavailable("Het maximum van de inkomstenvrijlating ontbreekt in het landelijk beleid.", "no max")
    vmax = table.vrijlating.max_cents or 0
    vrij = np.where(vr, np.minimum(_ratio(work, table.vrijlating.percentage, 100), vmax), 0)
    counted = work - vrij + other
    due = np.maximum(0, norm - sanction - counted)
    reserved = _ratio(due, table.holiday_share[0], table.holiday_share[1])
    to_pay = due - reserved + payout
    over = np.where(paid >= 0, np.maximum(0, paid - to_pay), 0)
    return {
        "norm": norm,
        "sanction": sanction,
        "vrijlating": vrij,
        "income_counted": counted,
        "due": due,
        "holiday_reserved": reserved,
        "to_pay": to_pay,
        "overpayment": over,
    }


def columns_from_inputs(inputs) -> dict[str, np.ndarray]:
    """MonthInputs -> the batch's columns (a convenience for tests and small runs)."""
    rows = list(inputs)
    return {
        "norm_type": np.array([NORM_CODES[m.norm_type] for m in rows], dtype=np.int64),
        "age": np.array([m.age for m in rows], dtype=np.int64),
        "partner_age": np.array([-1 if m.partner_age is None else m.partner_age for m in rows], dtype=np.int64),
        "has_children": np.array([m.has_children for m in rows], dtype=bool),
        "cost_sharers": np.array([m.cost_sharers for m in rows], dtype=np.int64),
        "days": np.array([m.days for m in rows], dtype=np.int64),
        "mdays": np.array([m.mdays for m in rows], dtype=np.int64),
        "sanction_bp": np.array([m.sanction_bp for m in rows], dtype=np.int64),
        "income_work": np.array([m.income_work for m in rows], dtype=np.int64),
        "income_other": np.array([m.income_other for m in rows], dtype=np.int64),
        "vrijlating_month": np.array([m.vrijlating_month for m in rows], dtype=bool),
        "holiday_payout": np.array([m.holiday_payout for m in rows], dtype=np.int64),
        "paid": np.array([-1 if m.paid is None else m.paid for m in rows], dtype=np.int64),
    }
