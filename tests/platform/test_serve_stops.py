"""`regie serve` stops promptly on SIGTERM after serving requests: a web worker that used polars used to hang in
interpreter shutdown on polars' spill-file cleaner thread until gunicorn killed it after its 30 s graceful timeout
(regie.platform.server._worker_exit)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


@pytest.mark.slow
def test_serve_stops_within_ten_seconds_after_requests(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REGIE_VAR_DIR": str(tmp_path),
        "TMPDIR": str(tmp),
    }
    regie = [sys.executable, "-m", "regie.cli"]
    subprocess.run([*regie, "migrate"], env=env, check=True, capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [*regie, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/inloggen/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(6):  # reach both workers
            assert urllib.request.urlopen(f"http://127.0.0.1:{port}/inloggen/", timeout=5).status == 200
        # the workers' shared memo (regie.casework.derived) lives as long as the server
        assert [p.name.startswith("regie-memo-") for p in tmp.iterdir()] == [True]
        proc.terminate()
        assert proc.wait(timeout=10) == 0
        assert list(tmp.iterdir()) == []
    finally:
        if proc.poll() is None:
            proc.kill()
