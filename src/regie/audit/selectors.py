"""Reading the audit log (auditors, functioneel beheerders and the CLI)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from regie.platform import exports

from .models import AuditRecord

CSV_FIELDS = [
    "timestamp",
    "actor",
    "actor_role",
    "municipality",
    "action",
    "object_type",
    "object_id",
    "result",
    "origin",
    "detail",
]


def search(
    *,
    municipality_ids: Iterable[int] | None = None,
    municipality_code: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
) -> QuerySet:
    qs = AuditRecord.objects.select_related("municipality")
    if municipality_ids is not None:
        ids = list(municipality_ids)
        # Failed log-ins recorded before they carried the account's municipality belong to these municipalities'
        # auditors too when the username is one of their accounts.
        usernames = get_user_model().objects.filter(municipality_id__in=ids).values("username")
        qs = qs.filter(
            Q(municipality_id__in=ids) | Q(municipality__isnull=True, action="login_failed", actor__in=usernames)
        )
    if municipality_code:
        qs = qs.filter(municipality__code=municipality_code)
    if since:
        qs = qs.filter(timestamp__gte=since)
    if until:
        qs = qs.filter(timestamp__lt=until)
    if actor:
        qs = qs.filter(actor=actor)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs


def write_csv(rows: QuerySet, fh: IO[str]) -> int:
    """The audit records as CSV through the shared writer (cells neutralised against formula injection)."""
    return exports.write_csv(
        (
            [
                r.timestamp.isoformat(),
                r.actor,
                r.actor_role,
                r.municipality.code if r.municipality else "",
                r.action,
                r.object_type,
                r.object_id,
                r.result,
                r.origin,
                r.detail,
            ]
            for r in rows.iterator(chunk_size=2000)
        ),
        fh,
        header=CSV_FIELDS,
    )
