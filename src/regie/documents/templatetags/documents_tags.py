"""``{% case_documents case as docs %}``: the documents of a case as the page's user may see them.

A template tag, so that the case page (``casework``, a lower layer than this app) includes the section without
importing it."""

from __future__ import annotations

from django import template

from regie.accounts.tenancy import can

from .. import selectors
from ..access import may_see_confidential

register = template.Library()


@register.simple_tag(takes_context=True)
def case_documents(context, case):
    user = context["request"].user
    return {
        "documents": selectors.for_case(case, user),
        "can_add": can(user, "record_events"),
        "sees_confidential": may_see_confidential(user),
    }
