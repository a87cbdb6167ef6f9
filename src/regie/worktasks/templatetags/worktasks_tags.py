"""``{% case_tasks case as t %}``: a case's open tasks and what a task can be made from (signals, provider reports,
decisions waiting for approval). A template tag, so that the case page (casework, a lower layer) includes the
section without importing this app."""

from __future__ import annotations

from django import template

from .. import selectors, services

register = template.Library()


@register.simple_tag(takes_context=True)
def case_tasks(context, case):
    user = context["request"].user
    if not services.may_work(user):
        return {"may_work": False}
    return {"may_work": True, "tasks": selectors.for_case(case), **selectors.sources_for(case)}
