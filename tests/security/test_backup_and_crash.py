"""Backup/restore round trip and crash safety of the import, through the real CLI in separate processes.

Runs against a fresh database of the same kind as the suite (SQLite file, or a new PostgreSQL database on the
server DATABASE_URL points to), because the test database of pytest-django is not visible to other processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import orjson
import pytest

from regie.core.bsn import complete_bsn
from tests.foundation.sample import sample_records, write

REGIE = [sys.executable, "-m", "regie.cli"]


@pytest.fixture
def cli_db(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = f"regie_cli_{uuid.uuid4().hex[:8]}"
        base = url.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        yield f"{base}/{name}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path}/cli.sqlite3"


def run(url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "REGIE_VAR_DIR": os.environ.get("REGIE_VAR_DIR", "/tmp/regie-test-var")}
    result = subprocess.run([*REGIE, *args], env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"regie {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _epoch(url: str) -> int:
    """The log epoch (regie.platform.dbutil.log_epoch) of the database at ``url``, read by a connection of its own."""
    sql = "SELECT MAX(id) FROM regie_log_epoch"
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute(sql).fetchone()[0] or 0
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return conn.execute(sql).fetchone()[0] or 0


def test_backup_restore_round_trip(cli_db, tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write(a, sample_records("0935"))
    write(b, sample_records("0363"))
    run(cli_db, "migrate")
    run(cli_db, "import", str(a), "--municipality", "0935")
    run(cli_db, "export", "--municipality", "0935", "--out", str(tmp_path / "before.jsonl"))
    run(cli_db, "backup", "--out", str(tmp_path / "db.backup"))
    at_backup = _epoch(cli_db)
    run(cli_db, "import", str(b), "--municipality", "0363")
    live = _epoch(cli_db)
    assert run(cli_db, "restore", str(tmp_path / "db.backup"), check=False).returncode == 2  # needs --yes
    run(cli_db, "restore", str(tmp_path / "db.backup"), "--yes")
    # a new epoch, past both the backup's and the live database's: memo keys of before the restore never match
    restored = _epoch(cli_db)
    assert restored > max(at_backup, live)
    gone = run(cli_db, "export", "--municipality", "0363", "--out", str(tmp_path / "x.jsonl"), check=False)
    assert gone.returncode == 1 and "no municipality" in gone.stderr
    run(cli_db, "export", "--municipality", "0935", "--out", str(tmp_path / "after.jsonl"))

    def strip(p):  # the header has a timestamp
        return [orjson.loads(x) for x in p.read_bytes().splitlines()[1:]]

    assert strip(tmp_path / "after.jsonl") == strip(tmp_path / "before.jsonl")


def _big_file(path, code: str, n: int) -> None:
    recs = sample_records(code)
    head = [r for r in recs if r["record"] in ("header", "team", "provider", "user")]
    template = [r for r in recs if r.get("id") in ("C1", "K1", "E1", "E2", "E3", "E4", "E5")]
    with open(path, "wb") as fh:
        for r in head:
            fh.write(orjson.dumps(r) + b"\n")
        made = 0
        prefix = 10_000_000
        while made < n:
            prefix += 1
            bsn = complete_bsn(str(prefix).zfill(8)[-8:])
            if bsn is None:
                continue
            made += 1
            for r in template:
                r = dict(r)
                if r["record"] == "client":
                    r.update(id=f"C{made}", bsn=bsn)
                elif r["record"] == "case":
                    r.update(id=f"K{made}", client=f"C{made}")
                else:
                    r.update(id=f"{r['id']}-{made}", case=f"K{made}")
                fh.write(orjson.dumps(r) + b"\n")


def test_import_killed_halfway_leaves_the_database_as_before(cli_db, tmp_path):
    n = 20_000
    path = tmp_path / "big.jsonl"
    _big_file(path, "0935", n)
    run(cli_db, "migrate")
    env = {
        **os.environ,
        "DATABASE_URL": cli_db,
        "REGIE_VAR_DIR": os.environ.get("REGIE_VAR_DIR", "/tmp/regie-test-var"),
    }
    proc = subprocess.Popen(
        [*REGIE, "import", str(path), "--municipality", "0935"],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    killed_at = None
    deadline = time.time() + 300
    for line in proc.stderr:  # "importing clients (validate + write): done/total"
        if ":" in line and "/" in line:
            done = int(line.rsplit(":", 1)[1].split("/")[0])
            if done >= int(n * 1.4):  # validation finished, writing well under way
                proc.send_signal(signal.SIGKILL)
                killed_at = done
                break
        if time.time() > deadline:
            break
    proc.wait(timeout=60)
    assert killed_at is not None, "the import finished or stalled before it could be killed"
    assert proc.returncode == -signal.SIGKILL
    gone = run(cli_db, "export", "--municipality", "0935", "--out", str(tmp_path / "x.jsonl"), check=False)
    assert gone.returncode == 1 and "no municipality" in gone.stderr  # nothing of the import survived
    run(cli_db, "import", str(path), "--municipality", "0935")
    run(cli_db, "export", "--municipality", "0935", "--out", str(tmp_path / "after.jsonl"))
    exported = (tmp_path / "after.jsonl").read_bytes()
    assert exported.count(b'{"record":"client"') == n and exported.count(b'{"record":"event"') == 5 * n
