"""Single sign-on through the municipality's identity provider (OpenID Connect, authorization code flow with PKCE).

mozilla-django-oidc does the protocol (state and nonce in the session, the code exchanged at the token endpoint, the
id token's signature checked against the provider's JWKS). Regie adds:

- SSO is on only when ``REGIE_OIDC_CLIENT_ID`` is set (settings ``REGIE_OIDC_*``); otherwise these views answer 404
  and the backend answers no one.
- The id token's issuer (``REGIE_OIDC_ISSUER``) and audience (our client id) are checked, and the userinfo's ``sub``
  must be the id token's.
- No user is created by a log-in and no role is taken from the provider: the claim ``REGIE_OIDC_USERNAME_CLAIM``
  must equal the username (or e-mail address, ``REGIE_OIDC_MATCH_FIELD=email``) of an active Regie user, whose role
  and municipality the functioneel beheerder set in Regie.
- The log-in counts as multi-factor only when the id token says so (``amr`` has a value of ``REGIE_OIDC_MFA_AMR``,
  or ``acr`` is one of ``REGIE_OIDC_MFA_ACR``); otherwise Regie's own second step applies (:mod:`regie.accounts.mfa`).
- Every SSO log-in, succeeded or refused, is audited (object type ``sso``).
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from regie.audit.services import log, origin_of

LOGGER = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "REGIE_OIDC_ENABLED", False))


def idp_asserts_mfa(claims: dict) -> bool:
    """Whether the id token says the user logged in with more than one factor."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if set(amr) & set(settings.REGIE_OIDC_MFA_AMR):
        return True
    acr = claims.get("acr")
    return bool(acr) and acr in settings.REGIE_OIDC_MFA_ACR


class RegieOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        self.enabled = enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not self.enabled or request is None:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if settings.REGIE_OIDC_ISSUER and payload.get("iss") != settings.REGIE_OIDC_ISSUER:
            raise SuspiciousOperation("id token issuer is not REGIE_OIDC_ISSUER")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id token is not for this client")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        info = super().get_userinfo(access_token, id_token, payload)
        if info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo sub differs from the id token's")
        # The id token's claims first: the username claim may be in either, the MFA assertion is the id token's.
        self.request.regie_oidc_name = str(
            info.get(settings.REGIE_OIDC_USERNAME_CLAIM) or payload.get(settings.REGIE_OIDC_USERNAME_CLAIM) or ""
        )[:150]
        return {**payload, **info}

    def verify_claims(self, claims):
        return bool(claims.get(settings.REGIE_OIDC_USERNAME_CLAIM))

    def filter_users_by_claims(self, claims):
        value = claims.get(settings.REGIE_OIDC_USERNAME_CLAIM)
        if not value:
            return self.UserModel.objects.none()
        lookup = "email__iexact" if settings.REGIE_OIDC_MATCH_FIELD == "email" else "username"
        return self.UserModel.objects.filter(**{lookup: value}, is_active=True)

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            user.regie_idp_mfa = idp_asserts_mfa(payload)
        else:
            self.request.regie_oidc_reason = "no active Regie user matches"
        return user


def _audit_failure(request, reason: str) -> None:
    name = getattr(request, "regie_oidc_name", "") or "anonymous"
    log(
        actor=name,
        action="login_failed",
        object_type="sso",
        result="denied",
        origin=origin_of(request),
        detail=f"sso refused: {reason}"[:500],
    )


class SsoRequestView(OIDCAuthenticationRequestView):
    """Sends the browser to the identity provider (state, nonce and PKCE verifier kept in the session)."""

    def get(self, request):
        if not enabled():
            raise Http404
        return super().get(request)


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; refused callbacks are audited and shown on the log-in
    page."""

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            LOGGER.warning("SSO callback refused: %s", exc)
            return self._refuse(str(exc))
        except requests.RequestException as exc:
            LOGGER.warning("SSO provider error: %s", exc)
            return self._refuse("provider error " + type(exc).__name__)

    def _refuse(self, reason: str):
        _audit_failure(self.request, reason)
        messages.error(
            self.request,
            _(
                "Inloggen via uw organisatie is niet gelukt. Probeer het opnieuw of neem "
                "contact op met de functioneel beheerder."
            ),
        )
        return redirect("login")

    def login_failure(self):
        reason = getattr(self.request, "regie_oidc_reason", "") or self.request.GET.get("error", "") or "no code"
        return self._refuse(reason)

    def login_success(self):
        response = super().login_success()
        log(
            actor=self.user,
            action="login",
            object_type="sso",
            origin=origin_of(self.request),
            municipality_id=self.user.municipality_id,
            detail="sso" + (" (provider asserted multi-factor)" if getattr(self.user, "regie_idp_mfa", False) else ""),
        )
        return response


class LoginView(auth_views.LoginView):
    """Django's log-in page, offering "Inloggen via uw organisatie" when SSO is on, and for provider coaches a link
    to the eHerkenning log-in of every provider whose broker is configured completely."""

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "oidc_enabled": enabled(),
            "eherkenning_providers": eherkenning_providers(),
        }


def eherkenning_providers() -> list[dict]:
    """(provider, municipality, log-in URL) of every provider with a complete eHerkenning configuration, by name.
    A configuration that names no known provider, or an incomplete one, is left out (its start page answers 404)."""
    from django.urls import reverse

    from .eherkenning import Unavailable, broker_for
    from .models import Provider

    keys = list((getattr(settings, "REGIE_EHERKENNING_PROVIDERS", None) or {}).keys())
    if not keys:
        return []
    wanted = {tuple(k.split("/", 1)) for k in keys if "/" in k}
    out = []
    providers = Provider.objects.select_related("municipality").filter(code__in={p for _m, p in wanted})
    for provider in providers:
        if (provider.municipality.code, provider.code) not in wanted:
            continue
        try:
            broker_for(provider)
        except Unavailable:
            continue
        out.append(
            {
                "name": provider.name,
                "municipality": provider.municipality.name,
                "url": reverse("eherkenning_start", args=[provider.municipality.code, provider.code]),
            }
        )
    return sorted(out, key=lambda p: (p["name"].casefold(), p["municipality"]))
