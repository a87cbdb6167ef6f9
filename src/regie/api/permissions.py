"""API permissions: the same capabilities as the web app (regie.accounts.access)."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from regie.accounts.access import allowed


class HasCapability(BasePermission):
    """Grant access when the user's role has ``view.required_capability`` (or the per-action map)."""

    def has_permission(self, request, view) -> bool:
        cap = getattr(view, "capabilities", {}).get(getattr(view, "action", None)) or view.required_capability
        return allowed(request, cap, getattr(view, "basename", None) or "api")
