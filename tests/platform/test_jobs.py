"""Background jobs (regie.platform.jobs): a queued job outlives the web process and is run by a real
``regie worker`` process; the one stale rule; one job for two concurrent starts; one at a time per key.

The cross-process tests run against a fresh database of the suite's kind (tests.security.test_backup_and_crash
.cli_db), because pytest-django's test database is not visible to other processes."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest
from django.utils import timezone

from regie.core.synth import generate
from regie.platform import jobs
from tests.conftest import QUEUED_JOBS
from tests.security.test_backup_and_crash import cli_db, run  # noqa: F401  (fixture)


def _python(url: str, code: str, *, wait: bool = True):
    """``code`` in a new Python process with Django set up on ``url`` (a web process or a script); its last
    stdout line parsed as JSON."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REGIE_VAR_DIR": os.environ.get("REGIE_VAR_DIR", "/tmp/regie-test-var"),
        "DJANGO_SETTINGS_MODULE": "regie.platform.settings",
    }
    env.pop("REGIE_JOBS_INLINE", None)
    script = "import json, django\ndjango.setup()\n" + textwrap.dedent(code)
    proc = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    if not wait:
        return proc
    return _result(proc)


def _result(proc) -> dict:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


STATE = """
from regie.equity.models import ReportRun
from django_tasks_db.models import DBTaskResult
runs = list(ReportRun.objects.values("pk", "state", "step", "heartbeat", "error"))
tasks = list(DBTaskResult.objects.values("task_path", "status", "return_value", "args_kwargs"))
print(json.dumps({"runs": runs, "tasks": tasks}, default=str))
"""

START_REPORT = """
import datetime as dt
from regie.accounts.models import Municipality
from regie.equity import services
run = services.report_run(Municipality.objects.get(code="0363"), dt.date.today())
print(json.dumps({"run": run.pk, "state": run.state}))
"""


@pytest.fixture
def queue_db(cli_db, tmp_path):  # noqa: F811
    path = tmp_path / "ams.jsonl"
    generate("0363", 300, 3, path)
    run(cli_db, "migrate")
    run(cli_db, "import", str(path), "--municipality", "0363")
    return cli_db


def test_a_job_queued_by_a_web_process_that_stopped_is_run_by_a_worker(queue_db):
    # the "web process" asks for the report and exits before anything computes it
    started = _python(queue_db, START_REPORT)
    assert started["state"] == "running"
    before = _python(queue_db, STATE)
    assert [r["heartbeat"] for r in before["runs"]] == [None]  # queued: no worker has touched it
    assert [(t["task_path"], t["status"]) for t in before["tasks"]] == [("regie.equity.tasks.compute_report", "READY")]
    # a worker started later, in its own process, claims and runs it
    t0 = time.perf_counter()
    worker = run(queue_db, "worker", "--batch")
    seconds = time.perf_counter() - t0
    after = _python(queue_db, STATE)
    (r,) = after["runs"]
    assert r["state"] == "done", (r["error"], worker.stdout, worker.stderr)
    assert r["step"].startswith("9/9") and r["heartbeat"] is not None
    (t,) = after["tasks"]
    assert t["status"] == "SUCCESSFUL" and t["return_value"]["state"] == "done"
    assert seconds < 240
    # the page now finds the stored result: no new run, no new job
    again = _python(queue_db, START_REPORT)
    assert again == {"run": started["run"], "state": "done"}
    assert len(_python(queue_db, STATE)["tasks"]) == 1


def test_two_concurrent_starts_for_one_municipality_give_one_job(queue_db):
    at = time.time() + 3  # both processes are set up by then and ask at the same moment
    code = f"import time\ntime.sleep(max(0, {at} - time.time()))\n" + START_REPORT
    procs = [_python(queue_db, code, wait=False) for _ in range(2)]
    results = [_result(p) for p in procs]
    assert results[0]["run"] == results[1]["run"]
    state = _python(queue_db, STATE)
    assert len(state["runs"]) == 1
    assert [t["status"] for t in state["tasks"]] == ["READY"]


@pytest.mark.django_db
def test_the_stale_rule_marks_old_heartbeats_interrupted(world, settings):
    from regie.equity import services
    from regie.equity.models import ReportRun
    from regie.lab import runner
    from regie.lab.models import LabRun

    settings.REGIE_JOB_STALE_SECONDS = 60
    old = timezone.now() - dt.timedelta(seconds=61)
    fresh = timezone.now() - dt.timedelta(seconds=30)
    officer = world.users_a["beleidsmedewerker"]
    mk = lambda **kw: LabRun.objects.create(  # noqa: E731
        municipality=world.a,
        created_by=officer,
        scenario="policy:national-default",
        params={},
        **kw,
    )
    dead, alive, waiting = mk(status="running", heartbeat=old), mk(status="running", heartbeat=fresh), mk()
    LabRun.objects.filter(pk=waiting.pk).update(created=timezone.now() - dt.timedelta(days=1))
    assert runner.mark_interrupted(LabRun.objects.all()) == 1
    dead.refresh_from_db(), alive.refresh_from_db(), waiting.refresh_from_db()
    assert dead.status == "failed" and dead.error.startswith("Onderbroken") and dead.finished is not None
    assert alive.status == "running" and waiting.status == "queued"  # a queued job waits for a worker

    # the equity report: the same rule, then the retry rule starts it again
    report = ReportRun.objects.create(
        municipality=world.a, as_of=dt.date.today(), watermark=services.watermark(world.a), heartbeat=fresh
    )
    assert services.report_run(world.a, dt.date.today()).state == "running"
    ReportRun.objects.filter(pk=report.pk).update(heartbeat=old)
    shown = services.report_run(world.a, dt.date.today())
    assert shown.pk == report.pk and shown.state == "error" and shown.error == services.INTERRUPTED
    ReportRun.objects.filter(pk=report.pk).update(finished_at=timezone.now() - dt.timedelta(minutes=10))
    retried = services.report_run(world.a, dt.date.today())  # inline in tests: computed at once
    assert retried.pk != report.pk and retried.state == "done", retried.error


@pytest.mark.django_db
def test_one_at_a_time_per_key_and_a_dead_holder_is_taken_over(settings):
    from regie.platform.models import JobLease

    settings.REGIE_JOB_STALE_SECONDS = 60
    first = jobs.Lease("lab:1")
    with pytest.raises(jobs.Busy):
        jobs.Lease("lab:1")
    other = jobs.Lease("lab:2")  # another municipality is not held up
    first.beat()
    JobLease.objects.filter(key="lab:1").update(heartbeat=timezone.now() - dt.timedelta(seconds=61))
    taker = jobs.Lease("lab:1")  # the holder stopped beating: its worker died
    assert JobLease.objects.get(key="lab:1").token == taker.token
    first.release()  # the old holder's release does not free the new holder's lease
    assert JobLease.objects.filter(key="lab:1").exists()
    taker.release(), other.release()
    assert not JobLease.objects.exists()


@pytest.mark.django_db
def test_a_job_that_finds_its_municipality_busy_waits_in_the_queue(world, settings):
    from django_tasks_db.models import DBTaskResult

    from regie.lab.models import LabRun
    from regie.lab.tasks import run_lab

    settings.TASKS = QUEUED_JOBS
    run_ = LabRun.objects.create(
        municipality=world.a,
        created_by=world.users_a["beleidsmedewerker"],
        scenario="policy:national-default",
        params={},
    )
    held = jobs.Lease(f"lab:{world.a.pk}")  # another worker runs a lab run of this municipality
    assert run_lab.call(run_.pk) is None
    (again,) = DBTaskResult.objects.all()
    assert again.task_path == "regie.lab.tasks.run_lab" and again.args_kwargs["args"] == [run_.pk]
    assert again.run_after > timezone.now() and again.status == "READY"
    run_.refresh_from_db()
    assert run_.status == "queued" and run_.heartbeat is None
    held.release()
    # a waiting job is not queued twice
    assert jobs.waiting(run_lab, run_.pk) and jobs.enqueue_once(run_lab, run_.pk) is None
    assert jobs.enqueue_once(run_lab, run_.pk + 1) is not None
