"""Reading the audit log (auditors, functioneel beheerders and the CLI)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop as N_

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


# the header of the auditor's download, in the user's language (i18n; the CLI writes CSV_FIELDS as they are)
CSV_HEADERS = {
    "timestamp": N_("Tijdstip"),
    "actor": N_("Gebruiker"),
    "actor_role": N_("Rol"),
    "municipality": N_("Gemeente"),
    "action": N_("Handeling"),
    "object_type": N_("Soort gegeven"),
    "object_id": N_("Nummer"),
    "result": N_("Resultaat"),
    "origin": N_("Herkomst"),
    "detail": N_("Toelichting"),
}


def write_csv(rows: QuerySet, fh: IO[str], *, labelled: bool = False) -> int:
    """The audit records as CSV through the shared writer (cells neutralised against formula injection).
    ``labelled``: the header, roles, actions, object kinds and results as the label registry names them, and the
    detail as :func:`regie.audit.details.describe` reads it, in the user's language (the web download); otherwise
    the keys and the stored text (``regie audit export``, for tools and as the record itself)."""
    from django.utils.translation import gettext

    from regie.platform import labels

    from . import details

    def same(v):
        return v

    role, action, kind, result = (
        (labels.role_label, labels.action_label, labels.object_label, labels.result_label) if labelled else (same,) * 4
    )
    header = [gettext(CSV_HEADERS[f]) for f in CSV_FIELDS] if labelled else CSV_FIELDS

    def detail(text):
        return details.describe(text) if labelled else text

    return exports.write_csv(
        (
            [
                r.timestamp.isoformat(),
                r.actor,
                role(r.actor_role) if r.actor_role else "",
                r.municipality.code if r.municipality else "",
                action(r.action),
                kind(r.object_type),
                r.object_id,
                result(r.result),
                r.origin,
                detail(r.detail),
            ]
            for r in rows.iterator(chunk_size=2000)
        ),
        fh,
        header=header,
    )
