"""REST API: the klantmanager's working day -- a case's documents (list, upload, download), work tasks (list,
create, assign, complete), appointments (list, plan, outcome) and journal notes (list, create).

House style as the rest of v1: token or session authentication; the role's capability first, then the token's
scope (``documents``, ``tasks``, ``appointments``, ``notes``: read for GET, write otherwise); tenancy (another
municipality's object answers 404 like a missing one, the attempt audited as denied); every read of personal data
audited. Writes that touch a case's event log (a document, an appointment, an outcome, a note) go through the
decision gate via the app's service and need the ``expected_version`` the caller saw (409 when stale). Errors: 403
refused, 404 not found, 409 stale version, 413 file too large, 422 a named field, 503 no policy.

Confidential notes and documents follow the one rule :func:`regie.casework.confidential.may_read_confidential`:
a note's text is redacted, a document left out (its URL a 404), for whom the rule refuses them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.accounts.models import Team, User
from regie.accounts.tenancy import can, municipality_ids
from regie.agenda import selectors as agenda_selectors
from regie.agenda import services as agenda_services
from regie.agenda.models import Appointment
from regie.audit.services import log_request
from regie.casework import confidential
from regie.casework.decisions import DecisionRefused
from regie.casework.models import Case
from regie.casework.services import ConflictError
from regie.casework.validation import translate
from regie.core.events import DOCUMENT_KINDS, EventError
from regie.core.policy import PolicyUnavailable
from regie.documents import selectors as document_selectors
from regie.documents import services as document_services
from regie.journal import selectors as journal_selectors
from regie.journal import services as journal_services
from regie.worktasks import selectors as task_selectors
from regie.worktasks import services as task_services
from regie.worktasks.models import Absence, Task

from .params import ID_MAX, Pagination
from .permissions import HasCapability
from .views import (
    _CONFLICT_409,
    _ERROR_422,
    _POLICY_503,
    _REFUSED_403,
    HTTP_422,
    _conflict,
    _field_errors,
    _refusal,
)

MAX_DAYS = 62  # an appointment listing spans at most two months (assumption: a calendar client asks week by week)


def _denied(request, object_type: str, object_id, detail: str) -> None:
    log_request(
        request,
        "read",
        object_type,
        object_id,
        result="denied",
        municipality_id=request.user.municipality_id,
        detail=detail,
    )


def _not_found(request, object_type: str, object_id) -> Response:
    _denied(request, object_type, object_id, "not found in user's municipalities")
    return Response({"detail": _("Niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)


def _gate_errors(exc) -> Response:
    """The decision gate's refusals as the event endpoint answers them."""
    if isinstance(exc, DecisionRefused):
        return _refusal(exc)
    if isinstance(exc, EventError):
        return _field_errors((f.removeprefix("payload."), m) for f, m in exc.errors)
    if isinstance(exc, ConflictError):
        return _conflict(exc)
    if isinstance(exc, PolicyUnavailable):
        return Response({"detail": translate(exc.message)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    raise exc


GATE_ERRORS = (DecisionRefused, EventError, ConflictError, PolicyUnavailable)


def _refuse_write(request, object_type: str, object_id, capability: str) -> Response:
    log_request(
        request,
        "denied",
        object_type,
        object_id,
        result="denied",
        municipality_id=request.user.municipality_id,
        detail=f"lacks {capability}",
    )
    return Response({"detail": _("U hebt geen toegang tot dit onderdeel.")}, status=status.HTTP_403_FORBIDDEN)


class _Base(APIView):
    permission_classes = [HasCapability]
    required_capability = "view_clients"
    basename = "api"
    pagination_class = Pagination

    def _case(self, request, pk: int) -> Case | None:
        return (
            Case.objects.filter(pk=pk, municipality_id__in=municipality_ids(request.user))
            .select_related("state", "client")
            .first()
        )

    def _page(self, request, items):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(items, request, view=self)
        return paginator, page


# --- documents -----------------------------------------------------------------------------------------------------


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    document_id = serializers.CharField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    filename = serializers.CharField(read_only=True)
    document_date = serializers.DateField(read_only=True, allow_null=True)
    confidential = serializers.BooleanField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Bytes")
    content_type = serializers.CharField(read_only=True)
    origin = serializers.CharField(read_only=True, help_text="upload or generated (a letter Regie made)")
    added_by = serializers.CharField(source="added_by.username", read_only=True, default=None)
    added_at = serializers.DateTimeField(read_only=True)
    file = serializers.SerializerMethodField(help_text="Where to download the file (audited)")

    def get_file(self, doc) -> str:
        return reverse("api-document-file", args=[doc.pk])


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG, PNG, TIFF or HEIC; the type is read from the content")
    kind = serializers.ChoiceField(choices=sorted(DOCUMENT_KINDS), help_text="Soort document")
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    document_date = serializers.DateField(required=False, allow_null=True, default=None)
    confidential = serializers.BooleanField(
        required=False, default=False, help_text="Medical information is always confidential"
    )
    expected_version = serializers.IntegerField(min_value=0, help_text="The case version you last saw")


class CaseDocumentsView(_Base):
    """A case's documents as you may see them (GET), or upload one (POST, multipart/form-data)."""

    api_resource = "documents"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: DocumentSerializer(many=True), 404: None}, parameters=[])
    def get(self, request, pk: int):
        case = self._case(request, pk)
        if case is None:
            return _not_found(request, "case", pk)
        docs = document_selectors.for_case(case, request.user)
        log_request(
            request,
            "read",
            "case",
            case.external_id,
            municipality_id=case.municipality_id,
            detail=f"documents count={len(docs)}",
        )
        paginator, page = self._page(request, docs)
        return paginator.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        description=(
            "Add a document to the case: the file is stored first (streamed to the storage, no lock held), then the "
            "`document` event is recorded through the decision gate. The size limit is the web form's "
            "(`REGIE_DOCUMENT_MAX_MB`); a larger body is refused before it is read (413)."
        ),
        responses={
            201: DocumentSerializer,
            403: _REFUSED_403,
            404: None,
            409: _CONFLICT_409,
            413: OpenApiResponse(OpenApiTypes.OBJECT, description="The file is larger than the limit"),
            422: _ERROR_422,
            503: _POLICY_503,
        },
    )
    def post(self, request, pk: int):
        case = self._case(request, pk)
        if case is None:
            return _not_found(request, "case", pk)
        if not can(request.user, "record_events"):
            return _refuse_write(request, "case", case.external_id, "record_events")
        data = request.data  # parses the body through the upload handlers (a body over the limit is not read)
        if getattr(request._request, "upload_too_large", False):
            return Response({"file": [document_services.too_large_message()]}, status=413)
        s = DocumentUploadSerializer(data=data)
        if not s.is_valid():
            return Response(s.errors, status=HTTP_422)
        d = s.validated_data
        try:
            doc = document_services.store_upload(
                case,
                request.user,
                d["file"],
                kind=d["kind"],
                title=d["title"],
                document_date=d["document_date"],
                confidential=d["confidential"],
                expected_version=d["expected_version"],
                source="api",
            )
        except document_services.DocumentError as exc:
            return _field_errors(exc.errors)
        except GATE_ERRORS as exc:
            return _gate_errors(exc)
        log_request(
            request,
            "create",
            "document",
            doc.document_id,
            municipality_id=case.municipality_id,
            detail=f"api case {case.external_id} {doc.kind}",
        )
        return Response(DocumentSerializer(doc).data, status=status.HTTP_201_CREATED)


class _DocumentScoped(_Base):
    api_resource = "documents"

    def _doc(self, request, pk: int):
        doc = document_selectors.document_for(request.user, pk)
        if doc is None:  # another municipality's, a confidential one the rule refuses, or none: the same answer
            _denied(request, "document", pk, "not found or not visible")
        return doc

    def _audit(self, request, doc, detail: str) -> None:
        log_request(
            request,
            "read",
            "document",
            doc.document_id,
            municipality_id=doc.municipality_id,
            detail=f"api {detail} case {doc.case.external_id}",
        )


class DocumentView(_DocumentScoped):
    """One document's metadata."""

    @extend_schema(responses={200: DocumentSerializer, 404: None})
    def get(self, request, pk: int):
        doc = self._doc(request, pk)
        if doc is None:
            return Response({"detail": _("Niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)
        self._audit(request, doc, "detail")
        return Response(DocumentSerializer(doc).data)


class DocumentFileView(_DocumentScoped):
    """The document's file, streamed from the storage (audited)."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: None})
    def get(self, request, pk: int):
        doc = self._doc(request, pk)
        if doc is None:
            return Response({"detail": _("Niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)
        self._audit(request, doc, "download")
        resp = FileResponse(
            document_services.open_file(doc), as_attachment=True, filename=doc.filename, content_type=doc.content_type
        )
        resp["X-Content-Type-Options"] = "nosniff"
        resp["Cache-Control"] = "private, no-store"
        return resp


# --- tasks ---------------------------------------------------------------------------------------------------------


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None)
    team = serializers.CharField(source="team.code", read_only=True, default=None)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    source = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="open or done")
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    done_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_overdue(self, task) -> bool:
        return bool(task.status == "open" and task.due_on and task.due_on < timezone.localdate())


class TaskCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="Case id (optional)")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    assignee = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Username; while they are away their substitute"
    )
    team = serializers.CharField(required=False, allow_blank=True, default="", help_text="Team code")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class TaskAssignSerializer(serializers.Serializer):
    assignee = serializers.CharField(required=False, allow_blank=True, default="", help_text="Username")
    team = serializers.CharField(required=False, allow_blank=True, default="", help_text="Team code")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


def _people(request, d) -> tuple[User | None, Team | None, dict]:
    ids, errors = municipality_ids(request.user), {}
    assignee = team = None
    if d.get("assignee"):
        assignee = User.objects.filter(username=d["assignee"], municipality_id__in=ids, is_active=True).first()
        if assignee is None:
            errors["assignee"] = [_("Toegewezen aan: kies een medewerker van uw gemeente.")]
    if d.get("team"):
        team = Team.objects.filter(code=d["team"], municipality_id__in=ids).first()
        if team is None:
            errors["team"] = [_("Team: kies een team van uw gemeente.")]
    return assignee, team, errors


class _TaskBase(_Base):
    api_resource = "tasks"

    def check_permissions(self, request):
        super().check_permissions(request)
        if not task_services.may_work(request.user):  # caseworkers and teammanagers plan work (worktasks)
            from rest_framework.exceptions import PermissionDenied

            _denied(request, "task", "", "lacks record_events/approve_deviations")
            raise PermissionDenied(_("U hebt geen toegang tot taken."))

    def _task(self, request, pk: int) -> Task | None:
        task = task_selectors.task_for(request.user, pk)
        if task is None:
            _denied(request, "task", pk, "not found in user's municipalities")
        return task

    def _audit(self, request, action_name: str, task: Task, detail: str = "") -> None:
        log_request(request, action_name, "task", task.pk, municipality_id=task.municipality_id, detail=detail)


class TasksView(_TaskBase):
    """Your open tasks (assigned to you, to your team and unclaimed, and those of a colleague you cover), or a
    case's (`?case=`); `?status=done` for finished ones (GET). Create a task (POST)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("case", int, description="Only this case's tasks"),
            OpenApiParameter("status", str, enum=["open", "done"], description="Default open"),
        ],
        responses={200: TaskSerializer(many=True), 400: None},
    )
    def get(self, request):
        qs = task_selectors.tasks_for(request.user).select_related("created_by")
        wanted = request.query_params.get("status", "open")
        if wanted not in ("open", "done"):
            return Response({"status": [_("Status: kies open of done.")]}, status=status.HTTP_400_BAD_REQUEST)
        qs = qs.filter(status=wanted)
        raw_case = request.query_params.get("case")
        if raw_case is not None:
            if not raw_case.isascii() or not raw_case.isdigit() or not 1 <= int(raw_case) <= ID_MAX:
                return Response(
                    {"case": [_("Dossier: geef het id van een dossier.")]}, status=status.HTTP_400_BAD_REQUEST
                )
            qs = qs.filter(case_id=int(raw_case))
        else:
            on = timezone.localdate()
            covered = [
                a.user_id for a in Absence.objects.filter(substitute=request.user, starts_on__lte=on, ends_on__gte=on)
            ]
            mine = Q(assignee=request.user) | Q(assignee_id__in=covered)
            if request.user.team_id:
                mine |= Q(team_id=request.user.team_id, assignee__isnull=True)
            qs = qs.filter(mine)
        qs = qs.order_by("due_on", "id")
        paginator, page = self._page(request, qs)
        log_request(
            request,
            "read",
            "task",
            "",
            municipality_id=request.user.municipality_id,
            detail=f"api list case={raw_case or '-'} status={wanted} count={paginator.page.paginator.count}",
        )
        return paginator.get_paginated_response(TaskSerializer(page, many=True).data)

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer, 403: None, 422: _ERROR_422})
    def post(self, request):
        s = TaskCreateSerializer(data=request.data)
        if not s.is_valid():
            return Response(s.errors, status=HTTP_422)
        d = s.validated_data
        case = None
        if d["case"] is not None:
            case = self._case(request, d["case"])
            if case is None:
                _denied(request, "case", d["case"], "not found in user's municipalities")
                return Response({"case": [_("Dossier: niet gevonden.")]}, status=HTTP_422)
        assignee, team, errors = _people(request, d)
        if errors:
            return Response(errors, status=HTTP_422)
        if assignee is None and team is None:
            assignee = request.user
        try:
            task = task_services.create(
                request.user,
                case=case,
                title=d["title"],
                description=d["description"],
                assignee=assignee,
                team=team,
                due_on=d["due_on"],
            )
        except task_services.TaskError as exc:
            return Response({k: [v] for k, v in exc.errors.items()}, status=HTTP_422)
        self._audit(request, "create", task, "api")
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskView(_TaskBase):
    """One task."""

    @extend_schema(responses={200: TaskSerializer, 404: None})
    def get(self, request, pk: int):
        task = self._task(request, pk)
        if task is None:
            return Response({"detail": _("Niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)
        self._audit(request, "read", task, "api")
        return Response(TaskSerializer(task).data)


class TaskAssignView(_TaskBase):
    """Hand a task on to a colleague or a team (while the colleague is away, to their substitute)."""

    @extend_schema(request=TaskAssignSerializer, responses={200: TaskSerializer, 404: None, 422: _ERROR_422})
    def post(self, request, pk: int):
        task = self._task(request, pk)
        if task is None:
            return Response({"detail": _("Niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)
        s = TaskAssignSerializer(data=request.data)
        if not s.is_valid():
            return Response(s.errors, status=HTTP_422)
        assignee, team, errors = _people(request, s.validated_data)
        if errors:
            return Response(errors, status=HTTP_422)
        try:
            task = task_services.reassign(
                task, request.user, assignee=assignee, team=team, note=s.validated_data["note"]
            )
        except task_services.TaskError as exc:
            return Response({k: [v] for k, v in exc.errors.items()}, status=HTTP_422)
        self._audit(request, "update", task, "api reassigned")
        return Response(TaskSerializer(task).data)


class TaskCompleteView(_TaskBase):
    """Mark a task done."""

    @extend_schema(request=None, responses={200: TaskSerializer, 404: None, 422: _ERROR_422})
    def post(self, request, pk: int):
        task = self._task(request, pk)
        if task is None:
            return Response({"detail": _("Niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)
        if task.status != "open":
            return Response({"status": [_("Deze taak is al afgerond.")]}, status=HTTP_422)
        task = task_services.complete(task, request.user)
        self._audit(request, "update", task, "api done")
        return Response(TaskSerializer(task).data)


# --- appointments --------------------------------------------------------------------------------------------------


class AppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    appointment_id = serializers.CharField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    kind = serializers.CharField(read_only=True)
    date = serializers.DateField(read_only=True)
    start_time = serializers.TimeField(read_only=True, format="%H:%M")
    end_time = serializers.TimeField(read_only=True, format="%H:%M")
    location = serializers.CharField(read_only=True)
    caseworker = serializers.CharField(source="caseworker_username", read_only=True)
    provider = serializers.CharField(read_only=True)
    with_whom = serializers.CharField(read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="gepland, gehouden, no_show_gemeld, no_show or verzet (rescheduled)"
    )
    rescheduled_from = serializers.CharField(read_only=True)


class AppointmentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=sorted(agenda_services.DEFAULT_MINUTES))
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField(
        required=False, allow_null=True, default=None, help_text="Default: the kind's usual length"
    )
    location = serializers.CharField(required=False, allow_blank=True, default="")
    caseworker = serializers.CharField(required=False, allow_blank=True, default="", help_text="Username; default you")
    provider = serializers.CharField(required=False, allow_blank=True, default="", help_text="Provider code")
    with_whom = serializers.CharField(required=False, allow_blank=True, default="")
    expected_version = serializers.IntegerField(min_value=0, help_text="The case version you last saw")


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=agenda_services.OUTCOMES)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    new_date = serializers.DateField(required=False, allow_null=True, default=None, help_text="For verzet")
    new_start = serializers.TimeField(required=False, allow_null=True, default=None, help_text="For verzet")
    expected_version = serializers.IntegerField(min_value=0, help_text="The case version you last saw")


class AppointmentsView(_Base):
    """Your appointments (a teammanager: a caseworker's, `?caseworker=`) from `?from=` (default today) for
    `?days=` days (default 7, at most 62); rescheduled ones left out."""

    api_resource = "appointments"

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("days", int),
            OpenApiParameter("caseworker", str, description="Username (teammanager only)"),
        ],
        responses={200: AppointmentSerializer(many=True), 400: None, 404: None},
    )
    def get(self, request):
        errors = {}
        try:
            start = dt.date.fromisoformat(request.query_params["from"]) if "from" in request.query_params else None
        except ValueError:
            errors["from"] = [_("Vanaf: geef de datum als JJJJ-MM-DD.")]
            start = None
        raw_days = request.query_params.get("days", "7")
        if not raw_days.isdigit() or not 1 <= int(raw_days) <= MAX_DAYS:
            errors["days"] = [_("Dagen: geef een aantal dagen van 1 tot %(max)s.") % {"max": MAX_DAYS}]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        start = start or timezone.localdate()
        who = request.user
        name = request.query_params.get("caseworker")
        if name and name != request.user.username:
            other = None
            if request.user.role == "teammanager":
                other = User.objects.filter(username=name, municipality_id__in=municipality_ids(request.user)).first()
            if other is None:
                return _not_found(request, "calendar", name)
            who = other
        qs = agenda_selectors.calendar(request.user, who, start, int(raw_days))
        paginator, page = self._page(request, qs)
        log_request(
            request,
            "read",
            "calendar",
            who.username,
            municipality_id=request.user.municipality_id,
            detail=f"api from {start.isoformat()} days={raw_days} appointments={paginator.page.paginator.count}",
        )
        return paginator.get_paginated_response(AppointmentSerializer(page, many=True).data)


class CaseAppointmentsView(_Base):
    """A case's appointments (GET), or plan one (POST): one `afspraak` event through the decision gate."""

    api_resource = "appointments"

    @extend_schema(responses={200: AppointmentSerializer(many=True), 404: None})
    def get(self, request, pk: int):
        case = self._case(request, pk)
        if case is None:
            return _not_found(request, "case", pk)
        qs = agenda_selectors.for_case(request.user, case)
        paginator, page = self._page(request, qs)
        log_request(
            request, "read", "case", case.external_id, municipality_id=case.municipality_id, detail="api appointments"
        )
        return paginator.get_paginated_response(AppointmentSerializer(page, many=True).data)

    @extend_schema(
        request=AppointmentCreateSerializer,
        responses={
            201: AppointmentSerializer,
            403: _REFUSED_403,
            404: None,
            409: _CONFLICT_409,
            422: _ERROR_422,
            503: _POLICY_503,
        },
    )
    def post(self, request, pk: int):
        case = self._case(request, pk)
        if case is None:
            return _not_found(request, "case", pk)
        if not can(request.user, "record_events"):
            return _refuse_write(request, "case", case.external_id, "record_events")
        s = AppointmentCreateSerializer(data=request.data)
        if not s.is_valid():
            return Response(s.errors, status=HTTP_422)
        d = s.validated_data
        try:
            appt = agenda_services.plan(
                case,
                request.user,
                kind=d["kind"],
                date=d["date"],
                start_time=d["start_time"],
                end_time=d["end_time"],
                location=d["location"],
                caseworker=d["caseworker"],
                provider=d["provider"],
                with_whom=d["with_whom"],
                expected_version=d["expected_version"],
                source="api",
            )
        except GATE_ERRORS as exc:
            return _gate_errors(exc)
        log_request(
            request,
            "create",
            "appointment",
            appt.appointment_id,
            municipality_id=case.municipality_id,
            detail=f"api case {case.external_id} {appt.kind}",
        )
        return Response(AppointmentSerializer(appt).data, status=status.HTTP_201_CREATED)


class _AppointmentScoped(_Base):
    api_resource = "appointments"

    def _appointment(self, request, pk: int) -> Appointment | None:
        try:
            return agenda_selectors.appointment(request.user, pk)
        except Appointment.DoesNotExist:
            _denied(request, "appointment", pk, "not found in user's municipalities")
            return None


class AppointmentView(_AppointmentScoped):
    """One appointment."""

    @extend_schema(responses={200: AppointmentSerializer, 404: None})
    def get(self, request, pk: int):
        appt = self._appointment(request, pk)
        if appt is None:
            return Response({"detail": _("Niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)
        log_request(
            request, "read", "appointment", appt.appointment_id, municipality_id=appt.municipality_id, detail="api"
        )
        return Response(AppointmentSerializer(appt).data)


class AppointmentOutcomeView(_AppointmentScoped):
    """Record how the appointment went (`afspraak_uitkomst`): held, no-show with or without notice, or rescheduled
    (`verzet` with `new_date` and `new_start`: answers the new appointment). Not before the appointment's day."""

    @extend_schema(
        request=OutcomeSerializer,
        responses={
            200: AppointmentSerializer,
            403: _REFUSED_403,
            404: None,
            409: _CONFLICT_409,
            422: _ERROR_422,
            503: _POLICY_503,
        },
    )
    def post(self, request, pk: int):
        appt = self._appointment(request, pk)
        if appt is None:
            return Response({"detail": _("Niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)
        if not can(request.user, "record_events"):
            return _refuse_write(request, "appointment", appt.appointment_id, "record_events")
        s = OutcomeSerializer(data=request.data)
        if not s.is_valid():
            return Response(s.errors, status=HTTP_422)
        d = s.validated_data
        try:
            result = agenda_services.record_outcome(
                appt,
                request.user,
                outcome=d["outcome"],
                note=d["note"].strip(),
                new_date=d["new_date"],
                new_start=d["new_start"],
                source="api",
                expected_version=d["expected_version"],
            )
        except GATE_ERRORS as exc:
            return _gate_errors(exc)
        log_request(
            request,
            "create",
            "appointment",
            appt.appointment_id,
            municipality_id=appt.municipality_id,
            detail=f"api outcome {d['outcome']}",
        )
        return Response(AppointmentSerializer(result).data)


# --- journal notes -------------------------------------------------------------------------------------------------


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The event's id")
    external_id = serializers.CharField(read_only=True)
    effective_date = serializers.DateField(read_only=True)
    author = serializers.CharField(source="actor.username", read_only=True, default=None)
    text = serializers.SerializerMethodField()
    channel = serializers.SerializerMethodField()
    appointment_id = serializers.SerializerMethodField()
    confidential = serializers.SerializerMethodField()
    confidentiality = serializers.SerializerMethodField()
    redacted = serializers.SerializerMethodField(help_text="True: a confidential note whose text you may not read")

    def _p(self, e) -> dict:
        return e.payload or {}

    def get_text(self, e) -> str:
        return self._p(e).get("text", "")

    def get_channel(self, e) -> str | None:
        return self._p(e).get("channel")

    def get_appointment_id(self, e) -> str | None:
        return self._p(e).get("appointment_id")

    def get_confidential(self, e) -> bool:
        return bool(self._p(e).get("confidential"))

    def get_confidentiality(self, e) -> str | None:
        return self._p(e).get("confidentiality")

    def get_redacted(self, e) -> bool:
        return bool(self._p(e).get("redacted"))


class NoteCreateSerializer(serializers.Serializer):
    text = serializers.CharField()
    channel = serializers.CharField(required=False, allow_blank=True, default="", help_text="Makes it a contact")
    appointment_id = serializers.CharField(required=False, allow_blank=True, default="")
    event_id = serializers.CharField(required=False, allow_blank=True, default="", help_text="Linked step")
    confidential = serializers.BooleanField(required=False, default=False)
    confidentiality = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="medisch, veiligheid or overig (when confidential)"
    )
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)
    expected_version = serializers.IntegerField(min_value=0, help_text="The case version you last saw")


class CaseNotesView(_Base):
    """A case's journal notes, newest first, `?q=` searching their text (GET); a confidential note's text only for
    whom the confidentiality rule allows (each note read audited). Add a note (POST)."""

    api_resource = "notes"

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Every word must occur (accent-insensitive)")],
        responses={200: NoteSerializer(many=True), 404: None},
    )
    def get(self, request, pk: int):
        case = self._case(request, pk)
        if case is None:
            return _not_found(request, "case", pk)
        q = request.query_params.get("q", "").strip()
        cw = getattr(getattr(case, "state", None), "caseworker_id", None)
        notes = journal_selectors.notes_of_case(request.user, case, q)
        if q:  # a search never matches a note whose text the user may not read
            notes = [e for e in notes if confidential.may_read(request.user, e, cw)]
        paginator, page = self._page(request, notes)
        log_request(
            request,
            "search" if q else "read",
            "case",
            case.external_id,
            municipality_id=case.municipality_id,
            detail="api notes",
        )
        page = confidential.filter_events(request, page, cw, municipality_id=case.municipality_id)
        return paginator.get_paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(
        request=NoteCreateSerializer,
        responses={
            201: NoteSerializer,
            403: _REFUSED_403,
            404: None,
            409: _CONFLICT_409,
            422: _ERROR_422,
            503: _POLICY_503,
        },
    )
    def post(self, request, pk: int):
        case = self._case(request, pk)
        if case is None:
            return _not_found(request, "case", pk)
        if not can(request.user, "record_events"):
            return _refuse_write(request, "case", case.external_id, "record_events")
        s = NoteCreateSerializer(data=request.data)
        if not s.is_valid():
            return Response(s.errors, status=HTTP_422)
        d = s.validated_data
        try:
            event = journal_services.add_note(
                case,
                request.user,
                text=d["text"],
                channel=d["channel"],
                appointment_id=d["appointment_id"],
                event_id=d["event_id"],
                confidential=d["confidential"],
                confidentiality=d["confidentiality"],
                effective_date=d["effective_date"],
                expected_version=d["expected_version"],
                source="api",
            )
        except GATE_ERRORS as exc:
            return _gate_errors(exc)
        log_request(request, "create", "note", event.external_id, municipality_id=case.municipality_id, detail="api")
        return Response(NoteSerializer(event).data, status=status.HTTP_201_CREATED)
