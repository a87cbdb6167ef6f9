"""One audited capability check for web views and the API.

Every view that needs a capability calls :func:`require_capability` (web) or uses
:class:`regie.api.permissions.HasCapability`, which calls :func:`allowed`: a denial is written to the audit log
with who, what and from where, and then refused. Tenancy (which municipalities a user sees) is
:func:`regie.accounts.tenancy.municipality_ids`; this module decides *what kind* of data a role may reach.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from regie.audit.services import log_request

from .tenancy import can


def allowed(request, capability: str, object_type: str, object_id="") -> bool:
    """Whether the request's user has ``capability``; a denial of an authenticated user is audited."""
    user = request.user
    if can(user, capability):
        return True
    if user is not None and user.is_authenticated:
        log_request(
            request,
            "denied",
            object_type,
            object_id,
            result="denied",
            municipality_id=user.municipality_id,
            detail=f"lacks {capability}",
        )
    return False


def require_capability(request, capability: str, object_type: str, object_id="") -> None:
    """Raise :class:`PermissionDenied` (HTTP 403) unless the user has ``capability``; denials are audited."""
    if not allowed(request, capability, object_type, object_id):
        raise PermissionDenied


def not_found(request, object_type: str, object_id, detail: str = "not found in user's municipalities") -> Http404:
    """An audited 404 for an object of another municipality or none at all: the same answer, so existence does not
    leak, and the attempt is in the access log. ``raise not_found(...)``."""
    log_request(
        request,
        "read",
        object_type,
        object_id,
        result="denied",
        municipality_id=request.user.municipality_id,
        detail=detail,
    )
    return Http404()
