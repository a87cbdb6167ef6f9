"""Acknowledged signals: a caseworker saw a signal and noted what they do about it."""

from django.conf import settings
from django.db import models


class SignalAcknowledgement(models.Model):
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="signal_acknowledgements")
    code = models.CharField(max_length=40)
    due = models.DateField(help_text="The due date of the signal acknowledged; a later recurrence is a new signal")
    note = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "code", "due"], name="one_ack_per_signal")]


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
