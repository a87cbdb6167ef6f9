"""Backup and restore of the whole database, with the database's own tools.

- SQLite: the online backup API (a consistent copy while the app runs).
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean`` (client tools of PostgreSQL 15).

A backup holds personal data: store it encrypted and access-controlled (docs/operations.md). Both operations are
recorded in the audit log.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def _pg_tool(name: str) -> str:
    for candidate in (shutil.which(name), f"/usr/lib/postgresql/15/bin/{name}"):
        if candidate and Path(candidate).exists():
            return candidate
    raise BackupError(f"{name} not found: install PostgreSQL 15 client tools")


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    return args, env


def backup(out: Path) -> Path:
    db = settings.DATABASES["default"]
    out.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        src = sqlite3.connect(db["NAME"])
        dst = sqlite3.connect(out)
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_env()
        subprocess.run(
            [_pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "-f", str(out), db["NAME"]],
            check=True,
            env=env,
            capture_output=True,
        )
    else:  # pragma: no cover
        raise BackupError(f"no backup for {connection.vendor}")
    out.chmod(0o600)
    return out


def restore(source: Path) -> None:
    if not source.exists():
        raise BackupError(f"{source}: no such backup file")
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        connection.close()
        src = sqlite3.connect(source)
        dst = sqlite3.connect(db["NAME"])
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    elif connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_env()
        result = subprocess.run(
            [
                _pg_tool("pg_restore"),
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-d",
                db["NAME"],
                str(source),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
    else:  # pragma: no cover
        raise BackupError(f"no restore for {connection.vendor}")
    # what running servers memoised of the database before the restore keys on the old epoch (casework.derived)
    from .dbutil import epoch_after_restore

    with connection.cursor() as cur:
        epoch_after_restore(cur, connection.vendor)
