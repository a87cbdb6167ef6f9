"""API permissions: the same capabilities as the web app (regie.accounts.tenancy)."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from regie.accounts.tenancy import can
from regie.audit.services import log_request


class HasCapability(BasePermission):
    """Grant access when the user's role has ``view.required_capability`` (or the per-action map)."""

    def has_permission(self, request, view) -> bool:
        cap = getattr(view, "capabilities", {}).get(getattr(view, "action", None)) or view.required_capability
        ok = can(request.user, cap)
        if not ok and request.user and request.user.is_authenticated:
            log_request(request, "denied", view.basename if hasattr(view, "basename") else "api", result="denied",
                        municipality_id=request.user.municipality_id, detail=f"lacks {cap}")
        return ok
