"""Dates as Dutch readers write them, everywhere through one function (regie.core.dates)."""

from __future__ import annotations

import datetime as dt
import pathlib
import re

from hypothesis import given
from hypothesis import strategies as st

from regie.core.dates import nl_date, nl_datetime
from regie.platform.labels import value_label

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "regie"


@given(st.dates())
def test_a_date_is_day_month_and_a_four_digit_year_and_reads_back(d):
    text = nl_date(d)
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", text), text
    day, month, year = (int(p) for p in text.split("-"))
    assert dt.date(year, month, day) == d


def test_a_year_before_1000_keeps_its_zeros_on_screens_too():
    assert nl_date(dt.date(999, 12, 31)) == "31-12-0999"
    assert nl_datetime(dt.datetime(2026, 1, 5, 9, 7)) == "05-01-2026 09:07"
    assert value_label(dt.date(999, 12, 31)) == "31-12-0999"
    assert value_label("0999-12-31") == "31-12-0999"


def test_no_module_formats_a_dutch_date_with_strftime():
    """strftime("%d-%m-%Y") drops a small year's zeros on Linux: every module goes through nl_date instead."""
    offenders = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if p.name != "dates.py" and re.search(r"""strftime\(["']%d-%m-%Y""", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
