"""Template tags of Mijn Regie for the staff case page: ``{% machtigingen client as rows %}`` lets the case page show
the client's machtigingen without the casework app importing this one (it sits above casework)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from regie.core.bsn import mask_bsn
from regie.portal.models import ROLES, Machtiging

register = template.Library()


@register.simple_tag
def machtigingen(client) -> list[dict]:
    """The client's machtigingen, newest first, with the representative's BSN masked (the case page that calls it
    has audited the read of the client; the full BSN is not shown here)."""
    today = timezone.localdate()
    rows = []
    for m in Machtiging.objects.filter(client=client).select_related("document").order_by("-valid_from", "-pk"):
        rows.append(
            {
                "pk": m.pk,
                "role": ROLES.get(m.role, m.role),
                "name": m.representative_name,
                "bsn": mask_bsn(m.representative_bsn),
                "valid_from": m.valid_from,
                "valid_until": m.valid_until,
                "in_force": m.in_force(today),
                "ended": m.ended_at is not None or (m.valid_until is not None and m.valid_until < today),
                "document": m.document.title if m.document is not None else "",
            }
        )
    return rows
