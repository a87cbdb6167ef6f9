"""The journal's section of the case page (a count and the links; the notes themselves are in the timeline and on
the journal page, both through casework.confidential)."""

from __future__ import annotations

from django import template

from regie.accounts.tenancy import can

from ..models import NoteIndex

register = template.Library()


@register.inclusion_tag("journal/_case_notes.html", takes_context=True)
def journal_case_section(context, case):
    request = context["request"]
    return {
        "case": case,
        "count": NoteIndex.objects.filter(case=case).count(),
        "can_record": can(request.user, "record_events"),
    }
