"""API permissions: the same capabilities as the web app (regie.accounts.access), then the token's scope.

A token never grants more than its user's role: the role's capability is checked first; a request authenticated
by an API token must then also carry the scope for the view's resource (``api_resource``, per action
``api_resources``) and method (GET = read, others = write). A view naming no resource refuses tokens."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from regie.accounts.access import allowed
from regie.audit.services import log_request

from . import tokens
from .models import ApiToken


def resource_of(view) -> str | None:
    action = getattr(view, "action", None)
    return getattr(view, "api_resources", {}).get(action) or getattr(view, "api_resource", None)


class HasCapability(BasePermission):
    """Grant access when the user's role has ``view.required_capability`` (or the per-action map) and, for a
    token, its scopes cover the view's resource and the method."""

    message = gettext_lazy("U hebt geen toegang tot dit onderdeel.")

    def has_permission(self, request, view) -> bool:
        cap = getattr(view, "capabilities", {}).get(getattr(view, "action", None)) or view.required_capability
        if not allowed(request, cap, getattr(view, "basename", None) or "api"):
            return False
        token = request.auth
        if isinstance(token, ApiToken):
            resource = resource_of(view)
            if not tokens.allows(token, resource, request.method):
                level = "read" if request.method in ("GET", "HEAD", "OPTIONS") else "write"
                log_request(
                    request,
                    "denied",
                    tokens.AUDIT_TYPE,
                    token.prefix,
                    result="denied",
                    municipality_id=request.user.municipality_id,
                    detail=f"lacks scope {resource}:{level}",
                )
                self.message = _("Deze API-sleutel heeft de scope %(scope)s niet.") % {"scope": f"{resource}:{level}"}
                return False
        return True
