"""The platform's one table: leases that keep a kind of background job to one at a time (regie.platform.jobs)."""

from django.db import models


class JobLease(models.Model):
    """Held by the job that runs under ``key`` (e.g. ``lab:12``, one municipality's lab runs) while it runs.

    The unique key makes "one at a time" hold across processes and machines; the heartbeat lets a lease whose job
    died be taken over (the stale rule, ``REGIE_JOB_STALE_SECONDS``)."""

    key = models.CharField(max_length=200, unique=True)
    token = models.CharField(max_length=32, help_text="Identifies the holder; only the holder beats and releases")
    acquired = models.DateTimeField()
    heartbeat = models.DateTimeField()

    def __str__(self) -> str:
        return f"lease {self.key}"
