"""API credentials: personal tokens and applications (system integrations) with their own tokens.

A token's secret is shown once; only its sha256 digest is stored, with a short prefix to recognise it by. Rules
and issuing live in :mod:`regie.api.tokens`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from regie.core.records import ROLES


class ApiApplication(models.Model):
    """A system integration of one municipality (like Open Zaak's autorisaties): its tokens belong to no person.

    It acts through its own service account (``user``, username ``app:<name>``, no password) so that tenancy, the
    role's capabilities, the decision gate and the audit log treat it like any other actor; ``role`` is what it may
    do at most, ``scopes`` what its tokens may be given at most."""

    name = models.SlugField(max_length=60, unique=True, help_text="Short id; audited as app:<name>")
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        max_length=40, help_text="Role id (regie.core.records.ROLES) whose capabilities bound the application's tokens"
    )
    scopes = models.JSONField(default=list, help_text="Scopes its tokens may carry, e.g. ['cases:read']")
    contact = models.CharField(max_length=200, help_text="Who to call about this integration (name, e-mail)")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_application")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"app:{self.name}"

    @property
    def actor_name(self) -> str:
        return f"app:{self.name}"

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


class ApiToken(models.Model):
    """One API credential: a person's (``application`` empty) or an application's."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    application = models.ForeignKey(
        ApiApplication, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, db_index=True, help_text="First characters of the secret, to recognise it")
    digest = models.CharField(
        max_length=64, unique=True, help_text="sha256 of the secret (hex); the secret is not stored"
    )
    scopes = models.JSONField(default=list)
    role_at_issue = models.CharField(max_length=40, help_text="The user's role when issued; another role invalidates")
    municipality_at_issue = models.ForeignKey(
        "accounts.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=150)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def holder(self) -> str:
        """Who acts with this token in the audit log: the username, or ``app:<name>``."""
        return self.application.actor_name if self.application_id else self.user.username

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
