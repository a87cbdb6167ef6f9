"""Each municipality's connection to its DigiD broker (OpenID Connect), read from ``settings.REGIE_PORTAL_BROKERS``.

``REGIE_PORTAL_BROKERS`` maps a CBS municipality code to one broker: ``issuer``, ``client_id``, ``client_secret``
(or ``client_secret_env``: the name of an environment variable holding it), ``authorization_endpoint``,
``token_endpoint``, ``jwks_uri``, ``bsn_claim`` (the id-token claim that holds the BSN), ``acr_min`` (the lowest
assurance level accepted: ``basis``, ``midden``, ``substantieel`` or ``hoog``), optionally ``scopes`` (default
``openid``), ``acr_levels`` (extra acr values the broker sends, mapped to one of the four level names) and
``redirect_uri`` (default: this site's callback URL). The operator sets the file with ``REGIE_PORTAL_CONFIG``
(docs/portal.md).

Fail closed: a municipality without a broker, or a broker without one of the required keys, raises
:class:`PortalUnavailable`; nothing falls back to a default level or claim.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

# DigiD's assurance levels in order, with the values DigiD sends for them (Logius, "Koppelvlakspecificatie DigiD
# SAML": AuthnContextClassRef) and the eIDAS levels a broker may send instead (eIDAS implementing regulation
# 2015/1502). The names are the levels as Logius and the Forum Standaardisatie "Handreiking
# betrouwbaarheidsniveaus" name them.
LEVELS = ("basis", "midden", "substantieel", "hoog")
LEVEL_LABELS = {
    "basis": "DigiD Basis",
    "midden": "DigiD Midden",
    "substantieel": "DigiD Substantieel",
    "hoog": "DigiD Hoog",
}
KNOWN_ACR: dict[str, str] = {
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport": "basis",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract": "midden",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard": "substantieel",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI": "hoog",
    "http://eidas.europa.eu/LoA/low": "basis",
    "http://eidas.europa.eu/LoA/substantial": "substantieel",
    "http://eidas.europa.eu/LoA/high": "hoog",
    **{name: name for name in LEVELS},
}
REQUIRED = ("issuer", "client_id", "authorization_endpoint", "token_endpoint", "jwks_uri", "bsn_claim", "acr_min")


class PortalUnavailable(Exception):
    """The portal cannot be used for this municipality (no or incomplete broker configuration). ``message`` is
    Dutch, for the citizen; ``detail`` is for the log."""

    def __init__(self, detail: str):
        self.detail = detail
        self.message = _(
            "Inloggen op Mijn Regie is voor deze gemeente nu niet mogelijk. Neem contact op met uw gemeente."
        )
        super().__init__(detail)


@dataclass(frozen=True)
class Broker:
    municipality: str
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    bsn_claim: str
    acr_min: str
    scopes: str = "openid"
    redirect_uri: str = ""
    acr_levels: dict[str, str] = field(default_factory=dict)

    def level_of(self, acr: str | None) -> str | None:
        """The assurance level name of an acr value, or None when it is unknown (refused)."""
        if not acr:
            return None
        return {**KNOWN_ACR, **self.acr_levels}.get(acr)

    def level_sufficient(self, level: str | None) -> bool:
        return level in LEVELS and LEVELS.index(level) >= LEVELS.index(self.acr_min)


def broker_for(code: str) -> Broker:
    """The broker of the municipality with CBS code ``code``; :class:`PortalUnavailable` when missing or incomplete."""
    brokers = getattr(settings, "REGIE_PORTAL_BROKERS", None) or {}
    raw = brokers.get(code)
    if not raw:
        raise PortalUnavailable(f"no DigiD broker configured for municipality {code}")
    missing = [k for k in REQUIRED if not raw.get(k)]
    secret = raw.get("client_secret") or os.environ.get(raw.get("client_secret_env") or "", "")
    if not secret:
        missing.append("client_secret")
    if missing:
        raise PortalUnavailable(f"DigiD broker of {code} lacks {', '.join(missing)}")
    if raw["acr_min"] not in LEVELS:
        raise PortalUnavailable(f"DigiD broker of {code}: acr_min {raw['acr_min']!r} is not one of {LEVELS}")
    levels = dict(raw.get("acr_levels") or {})
    if bad := [v for v in levels.values() if v not in LEVELS]:
        raise PortalUnavailable(f"DigiD broker of {code}: acr_levels maps to unknown levels {bad}")
    return Broker(
        municipality=code,
        issuer=raw["issuer"],
        client_id=raw["client_id"],
        client_secret=secret,
        authorization_endpoint=raw["authorization_endpoint"],
        token_endpoint=raw["token_endpoint"],
        jwks_uri=raw["jwks_uri"],
        bsn_claim=raw["bsn_claim"],
        acr_min=raw["acr_min"],
        scopes=raw.get("scopes") or "openid",
        redirect_uri=raw.get("redirect_uri") or "",
        acr_levels=levels,
    )
