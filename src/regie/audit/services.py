"""Writing audit records. Call :func:`log` for every read or write of personal data."""

from __future__ import annotations

import functools
import getpass
import ipaddress
import socket

from django.conf import settings
from django.contrib.auth import get_user_model

from .models import AuditRecord

# ``detail`` of a failed log-in whose username belongs to no account (the log-in throttle counts these per address).
UNKNOWN_ACCOUNT = "unknown account"


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def origin_of(request) -> str:
    """Client address of a request.

    The direct peer (``REMOTE_ADDR``), unless that peer is one of ``REGIE_TRUSTED_PROXIES`` (addresses or CIDR
    ranges): then ``X-Forwarded-For`` is read from the right, skipping trusted proxies, and the first address that
    is not a trusted proxy is the client. Hops left of it are whatever the client sent and are never believed.
    Without the setting the header is ignored, so a client cannot choose the address it is throttled and audited by.
    """
    if request is None:
        return cli_origin()
    peer = request.META.get("REMOTE_ADDR") or "unknown"
    networks = _networks(tuple(getattr(settings, "REGIE_TRUSTED_PROXIES", ()) or ()))
    if networks and _trusted(peer, networks):
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        for hop in reversed(hops):
            try:
                ipaddress.ip_address(hop)
            except ValueError:
                break  # a malformed hop: the last trusted proxy is the best address we have
            peer = hop
            if not _trusted(hop, networks):
                break
    return peer[:100]


def municipality_of_username(username: str) -> int | None:
    """The municipality of the account with this username, or None (no such account, or none of its own)."""
    return (
        get_user_model()
        .objects.filter(username=(username or "")[:150])
        .values_list("municipality_id", flat=True)
        .first()
    )


def log_login_failed(request, username: str, detail: str = "") -> AuditRecord:
    """Record a failed log-in. An existing account's municipality is recorded so that its auditors see the attempt;
    the person trying is told nothing either way."""
    username = (username or "")[:150]
    found = list(get_user_model().objects.filter(username=username).values_list("municipality_id", flat=True)[:1])
    return log(
        actor=username or "anonymous",
        action="login_failed",
        object_type="session",
        result="denied",
        origin=origin_of(request),
        municipality_id=found[0] if found else None,
        detail=detail if found else UNKNOWN_ACCOUNT,
    )


def cli_origin() -> str:
    return f"cli@{socket.gethostname()}"[:100]


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli:unknown"


def log(
    *,
    actor,
    action: str,
    object_type: str,
    object_id="",
    result: str = "success",
    origin: str,
    municipality_id: int | None = None,
    detail: str = "",
) -> AuditRecord:
    """Append one audit record. ``actor`` is a User or a string (CLI)."""
    if hasattr(actor, "username"):
        actor_name, role = actor.username or "anonymous", getattr(actor, "role", "")
    else:
        actor_name, role = str(actor), ""
    return AuditRecord.objects.create(
        actor=actor_name[:150],
        actor_role=role or "",
        municipality_id=municipality_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        result=result,
        origin=origin[:100],
        detail=detail[:500],
    )


def log_request(
    request,
    action: str,
    object_type: str,
    object_id="",
    result: str = "success",
    municipality_id: int | None = None,
    detail: str = "",
) -> AuditRecord:
    return log(
        actor=request.user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        result=result,
        origin=origin_of(request),
        municipality_id=municipality_id,
        detail=detail,
    )
