"""Background jobs of the policy lab (regie.platform.jobs)."""

from __future__ import annotations

from regie.platform import jobs

from .models import LabRun


@jobs.task()
def run_lab(run_id: int) -> dict | None:
    """Run one lab ensemble; one run at a time per municipality across all workers (a second waits as queued:
    the simulations are CPU-bound)."""
    mid = LabRun.objects.filter(pk=run_id).values_list("municipality_id", flat=True).first()
    if mid is None:
        return None

    def work(lease):
        from . import runner

        runner.execute(run_id, lease)
        return dict(LabRun.objects.filter(pk=run_id).values("status", "progress", "total").first() or {})

    return jobs.run_exclusive(f"lab:{mid}", work, retry=run_lab, args=(run_id,))
