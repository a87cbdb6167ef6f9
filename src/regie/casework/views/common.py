"""Helpers shared by the casework views: the tenant-scoped, audited look-up of a client or case."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from regie.accounts.access import not_found
from regie.accounts.tenancy import municipality_ids
from regie.casework import selectors
from regie.casework.models import Case, Client


def client_or_404(request, client_id: int) -> Client:
    try:
        return selectors.client_detail(request.user, client_id)
    except Client.DoesNotExist:
        # Another municipality's client, or none at all: the same answer, so existence does not leak.
        raise not_found(request, "client", client_id) from None


def case_or_404(request, case_id: int) -> Case:
    case = (
        Case.objects.filter(pk=case_id, municipality_id__in=municipality_ids(request.user))
        .select_related("client", "municipality", "state")
        .first()
    )
    if case is None:
        raise not_found(request, "case", case_id)
    return case


def parse_date(value: str, errors: dict, name: str = "effective_date") -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        errors[name] = _("geen geldige datum (JJJJ-MM-DD)")
        return None
