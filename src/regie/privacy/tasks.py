"""Background jobs of the privacy app (regie.platform.jobs)."""

from __future__ import annotations

from regie.platform import jobs


@jobs.task()
def rebuild_analytics(municipality_id: int) -> bool | None:
    """Rebuild a municipality's analytic tables from scratch after a client's data was corrected in place (a
    rectification is not an event, so the incremental refresh does not see it), write the disk copy and drop this
    process's in-memory copy. One writer of the copy per municipality (the same lease as analytics.tasks)."""
    from regie.accounts.models import Municipality
    from regie.analytics import store

    muni = Municipality.objects.filter(pk=municipality_id).first()
    if muni is None:
        return None

    def work(lease):
        store.refresh(muni, rebuild=True, persist=True)
        store.clear()
        return True

    # busy (the disk-copy writer is running): try again shortly, since that writer does not rebuild
    return jobs.run_exclusive(f"frames-store:{municipality_id}", work, retry=rebuild_analytics, args=(municipality_id,))
