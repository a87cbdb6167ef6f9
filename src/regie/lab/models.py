"""A policy officer's lab run: a baseline and a policy change, simulated as a small ensemble; stored per user so
the result survives a reload."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LabRun(models.Model):
    STATUS = [("queued", _("In de wachtrij")), ("running", _("Bezig")), ("done", _("Klaar")), ("failed", _("Mislukt"))]

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_runs")
    scenario = models.CharField(max_length=100, help_text="Baseline: 'policy:<id>' or 'experiment:<file stem>'")
    params = models.JSONField(default=dict, help_text="The form's input: size, runs, seed and the policy change")
    status = models.CharField(max_length=10, choices=STATUS, default="queued")
    progress = models.PositiveIntegerField(default=0, help_text="Runs done (baseline and change together)")
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of the computation")

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"lab run {self.pk} ({self.scenario}, {self.status})"
