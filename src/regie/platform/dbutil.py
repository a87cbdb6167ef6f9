"""Append-only tables: database triggers for SQLite and PostgreSQL, and the one sanctioned way around them.

The event log and the audit log refuse UPDATE and DELETE in the database itself, so nothing that bypasses the ORM
can rewrite history. Records must still be destroyable when their retention period ends (Archiefwet) and test
databases must be flushable; :func:`maintenance_mode` opens that door for one transaction/connection only, and is
used by the retention purge and by the test-suite flush, never by request handling.
"""

from __future__ import annotations

from contextlib import contextmanager

MAINTENANCE_TABLE = "regie_maintenance_mode"
# One row is appended each time maintenance mode ends: deletions can only happen inside it, so readers that keep a
# copy of an append-only table (the monitoring frames) detect a deletion by this table's MAX(id) - an index look-up -
# instead of counting millions of rows on every request.
EPOCH_TABLE = "regie_log_epoch"


def epoch_table_sql(vendor: str) -> str:
    if vendor == "sqlite":
        return f"CREATE TABLE IF NOT EXISTS {EPOCH_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT)"
    return f"CREATE TABLE IF NOT EXISTS {EPOCH_TABLE} (id BIGSERIAL PRIMARY KEY)"


def log_epoch(cursor) -> int:
    """The current epoch: changes after every maintenance-mode block (and so after every deletion)."""
    cursor.execute(f"SELECT MAX(id) FROM {EPOCH_TABLE}")
    return cursor.fetchone()[0] or 0


def epoch_after_restore(cursor, vendor: str) -> int:
    """Start a new epoch in a database just restored from a backup, and return it. The backup carries the epoch it
    was made in, which the live database may have passed since (a maintenance block after the backup): a memo keyed
    on (epoch, case, version) would then name two different histories with one key. The new epoch is past any the
    database had before: the clock in microseconds, or the next number if that is larger."""
    import time

    cursor.execute(epoch_table_sql(vendor))
    cursor.execute(f"SELECT MAX(id) FROM {EPOCH_TABLE}")
    new = max((cursor.fetchone()[0] or 0) + 1, time.time_ns() // 1000)
    cursor.execute(f"INSERT INTO {EPOCH_TABLE} (id) VALUES (%s)", [new])
    if vendor == "postgresql":  # the next maintenance block's DEFAULT VALUES continues from here
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{EPOCH_TABLE}', 'id'), %s)", [new])
    return new


def append_only_operation(table: str):
    """A migration operation that makes ``table`` refuse UPDATE and DELETE at the database level."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {MAINTENANCE_TABLE} (token TEXT)")
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"WHEN NOT EXISTS (SELECT 1 FROM {MAINTENANCE_TABLE}) "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ "
                f"BEGIN IF TG_OP IN ('DELETE', 'TRUNCATE') AND current_setting('regie.maintenance', true) = 'on' "
                f"THEN RETURN OLD; END IF; "
                f"RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only();"
            )
            # TRUNCATE bypasses row triggers; refuse it too.
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only();"
            )
        else:  # pragma: no cover
            raise RuntimeError(f"no append-only trigger for database vendor {vendor!r}")

    def backwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")

    return migrations.RunPython(forwards, backwards)


@contextmanager
def maintenance_mode(connection):
    """Allow deletes (never updates) on append-only tables for the duration of the block (same connection)."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute(f"CREATE TABLE IF NOT EXISTS {MAINTENANCE_TABLE} (token TEXT)")
            cur.execute(f"INSERT INTO {MAINTENANCE_TABLE} VALUES ('on')")
        else:
            cur.execute("SELECT set_config('regie.maintenance', 'on', false)")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            if connection.vendor == "sqlite":
                cur.execute(f"DELETE FROM {MAINTENANCE_TABLE}")
            else:
                cur.execute("SELECT set_config('regie.maintenance', 'off', false)")
            cur.execute(epoch_table_sql(connection.vendor))
            cur.execute(f"INSERT INTO {EPOCH_TABLE} DEFAULT VALUES")
