"""Background jobs: the one way Regie runs work outside a request.

A job is a task of Django's Tasks framework (the ``django-tasks`` backport; ``@task`` functions live in each app's
``tasks.py``). ``settings.TASKS`` selects the backend: the database queue (``django_tasks_db``) in production, run
by ``regie worker`` processes on any number of machines (``regie serve`` starts one beside the web server), or
the immediate backend (``REGIE_JOBS_INLINE=1``, the tests) that runs a job at once in the enqueuing process.

A queued job survives the web process that enqueued it: it waits in the database until a worker claims it.
Work that a page follows (the equity report, a lab run) keeps its progress and a heartbeat on its own row
(``ReportRun``, ``LabRun``): the job calls :func:`beat` after every step. The one stale rule: a running job
whose heartbeat is older than ``REGIE_JOB_STALE_SECONDS`` (:func:`stale_before`) died with its worker and is
shown as interrupted; a queued job (no heartbeat yet) just waits for a worker.

"One at a time" (one equity report or lab run per municipality, one writer of a municipality's analytic copy)
is a :class:`~regie.platform.models.JobLease` row with a unique key, taken by the running job
(:func:`run_exclusive`): it holds across processes and machines, and a lease whose holder stopped beating is
taken over under the same stale rule.

Anything else that should not run inside a request (imports from the web, signal runs, letters in bulk) is a
``@task`` in its app's ``tasks.py`` enqueued with :func:`enqueue`; a page that follows it stores progress on a
row of its own with :func:`beat`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task  # noqa: F401  (re-exported: apps declare their jobs with jobs.task)

log = logging.getLogger(__name__)

# A job that finds its one-at-a-time slot taken is put back in the queue to run this many seconds later
# (assumption: short next to any job that holds the slot, long enough not to spin).
BUSY_RETRY_SECONDS = 5


class Busy(Exception):
    """The lease is held by another running job."""


def stale_seconds() -> int:
    return int(getattr(settings, "REGIE_JOB_STALE_SECONDS", 900))


def stale_before() -> dt.datetime:
    """Heartbeats older than this belong to jobs that died (the one stale rule)."""
    return timezone.now() - dt.timedelta(seconds=stale_seconds())


def is_stale(heartbeat: dt.datetime | None) -> bool:
    """A started job (heartbeat set) that has been silent for longer than the stale limit."""
    return heartbeat is not None and heartbeat < stale_before()


def interrupted(rows, field: str = "heartbeat"):
    """The rows of ``rows`` (running jobs' rows) whose heartbeat is stale."""
    return rows.filter(**{f"{field}__lt": stale_before()})


def inline() -> bool:
    """Whether jobs run at once in the enqueuing process (the immediate backend) rather than in a worker."""
    from django_tasks import default_task_backend
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(default_task_backend, ImmediateBackend)


def enqueue(job, *args: Any, **kwargs: Any):
    """Queue ``job`` (a ``@task``) with JSON arguments; returns its task result (``.id``, ``.status``).

    With the database backend the queue entry is a row written in the caller's transaction: enqueue inside the
    ``transaction.atomic()`` that creates the job's own row, so either both exist or neither."""
    return job.enqueue(*args, **kwargs)


def enqueue_later(job, *args: Any, seconds: float) -> None:
    """Queue ``job`` to run no earlier than ``seconds`` from now (the immediate backend waits, then runs it)."""
    backend = job.get_backend()
    if backend.supports_defer:
        job.using(run_after=timezone.now() + dt.timedelta(seconds=seconds)).enqueue(*args)
    else:
        time.sleep(seconds)
        job.enqueue(*args)


def waiting(job, *args: Any) -> bool:
    """Whether ``job`` with exactly these arguments is already queued (due or deferred) and not yet claimed."""
    if inline():
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status="READY", task_path=job.module_path, args_kwargs={"args": list(args), "kwargs": {}}
    ).exists()


def enqueue_once(job, *args: Any):
    """Queue ``job`` unless the same job with the same arguments is already waiting; returns the new result or
    None. Not a lock (two processes may both queue one): jobs queued this way must be harmless to repeat, e.g.
    by running under :func:`run_exclusive` and checking whether the work is still due."""
    if waiting(job, *args):
        return None
    return enqueue(job, *args)


class Lease:
    """One-at-a-time slot ``key``, held by this job until :meth:`release`."""

    def __init__(self, key: str):
        from .models import JobLease

        self.key, self.token = key, uuid.uuid4().hex
        now = timezone.now()
        try:
            with transaction.atomic():
                JobLease.objects.create(key=key, token=self.token, acquired=now, heartbeat=now)
            return
        except IntegrityError:
            pass
        # held: taken over only from a holder that stopped beating (its worker died); one taker wins the update
        if not JobLease.objects.filter(key=key, heartbeat__lt=stale_before()).update(
            token=self.token, acquired=now, heartbeat=now
        ):
            raise Busy(key)
        log.warning("job lease %s taken over from a job that stopped reporting", key)

    def beat(self) -> None:
        from .models import JobLease

        if not JobLease.objects.filter(key=self.key, token=self.token).update(heartbeat=timezone.now()):
            log.warning("job lease %s was taken over while this job still ran", self.key)

    def release(self) -> None:
        from .models import JobLease

        JobLease.objects.filter(key=self.key, token=self.token).delete()


def run_exclusive(key: str, work: Callable[[Lease], Any], *, retry=None, args: tuple = ()) -> Any:
    """Run ``work(lease)`` while holding lease ``key``. When another job holds it: queue ``retry(*args)`` again
    for :data:`BUSY_RETRY_SECONDS` later and return None (``retry=None``: skip, the holder does the work)."""
    try:
        lease = Lease(key)
    except Busy:
        if retry is not None:
            enqueue_later(retry, *args, seconds=BUSY_RETRY_SECONDS)
        return None
    try:
        return work(lease)
    finally:
        lease.release()


def beat(model, pk: int, lease: Lease | None = None, **fields: Any) -> None:
    """A running job's sign of life: sets ``heartbeat`` (and ``fields``, e.g. progress) on its row, and keeps its
    lease."""
    model.objects.filter(pk=pk).update(heartbeat=timezone.now(), **fields)
    if lease is not None:
        lease.beat()
