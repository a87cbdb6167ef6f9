"""Money as integer cents, rounded half up.

Rounding rule: every computed amount is rounded to whole cents, half a cent up (``ROUND_HALF_UP``), once per line
of the calculation (norm, kostendelersnorm, pro rata, afstemming, vrijlating, holiday allowance). The Participatiewet
sets no rounding rule; this follows payroll practice (assumption: to be checked against the municipality's
benefit administration). The single-case path and the vectorised batch path use the same integer arithmetic, so
they agree to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(amount: Decimal | float | int | str) -> int:
    """Euro amount -> whole cents (half up)."""
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def euro(cents: int) -> Decimal:
    """Whole cents -> Decimal euros with two places."""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def ratio_cents(cents: int, num: int, den: int) -> int:
    """``cents * num / den`` rounded half up to whole cents (exact integer arithmetic; non-negative inputs)."""
    if den <= 0:
        raise ValueError("denominator must be positive")
    # floor(|n| / den + 1/2) in integers: the same as rounding the Fraction half up, without building one (a
    # Fraction per call was 5 % of a cold case page's CPU: the ledger calls this a few times per month);
    # tests/benefit/test_money.py checks it against the Fraction form
    n = cents * num
    if n < 0:
        return -((-2 * n + den) // (2 * den))
    return (2 * n + den) // (2 * den)
