"""The BRP connection of a municipality (Haal Centraal BRP Bevragen, "BRP API Personen").

Secrets are not stored here: the API key is read from the environment variable the row names, and the client
certificate (PKIoverheid, for mutual TLS on Diginetwerk) from the files it names -- so a database backup or an
export holds no credential. Configured by the functioneel beheerder (``regie clientrecord brp-config``, or the Django
admin of an operator); see docs/operations.md "BRP".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

# The purpose codes of regie.clientrecord.brp.PURPOSES (a test checks they agree); a connection lists those its
# municipality's autorisatiebesluit BRP covers (all, unless the functioneel beheerder narrows them).
PURPOSE_CODES = ("aanvraag", "identiteit", "controle", "adres")


def all_purposes() -> list[str]:
    return list(PURPOSE_CODES)


class BrpConnection(models.Model):
    municipality = models.OneToOneField("accounts.Municipality", on_delete=models.CASCADE, related_name="brp")
    base_url = models.URLField(
        help_text="Root of the BRP API, without /personen, e.g. https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp"
    )
    api_key_env = models.CharField(
        max_length=100, blank=True, help_text="Name of the environment variable that holds the API key"
    )
    api_key_header = models.CharField(max_length=40, default="X-API-KEY")
    client_cert_file = models.CharField(max_length=300, blank=True, help_text="PEM file of the client certificate")
    client_key_file = models.CharField(max_length=300, blank=True, help_text="PEM file of its private key")
    ca_file = models.CharField(max_length=300, blank=True, help_text="CA bundle to verify the server (default: system)")
    timeout_seconds = models.PositiveSmallIntegerField(default=10)
    enabled = models.BooleanField(default=False)
    # brp-config in the UI: the purposes (doelbinding) this municipality may ask the BRP for
    purposes = models.JSONField(default=all_purposes, help_text="Purpose codes (brp.PURPOSES) the municipality may use")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"BRP {self.municipality_id} ({'aan' if self.enabled else 'uit'})"
