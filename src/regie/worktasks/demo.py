"""Demo work tasks (``regie demo``): for the demo caseworker some tasks due this week and two overdue, and a
colleague on leave (yesterday to four days ahead) whose open tasks the demo caseworker covers (the substitute).
Through the same services as the pages; only the overdue due dates are set afterwards (a new task may not be due
in the past)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

TASKS = [
    ("Loonstroken opvragen", 2),
    ("Plan van aanpak bespreken met de aanbieder", 4),
    ("Terugbellen over de energietoeslag", 0),
    ("Rapportage aanbieder beoordelen", -3),  # overdue
    ("Herbeoordeling ontheffing voorbereiden", -6),  # overdue
]
COLLEAGUE_TASKS = [
    ("Huisbezoek plannen", 1),
    ("Reactie op zienswijze verwerken", 3),
    ("Inlichtingenformulier nakijken", -1),
]


def add_demo_tasks(municipality) -> int:
    from regie.accounts.models import User
    from regie.casework.models import CaseState
    from regie.documents.demo import demo_caseworkers

    from .models import Task
    from .services import create, set_absence

    today = timezone.localdate()
    people = demo_caseworkers(municipality, 2)
    manager = User.objects.filter(municipality=municipality, role="teammanager", is_active=True).order_by("id").first()
    if len(people) < 2 or manager is None:
        return 0
    me, colleague = people
    made = 0
    for who, tasks in ((me, TASKS), (colleague, COLLEAGUE_TASKS)):
        states = list(CaseState.objects.filter(caseworker=who, status="lopend").select_related("case")[:10])
        for i, (title, days) in enumerate(tasks):
            task = create(
                who,
                case=states[i % len(states)].case if states else None,
                title=title,
                assignee=who,
                due_on=today + dt.timedelta(days=max(days, 0)),
            )
            if days < 0:
                Task.objects.filter(pk=task.pk).update(due_on=today + dt.timedelta(days=days))
            made += 1
    # the colleague is on leave this week; the demo caseworker covers
    set_absence(
        manager,
        absent=colleague,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=4),
        substitute=me,
    )
    return made
