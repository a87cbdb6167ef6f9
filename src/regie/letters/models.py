"""Per-municipality letter templates and letterheads, both versioned and append-only: a change is a new version
(who, when, what), an old version is never lost. The newest version is the one in use; without one a letter
template falls back to the default shipped with Regie (``defaults/``); a letterhead has no default (a letter
without its municipality's letterhead is refused, fail closed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from regie.audit.models import AppendOnlyError


class _AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("letter templates and letterheads are versioned; save a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("letter templates and letterheads are versioned; they are never deleted")


class LetterTemplate(_AppendOnly):
    """One version of one municipality's template for a letter type or a text block (``registry.TEMPLATE_NAMES``)."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    body = models.TextField()
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name", "version"], name="lettertemplate_version")
        ]
        ordering = ["municipality", "name", "-version"]


class Letterhead(_AppendOnly):
    """One version of a municipality's letterhead: sender, return address, contact line, where to object, and the
    signature block."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    sender = models.CharField(max_length=200)  # "Gemeente Den Haag, Werk en Inkomen"
    address = models.TextField()  # the return address, one line per line
    contact = models.CharField(max_length=300)  # "Bel 14 070 of mail werkeninkomen@denhaag.nl"
    objection_address = models.TextField()  # where a bezwaarschrift goes (Awb art. 6:5), one line per line
    objection_online = models.CharField(max_length=300, blank=True)  # e.g. a web address for digital bezwaar
    signature = models.TextField()  # the signature block, one line per line
    logo = models.BinaryField(null=True, blank=True)  # PNG or JPEG
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "version"], name="letterhead_version")]
        ordering = ["municipality", "-version"]

    @property
    def municipality_name(self) -> str:
        return self.municipality.name

    def lines(self, field: str) -> list[str]:
        return [ln.strip() for ln in getattr(self, field).splitlines() if ln.strip()]
