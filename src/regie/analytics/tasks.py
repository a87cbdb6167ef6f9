"""Background jobs of the analytic tables (regie.platform.jobs)."""

from __future__ import annotations

from regie.platform import jobs


@jobs.task()
def write_copy(municipality_id: int, root: str) -> bool | None:
    """Write a municipality's disk copy of the analytic tables when due; one writer per municipality (a second
    job finding the writer busy does nothing: the running one writes the newest state)."""
    from regie.accounts.models import Municipality

    from . import store

    muni = Municipality.objects.filter(pk=municipality_id).first()
    if muni is None:
        return None
    return jobs.run_exclusive(f"frames-store:{municipality_id}", lambda lease: store.write_copy_if_due(muni, root))


def prepare_after_import(sender, municipality, **kwargs) -> None:
    """After ``regie import`` (or ``regie demo``): write the municipality's disk copy in a job, so the first
    dashboard starts from it instead of reading the whole log (docs/performance.md, "Monitoring"). Below
    ``STORE_MIN_EVENTS`` events the tables are built from the database in well under a second: no copy."""
    from regie.casework.models import Event

    from . import store

    if Event.objects.filter(municipality=municipality).count() >= store.STORE_MIN_EVENTS:
        jobs.enqueue(write_copy, municipality.id, str(store.store_root()))
