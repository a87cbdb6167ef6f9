"""The citizen's log-in: OpenID Connect authorization code flow with PKCE against the municipality's DigiD broker.

Why Authlib's client and not mozilla-django-oidc (which staff SSO uses, :mod:`regie.accounts.oidc`):
mozilla-django-oidc is an authentication *backend*: its callback logs a Django ``User`` in, it reads one provider
from global settings (``OIDC_RP_CLIENT_ID``, already the staff SSO's) and keeps its state under fixed session keys.
A citizen is not a Regie user and must never become one (no row in ``accounts.User``, no role, no staff page), and
each municipality has its own broker. Authlib's ``OAuth2Session`` does the protocol (authorization URL with state,
nonce and an S256 code challenge; the code exchanged with the verifier and the client secret) and joserfc (same
maintainer) checks the id token's signature against the broker's JWKS; Regie checks issuer, audience, expiry and
nonce, and takes the BSN only from the signed id token, never from the unsigned userinfo.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from authlib.common.security import generate_token

from regie.platform import oidc_client

from .config import Broker

FLOW_KEY = "regie_portal_flow"
FLOW_SECONDS = 10 * 60  # assumption: a log-in at DigiD that takes longer than ten minutes starts again


class LoginRefused(Exception):
    """The callback is refused; ``reason`` is technical (for the audit log, no personal data)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Assertion:
    """What the broker asserted: the BSN, the assurance level and the broker's subject (for the audit detail)."""

    bsn: str
    acr: str
    level: str | None


def _session(broker: Broker, redirect_uri: str):
    return oidc_client.code_flow_session(broker, redirect_uri)


def authorization_url(request, broker: Broker, redirect_uri: str) -> str:
    """The broker's authorization URL; state, nonce and the PKCE verifier are kept in the session."""
    verifier, nonce = generate_token(64), generate_token(32)
    url, state = _session(broker, redirect_uri).create_authorization_url(
        broker.authorization_endpoint, code_verifier=verifier, nonce=nonce
    )
    request.session[FLOW_KEY] = {
        "municipality": broker.municipality,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        "started": int(time.time()),
    }
    return url


def finish(request, broker: Broker) -> Assertion:
    """Check the callback and exchange the code; the verified assertion, or :class:`LoginRefused`. The flow's state
    is used up whatever happens (a replayed callback finds none)."""
    flow = request.session.pop(FLOW_KEY, None)
    if request.GET.get("error"):
        raise LoginRefused("broker error " + request.GET["error"][:40])
    if not flow or flow.get("municipality") != broker.municipality:
        raise LoginRefused("no log-in started in this session")
    if int(time.time()) - int(flow["started"]) > FLOW_SECONDS:
        raise LoginRefused("log-in took too long")
    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    if not code or not state or state != flow["state"]:
        raise LoginRefused("state does not match")
    try:
        token = _session(broker, flow["redirect_uri"]).fetch_token(
            broker.token_endpoint, code=code, code_verifier=flow["verifier"], grant_type="authorization_code"
        )
    except Exception as exc:  # Authlib raises OAuthError, requests its own: both mean the broker refused
        raise LoginRefused("token exchange failed " + type(exc).__name__) from None
    id_token = token.get("id_token")
    if not id_token:
        raise LoginRefused("no id token")
    claims = verify_id_token(broker, id_token, flow["nonce"])
    bsn = str(claims.get(broker.bsn_claim) or "")
    if not bsn:
        raise LoginRefused(f"id token has no claim {broker.bsn_claim}")
    acr = str(claims.get("acr") or "")
    return Assertion(bsn=bsn, acr=acr, level=broker.level_of(acr))


def verify_id_token(broker: Broker, id_token: str, nonce: str) -> dict:
    return oidc_client.verify_id_token(broker, id_token, nonce, LoginRefused)
