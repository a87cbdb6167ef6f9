"""The amounts the decision gate computes for a benefit decision (plain Python; the gate passes the case's facts).

- toekenning: ``monthly_amount`` is the month's norm for the household on the effective date (Pw art. 20-22a),
  computed with :func:`grant`, and the calculation's lines go into the decision's explanation;
- terugvordering: ``amount`` is the ledger's overpayment in the months named (Pw art. 58);
- boete: ``amount`` is the blame's percentage of the benefit damage (Pw art. 18a, compute.fine_amount).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping

from .compute import Entitlement, MonthInput, entitlement

__all__ = ["Entitlement", "grant", "explanation", "recovery_cents"]
from .ledger import age_on, case_ledger, overpaid
from .money import euro
from .norms import NormTable


def grant(
    table: NormTable,
    on: dt.date,
    *,
    norm_type: str,
    cost_sharers: int,
    birth_date: dt.date,
    partner_birth_date: dt.date | None = None,
    has_children: bool = False,
) -> Entitlement:
    """A full month's calculation for the household as granted on ``on`` (no income, no measure)."""
    first = on.replace(day=1)
    mdays = calendar.monthrange(on.year, on.month)[1]
    m = MonthInput(
        norm_type=norm_type,
        age=age_on(birth_date, first) or 0,
        partner_age=age_on(partner_birth_date, first) if norm_type == "gehuwden" else None,
        has_children=has_children,
        cost_sharers=int(cost_sharers or 0),
        days=mdays,
        mdays=mdays,
    )
    return entitlement(m, table)


def explanation(result: Entitlement) -> list[dict]:
    """The calculation's lines as explanation entries of the decision block (rule, source, Dutch text)."""
    out = []
    for ln in result.lines:
        amount = f"€ {ln.amount:.2f}".replace(".", ",")
        out.append(
            {
                "rule_id": "benefit.line",
                "source": ln.article or "Regie",
                "text": f"{ln.label}: {amount}",
                "inputs": {},
                "say": {"key": "benefit_line", "label": ln.label, "amount": str(ln.amount)},
            }
        )
    out.append(
        {
            "rule_id": "benefit.to_pay",
            "source": "Pw art. 19-22a",
            "text": f"Te betalen per maand: € {euro(result.to_pay):.2f}".replace(".", ","),
            "inputs": {"norm": str(euro(result.norm)), "table": result.table},
            "say": {"key": "benefit_line", "label": "Te betalen per maand", "amount": str(euro(result.to_pay))},
        }
    )
    return out


def recovery_cents(
    events: Iterable[Mapping],
    birth_date: dt.date,
    months: list[str],
    table_for: Callable[[dt.date], NormTable],
    until: dt.date,
    **household,
) -> int:
    """The overpayment in ``months`` per the case's ledger up to ``until``."""
    lines = case_ledger(list(events), birth_date, until, table_for, **household)
    return overpaid(lines, set(months))
