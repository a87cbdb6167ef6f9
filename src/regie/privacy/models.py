"""Requests of data subjects: inzage (AVG art. 15) and rectification (AVG art. 16).

Both are answered within one month of receipt, extendable by two months with a reason (AVG art. 12 lid 3).
Written only by :mod:`regie.privacy.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

RELATIONS = [
    ("betrokkene", _("De betrokkene zelf")),
    ("vertegenwoordiger", _("Wettelijk vertegenwoordiger")),
    ("gemachtigde", _("Gemachtigde (met machtiging)")),
]
CHANNELS = [
    ("balie", _("Aan de balie")),
    ("post", _("Per post")),
    ("email", _("Per e-mail")),
    ("digitaal", _("Digitaal loket")),
]


class _Request(models.Model):
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("casework.Client", on_delete=models.PROTECT, related_name="+")
    requested_by = models.CharField(max_length=200, help_text="Who asked (the person, or their representative)")
    relation = models.CharField(max_length=20, choices=RELATIONS, default="betrokkene")
    channel = models.CharField(max_length=20, choices=CHANNELS, default="balie")
    received_on = models.DateField()
    due_on = models.DateField(help_text="One month after receipt (AVG art. 12 lid 3)")
    extended_due_on = models.DateField(null=True, blank=True, help_text="At most two months later (AVG art. 12 lid 3)")
    extension_reason = models.TextField(blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when recorded from the command line",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:  # never the person's name or BSN
        return f"{type(self).__name__} {self.pk}"

    @property
    def due(self):
        return self.extended_due_on or self.due_on


class AccessRequest(_Request):
    """An inzageverzoek: the complete file of a person, produced after their identity was verified."""

    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    identity_verified_on = models.DateField(null=True, blank=True)
    identity_method = models.CharField(
        max_length=200, blank=True, help_text="How: e.g. identity document shown at the desk, DigiD"
    )
    provided_on = models.DateField(null=True, blank=True, help_text="When the file was handed over")
    provided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    @property
    def status(self) -> str:
        if self.provided_on:
            return gettext("verstrekt")
        if self.identity_verified_on:
            return gettext("identiteit gecontroleerd")
        return gettext("ontvangen")


# Client fields a rectification may correct in place (the rest of the file is the append-only event log: a wrong
# event is corrected by recording a new event, not by changing the old one).
CORRECTABLE = {
    "given_name": _("Voornaam"),
    "family_name": _("Achternaam"),
    "birth_date": _("Geboortedatum"),
    "sex": _("Geslacht"),
    "education": _("Opleiding"),
    "language": _("Taal"),
    "housing": _("Woonsituatie"),
    "contact.street": _("Straat en huisnummer"),
    "contact.postcode": _("Postcode"),
    "contact.city": _("Woonplaats"),
    "contact.phone": _("Telefoonnummer"),
    "contact.email": _("E-mailadres"),
}
# Fields that come from the BRP: a correction also needs a terugmelding to the BRP (Wet BRP art. 2.34).
FROM_BRP = frozenset({"given_name", "family_name", "birth_date", "sex"})
OTHER = "anders"


class RectificationRequest(_Request):
    """A request to correct personal data (AVG art. 16), its decision and, when granted, the change made."""

    DECISIONS = [("", _("nog niet besloten")), ("granted", _("toegewezen")), ("refused", _("afgewezen"))]
    field = models.CharField(max_length=40, help_text="A key of CORRECTABLE, or 'anders' (an event, a note, …)")
    statement = models.TextField(help_text="What the person says is wrong")
    requested_value = models.CharField(max_length=500, blank=True)
    decision = models.CharField(max_length=10, choices=DECISIONS, blank=True, default="")
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True, help_text="The field's value before a granted correction")
    after = models.JSONField(null=True, blank=True, help_text="The field's value after a granted correction")

    @property
    def field_label(self) -> str:
        return str(CORRECTABLE.get(self.field, _("Anders (toelichting)")))
