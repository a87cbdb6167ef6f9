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


# --- agenda: the start page's "Taken" block (the start page lives in regie.agenda, a sibling layer: no import) ---
START_PAGE_DAYS = 7  # tasks due within a week, or overdue (assumption: the week ahead is what a day's planning needs)


@register.simple_tag(takes_context=True)
def my_tasks_due(context, days: int = START_PAGE_DAYS):
    """The user's own open tasks due within ``days`` days or overdue, earliest first (at most 20)."""
    import datetime as dt

    from django.utils import timezone

    user = context["request"].user
    if not services.may_work(user):
        return []
    until = timezone.localdate() + dt.timedelta(days=days)
    return list(
        selectors.tasks_for(user).filter(status="open", assignee=user, due_on__lte=until).order_by("due_on", "id")[:20]
    )
