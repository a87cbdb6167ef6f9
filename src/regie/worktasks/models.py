"""Work tasks: something to do for a case (or for no case), for a person or a team, by a date; absences with a
substitute. A task is work planning, not a fact about the client: it is not an event in the case log, and it goes
with its case when the case is destroyed (``retention.services.destroy`` removes every row that refers to a case).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from regie.core.events import SUMMARY_MAX

TITLE_MAX = 200


class Task(models.Model):
    SOURCES = [
        ("manual", "Handmatig"),
        ("signal", "Signaal"),
        ("provider_report", "Rapportage van een aanbieder"),
        ("approval", "Afwijkend besluit ter beoordeling"),
    ]
    STATUSES = [("open", "Open"), ("done", "Afgerond")]
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("casework.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True, max_length=SUMMARY_MAX)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    due_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=SOURCES, default="manual")
    source_ref = models.CharField(max_length=100, blank=True, help_text="Signal code and due date, event or pending id")
    status = models.CharField(max_length=10, choices=STATUSES, default="open")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["municipality", "status", "assignee"]),
            models.Index(fields=["team", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignee__isnull=False) | models.Q(team__isnull=False), name="task_has_an_owner"
            )
        ]


class TaskHistory(models.Model):
    """Who the task went to, when and why (created, reassigned, cover during leave, bulk reassignment, done)."""

    REASONS = [
        ("created", "Aangemaakt"),
        ("reassigned", "Overgedragen"),
        ("cover", "Naar de vervanger (afwezigheid)"),
        ("bulk", "Caseload herverdeeld"),
        ("done", "Afgerond"),
        ("reopened", "Heropend"),
    ]
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=12, choices=REASONS)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Absence(models.Model):
    """A user away (leave, illness) from ``starts_on`` to ``ends_on`` inclusive, covered by ``substitute``."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField()
    ends_on = models.DateField()
    substitute = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="covering")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]
