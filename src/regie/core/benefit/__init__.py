"""The benefit: entitlement computed and explained, settled with income, sanctions as amounts, the ledger.

Plain Python. ``compute.entitlement`` is one month of one client (lines with articles, like a payslip);
``ledger.case_ledger`` derives each month from a case's events; ``batch.ledger_batch`` computes many clients at once
with the same arithmetic; ``norms.table_from_policy`` reads the national layer's norms (fail closed).
"""

from .compute import Entitlement, Line, MonthInput, entitlement, fine_amount, sanction_amounts
from .ledger import LedgerLine, case_ledger, month_key
from .money import euro, to_cents
from .norms import NormTable, NormUnavailable, Vrijlating, table_from_policy

__all__ = [
    "Entitlement",
    "Line",
    "MonthInput",
    "entitlement",
    "fine_amount",
    "sanction_amounts",
    "LedgerLine",
    "case_ledger",
    "month_key",
    "euro",
    "to_cents",
    "NormTable",
    "NormUnavailable",
    "Vrijlating",
    "table_from_policy",
]
