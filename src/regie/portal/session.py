"""The citizen's session in Mijn Regie: its own marker in the session, apart from staff log-ins.

A portal log-in flushes the session first (a staff user logged in in the same browser is logged out), then keeps
one marker, ``regie_portal``: the municipality, who logged in (``kind``: ``client`` or ``vertegenwoordiger``), the
clients they may see (their own and those they are authorised for), the one they act for now, the assurance
level and two clocks. No BSN is kept in the session. Portal views read only this marker, never ``request.user``;
staff views never read it, so a citizen never reaches a staff page and a caseworker never a portal page.

Idle expiry: ``REGIE_PORTAL_IDLE_SECONDS`` (assumption: 15 minutes, shorter than staff sessions because the
portal is used on shared and public devices); absolute: ``REGIE_PORTAL_MAX_SECONDS`` (assumption: 2 hours).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings

KEY = "regie_portal"
REFRESH_SECONDS = 30


@dataclass(frozen=True)
class Identity:
    municipality_id: int
    municipality_code: str
    kind: str  # "client" or "vertegenwoordiger"
    own_client_id: int | None
    # client pk -> machtiging pk (None for the own file)
    allowed: dict[int, int | None]
    acting_for: int
    level: str

    @property
    def machtiging_id(self) -> int | None:
        return self.allowed.get(self.acting_for)

    @property
    def role(self) -> str:
        """The audit role: the client themself, or a representative acting for them."""
        return "client" if self.machtiging_id is None else "vertegenwoordiger"

    @property
    def username(self) -> str:
        """The audit actor (no BSN): ``client:<id>`` or ``vertegenwoordiger:M<machtiging>`` acting for a client."""
        if self.machtiging_id is None:
            return f"client:{self.acting_for}"
        return f"vertegenwoordiger:M{self.machtiging_id}:client:{self.acting_for}"


def start(request, identity: Identity) -> None:
    request.session.flush()
    now = int(time.time())
    request.session[KEY] = {
        "municipality_id": identity.municipality_id,
        "municipality_code": identity.municipality_code,
        "kind": identity.kind,
        "own_client_id": identity.own_client_id,
        "allowed": [[k, v] for k, v in identity.allowed.items()],
        "acting_for": identity.acting_for,
        "level": identity.level,
        "authenticated_at": now,
        "last_seen": now,
    }


def current(request, code: str) -> Identity | None:
    """The portal identity of this request for municipality ``code``, or None (not logged in, expired, or logged
    in at another municipality). An expired session is flushed."""
    data = request.session.get(KEY)
    if not data:
        return None
    now = int(time.time())
    if (
        now - data["last_seen"] > settings.REGIE_PORTAL_IDLE_SECONDS
        or now - data["authenticated_at"] > settings.REGIE_PORTAL_MAX_SECONDS
    ):
        request.session.flush()
        request.regie_portal_expired = True
        return None
    if data["municipality_code"] != code:
        return None
    if now - data["last_seen"] >= REFRESH_SECONDS:
        data["last_seen"] = now
        request.session.modified = True
    return Identity(
        municipality_id=data["municipality_id"],
        municipality_code=data["municipality_code"],
        kind=data["kind"],
        own_client_id=data["own_client_id"],
        allowed={int(k): v for k, v in data["allowed"]},
        acting_for=data["acting_for"],
        level=data["level"],
    )


def act_for(request, client_id: int) -> None:
    request.session[KEY]["acting_for"] = client_id
    request.session.modified = True


def end(request) -> None:
    request.session.flush()
