"""Task pages: Mijn taken, a new task (by hand or from a signal, a report or an approval), a task, absence and
cover, the teammanager's team view and the bulk reassignment of a caseload. Tenancy: another municipality's task,
case or user is a 404; every page needs a casework or teammanager role (403 otherwise)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.access import not_found
from regie.accounts.models import Team, User
from regie.accounts.tenancy import municipality_ids
from regie.audit.services import log_request
from regie.casework.decisions import DecisionRefused
from regie.casework.models import Case
from regie.casework.services import ConflictError
from regie.core.events import EventError

from . import selectors, services
from .models import Absence, Task


def _require_worker(request, object_type="task", object_id=""):
    if not services.may_work(request.user):
        log_request(
            request,
            "denied",
            object_type,
            object_id,
            result="denied",
            municipality_id=request.user.municipality_id,
            detail="lacks record_events or approve_deviations",
        )
        raise PermissionDenied


def _require_teammanager(request):
    if not services.is_teammanager(request.user):
        log_request(
            request,
            "denied",
            "team",
            "",
            result="denied",
            municipality_id=request.user.municipality_id,
            detail="lacks approve_deviations",
        )
        raise PermissionDenied


def _date(value: str, errors: dict, name: str, label: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = _("%(field)s: geen geldige datum (JJJJ-MM-DD).") % {"field": label}
        return None


def _user(request, value) -> User | None:
    if not str(value or "").isdigit():
        return None
    return User.objects.filter(pk=int(value), municipality_id__in=municipality_ids(request.user)).first()


def _team(request, value) -> Team | None:
    if not str(value or "").isdigit():
        return None
    return Team.objects.filter(pk=int(value), municipality_id__in=municipality_ids(request.user)).first()


def _teams(request):
    return Team.objects.filter(municipality_id__in=municipality_ids(request.user))


@login_required
def my_tasks(request):
    _require_worker(request)
    mine = selectors.my_tasks(request.user)
    shown = len(mine.mine) + len(mine.team) + sum(len(t) for _a, t in mine.covering)
    log_request(
        request, "read", "tasks", request.user.pk, municipality_id=request.user.municipality_id, detail=f"{shown}"
    )
    return render(request, "worktasks/my_tasks.html", {"my": mine, "today": timezone.localdate()})


@login_required
def new_task(request):
    _require_worker(request)
    case = None
    case_id = request.GET.get("case") or request.POST.get("case") or ""
    if case_id:
        case = (
            Case.objects.filter(
                pk=int(case_id) if case_id.isdigit() else 0, municipality_id__in=municipality_ids(request.user)
            )
            .select_related("client", "state", "team")
            .first()
        )
        if case is None:
            raise not_found(request, "case", case_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = request.POST.dict()
        due_on = _date(values.get("due_on", ""), errors, "due_on", _("Uiterste datum"))
        if not errors:
            try:
                task = services.create(
                    request.user,
                    case=case,
                    title=values.get("title", ""),
                    description=values.get("description", ""),
                    assignee=_user(request, values.get("assignee")),
                    team=_team(request, values.get("team")),
                    due_on=due_on,
                    source=values.get("source", "manual"),
                    source_ref=values.get("source_ref", ""),
                )
            except services.TaskError as exc:
                errors = exc.errors
            else:
                log_request(
                    request,
                    "create",
                    "task",
                    task.pk,
                    municipality_id=task.municipality_id,
                    detail=f"{task.source}" + (f" case {case.external_id}" if case else ""),
                )
                messages.success(request, _("Taak aangemaakt: %(title)s") % {"title": task.title})
                return redirect("client_detail", case.client_id) if case else redirect("worktasks:mine")
    else:
        values = selectors.prefill(request.user, case, request.GET.get("source", ""), request.GET.get("ref", ""))
        if case is not None:
            log_request(
                request, "read", "case", case.external_id, municipality_id=case.municipality_id, detail="new task"
            )
    return render(
        request,
        "worktasks/task_form.html",
        {
            "case": case,
            "values": values,
            "errors": errors,
            "people": services.colleagues(request.user),
            "teams": _teams(request),
            "sources": Task.SOURCES,
        },
        status=400 if errors else 200,
    )


@login_required
def task_detail(request, task_id: int):
    _require_worker(request, "task", task_id)
    task = selectors.task_for(request.user, task_id)
    if task is None:
        raise not_found(request, "task", task_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "done":
                services.complete(task, request.user)
                messages.success(request, _("Taak afgerond"))
            elif action == "reopen":
                services.reopen(task, request.user)
                messages.success(request, _("Taak heropend"))
            elif action == "reassign":
                services.reassign(
                    task,
                    request.user,
                    assignee=_user(request, request.POST.get("assignee")),
                    team=_team(request, request.POST.get("team")),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Taak overgedragen"))
            else:
                errors["action"] = _("Onbekende actie.")
        except services.TaskError as exc:
            errors = exc.errors
        if not errors:
            log_request(request, "update", "task", task.pk, municipality_id=task.municipality_id, detail=action)
            return redirect("worktasks:detail", task.pk)
        task = selectors.task_for(request.user, task_id)
    log_request(request, "read", "task", task.pk, municipality_id=task.municipality_id)
    return render(
        request,
        "worktasks/task_detail.html",
        {
            "task": task,
            "history": task.history.select_related("by", "from_user", "to_user", "from_team", "to_team"),
            "people": services.colleagues(request.user),
            "teams": _teams(request),
            "errors": errors,
            "values": request.POST.dict() if errors else {},  # a refused hand-over keeps what was chosen and typed
            "today": timezone.localdate(),
        },
        status=400 if errors else 200,
    )


@login_required
def absence(request):
    """Set an absence period and a substitute (one's own; a teammanager also for a colleague), or end one."""
    _require_worker(request, "absence")
    errors: dict[str, str] = {}
    values = request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        if end := request.POST.get("end"):
            found = Absence.objects.filter(
                pk=int(end) if end.isdigit() else 0, municipality_id__in=municipality_ids(request.user)
            ).first()
            if found is None:
                raise not_found(request, "absence", end)
            try:
                services.end_absence(found, request.user)
            except services.TaskError as exc:
                errors = exc.errors
            else:
                messages.success(request, _("Afwezigheid beëindigd"))
                return redirect("worktasks:absence")
        else:
            starts = _date(values.get("starts_on", ""), errors, "starts_on", _("Eerste dag"))
            ends = _date(values.get("ends_on", ""), errors, "ends_on", _("Laatste dag"))
            absent = _user(request, values.get("user")) or request.user
            if not errors:
                try:
                    services.set_absence(
                        request.user,
                        absent=absent,
                        starts_on=starts,
                        ends_on=ends,
                        substitute=_user(request, values.get("substitute")),
                    )
                except services.TaskError as exc:
                    errors = exc.errors
                else:
                    log_request(request, "create", "absence", absent.pk, municipality_id=absent.municipality_id)
                    messages.success(request, _("Afwezigheid vastgelegd"))
                    return redirect("worktasks:absence")
    today = timezone.localdate()
    ids = municipality_ids(request.user)
    shown = Absence.objects.filter(municipality_id__in=ids, ends_on__gte=today).select_related("user", "substitute")
    if not services.is_teammanager(request.user):
        shown = shown.filter(user=request.user)
    return render(
        request,
        "worktasks/absence.html",
        {
            "absences": shown,
            "people": services.colleagues(request.user),
            "values": values,
            "errors": errors,
            "is_teammanager": services.is_teammanager(request.user),
        },
        status=400 if errors else 200,
    )


@login_required
def team(request):
    _require_teammanager(request)
    people, unassigned = selectors.team_view(request.user)
    log_request(request, "read", "team", request.user.team_id or "", municipality_id=request.user.municipality_id)
    return render(
        request,
        "worktasks/team.html",
        {"people": people, "unassigned": unassigned, "today": timezone.localdate()},
    )


@login_required
def bulk(request):
    """Reassign a caseload: choose from and to, see the counts, confirm; all or nothing."""
    _require_teammanager(request)
    data = request.POST if request.method == "POST" else request.GET
    errors: dict[str, str] = {}
    plan = None
    source, target = _user(request, data.get("source")), _user(request, data.get("target"))
    if data.get("source") or data.get("target"):
        try:
            plan = services.bulk_plan(request.user, source, target)
        except services.TaskError as exc:
            errors = exc.errors
    if request.method == "POST" and plan is not None and request.POST.get("confirm") == "1":
        try:
            expected = (int(request.POST.get("cases", "-1")), int(request.POST.get("tasks", "-1")))
        except ValueError:
            expected = (-1, -1)
        try:
            n_cases, n_tasks = services.bulk_reassign(request.user, plan, expected=expected)
        except services.TaskError as exc:
            errors = exc.errors
            plan = services.bulk_plan(request.user, source, target)
        except (DecisionRefused, EventError, ConflictError) as exc:
            errors = {"confirm": _("Niets is verplaatst: %(reason)s") % {"reason": getattr(exc, "message", str(exc))}}
        else:
            log_request(
                request,
                "update",
                "caseload",
                source.pk,
                municipality_id=source.municipality_id,
                detail=f"{n_cases} cases, {n_tasks} tasks to user {target.pk}",
            )
            messages.success(
                request,
                _("%(cases)s dossiers en %(tasks)s taken overgedragen aan %(user)s")
                % {"cases": n_cases, "tasks": n_tasks, "user": target.username},
            )
            return redirect("worktasks:team")
    return render(
        request,
        "worktasks/bulk.html",
        {"plan": plan, "errors": errors, "people": services.colleagues(request.user), "data": data},
        status=400 if errors else 200,
    )
