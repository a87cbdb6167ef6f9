"""The document rows: an index of the ``document`` events with what the event does not carry (title, file name),
and the dossier exports (one PDF of a client's file, built by a job).

The event (``casework.Event`` of type ``document``) is the record that the document was added; the row points at
it. Both go when the case is destroyed (``regie.retention.services.destroy``), and the stored file with them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from regie.core.events import DOCUMENT_KINDS


class Document(models.Model):
    KINDS = list(DOCUMENT_KINDS.items())
    ORIGINS = [("upload", "Toegevoegd door een medewerker"), ("generated", "Gemaakt door Regie")]
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="documents")
    event = models.OneToOneField("casework.Event", on_delete=models.PROTECT, related_name="document")
    document_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=40, choices=KINDS)
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=150, help_text="Sanitised; its extension is the checked type's")
    document_date = models.DateField(null=True, blank=True)
    confidential = models.BooleanField(default=False)
    storage_key = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=40)
    origin = models.CharField(max_length=10, choices=ORIGINS, default="upload")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "document_id"], name="document_id_per_municipality")
        ]
        indexes = [models.Index(fields=["case", "added_at"])]
        ordering = ["-added_at", "-id"]

    @property
    def kind_label(self) -> str:
        return DOCUMENT_KINDS.get(self.kind, self.kind)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class DossierExport(models.Model):
    """One PDF of a client's file, built by a job (``regie.documents.tasks.build_dossier``) with its progress."""

    PURPOSES = [("bezwaar", "Bezwaar of beroep"), ("inzage", "Inzageverzoek (AVG art. 15)")]
    STATUSES = [("queued", "In de wachtrij"), ("running", "Bezig"), ("done", "Klaar"), ("failed", "Mislukt")]
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("casework.Client", on_delete=models.CASCADE, related_name="dossier_exports")
    purpose = models.CharField(max_length=10, choices=PURPOSES)
    include_confidential = models.BooleanField(default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=STATUSES, default="queued")
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    heartbeat = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    storage_key = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, help_text="Documents that could not be appended (id and reason)")
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
