from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

KINDS = [
    ("approval", _("besluit goedgekeurd")),
    ("refusal", _("besluit afgewezen")),
    ("report", _("rapportage aanbieder")),
    ("task", _("taak toegewezen")),
    ("term", _("termijn verloopt")),
]


class Notification(models.Model):
    """One message for one user. ``key`` makes a periodic notification idempotent (a term is announced once).

    What it says is ``message`` (a key of ``messages.MESSAGES``) with ``params``, rendered when read in the
    reader's language (:attr:`shown`). ``text`` is what rows from before keys held (Dutch, formatted when
    created); migration 0002 turned the known patterns into keys, a row it could not read keeps its text."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=KINDS)
    message = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    text = models.CharField(max_length=500, blank=True)
    link = models.CharField(max_length=500, blank=True)
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="one_notification_per_key"
            )
        ]

    @property
    def shown(self) -> str:
        """The notification's text in the active language (an older row without a message key: its text)."""
        from .messages import MESSAGES, render

        if self.message:
            if self.message not in MESSAGES:
                raise LookupError(f"notification {self.pk}: unknown message {self.message!r}")
            return render(self.message, self.params or {})
        return self.text

    @property
    def shown_html(self):
        """:attr:`shown` for a page: escaped, typed text marked Dutch in the English UI."""
        from django.utils.html import conditional_escape

        from .messages import MESSAGES, render_html

        if self.message and self.message in MESSAGES:
            return render_html(self.message, self.params or {})
        return conditional_escape(self.shown)


class NotificationPreference(models.Model):
    """A user's choice to get notifications by e-mail too (off unless chosen; sent only when mail is configured)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.BooleanField(default=False)
