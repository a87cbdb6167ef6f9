"""`regie serve` runs the system checks with the database first: with a municipality that has no policy in force it
refuses to start (exit 1, naming the check) instead of serving a casework that cannot decide anything."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_serve_refuses_to_start_without_a_policy(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REGIE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "regie.platform.settings",
    }
    regie = [sys.executable, "-m", "regie.cli"]
    subprocess.run([*regie, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from regie.accounts.models import Municipality; "
            "Municipality.objects.create(code='9998', name='Zonder beleid')",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    r = subprocess.run(
        [*regie, "serve", "--port", "0", "--no-worker"], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 1
    assert "refused to start" in r.stderr and "casework.E002" in r.stderr
