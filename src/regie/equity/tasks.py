"""Background jobs of the equity app (regie.platform.jobs)."""

from __future__ import annotations

from regie.platform import jobs

from .models import ReportRun


@jobs.task()
def compute_report(run_id: int) -> dict | None:
    """Compute one discretion report run; one report at a time per municipality (the models are CPU-bound)."""
    mid = ReportRun.objects.filter(pk=run_id).values_list("municipality_id", flat=True).first()
    if mid is None:
        return None  # superseded and removed while it waited

    def work(lease):
        from . import services

        services.compute_run(run_id, lease)
        return dict(ReportRun.objects.filter(pk=run_id).values("state", "seconds").first() or {})

    return jobs.run_exclusive(f"equity-report:{mid}", work, retry=compute_report, args=(run_id,))
