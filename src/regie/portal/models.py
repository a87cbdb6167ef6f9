"""Authorisations (machtigingen): who may act in Mijn Regie for a client.

A bewindvoerder (BW art. 1:431), mentor (BW art. 1:450), curator (BW art. 1:378) or a person the client authorised
(gemachtigde) logs in with their own DigiD and acts for the client while an authorisation is in force. The record is
Regie's own, entered by the caseworker from the court order or the client's signed authorisation, and linked to the
contact person on the client record (``contact_id``). DigiD Machtigen assertions from the broker are not used:
a bewindvoering is a court order that DigiD Machtigen does not carry (decision, docs/portal.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

ROLES = {
    "bewindvoerder": "Bewindvoerder",
    "mentor": "Mentor",
    "curator": "Curator",
    "gemachtigde": "Gemachtigde",
}


class Machtiging(models.Model):
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("casework.Client", on_delete=models.PROTECT, related_name="machtigingen")
    representative_bsn = models.CharField(max_length=9, db_index=True)
    representative_name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=list(ROLES.items()))
    contact_id = models.CharField(max_length=64, blank=True, help_text="The contact person on the client record")
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # the court order or signed authorisation, when stored with the case's documents (optional)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # who ended it (the end date is valid_until) and when; an ended machtiging gives no access from the next day
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["municipality", "representative_bsn"])]

    def in_force(self, on) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)
