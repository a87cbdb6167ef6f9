"""Background jobs of the benefit app (regie.platform.jobs): the payment run's computation."""

from __future__ import annotations

from regie.platform import jobs

from .models import PaymentRun


@jobs.task()
def compute_payment_run(run_id: int) -> dict | None:
    """Compute one payment run's preview; one run at a time per municipality."""
    mid = PaymentRun.objects.filter(pk=run_id).values_list("municipality_id", flat=True).first()
    if mid is None:
        return None

    def work(lease):
        from . import services

        services.compute_run(run_id, lease)
        return dict(PaymentRun.objects.filter(pk=run_id).values("status", "count").first() or {})

    return jobs.run_exclusive(f"payment-run:{mid}", work, retry=compute_payment_run, args=(run_id,))
