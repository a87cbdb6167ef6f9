"""Table downloads shared by the monitoring, equal-treatment and policy-lab pages: CSV (UTF-8) and Excel (openpyxl),
one sheet per table. Columns are the union of the rows' keys in first-seen order; nested values are written as text."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(k for r in rows for k in r))


def _plain(value):
    return value if isinstance(value, (int, float, str, type(None))) else str(value)


def csv_bytes(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=_columns(rows))
    w.writeheader()
    w.writerows({k: _plain(v) for k, v in r.items()} for r in rows)
    return buf.getvalue().encode("utf-8")


def xlsx_bytes(sheets: dict[str, list[dict]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for i, (title, rows) in enumerate(sheets.items()):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title[:31]
        cols = _columns(rows)
        ws.append(cols)
        for r in rows:
            ws.append([_plain(r.get(c)) for c in cols])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_response(sheets: dict[str, list[dict]], filename: str, fmt: str) -> HttpResponse:
    """A download of ``sheets`` ({title: rows}): ``fmt`` "csv" writes the first sheet, "xlsx" all of them."""
    if fmt == "csv":
        resp = HttpResponse(csv_bytes(next(iter(sheets.values()), [])), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        resp = HttpResponse(xlsx_bytes(sheets), content_type=XLSX)
    else:
        raise ValueError(f"format: {fmt!r} is not csv or xlsx")
    resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp
