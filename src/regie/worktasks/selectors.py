"""Reads of tasks: my tasks (with those I cover), a case's tasks, the team view, and what a new task's form knows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.tenancy import municipality_ids
from regie.casework.models import Event, PendingDecision
from regie.casework.signals import open_signals
from regie.casework.steps import STEP_LABELS
from regie.platform import labels

from .models import Absence, Task

REPORT_KINDS = {
    "voortgang": "voortgangsrapportage",
    "eind": "eindrapportage",
    "no_show": "niet verschenen",
    "ziekmelding": "ziekmelding",
    "advies": "advies",
    "driegesprek_verzoek": "verzoek om een driegesprek",
}


def tasks_for(user):
    return Task.objects.filter(municipality_id__in=municipality_ids(user)).select_related(
        "case", "case__client", "assignee", "team"
    )


def task_for(user, task_id: int) -> Task | None:
    return tasks_for(user).filter(pk=task_id).first()


@dataclass
class MyTasks:
    mine: list
    team: list  # open tasks for my team that nobody has picked up
    covering: list  # (absent user, their open tasks) while I am their substitute
    absences: list = field(default_factory=list)  # my own current and coming absences


def my_tasks(user, on: dt.date | None = None) -> MyTasks:
    on = on or timezone.localdate()
    base = tasks_for(user).filter(status="open")
    mine = list(base.filter(assignee=user))
    team = list(base.filter(team_id=user.team_id, assignee__isnull=True)) if user.team_id else []
    covering = []
    for absence in Absence.objects.filter(substitute=user, starts_on__lte=on, ends_on__gte=on).select_related("user"):
        covering.append((absence, list(base.filter(assignee=absence.user))))
    absences = list(Absence.objects.filter(user=user, ends_on__gte=on).select_related("substitute"))
    return MyTasks(mine, team, covering, absences)


def for_case(case) -> list[Task]:
    return list(Task.objects.filter(case=case, status="open").select_related("assignee", "team"))


def sources_for(case, on: dt.date | None = None) -> dict:
    """What on the case a task can be made from: its open signals, its latest provider reports, its decisions
    waiting for approval."""
    on = on or timezone.localdate()
    state = getattr(case, "state", None)
    # pages4: the case page has derived the case's open signals for its day already (``case.signals_on``)
    known = getattr(case, "signals_on", None)
    if known is not None and known[0] == on:
        signals = list(known[1])
    else:
        signals = open_signals([state], on).get(case.pk, []) if state is not None else []
    reports = _latest_reports(case, state)
    pending = list(PendingDecision.objects.filter(case=case, status="pending").order_by("-requested_at"))
    return {"signals": signals, "reports": reports, "pending": pending}


def _latest_reports(case, state) -> list:
    """The case's five latest provider reports; memoised per case version when its state is known (pages3;
    reports are events of the case: regie.casework.derived)."""

    def read():
        return list(Event.objects.filter(case=case, type="rapportage").order_by("-effective_date", "-id")[:5])

    if state is None:
        return read()
    from regie.casework.derived import per_case

    return list(per_case("latest_reports", {case.pk: state.version}, lambda _ids: {case.pk: read()})[case.pk])


def prefill(user, case, source: str, ref: str, on: dt.date | None = None) -> dict:
    """The new task's form as far as Regie knows it: title, description, due date and owner from the source.
    Unknown or foreign references give the plain form (only the case and the owner)."""
    on = on or timezone.localdate()
    state = getattr(case, "state", None) if case else None
    values = {"source": "manual", "source_ref": "", "title": "", "description": "", "due_on": ""}
    values["assignee"] = str(state.caseworker_id) if state and state.caseworker_id else str(user.pk)
    values["team"] = ""
    if case is None:
        return values
    if source == "signal":
        code, _sep, due = ref.partition(":")
        for sig in sources_for(case, on)["signals"]:
            if sig.code == code and sig.due.isoformat() == due:
                values.update(
                    source="signal",
                    source_ref=ref,
                    title=labels.signal_label(sig.code, str(sig.label)),
                    # the signal's rule source is for the Bron disclosure of the signal, not the task's text (it is
                    # a legal citation, written in English in the policy files)
                    description=_("Signaal, uiterlijk %(date)s: %(label)s")
                    % {"date": f"{sig.due:%d-%m-%Y}", "label": labels.signal_label(sig.code, str(sig.label))},
                    due_on=max(sig.due, on).isoformat(),
                )
    elif source == "provider_report" and ref.isdigit():
        ev = Event.objects.filter(case=case, type="rapportage", pk=int(ref)).first()
        if ev is not None:
            kind = REPORT_KINDS.get(ev.payload.get("kind", ""), ev.payload.get("kind", ""))
            values.update(
                source="provider_report",
                source_ref=ref,
                title=_("Rapportage van %(date)s opvolgen (%(kind)s)")
                % {"date": f"{ev.effective_date:%d-%m-%Y}", "kind": kind},
                description=ev.payload.get("summary", ""),
            )
    elif source == "approval" and ref.isdigit():
        pending = PendingDecision.objects.filter(case=case, pk=int(ref), status="pending").first()
        if pending is not None:
            values.update(
                source="approval",
                source_ref=ref,
                title=_("Afwijkend besluit beoordelen: %(step)s")
                % {"step": STEP_LABELS.get(pending.event_type, pending.event_type)},
                description=(pending.decision or {}).get("motivation", ""),
                assignee="",
                team=str(case.team_id or user.team_id or ""),
            )
    return values


@dataclass
class PersonLoad:
    user: object
    open: int
    overdue: int
    cases: int
    absent_until: dt.date | None
    substitute: object | None
    tasks: list


def team_view(user, on: dt.date | None = None) -> tuple[list[PersonLoad], list]:
    """Per person of the teammanager's team (or, without a team, of the municipality's casework staff): open and
    overdue tasks, open cases, absence; and the team's tasks nobody has picked up."""
    from regie.casework.models import CaseState
    from regie.core.retention import CLOSED_STATUSES

    from .services import colleagues

    on = on or timezone.localdate()
    people = colleagues(user)
    if user.team_id:
        people = people.filter(team_id=user.team_id)
    open_tasks = tasks_for(user).filter(status="open")
    out = []
    for person in people:
        tasks = list(open_tasks.filter(assignee=person))
        absence = Absence.objects.filter(user=person, starts_on__lte=on, ends_on__gte=on).first()
        out.append(
            PersonLoad(
                user=person,
                open=len(tasks),
                overdue=sum(1 for t in tasks if t.due_on and t.due_on < on),
                cases=CaseState.objects.filter(caseworker=person).exclude(status__in=CLOSED_STATUSES).count(),
                absent_until=absence.ends_on if absence else None,
                substitute=absence.substitute if absence else None,
                tasks=tasks,
            )
        )
    unassigned = list(open_tasks.filter(Q(team_id=user.team_id) if user.team_id else Q(), assignee__isnull=True))
    return out, unassigned
