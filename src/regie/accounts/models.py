"""Tenants (municipalities), shared services, teams, providers and users with roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models

from regie.core.records import CASEWORKER_ROLES, ROLES
from regie.platform import labels


class Municipality(models.Model):
    """A tenant. ``code`` is the CBS gemeentecode (4 digits)."""

    code = models.CharField(max_length=4, unique=True, validators=[RegexValidator(r"^\d{4}$")])
    name = models.CharField(max_length=200)
    policy_slug = models.CharField(
        max_length=100,
        blank=True,
        help_text="Policy id (folder under regie/core/policy/policies/) when it differs from the CBS code",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SharedService(models.Model):
    """An organisation serving several municipalities explicitly (e.g. Helmond serves 5, seed 003:189)."""

    name = models.CharField(max_length=200, unique=True)
    municipalities = models.ManyToManyField(Municipality, related_name="shared_services")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="teams")
    code = models.CharField(max_length=64, help_text="Stable id, also used in the interchange format")
    name = models.CharField(max_length=200)
    client_group = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="team_code_per_municipality")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """A re-integration provider under contract with the municipality (seed 001:651-656)."""

    KINDS = [
        ("rib", "Re-integratiebedrijf"),
        ("sw", "SW-bedrijf"),
        ("zorg", "Zorg"),
        ("opleiding", "Opleiding"),
        ("gemeentelijk", "Gemeentelijk"),
    ]
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="providers")
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=KINDS, default="rib")
    # The provider register (h/record; regie.clientrecord.providers): contract, modules, capacity, contact.
    contract_reference = models.CharField(max_length=100, blank=True)
    contract_start = models.DateField(null=True, blank=True)
    contract_end = models.DateField(null=True, blank=True, help_text="Empty: the contract runs until further notice")
    modules = models.JSONField(default=list, blank=True, help_text='[{"code": "taal", "name": "Taaltraject"}, ...]')
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Places contracted; empty: no limit")
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.CharField(max_length=254, blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="provider_code_per_municipality")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def contracted_on(self, day) -> bool:
        """Whether the contract runs on ``day`` (no dates registered: contracted, as before the register)."""
        return (self.contract_start is None or self.contract_start <= day) and (
            self.contract_end is None or day <= self.contract_end
        )


class User(AbstractUser):
    ROLE_CHOICES = list(ROLES.items())
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    shared_service = models.ForeignKey(
        SharedService, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=40, choices=ROLE_CHOICES, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="coaches")
    external_id = models.CharField(max_length=64, blank=True, help_text="Id in the interchange file it came from")
    # The language the user last chose with the language switch (settings.LANGUAGES; blank: never chose): what
    # Regie sends them outside a page (a notification e-mail) is in it. Kept by middleware.RememberLanguageMiddleware.
    language = models.CharField(max_length=10, blank=True)

    @property
    def is_caseworker(self) -> bool:
        return self.role in CASEWORKER_ROLES

    @property
    def role_label(self) -> str:
        """The role's name in the user's language (the label registry)."""
        return labels.role_label(self.role)


class MfaPolicy(models.Model):
    """Which roles of a municipality must log in with a second step; set by the functioneel beheerder."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="mfa_policy")
    roles = models.JSONField(default=list, blank=True, help_text="Role ids that must use multi-factor log-in")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"MFA {self.municipality}: {', '.join(self.roles) or '-'}"


# --- eHerkenning: a provider coach's link to their eHerkenning identity (regie.accounts.eherkenning) ---
class EHerkenningLink(models.Model):
    """The coach account a person logs in to with eHerkenning: the provider organisation's KvK number and the
    person's pseudonymous id from the broker (``acting_subject``), linked on their first log-in."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="eherkenning_link")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    kvk = models.CharField(max_length=8)
    acting_subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "acting_subject"], name="eherkenning_subject_per_provider")
        ]
