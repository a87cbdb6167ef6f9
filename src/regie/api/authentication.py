"""``Authorization: Token <secret>`` (or ``Bearer <secret>``) for Regie's API tokens (regie.api.tokens).

A revoked or expired token, an inactive user or a changed role answers 401 with the reason in Dutch; each refusal
of a known token is in the audit log. Use is recorded at most once a minute."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from regie.audit.details import reason_text
from regie.audit.services import log, origin_of

from . import tokens
from .models import ApiToken

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Geef de API-sleutel als 'Authorization: Token <sleutel>'."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Ongeldige API-sleutel.")) from None
        token = ApiToken.objects.select_related("user", "application").filter(digest=tokens.digest(secret)).first()
        if token is None:
            raise AuthenticationFailed(_("Ongeldige API-sleutel."))
        reason = tokens.refusal(token)
        if reason is not None:
            log(
                actor=token.holder,
                action="denied",
                object_type=tokens.AUDIT_TYPE,
                object_id=token.prefix,
                result="denied",
                origin=origin_of(request),
                municipality_id=token.user.municipality_id,
                detail=f"refused: {reason}",
            )
            raise AuthenticationFailed(reason_text(reason))  # Dutch, or English on request
        tokens.touch(token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme of :class:`ApiTokenAuthentication` (so the schema documents how to log in)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A Regie API token (`Authorization: Token <secret>` or `Bearer <secret>`): named, scoped "
            "and expiring; create one on the page API-sleutels, with `regie token create`, or at POST /api/v1/token/.",
        }
