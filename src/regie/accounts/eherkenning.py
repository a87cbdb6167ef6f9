"""eHerkenning log-in for provider coaches: OpenID Connect (authorization code flow with PKCE) against the eHerkenning
broker configured for their provider, instead of a Regie password.

Configuration (``settings.REGIE_EHERKENNING_PROVIDERS``, read from the JSON file ``REGIE_EHERKENNING_CONFIG``) maps
``"<CBS municipality code>/<provider code>"`` to the broker of that provider: ``issuer``, ``client_id``,
``client_secret`` (or ``client_secret_env``), ``authorization_endpoint``, ``token_endpoint``, ``jwks_uri``,
``kvk`` (the provider organisation's KvK number, 8 digits), ``kvk_claim`` (the id-token claim with the KvK number of
the organisation the person logs in for: eHerkenning's LegalSubjectID), ``subject_claim`` (the person's pseudonymous
id: eHerkenning's ActingSubjectID), ``email_claim`` (the person's e-mail address, for the first log-in only),
``acr_min`` (``EH2``, ``EH2+``, ``EH3`` or ``EH4``), optionally ``scopes`` (default ``openid``), ``acr_levels`` (extra
acr values mapped to a level) and ``redirect_uri``. Fail closed: a missing or incomplete configuration answers 404
and logs in no one.

The claims map to an account (decision, docs/operations.md "eHerkenning for provider coaches"):

- the KvK claim must be the configured provider's KvK number (another organisation's employee is refused);
- a person already linked (:class:`~regie.accounts.models.EHerkenningLink`: provider + pseudonymous id) logs in to
  their linked coach account, if it is still an active coach of that provider;
- a first log-in links to an *invited* coach account: an active ``provider_coach`` of that provider, without a link
  yet, whose e-mail address the functioneel beheerder set to the one the broker asserts (exactly one such account).
  No account is created by a log-in and no role is taken from the broker; anything else is refused.

Levels (Afsprakenstelsel eToegang, the AuthnContextClassRef values; EH3 = eIDAS substantial): the log-in counts as
multi-factor from EH3 (eIDAS substantial requires two factors). Every log-in, succeeded or refused, is audited
(object type ``eherkenning``); no pseudonymous id, KvK number or e-mail address is written to the log.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from authlib.common.security import generate_token
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as django_login
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from regie.audit.services import log, origin_of
from regie.platform import oidc_client

from .models import EHerkenningLink, Provider, User

# Afsprakenstelsel eToegang: the assurance levels and their AuthnContextClassRef values (also listed by Open Forms,
# docs/configuration/authentication/eherkenning_eidas.rst), with the eIDAS levels a broker may send instead.
LEVELS = ("EH2", "EH2+", "EH3", "EH4")
KNOWN_ACR = {
    "urn:etoegang:core:assurance-class:loa2": "EH2",
    "urn:etoegang:core:assurance-class:loa2plus": "EH2+",
    "urn:etoegang:core:assurance-class:loa3": "EH3",
    "urn:etoegang:core:assurance-class:loa4": "EH4",
    "http://eidas.europa.eu/LoA/low": "EH2",
    "http://eidas.europa.eu/LoA/substantial": "EH3",
    "http://eidas.europa.eu/LoA/high": "EH4",
    **{name: name for name in LEVELS},
}
MFA_FROM = "EH3"
REQUIRED = (
    "issuer",
    "client_id",
    "authorization_endpoint",
    "token_endpoint",
    "jwks_uri",
    "kvk",
    "kvk_claim",
    "subject_claim",
    "acr_min",
)
FLOW_KEY = "regie_eherkenning_flow"
FLOW_SECONDS = 10 * 60  # assumption: a log-in at the broker that takes longer than ten minutes starts again
ANONYMOUS = "eherkenning:anonymous"


class Unavailable(Exception):
    """No (complete) eHerkenning configuration for this provider; ``detail`` is for the log."""


class Refused(Exception):
    """The log-in is refused; ``reason`` is technical, without personal data (for the audit line)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Broker:
    key: str
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    kvk: str
    kvk_claim: str
    subject_claim: str
    acr_min: str
    email_claim: str = ""
    scopes: str = "openid"
    redirect_uri: str = ""
    acr_levels: dict[str, str] = field(default_factory=dict)

    def level_of(self, acr: str | None) -> str | None:
        return {**KNOWN_ACR, **self.acr_levels}.get(acr or "")

    def sufficient(self, level: str | None) -> bool:
        return level in LEVELS and LEVELS.index(level) >= LEVELS.index(self.acr_min)


def broker_for(provider: Provider) -> Broker:
    """The eHerkenning broker of this provider; :class:`Unavailable` when missing or incomplete (fail closed)."""
    key = f"{provider.municipality.code}/{provider.code}"
    raw = (getattr(settings, "REGIE_EHERKENNING_PROVIDERS", None) or {}).get(key)
    if not raw:
        raise Unavailable(f"no eHerkenning broker configured for provider {key}")
    missing = [k for k in REQUIRED if not raw.get(k)]
    secret = raw.get("client_secret") or os.environ.get(raw.get("client_secret_env") or "", "")
    if not secret:
        missing.append("client_secret")
    if missing:
        raise Unavailable(f"eHerkenning broker of {key} lacks {', '.join(missing)}")
    if raw["acr_min"] not in LEVELS:
        raise Unavailable(f"eHerkenning broker of {key}: acr_min {raw['acr_min']!r} is not one of {LEVELS}")
    if not (str(raw["kvk"]).isdigit() and len(str(raw["kvk"])) == 8):
        raise Unavailable(f"eHerkenning broker of {key}: kvk is not an 8-digit KvK number")
    levels = dict(raw.get("acr_levels") or {})
    if bad := [v for v in levels.values() if v not in LEVELS]:
        raise Unavailable(f"eHerkenning broker of {key}: acr_levels maps to unknown levels {bad}")
    return Broker(
        key=key,
        issuer=raw["issuer"],
        client_id=raw["client_id"],
        client_secret=secret,
        authorization_endpoint=raw["authorization_endpoint"],
        token_endpoint=raw["token_endpoint"],
        jwks_uri=raw["jwks_uri"],
        kvk=str(raw["kvk"]),
        kvk_claim=raw["kvk_claim"],
        subject_claim=raw["subject_claim"],
        acr_min=raw["acr_min"],
        email_claim=raw.get("email_claim") or "",
        scopes=raw.get("scopes") or "openid",
        redirect_uri=raw.get("redirect_uri") or "",
        acr_levels=levels,
    )


def _session(broker: Broker, redirect_uri: str):
    return oidc_client.code_flow_session(broker, redirect_uri)


def _claims(broker: Broker, id_token: str, nonce: str) -> dict:
    """The verified id token's claims: signature (the broker's JWKS), exp/iat/sub, issuer, audience, nonce."""
    return oidc_client.verify_id_token(broker, id_token, nonce, Refused)


def coach_for(provider: Provider, broker: Broker, claims: dict) -> tuple[User, bool]:
    """The coach account these verified claims log in to, and whether this log-in linked it; :class:`Refused`."""
    level = broker.level_of(str(claims.get("acr") or ""))
    if not broker.sufficient(level):
        raise Refused(f"assurance level {level or 'unknown'} below {broker.acr_min}")
    kvk = str(claims.get(broker.kvk_claim) or "")
    if kvk != broker.kvk:
        raise Refused("KvK number is not the provider's")
    subject = str(claims.get(broker.subject_claim) or "")
    if not subject:
        raise Refused(f"id token has no claim {broker.subject_claim}")
    link = EHerkenningLink.objects.filter(provider=provider, acting_subject=subject).select_related("user").first()
    if link is not None:
        user = link.user
        if not (user.is_active and user.role == "provider_coach" and user.provider_id == provider.pk):
            raise Refused("linked account is no longer an active coach of this provider")
        return user, False
    email = str(claims.get(broker.email_claim) or "").strip() if broker.email_claim else ""
    if not email:
        raise Refused("not linked yet and no e-mail address to find the invited account")
    invited = list(
        User.objects.filter(
            provider=provider, role="provider_coach", is_active=True, email__iexact=email, eherkenning_link__isnull=True
        )[:2]
    )
    if len(invited) != 1:
        raise Refused("no single invited coach account for this e-mail address")
    EHerkenningLink.objects.create(user=invited[0], provider=provider, kvk=kvk, acting_subject=subject)
    return invited[0], True


def _provider_or_404(code: str, provider_code: str) -> Provider:
    provider = (
        Provider.objects.select_related("municipality").filter(municipality__code=code, code=provider_code).first()
    )
    if provider is None:
        raise Http404
    return provider


def _audit_refusal(request, provider: Provider, reason: str) -> None:
    log(
        actor=ANONYMOUS,
        action="login_failed",
        object_type="eherkenning",
        object_id=provider.pk,
        result="denied",
        origin=origin_of(request),
        municipality_id=provider.municipality_id,
        detail=f"eherkenning log-in refused: {reason}"[:500],
    )


def start(request, code: str, provider_code: str):
    """Send the browser to the provider's eHerkenning broker (state, nonce and PKCE verifier in the session)."""
    provider = _provider_or_404(code, provider_code)
    try:
        broker = broker_for(provider)
    except Unavailable:
        raise Http404 from None
    redirect_uri = broker.redirect_uri or request.build_absolute_uri(
        reverse("eherkenning_callback", args=[code, provider_code])
    )
    verifier, nonce = generate_token(64), generate_token(32)
    url, state = _session(broker, redirect_uri).create_authorization_url(
        broker.authorization_endpoint, code_verifier=verifier, nonce=nonce
    )
    request.session[FLOW_KEY] = {
        "provider": provider.pk,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        "started": int(time.time()),
    }
    return redirect(url)


def _finish(request, provider: Provider, broker: Broker) -> dict:
    flow = request.session.pop(FLOW_KEY, None)  # used up whatever happens: a replayed callback finds none
    if request.GET.get("error"):
        raise Refused("broker error " + request.GET["error"][:40])
    if not flow or flow.get("provider") != provider.pk:
        raise Refused("no log-in started in this session")
    if int(time.time()) - int(flow["started"]) > FLOW_SECONDS:
        raise Refused("log-in took too long")
    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    if not code or not state or state != flow["state"]:
        raise Refused("state does not match")
    try:
        token = _session(broker, flow["redirect_uri"]).fetch_token(
            broker.token_endpoint, code=code, code_verifier=flow["verifier"], grant_type="authorization_code"
        )
    except Exception as exc:  # Authlib raises OAuthError, requests its own: both mean the broker refused
        raise Refused("token exchange failed " + type(exc).__name__) from None
    if not token.get("id_token"):
        raise Refused("no id token")
    return _claims(broker, token["id_token"], flow["nonce"])


def callback(request, code: str, provider_code: str):
    """The broker sends the browser back here: check everything, log the coach in (or refuse), audit either way."""
    provider = _provider_or_404(code, provider_code)
    try:
        broker = broker_for(provider)
    except Unavailable:
        raise Http404 from None
    try:
        claims = _finish(request, provider, broker)
        with transaction.atomic():
            user, linked = coach_for(provider, broker, claims)
    except Refused as exc:
        _audit_refusal(request, provider, exc.reason)
        messages.error(
            request,
            _(
                "Inloggen met eHerkenning is niet gelukt. Heeft u een uitnodiging van de gemeente? Neem dan contact "
                "op met de functioneel beheerder."
            ),
        )
        return redirect("login")
    level = broker.level_of(str(claims.get("acr") or ""))
    user.regie_idp_mfa = LEVELS.index(level) >= LEVELS.index(MFA_FROM)  # regie.accounts.mfa: no second step then
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    log(
        actor=user,
        action="login",
        object_type="eherkenning",
        object_id=provider.pk,
        origin=origin_of(request),
        municipality_id=provider.municipality_id,
        detail=f"eherkenning {level}" + ("; first log-in linked the invited coach account" if linked else ""),
    )
    return redirect(settings.LOGIN_REDIRECT_URL)
