"""The append-only access log (BIO 8.15.01: who, what, which object, result, origin, when).

Rows are only ever inserted. ``save()`` refuses updates, ``delete()`` refuses, and database triggers (migration
0002) refuse UPDATE and DELETE for anything that bypasses the ORM.
"""

from __future__ import annotations

from django.db import models


class AppendOnlyError(Exception):
    pass


class AuditRecord(models.Model):
    ACTIONS = [
        (a, a)
        for a in (
            "read",
            "search",
            "create",
            "update",
            "export",
            "import",
            "reveal_bsn",
            "login",
            "login_failed",
            "logout",
            "denied",
        )
    ]
    RESULTS = [("success", "success"), ("denied", "denied"), ("error", "error")]

    timestamp = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=150, help_text="Username, or 'cli:<os user>' for the command line")
    actor_role = models.CharField(max_length=40, blank=True)
    municipality = models.ForeignKey(
        "accounts.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ACTIONS)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    result = models.CharField(max_length=10, choices=RESULTS, default="success")
    origin = models.CharField(max_length=100, help_text="IP address, or 'cli@<host>'")
    detail = models.CharField(max_length=500, blank=True, help_text="Never personal data; ids and counts only")

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["municipality", "timestamp"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit records cannot be deleted")
