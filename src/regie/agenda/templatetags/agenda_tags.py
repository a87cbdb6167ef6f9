"""The agenda's section of the case page, as a template tag: the case page (casework, a lower layer) includes
``agenda/_case_section.html`` and imports nothing of this app."""

from __future__ import annotations

from django import template
from django.utils import timezone

from regie.accounts.tenancy import can
from regie.audit.services import log_request

from .. import selectors

register = template.Library()


@register.inclusion_tag("agenda/_case_appointments.html", takes_context=True)
def agenda_case_section(context, case):
    request = context["request"]
    rows = list(selectors.for_case(request.user, case)[:10])
    if rows:
        log_request(
            request, "read", "case", case.external_id, municipality_id=case.municipality_id, detail="appointments"
        )
    return {
        "case": case,
        "appointments": rows,
        "today": timezone.localdate(),
        "can_record": can(request.user, "record_events"),
    }
