"""Bulk writes for imports and projection rebuilds: plain ``executemany`` with ids reserved up front.

Django's ``bulk_create`` spends most of its time preparing values per field; for national-size imports (millions
of events) the importer writes rows directly (PostgreSQL: COPY; SQLite: executemany). Ids are reserved first so
that file ids can be mapped to database
keys without reading rows back: PostgreSQL hands out sequence values, SQLite is locked for writing by the import's
transaction (``transaction_mode = IMMEDIATE``) so the next ids after ``MAX(id)`` are ours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import orjson
from django.db import connection

# The event table's columns as bulk writers write them and column readers read them: one definition for the
# importer (interchange.importer, without ``id``), the import floor (benchmarks/import_floor.py) and the analytic
# store's raw read (regie.analytics.columnar, without ``municipality_id`` and ``policy_version``).
EVENT_COLUMNS = (
    "id",
    "municipality_id",
    "case_id",
    "external_id",
    "type",
    "effective_date",
    "recorded_at",
    "actor_id",
    "actor_role",
    "payload",
    "deviates",
    "decision",
    "policy_version",
)


def reserve_ids(table: str, n: int) -> list[int]:
    if n <= 0:
        return []
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
            return [r[0] for r in cur.fetchall()]
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        start = cur.fetchone()[0] + 1
        return list(range(start, start + n))


class IdBlocks:
    """Ids of ``table`` handed out one by one, reserved from the database in blocks (:func:`reserve_ids`)."""

    def __init__(self, table: str, block: int = 5000):
        self.table, self.block = table, block
        self.free: list[int] = []

    def take(self) -> int:
        if not self.free:
            if connection.vendor == "postgresql":
                self.free = reserve_ids(self.table, self.block)[::-1]
            else:  # SQLite: the import's transaction holds the write lock, so MAX(id) + 1 onwards stay ours
                last = getattr(self, "last", None)
                start = reserve_ids(self.table, 1)[0] if last is None else last + 1
                self.free = list(range(start + self.block - 1, start - 1, -1))
            self.last = self.free[0]
        return self.free.pop()


def _adapter():
    ops = connection.ops  # looked up once: attribute access on ``connection`` is costly per value
    adapt_dt, adapt_d, dumps = ops.adapt_datetimefield_value, ops.adapt_datefield_value, orjson.dumps
    datetime, date = dt.datetime, dt.date

    def adapt(value):
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        if isinstance(value, datetime):
            return adapt_dt(value)
        if isinstance(value, date):
            return adapt_d(value)
        if isinstance(value, (dict, list)):
            return dumps(value).decode()
        return value

    return adapt


def insert(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    adapt = _adapter()
    rows = [tuple(map(adapt, r)) for r in rows]
    if not rows:
        return 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":  # COPY is several times faster than INSERT for large batches
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            cur.executemany(sql, rows)
    return len(rows)


def insert_plain(table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> int:
    """:func:`insert` for rows whose values are already what the database takes (str, int, bool, None; dates and
    timestamps as ISO text, JSON as text): no conversion per value (the importer's validated rows)."""
    if not rows:
        return 0
    # the driver's errors as Django's (an IntegrityError the importer answers), as Django's own cursor does
    with connection.cursor() as cur, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            import sqlite3

            # the driver's own executemany, past Django's placeholder rewriting (the SQL here uses "?")
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['?'] * len(columns))})"
            sqlite3.Cursor.executemany(cur.cursor, sql, rows)
    return len(rows)
