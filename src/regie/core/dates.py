"""Dates as Dutch readers write them (dd-mm-jjjj), for every screen, letter, message and export.

``strftime("%d-%m-%Y")`` is not used for this: on Linux it writes a year before 1000 without its leading zeros
("31-12-999"), and a date typed with a wrong year should be shown as it was typed, to be recognised and corrected.
"""

from __future__ import annotations

import datetime as dt


def nl_date(d: dt.date) -> str:
    """``date(2026, 1, 5)`` -> "05-01-2026"; always four digits of year."""
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


def nl_datetime(d: dt.datetime) -> str:
    """``datetime(2026, 1, 5, 9, 30)`` -> "05-01-2026 09:30" (in the time zone it is given in)."""
    return f"{nl_date(d)} {d.hour:02d}:{d.minute:02d}"
