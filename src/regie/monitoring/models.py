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
