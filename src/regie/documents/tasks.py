"""Background jobs of the documents app (regie.platform.jobs): the dossier as one PDF."""

from __future__ import annotations

import uuid

from regie.platform import jobs


@jobs.task()
def build_dossier(export_id: int) -> bool | None:
    """Build the PDF of a ``DossierExport``, reporting progress (one step per enclosure) and a heartbeat on its row,
    and store it in the documents storage. A failure is recorded on the row (no personal data in the message)."""
    from django.core.files import File
    from django.utils import timezone

    from . import dossier, services
    from .models import DossierExport

    export = DossierExport.objects.select_related("client", "municipality", "requested_by").filter(pk=export_id).first()
    if export is None or export.status not in ("queued", "running"):
        return None
    jobs.beat(DossierExport, export.pk, status="running")

    def progress(done: int, total: int) -> None:
        jobs.beat(DossierExport, export.pk, progress=done, total=total)

    try:
        out, pages, skipped = dossier.build(export, progress)
        with out:
            key = services.storage().save(
                f"exports/{export.municipality.code}/{uuid.uuid4().hex}.pdf", File(out, name="dossier.pdf")
            )
            size = services.storage().size(key)
    except Exception as exc:  # recorded for the page; the traceback goes to the worker's log
        DossierExport.objects.filter(pk=export.pk).update(
            status="failed", error=type(exc).__name__[:500], finished_at=timezone.now()
        )
        raise
    DossierExport.objects.filter(pk=export.pk).update(
        status="done", storage_key=key, size=size, pages=pages, skipped=skipped, finished_at=timezone.now()
    )
    return True
