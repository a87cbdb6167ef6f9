"""Concurrent edits of one case from several processes: exactly one writer wins, the others get a conflict."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.foundation.sample import sample_records, write
from tests.security.test_backup_and_crash import cli_db, run  # noqa: F401  (fixture)

WRITER = r"""
import os, sys, json, datetime as dt
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
import django; django.setup()
from regie.casework.models import Case
from regie.casework.services import append_event, ConflictError
case = Case.objects.get(external_id="K1")
version = int(sys.argv[1])
sys.stdout.write("ready\n"); sys.stdout.flush()
sys.stdin.readline()  # start together
try:
    append_event(case, type="classificatie", effective_date=dt.date(2025, 1, 1),
                 payload={"scheme": "participatieladder", "level": sys.argv[2]}, expected_version=version)
    print(json.dumps({"ok": True}))
except ConflictError as exc:
    print(json.dumps({"ok": False, "conflict": str(exc)}))
"""

READ = r"""
import os, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
import django; django.setup()
from regie.casework.models import CaseState, Event
s = CaseState.objects.get(case__external_id="K1")
print(json.dumps({"version": s.version, "level": s.level,
                  "n": Event.objects.filter(case__external_id="K1", type="classificatie").count()}))
"""


def _py(url, code, *args, **kw):
    env = {**os.environ, "DATABASE_URL": url, "REGIE_VAR_DIR": os.environ.get("REGIE_VAR_DIR", "/tmp/regie-test-var")}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kw,
    )


def test_concurrent_writers_one_wins_rest_conflict(cli_db, tmp_path):  # noqa: F811
    path = tmp_path / "a.jsonl"
    write(path, sample_records("0935"))
    run(cli_db, "migrate")
    run(cli_db, "import", str(path), "--municipality", "0935")
    before = json.loads(_py(cli_db, READ).communicate()[0])
    writers = [_py(cli_db, WRITER, str(before["version"]), str(level)) for level in range(1, 7)]
    for w in writers:
        assert w.stdout.readline().strip() == "ready"
    for w in writers:
        w.stdin.write("go\n")
        w.stdin.flush()
    results = []
    for w in writers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    wins = [r for r in results if r["ok"]]
    conflicts = [r for r in results if not r["ok"]]
    assert len(wins) == 1 and len(conflicts) == 5
    assert all("changed by someone else" in r["conflict"] for r in conflicts)
    after = json.loads(_py(cli_db, READ).communicate()[0])
    assert after["n"] == before["n"] + 1 and after["version"] == before["version"] + 1
