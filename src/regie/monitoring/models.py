"""Budgets of the municipality (W-deel, I-deel). Acknowledged signals live with the casework
(``regie.casework.models.SignalAcknowledgement``)."""

from django.conf import settings
from django.db import models


class BudgetAllocation(models.Model):
    """A municipality's W-deel and I-deel for one year, entered by the functioneel beheerder with its source
    (e.g. the ministry's beschikking). Budgets are not in the event log or the policy files: they are allocations
    that arrive during the year, not rules (docs/kpi-definitions.md, "Budgets")."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    w_deel = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    i_deel = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=300, help_text="Where the amounts come from, e.g. a beschikking")
    assumption = models.BooleanField(default=False)
    assumption_reason = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="one_budget_per_year")]
        ordering = ["-year"]
