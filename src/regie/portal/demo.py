"""The demo citizen log-in of Mijn Regie: a stand-in for DigiD on a developer's machine.

It is on only when **both** ``DEBUG`` (``REGIE_DEBUG=1``) and ``REGIE_PORTAL_DEMO_LOGIN=1`` are set; production runs
without ``DEBUG`` (docs/operations.md), so the page answers 404 there whatever else is set. The log-in is audited
like a DigiD one, with "demo log-in" in the detail, and the page says in large letters that it is no DigiD.
"""

from __future__ import annotations

from django.conf import settings

from regie.casework.models import CaseState


def enabled() -> bool:
    return bool(settings.DEBUG and getattr(settings, "REGIE_PORTAL_DEMO_LOGIN", False))


def demo_citizen(municipality) -> dict | None:
    """A client of the demo municipality with a running benefit, to log in as (the first by id), or None."""
    state = (
        CaseState.objects.filter(municipality=municipality, status="lopend")
        .select_related("case__client")
        .order_by("case__client_id")
        .first()
    )
    if state is None:
        return None
    client = state.case.client
    return {
        "url": f"/mijn/{municipality.code}/demo/",
        "bsn": client.bsn,
        "name": f"{client.given_name} {client.family_name}",
        "how": "REGIE_DEBUG=1 REGIE_PORTAL_DEMO_LOGIN=1 regie serve",
    }
