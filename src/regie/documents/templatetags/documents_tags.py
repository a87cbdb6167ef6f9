"""``{% case_documents case as docs %}``: the documents of a case as the page's user may see them.

A template tag, so that the case page (``casework``, a lower layer than this app) includes the section without
importing it."""

from __future__ import annotations

from django import template

from regie.accounts.tenancy import can
from regie.casework.confidential import may_read_confidential

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def case_documents(context, case):
    user = context["request"].user
    return {
        "documents": selectors.for_case(case, user),
        "can_add": can(user, "record_events"),
        # the hint "confidential documents are not shown to you" unless the one rule lets the user read them all
        "sees_confidential": may_read_confidential(
            user, author_id=None, caseworker_id=getattr(getattr(case, "state", None), "caseworker_id", None)
        ),
    }
