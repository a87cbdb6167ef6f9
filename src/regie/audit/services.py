"""Writing audit records. Call :func:`log` for every read or write of personal data."""

from __future__ import annotations

import getpass
import socket

from .models import AuditRecord


def origin_of(request) -> str:
    """Client address of a request (the direct peer; a trusted proxy header is a deployment setting)."""
    if request is None:
        return cli_origin()
    return (request.META.get("REMOTE_ADDR") or "unknown")[:100]


def cli_origin() -> str:
    return f"cli@{socket.gethostname()}"[:100]


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli:unknown"


def log(*, actor, action: str, object_type: str, object_id="", result: str = "success", origin: str,
        municipality_id: int | None = None, detail: str = "") -> AuditRecord:
    """Append one audit record. ``actor`` is a User or a string (CLI)."""
    if hasattr(actor, "username"):
        actor_name, role = actor.username or "anonymous", getattr(actor, "role", "")
    else:
        actor_name, role = str(actor), ""
    return AuditRecord.objects.create(
        actor=actor_name[:150], actor_role=role or "", municipality_id=municipality_id, action=action,
        object_type=object_type, object_id=str(object_id)[:64], result=result, origin=origin[:100],
        detail=detail[:500],
    )


def log_request(request, action: str, object_type: str, object_id="", result: str = "success",
                municipality_id: int | None = None, detail: str = "") -> AuditRecord:
    return log(actor=request.user, action=action, object_type=object_type, object_id=object_id, result=result,
               origin=origin_of(request), municipality_id=municipality_id, detail=detail)
