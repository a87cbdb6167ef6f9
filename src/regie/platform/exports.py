"""The one writer for every CSV and Excel download and export file (audit log, monitoring tables, CBS records,
equal-treatment report, vignette analysis, policy lab).

Every cell passes through :func:`cell`: a string that a spreadsheet would read as a formula (it starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return -- OWASP "CSV Injection") gets a leading ``'``, so a client's name,
an object id or a study title such as ``=HYPERLINK(...)`` opens as text in Excel or LibreOffice. Numbers stay
numbers: only strings are neutralised. In Excel files every string is also stored with data type string, so
openpyxl never writes a formula, and characters that the file format cannot hold are dropped.

Tables are lists of dicts; the columns are the union of the rows' keys in first-seen order; nested values are
written as text. A new export must use this module: ``tests/security/test_export_injection.py`` fails on any
``csv.writer`` or openpyxl ``Workbook`` elsewhere in ``src/regie``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

#: First characters that make a spreadsheet evaluate a cell (OWASP "CSV Injection"). A line feed is added as an
#: assumption: no known spreadsheet evaluates after it, but it costs nothing to treat it like a carriage return.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")

Number = (int, float, Decimal)


def neutralise(value: str) -> str:
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula; otherwise unchanged."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def cell(value):
    """A value as written to a CSV or Excel cell: None, a bool or a number as it is; anything else as
    neutralised text (dates as ISO 8601)."""
    if value is None or isinstance(value, (bool, *Number)):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return neutralise(value if isinstance(value, str) else str(value))


def columns(rows: Iterable[Mapping]) -> list[str]:
    return list(dict.fromkeys(k for r in rows for k in r))


# --- CSV ---------------------------------------------------------------------------------------------------------


def write_csv(
    rows: Iterable[Sequence], fh: IO[str], *, header: Sequence[str] | None = None, delimiter: str = ","
) -> int:
    """Write ``header`` (if given) and ``rows`` (sequences of values) to ``fh``, every cell through :func:`cell`.
    ``fh`` is anything with ``write(str)``: an open text file (opened with ``newline=""``) or a Django response.
    Lines end in CRLF (RFC 4180), so that a carriage return or a line feed inside a cell always gets the cell
    quoted: a spreadsheet cannot be made to start a new row, and a new formula cell, in the middle of a value.
    Returns the number of rows."""
    w = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
    if header is not None:
        w.writerow([cell(h) for h in header])
    n = 0
    for r in rows:
        w.writerow([cell(v) for v in r])
        n += 1
    return n


def csv_string(rows: Iterable[Sequence], *, header: Sequence[str] | None = None, delimiter: str = ",") -> str:
    """:func:`write_csv` into a string."""
    buf = io.StringIO()
    write_csv(rows, buf, header=header, delimiter=delimiter)
    return buf.getvalue()


def csv_text(rows: list[Mapping], *, cols: Sequence[str] | None = None, delimiter: str = ",") -> str:
    """A table (list of dicts) as CSV text with a header row; ``cols`` fixes the columns (default: all keys)."""
    cols = list(cols) if cols is not None else columns(rows)
    return csv_string(([r.get(c) for c in cols] for r in rows), header=cols, delimiter=delimiter)


def csv_bytes(rows: list[Mapping]) -> bytes:
    return csv_text(rows).encode("utf-8")


# --- Excel -------------------------------------------------------------------------------------------------------


def _xlsx_cell(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    v = cell(value)
    return ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v


def write_xlsx(sheets: Mapping[str, list[Mapping]], fh: IO[bytes]) -> None:
    """Write ``sheets`` ({title: rows}) as an Excel workbook to ``fh``: one sheet per table, a header row, every
    cell through :func:`cell`, strings stored as strings (never as a formula)."""
    from openpyxl import Workbook

    wb = Workbook()
    if not sheets:
        from django.utils.translation import gettext

        wb.active.title = gettext("leeg")
    for i, (title, rows) in enumerate(sheets.items()):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = str(title)[:31]
        cols = columns(rows)
        for r, values in enumerate([cols, *([row.get(c) for c in cols] for row in rows)], start=1):
            for c, value in enumerate(values, start=1):
                v = _xlsx_cell(value)
                target = ws.cell(row=r, column=c, value=v)
                if isinstance(v, str):
                    target.data_type = "s"
    wb.save(fh)


def xlsx_bytes(sheets: Mapping[str, list[Mapping]]) -> bytes:
    out = io.BytesIO()
    write_xlsx(sheets, out)
    return out.getvalue()


# --- downloads ---------------------------------------------------------------------------------------------------


def _attachment(resp: HttpResponse, filename: str) -> HttpResponse:
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


def csv_response(
    rows: list[Mapping], filename: str, *, cols: Sequence[str] | None = None, delimiter: str = ","
) -> HttpResponse:
    """A CSV download (UTF-8) of a table; ``filename`` includes the extension."""
    body = csv_text(rows, cols=cols, delimiter=delimiter).encode("utf-8")
    return _attachment(HttpResponse(body, content_type=CSV), filename)


def csv_stream_response(filename: str) -> HttpResponse:
    """An empty CSV download to pass to :func:`write_csv` as ``fh`` (for long tables such as the audit log)."""
    return _attachment(HttpResponse(content_type=CSV), filename)


def xlsx_response(sheets: Mapping[str, list[Mapping]], filename: str) -> HttpResponse:
    """An Excel download of ``sheets``; ``filename`` includes the extension."""
    return _attachment(HttpResponse(xlsx_bytes(sheets), content_type=XLSX), filename)


def table_response(sheets: Mapping[str, list[Mapping]], filename: str, fmt: str) -> HttpResponse:
    """A download of ``sheets`` ({title: rows}): ``fmt`` "csv" writes the first sheet, "xlsx" all of them;
    ``filename`` is without the extension."""
    if fmt == "csv":
        return csv_response(next(iter(sheets.values()), []), f"{filename}.csv")
    if fmt == "xlsx":
        return xlsx_response(sheets, f"{filename}.xlsx")
    raise ValueError(f"format: {fmt!r} is not csv or xlsx")
