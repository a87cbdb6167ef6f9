"""Money rounding (regie.core.benefit.money): the integer form of ``ratio_cents`` rounds exactly as the Fraction
form it replaced (half a cent up, a negative amount rounded as its absolute value, then negated)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regie.core.benefit.money import ratio_cents


def _by_fraction(cents: int, num: int, den: int) -> int:
    value = Fraction(cents * num, den)
    sign = -1 if value < 0 else 1
    return sign * int((abs(value) * 2 + 1) // 2)


@given(st.integers(-(10**9), 10**9), st.integers(-(10**5), 10**5), st.integers(1, 10**5))
def test_ratio_cents_rounds_as_the_fraction_form(cents, num, den):
    assert ratio_cents(cents, num, den) == _by_fraction(cents, num, den)


@pytest.mark.parametrize(
    ("cents", "num", "den", "expected"),
    [(1, 1, 2, 1), (3, 1, 2, 2), (-1, 1, 2, -1), (-3, 1, 2, -2), (100_00, 30, 31, 96_77), (5, 1, 10, 1), (4, 1, 10, 0)],
)
def test_half_a_cent_rounds_up_away_from_zero(cents, num, den, expected):
    assert ratio_cents(cents, num, den) == expected


def test_a_denominator_must_be_positive():
    with pytest.raises(ValueError):
        ratio_cents(1, 1, 0)
