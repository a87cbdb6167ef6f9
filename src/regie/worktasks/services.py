"""The only writers of tasks and absences.

- :func:`create` — a task by hand or from a source (a signal, a provider's report, a deviating decision waiting for
  approval); :func:`prefill` says what Regie already knows for the form.
- Cover during leave: while a user is away (:class:`~.models.Absence`) a task assigned to them goes to their
  substitute (history reason ``cover``), and the substitute's "Mijn taken" shows the absent user's open tasks
  (``selectors.my_tasks``); when the absence ends they are the user's again without anything being moved.
- :func:`reassign`, :func:`complete`, :func:`reopen`.
- :func:`bulk_plan` / :func:`bulk_reassign` — a caseworker's caseload to another: every open case's caseworker through
  the ``caseworker_toewijzing`` event (the decision gate, ``record_step``, reason ``herverdeling``) and their open
  tasks, in one transaction: all or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import Team, User
from regie.accounts.tenancy import can, municipality_ids
from regie.casework.decisions import record_step
from regie.casework.models import Case, CaseState
from regie.core import retention as core_retention
from regie.core.events import SUMMARY_MAX
from regie.notifications.services import notify

from .models import TITLE_MAX, Absence, Task, TaskHistory

# How far ahead a due date may lie (assumption: a year covers every review a caseworker plans).
DUE_HORIZON_DAYS = 366


class TaskError(ValueError):
    """Refused input: ``errors`` maps the form's field to a Dutch message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def may_work(user) -> bool:
    """Caseworkers and teammanagers plan work."""
    return can(user, "record_events") or can(user, "approve_deviations")


def is_teammanager(user) -> bool:
    return can(user, "approve_deviations")


def colleagues(user):
    """Users of the user's municipalities who may hold tasks (active, with a casework or teammanager role)."""
    from regie.core.records import CASEWORKER_ROLES

    return User.objects.filter(
        municipality_id__in=municipality_ids(user), is_active=True, role__in=(*CASEWORKER_ROLES, "teammanager")
    ).order_by("username")


def absence_of(user, on: dt.date) -> Absence | None:
    return Absence.objects.filter(user=user, starts_on__lte=on, ends_on__gte=on).select_related("substitute").first()


def covering(user, on: dt.date | None = None) -> User:
    """Who takes ``user``'s work on ``on``: their substitute while they are away (followed at most three steps, so
    two colleagues covering each other cannot loop), else ``user``."""
    on = on or timezone.localdate()
    seen = {user.pk}
    current = user
    for _step in range(3):
        absence = absence_of(current, on)
        if absence is None or absence.substitute_id in seen:
            break
        current = absence.substitute
        seen.add(current.pk)
    return current


def _notify(task: Task | None, user: User | None, message: str, params: dict) -> None:
    """Tell the new assignee (in-app notification, and e-mail where they opted in: ``regie.notifications``;
    ``message`` a key of ``regie.notifications.messages.MESSAGES``, rendered in the reader's language)."""
    if user is None:
        return
    link = reverse("worktasks:detail", args=[task.pk]) if task else reverse("worktasks:mine")
    notify(user, "task", message, params, link)


def _history(task, by, reason, *, from_user=None, to_user=None, from_team=None, to_team=None, note=""):
    TaskHistory.objects.create(
        task=task,
        by=by,
        reason=reason,
        from_user=from_user,
        to_user=to_user,
        from_team=from_team,
        to_team=to_team,
        note=note[:500],
    )


def _check(user, *, title, description, assignee, team, due_on) -> dict[str, str]:
    errors = {}
    if not title:
        errors["title"] = _("Titel: vul een titel in.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Titel: hoogstens %(n)s tekens.") % {"n": TITLE_MAX}
    if len(description) > SUMMARY_MAX:
        errors["description"] = _("Omschrijving: hoogstens %(n)s tekens.") % {"n": SUMMARY_MAX}
    if assignee is None and team is None:
        errors["assignee"] = _("Toegewezen aan: kies een medewerker of een team.")
    ids = municipality_ids(user)
    if assignee is not None and (assignee.municipality_id not in ids or not assignee.is_active):
        errors["assignee"] = _("Toegewezen aan: kies een medewerker van uw gemeente.")
    if team is not None and team.municipality_id not in ids:
        errors["team"] = _("Team: kies een team van uw gemeente.")
    if due_on is not None:
        today = timezone.localdate()
        if due_on < today:
            errors["due_on"] = _("Uiterste datum: ligt in het verleden (%(date)s).") % {"date": f"{due_on:%d-%m-%Y}"}
        elif due_on > today + dt.timedelta(days=DUE_HORIZON_DAYS):
            errors["due_on"] = _("Uiterste datum: ligt meer dan een jaar vooruit (%(date)s).") % {
                "date": f"{due_on:%d-%m-%Y}"
            }
    return errors


@transaction.atomic
def create(
    user,
    *,
    case: Case | None,
    title: str,
    description: str = "",
    assignee: User | None = None,
    team: Team | None = None,
    due_on: dt.date | None = None,
    source: str = "manual",
    source_ref: str = "",
) -> Task:
    title, description = " ".join((title or "").split()), (description or "").strip()
    if source not in dict(Task.SOURCES):
        raise TaskError({"source": _("Bron: onbekend.")})
    errors = _check(user, title=title, description=description, assignee=assignee, team=team, due_on=due_on)
    if case is not None and case.municipality_id not in municipality_ids(user):
        errors["case"] = _("Dossier: niet gevonden.")
    if errors:
        raise TaskError(errors)
    municipality_id = case.municipality_id if case else (assignee or team).municipality_id
    target = covering(assignee) if assignee else None
    task = Task.objects.create(
        municipality_id=municipality_id,
        case=case,
        title=title,
        description=description,
        assignee=target,
        team=team,
        due_on=due_on,
        source=source,
        source_ref=source_ref[:100],
        created_by=user,
    )
    _history(task, user, "created", to_user=assignee, to_team=team)
    if target is not None and assignee is not None and target.pk != assignee.pk:
        _history(task, user, "cover", from_user=assignee, to_user=target, note=_("vervanging tijdens afwezigheid"))
    _notify(task, target, "task_new", {"title": title})
    return task


@transaction.atomic
def reassign(task: Task, user, *, assignee: User | None, team: Team | None, note: str = "") -> Task:
    errors = _check(user, title=task.title, description="", assignee=assignee, team=team, due_on=None)
    if errors:
        raise TaskError(errors)
    task = Task.objects.select_for_update().get(pk=task.pk)
    target = covering(assignee) if assignee else None
    before_user, before_team = task.assignee, task.team
    task.assignee, task.team = target, team
    task.save(update_fields=["assignee", "team"])
    _history(
        task,
        user,
        "reassigned",
        from_user=before_user,
        to_user=assignee,
        from_team=before_team,
        to_team=team,
        note=note,
    )
    if target is not None and assignee is not None and target.pk != assignee.pk:
        _history(task, user, "cover", from_user=assignee, to_user=target, note=_("vervanging tijdens afwezigheid"))
    _notify(task, target, "task_transferred", {"title": task.title})
    return task


@transaction.atomic
def complete(task: Task, user) -> Task:
    Task.objects.filter(pk=task.pk, status="open").update(status="done", done_by=user, done_at=timezone.now())
    _history(task, user, "done")
    task.refresh_from_db()
    return task


@transaction.atomic
def reopen(task: Task, user) -> Task:
    Task.objects.filter(pk=task.pk, status="done").update(status="open", done_by=None, done_at=None)
    _history(task, user, "reopened")
    task.refresh_from_db()
    return task


def set_absence(user, *, absent: User, starts_on: dt.date | None, ends_on: dt.date | None, substitute: User | None):
    """Record an absence; a user records their own, a teammanager anyone's of their municipality."""
    errors = {}
    if absent.pk != user.pk and not is_teammanager(user):
        errors["user"] = _("U kunt alleen uw eigen afwezigheid vastleggen.")
    if starts_on is None:
        errors["starts_on"] = _("Eerste dag: vul een geldige datum in.")
    if ends_on is None:
        errors["ends_on"] = _("Laatste dag: vul een geldige datum in.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("Laatste dag: ligt vóór de eerste dag.")
    if starts_on and ends_on and (ends_on - starts_on).days > 366:
        errors["ends_on"] = _("Laatste dag: een afwezigheid duurt hier hoogstens een jaar.")
    ids = municipality_ids(user)
    if substitute is None or substitute.municipality_id not in ids or not substitute.is_active:
        errors["substitute"] = _("Vervanger: kies een collega van uw gemeente.")
    elif substitute.pk == absent.pk:
        errors["substitute"] = _("Vervanger: kies iemand anders dan de afwezige.")
    if absent.municipality_id not in ids:
        errors["user"] = _("Medewerker: niet gevonden.")
    if errors:
        raise TaskError(errors)
    return Absence.objects.create(
        municipality_id=absent.municipality_id,
        user=absent,
        starts_on=starts_on,
        ends_on=ends_on,
        substitute=substitute,
        created_by=user,
    )


def end_absence(absence: Absence, user) -> None:
    if absence.user_id != user.pk and not is_teammanager(user):
        raise TaskError({"user": _("U kunt alleen uw eigen afwezigheid beëindigen.")})
    today = timezone.localdate()
    if absence.starts_on > today:
        absence.delete()
    else:
        Absence.objects.filter(pk=absence.pk).update(ends_on=max(absence.starts_on, today - dt.timedelta(days=1)))


# --- bulk reassignment of a caseload -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkPlan:
    source: User
    target: User
    cases: list  # Case rows whose caseworker is ``source`` and that are still open
    tasks: list  # open Task rows assigned to ``source``


def bulk_plan(user, source: User, target: User) -> BulkPlan:
    """What a reassignment would move (for the confirmation page)."""
    if not is_teammanager(user):
        raise TaskError({"source": _("Alleen een teammanager herverdeelt een caseload.")})
    ids = municipality_ids(user)
    errors = {}
    if source is None or source.municipality_id not in ids:
        errors["source"] = _("Van: kies een medewerker van uw gemeente.")
    if target is None or target.municipality_id not in ids or not target.is_active:
        errors["target"] = _("Naar: kies een actieve medewerker van uw gemeente.")
    elif source is not None and target.pk == source.pk:
        errors["target"] = _("Naar: kies een andere medewerker dan bij Van.")
    elif not target.is_caseworker:
        errors["target"] = _("Naar: kies een klantmanager of consulent.")
    if errors:
        raise TaskError(errors)
    states = CaseState.objects.filter(caseworker=source, municipality_id__in=ids).exclude(
        status__in=core_retention.CLOSED_STATUSES
    )
    cases = list(Case.objects.filter(pk__in=states.values("case_id")).select_related("state").order_by("external_id"))
    tasks = list(Task.objects.filter(assignee=source, status="open", municipality_id__in=ids).order_by("id"))
    return BulkPlan(source, target, cases, tasks)


@transaction.atomic
def bulk_reassign(user, plan: BulkPlan, *, expected: tuple[int, int]) -> tuple[int, int]:
    """Move the planned caseload: all or nothing. ``expected`` are the counts the user confirmed; when the caseload
    changed since, nothing is moved (``TaskError``) and the user confirms again."""
    fresh = bulk_plan(user, plan.source, plan.target)
    if (len(fresh.cases), len(fresh.tasks)) != tuple(expected):
        raise TaskError(
            {"confirm": _("De caseload is intussen veranderd; bekijk de aantallen opnieuw en bevestig nog eens.")}
        )
    today = timezone.localdate()
    for case in fresh.cases:
        record_step(
            case,
            user,
            event_type="caseworker_toewijzing",
            effective_date=today,
            payload={"caseworker": plan.target.username, "reason": "herverdeling"},
            expected_version=case.state.version,
        )
    for task in fresh.tasks:
        Task.objects.filter(pk=task.pk).update(assignee=plan.target)
        _history(task, user, "bulk", from_user=plan.source, to_user=plan.target)
    if fresh.cases or fresh.tasks:
        _notify_bulk(plan.target, len(fresh.cases), len(fresh.tasks))
    return len(fresh.cases), len(fresh.tasks)


def _notify_bulk(user, cases: int, tasks: int) -> None:
    _notify(None, user, "caseload_transferred", {"cases": cases, "tasks": tasks})
