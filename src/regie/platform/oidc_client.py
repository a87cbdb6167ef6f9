"""The relying-party side shared by Regie's OpenID Connect log-ins through a broker (Mijn Regie's DigiD in
regie.portal.oidc, the coaches' eHerkenning in regie.accounts.eherkenning): the authorization-code session with
PKCE and the id token's verification. Each log-in keeps its own configuration, flow and claim rules; a refusal is
raised as the caller's own exception class, with a technical reason without personal data (for the audit line)."""

from __future__ import annotations

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

TIMEOUT = 10
LEEWAY = 60  # seconds of clock difference accepted on exp/iat (assumption, Authlib's default leeway)
ALGORITHMS = ["RS256", "ES256", "PS256"]


def code_flow_session(broker, redirect_uri: str) -> OAuth2Session:
    """An Authlib session for the authorization-code flow with PKCE (S256) and the secret in the token request;
    ``broker`` has client_id, client_secret and scopes."""
    return OAuth2Session(
        broker.client_id,
        broker.client_secret,
        scope=broker.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post",
        default_timeout=TIMEOUT,
    )


def verify_id_token(broker, id_token: str, nonce: str, refused: type[Exception]) -> dict:
    """The id token's claims once its signature (the broker's JWKS), exp/iat/sub, issuer, audience (and azp with
    several audiences) and nonce hold (OpenID Connect Core 1.0 section 3.1.3.7); else ``refused(reason)``.
    ``broker`` has jwks_uri, issuer and client_id."""
    try:
        keys = requests.get(broker.jwks_uri, timeout=TIMEOUT)
        keys.raise_for_status()
        token = jwt.decode(id_token, KeySet.import_key_set(keys.json()), algorithms=ALGORITHMS)
    except (requests.RequestException, ValueError, JoseError) as exc:
        raise refused("id token signature " + type(exc).__name__) from None
    claims = token.claims
    try:
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY, exp={"essential": True}, iat={"essential": True}, sub={"essential": True}
        ).validate(claims)
    except JoseError as exc:
        raise refused("id token " + type(exc).__name__) from None
    if claims.get("iss") != broker.issuer:
        raise refused("id token issuer differs")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if broker.client_id not in audiences or (len(audiences) > 1 and claims.get("azp") != broker.client_id):
        raise refused("id token is not for this client")
    if claims.get("nonce") != nonce:
        raise refused("id token nonce differs")
    return claims
