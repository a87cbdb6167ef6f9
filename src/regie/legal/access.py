"""Who may record which legal step, on the web and through the API (the same table for both).

The caseworker (record_events) intends, hears and makes known; the legal reviewer (handle_objections) handles
objections and appeals and may also hear and make known. After this capability check the policy's decision rights
decide per role (regie.casework.decisions.record_step)."""

from __future__ import annotations

from regie.accounts.tenancy import can

STEP_CAPABILITIES: dict[str, tuple[str, ...]] = {
    "voornemen": ("record_events",),
    "horen": ("record_events", "handle_objections"),
    "bekendmaking": ("record_events", "handle_objections"),
    "bezwaar": ("handle_objections",),
    "bezwaar_horen": ("handle_objections",),
    "bezwaar_termijn": ("handle_objections",),
    "voorlopige_voorziening": ("handle_objections",),
    "beslissing_op_bezwaar": ("handle_objections",),
    "beroep": ("handle_objections",),
}


def capability_for(user, event_type: str) -> str:
    """The capability to check for ``event_type``: one the user has, else the first needed (so a denial names it)."""
    needed = STEP_CAPABILITIES[event_type]
    return next((c for c in needed if can(user, c)), needed[0])
