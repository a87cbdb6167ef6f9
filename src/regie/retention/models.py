"""Holds, monthly destruction lists and the record that a destruction happened.

None of these rows holds personal data: cases are named by their external id (the interchange id), people by
username. A destroyed case's items keep its external id and class; the ``DestructionRecord`` is the lasting proof
(Archiefwet 1995 art. 3 and the Archiefbesluit 1995 art. 8: a verklaring van vernietiging).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regie.audit.models import AppendOnlyError


class RetentionHold(models.Model):
    """Do not destroy: an objection or appeal that runs, a court case, an investigation or recovery (legal hold)."""

    REASONS = [
        ("bezwaar", _("Bezwaar loopt")),
        ("beroep", _("Beroep of hoger beroep loopt")),
        ("rechtszaak", _("Andere rechtszaak")),
        ("handhaving", _("Onderzoek, terugvordering of invordering loopt")),
        ("overig", _("Andere reden")),
    ]
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="retention_holds")
    reason = models.CharField(max_length=20, choices=REASONS)
    note = models.CharField(
        max_length=500, blank=True, help_text="Never personal data: a reference, e.g. a case number"
    )
    placed_by = models.CharField(max_length=150)
    placed_at = models.DateTimeField(auto_now_add=True)
    released_by = models.CharField(max_length=150, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        indexes = [models.Index(fields=["municipality", "released_at"])]

    def __str__(self) -> str:
        return f"hold {self.pk} ({self.reason})"


class DestructionList(models.Model):
    """A monthly vernietigingslijst: proposed by the functioneel beheerder (command), approved by the archivaris."""

    STATES = [("concept", _("Ter beoordeling")), ("approved", _("Goedgekeurd")), ("destroyed", _("Vernietigd"))]
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="First day of the month the list is for")
    state = models.CharField(max_length=10, choices=STATES, default="concept")
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return f"vernietigingslijst {self.pk} ({self.month:%Y-%m}, {self.state})"


class DestructionItem(models.Model):
    """One case on a list. ``case`` becomes empty when the case is destroyed; its external id and class stay."""

    STATES = [("proposed", _("Voorgesteld")), ("removed", _("Van de lijst gehaald")), ("destroyed", _("Vernietigd"))]
    list = models.ForeignKey(DestructionList, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("casework.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case_external_id = models.CharField(max_length=64)
    retention_class = models.CharField(max_length=40)
    ended_on = models.DateField()
    destroy_on = models.DateField()
    state = models.CharField(max_length=10, choices=STATES, default="proposed")
    removed_reason = models.CharField(max_length=500, blank=True)
    removed_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["destroy_on", "case_external_id"]
        constraints = [models.UniqueConstraint(fields=["list", "case_external_id"], name="one_item_per_case")]

    def __str__(self) -> str:
        return f"{self.case_external_id} ({self.state})"


class DestructionRecord(models.Model):
    """That a destruction happened (verklaring van vernietiging): which list, which cases (external id and class),
    when, by whom, approved by whom, and how many rows went. Never personal data. Rows are only inserted."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    list = models.OneToOneField(DestructionList, on_delete=models.PROTECT, related_name="record")
    cases = models.JSONField(help_text="[{case: external id, class: retention class, ended_on, destroy_on}]")
    clients_removed = models.PositiveIntegerField(default=0, help_text="Clients with no case left, removed too")
    rows = models.JSONField(default=dict, help_text="Rows deleted per table")
    executed_by = models.CharField(max_length=150)
    executed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.CharField(max_length=150)
    approved_at = models.DateTimeField()

    class Meta:
        ordering = ["-executed_at"]

    def __str__(self) -> str:
        return f"verklaring van vernietiging {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("a destruction record cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("a destruction record cannot be deleted")
