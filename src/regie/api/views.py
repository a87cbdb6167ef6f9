"""REST API v1: clients, cases and the case event log, with the web app's tenancy, roles and audit."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from regie.accounts.tenancy import municipality_ids
from regie.audit.services import log_request
from regie.casework import confidential, selectors
from regie.casework.decisions import SERVER_COMPUTED, DecisionRefused, record_step, review_pending
from regie.casework.models import Case, PendingDecision
from regie.casework.services import ConflictError
from regie.casework.validation import translate
from regie.core.events import DECISION_TYPES, EventError, Message
from regie.platform.labels import event_label, field_label

from .params import (
    CASE_LIST_PARAMETERS,
    CLIENT_LIST_PARAMETERS,
    EVENT_LIST_PARAMETERS,
    PENDING_LIST_PARAMETERS,
    Pagination,
    query,
)
from .permissions import HasCapability
from .serializers import (
    CaseCreateSerializer,
    CaseSerializer,
    ClientSerializer,
    ConflictSerializer,
    EventCreateSerializer,
    EventSerializer,
    PendingDecisionSerializer,
    RefusalSerializer,
    ReviewSerializer,
)

HTTP_422 = status.HTTP_422_UNPROCESSABLE_ENTITY
MOTIVATION_FIELDS = ("motivation_code", "motivation")


def _field_errors(errors) -> Response:
    """422 naming every bad field: ``{"<field>": ["<message>"], ...}``. The keys are the request's field names (for
    programs); the messages name the field by its label, in the request's language (Accept-Language, Dutch when
    none of ours is asked: regie.platform.locale)."""
    out: dict[str, list[str]] = {}
    for fieldname, message in errors:
        if isinstance(message, Message) and "field" in message.params:
            # the field named by the label registry (the step forms' labels too), not only the core's table
            message = Message(message.template, **{**message.params, "field": field_label(fieldname)})
        out.setdefault(fieldname, []).append(translate(message))
    return Response(out, status=HTTP_422)


def _serializer_errors(errors) -> Response:
    """422 of a serializer's errors, each message prefixed by its field's label ("BSN: Dit veld is vereist.")."""

    def named(key: str, value):
        if isinstance(value, dict):
            return {k: named(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [named(key, v) for v in value]
        text = str(value)
        if key == "non_field_errors":
            return text
        shown = field_label(key)
        return text if text.startswith(shown) else f"{shown}: {text}"

    return Response({k: named(k, v) for k, v in errors.items()}, status=HTTP_422)


def _server_computed(key: str) -> str:
    return _("%(field)s berekent de server uit het geldende beleid; stuur het niet mee") % {"field": field_label(key)}


def _not_text(key: str) -> str:
    return _("%(field)s moet tekst zijn") % {"field": field_label(key)}


def _conflict(exc: ConflictError) -> Response:
    """409 with ``current_version`` (for programs) and the message in the request's language."""
    message = _(
        "Dossier %(case)s is intussen door iemand anders gewijzigd (u zag versie %(expected)s, nu is het versie "
        "%(actual)s). Laad het dossier opnieuw en leg uw wijziging opnieuw vast."
    ) % {"case": exc.case.external_id, "expected": exc.expected, "actual": exc.actual}
    return Response({"detail": message, "current_version": exc.actual}, status=status.HTTP_409_CONFLICT)


def _refusal(exc: DecisionRefused) -> Response:
    """403 with ``rule``/``source`` (for programs) and the refusal in the request's language."""
    return Response({**exc.as_dict(), "detail": translate(exc.message)}, status=status.HTTP_403_FORBIDDEN)


def _client_motivation(data, event_type: str) -> tuple[str, str]:
    """The motivation the client may send (top level, or in a `decision` block holding only motivation fields).

    Everything else of a decision block is the server's: a client-supplied recommendation, `deviates`, approval,
    policy version, ... is refused (EventError naming the field), never stored."""
    errors: list[tuple[str, str]] = []
    for key in SERVER_COMPUTED:
        if key in data:
            errors.append((key, _server_computed(key)))
    values: dict[str, str] = {}
    for k in MOTIVATION_FIELDS:
        v = data.get(k)
        if v is not None and not isinstance(v, str):  # e.g. a JSON list, or a form field sent twice
            errors.append((k, _not_text(k)))
            v = ""
        values[k] = (v or "").strip()
    block = data.get("decision")
    if block is not None and not isinstance(block, dict):
        errors.append(
            (
                "decision",
                _("%(field)s moet een object zijn met alleen motivation_code en/of motivation")
                % {"field": field_label("decision")},
            )
        )
        block = None
    is_decision = event_type in DECISION_TYPES
    if block is not None:
        if not is_decision:
            errors.append(
                (
                    "decision",
                    _("%(type)s is geen besluit en kan geen beslissing bevatten") % {"type": event_label(event_type)},
                )
            )
        for key, value in block.items():
            if key in SERVER_COMPUTED:
                errors.append((f"decision.{key}", _server_computed(key)))
            elif key not in MOTIVATION_FIELDS:
                errors.append(
                    (
                        f"decision.{key}",
                        _("onbekend veld: een beslissing bevat alleen motivation_code en motivation"),
                    )
                )
            elif value is not None and not isinstance(value, str):
                errors.append((f"decision.{key}", _not_text(key)))
            elif (value or "").strip():
                if values[key] and values[key] != value.strip():
                    errors.append(
                        (
                            f"decision.{key}",
                            _("%(field)s verschilt van die buiten de beslissing; stuur het één keer")
                            % {"field": field_label(key)},
                        )
                    )
                values[key] = value.strip()
    if not is_decision:
        errors += [
            (k, _("%(field)s: alleen een besluit heeft een motivering") % {"field": field_label(k)})
            for k in MOTIVATION_FIELDS
            if values[k]
        ]
    if errors:
        raise EventError(errors)
    return values["motivation_code"], values["motivation"]


_ERROR_422 = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="A field is wrong; every bad field is named, with its message. Also when the request carries a "
    "part of the decision that the server computes (recommendation, deviates, decided, approval, "
    "policy_version, legal_basis, explanation, source), or a deviating decision lacks a motivation.",
    examples=[
        OpenApiExample(
            "payload field",
            value={"payload.percentage": ["Input should be less than or equal to 100"]},
            status_codes=["422"],
            response_only=True,
        ),
        OpenApiExample(
            "server-computed part",
            status_codes=["422"],
            response_only=True,
            value={
                "decision.recommendation": ["Advies berekent de server uit het geldende beleid; stuur het niet mee"]
            },
        ),
        OpenApiExample(
            "deviation without motivation",
            status_codes=["422"],
            response_only=True,
            value={
                "motivation": [
                    "Uw besluit wijkt af van het advies van het beleid: geef een redencode of een motivering."
                ]
            },
        ),
    ],
)
_REFUSED_403 = OpenApiResponse(
    response=RefusalSerializer,
    description="Your role may not record events, or the municipality's policy (decision rights) does not let your "
    "role take this decision; `rule` and `source` name the rule. Nothing is recorded.",
    examples=[
        OpenApiExample(
            "decision rights",
            status_codes=["403"],
            response_only=True,
            value={
                "detail": "Uw rol (Integrale klantmanager) mag volgens het beleid van Leidschendam-Voorburg geen "
                "maatregel vastleggen; dat mogen: Inkomensconsulent, Teammanager "
                "(seed 001:737-743, 001:1048-1060: ...).",
                "rule": "leidschendam-voorburg.decision_rights.maatregel",
                "source": "seed 001:737-743, 001:1048-1060: in the split model the income consultant decides on "
                "benefit and sanctions",
                "allowed_roles": ["inkomensconsulent", "teammanager"],
                "policy_version": "leidschendam-voorburg@2008-01-01",
            },
        )
    ],
)
_CONFLICT_409 = OpenApiResponse(
    response=ConflictSerializer,
    description="The case changed since `expected_version`; reload it and send the event again. Nothing is recorded.",
    examples=[
        OpenApiExample(
            "stale version",
            status_codes=["409"],
            response_only=True,
            value={
                "detail": "Dossier K-1 is intussen door iemand anders gewijzigd (u zag versie 4, nu is het versie 5). "
                "Laad het dossier opnieuw en leg uw wijziging opnieuw vast.",
                "current_version": 5,
            },
        )
    ],
)
_PENDING_202 = OpenApiResponse(
    response=PendingDecisionSerializer,
    description="The decision deviates from the policy's advice in a rules-steered municipality: it waits for a "
    "teammanager of the municipality (four eyes, `/api/v1/pending-decisions/`) and is not an event yet.",
    examples=[
        OpenApiExample(
            "waiting for approval",
            status_codes=["202"],
            response_only=True,
            value={
                "id": 7,
                "case": 12,
                "status": "pending",
                "event_type": "maatregel",
                "effective_date": "2025-03-01",
                "payload": {
                    "obligation_type": "arbeidsverplichting",
                    "percentage": 100.0,
                    "months": 1,
                    "repeat_step": 1,
                },
                "decision": {
                    "policy_version": "leidschendam-voorburg@2008-01-01",
                    "recommendation": {"percentage": 100.0, "months": 1},
                    "decided": {"percentage": 100.0, "months": 2},
                    "deviates": True,
                    "motivation_code": "professioneel",
                    "motivation": "Herhaald niet verschenen",
                    "legal_basis": "Pw art. 18 lid 2 en de afstemmingsverordening",
                    "source": "api",
                },
                "requested_by": "inkomensconsulent.1916",
                "requested_at": "2025-03-01T09:30:00Z",
                "reviewed_by": None,
                "reviewed_at": None,
                "review_note": "",
                "event": None,
            },
        )
    ],
)


_POLICY_503 = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="The municipality has no policy in force on the date (fail closed): nothing is recorded.",
    examples=[
        OpenApiExample(
            "no policy",
            status_codes=["503"],
            response_only=True,
            value={
                "detail": "Er is geen beleid van gemeente 0518 dat geldt op 01-01-2000. Regie geeft geen advies en "
                "legt geen besluit vast zolang het beleid ontbreekt. Neem contact op met de functioneel beheerder."
            },
        )
    ],
)


class _Audited:
    audit_type = "object"

    def get_object(self):
        """Another municipality's object answers 404 like a missing one; the attempt is audited as denied."""
        try:
            return super().get_object()
        except Http404:
            log_request(
                self.request,
                "read",
                self.audit_type,
                self.kwargs.get("pk", ""),
                result="denied",
                municipality_id=self.request.user.municipality_id,
                detail="not found in user's municipalities",
            )
            raise NotFound from None

    def _audit(self, action_name: str, object_id="", detail: str = "") -> None:
        log_request(
            self.request,
            action_name,
            self.audit_type,
            object_id,
            municipality_id=self.request.user.municipality_id,
            detail=detail,
        )


@extend_schema_view(list=extend_schema(parameters=CLIENT_LIST_PARAMETERS))
class ClientViewSet(
    _Audited, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Clients of your municipality. `?q=` searches by name or full BSN."""

    serializer_class = ClientSerializer
    permission_classes = [HasCapability]
    pagination_class = Pagination
    required_capability = "view_clients"
    capabilities = {"create": "record_events"}
    api_resource = "clients"
    audit_type = "client"

    def get_queryset(self):
        qs = selectors.clients_for(self.request.user).order_by("family_name", "id")
        q = query(self.request, "q") if self.action == "list" else ""
        if q:
            ids = selectors.worklist(self.request.user, scope="all", q=q).values_list("case__client_id", flat=True)
            qs = qs.filter(pk__in=ids)
        return qs

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._audit(
            "search" if request.query_params.get("q") else "read", detail=f"list count={response.data.get('count')}"
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self._audit("read", response.data["external_id"])
        return response

    def perform_create(self, serializer):
        user = self.request.user
        muni_id = user.municipality_id
        if serializer.validated_data.get("external_id") is None:
            serializer.validated_data["external_id"] = f"C-{uuid.uuid4().hex[:12]}"
        try:
            with transaction.atomic():
                obj = serializer.save(municipality_id=muni_id)
        except IntegrityError:
            raise ValidationError({"bsn": [_("BSN: er is al een cliënt met dit BSN in uw gemeente")]}) from None
        self._audit("create", obj.external_id)


@extend_schema_view(list=extend_schema(parameters=CASE_LIST_PARAMETERS))
class CaseViewSet(_Audited, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases (dossiers) with their current state; their events under `/cases/{id}/events/`."""

    serializer_class = CaseSerializer
    permission_classes = [HasCapability]
    pagination_class = Pagination
    required_capability = "view_clients"
    capabilities = {"create_case": "record_events", "events": "view_clients"}
    api_resource = "cases"
    api_resources = {"events": "events"}
    audit_type = "case"

    def get_queryset(self):
        qs = (
            Case.objects.filter(municipality_id__in=municipality_ids(self.request.user))
            .select_related("state__caseworker", "team")
            .order_by("id")
        )
        if self.action != "list":
            return qs
        if (client := query(self.request, "client")) is not None:
            qs = qs.filter(client_id=client)
        if st := query(self.request, "status", kind="case_status"):
            qs = qs.filter(state__status=st)
        if query(self.request, "mine"):
            qs = qs.filter(state__caseworker=self.request.user)
        return qs

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._audit("read", detail=f"list count={response.data.get('count')}")
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self._audit("read", response.data["external_id"])
        return response

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseSerializer})
    @action(detail=False, methods=["post"], url_path="open")
    def create_case(self, request):
        """Open a case for a client of your municipality (then record `melding` as its first event)."""
        s = CaseCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        client = selectors.clients_for(request.user).filter(pk=s.validated_data["client"]).first()
        if client is None:
            raise ValidationError({"client": [_("Cliënt: deze cliënt bestaat niet in uw gemeente")]})
        case = Case.objects.create(
            municipality_id=client.municipality_id,
            client=client,
            external_id=s.validated_data.get("external_id") or f"K-{uuid.uuid4().hex[:12]}",
            opened_on=s.validated_data["opened_on"],
            team=request.user.team,
        )
        self._audit("create", case.external_id)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=EventSerializer(many=True), parameters=EVENT_LIST_PARAMETERS)
    @extend_schema(
        methods=["post"],
        request=EventCreateSerializer,
        description=(
            "Append one event (needs `expected_version`). A decision (`toekenning`, `afwijzing`, `classificatie`, "
            "`plan_van_aanpak`, `traject_start`, `ontheffing_start`, `waarschuwing`, `maatregel`, `uitstroom`) goes "
            "through the same decision gate as the web form: the server checks the policy's decision rights for "
            "your role, computes the recommendation from the policy in force on `effective_date`, compares it with "
            "the payload and stores policy version, recommendation, `deviates`, legal basis, explanation and "
            "`source: api`. Send only `motivation_code` / `motivation` (needed when the payload deviates from the "
            "advice). In a rules-steered municipality a deviation is 202: it waits for a teammanager."
        ),
        responses={
            201: EventSerializer,
            202: _PENDING_202,
            403: _REFUSED_403,
            409: _CONFLICT_409,
            422: _ERROR_422,
            503: _POLICY_503,
        },
    )
    @action(detail=True, methods=["get", "post"])
    def events(self, request, pk=None):
        """The case's events (GET), or append one (POST, needs `expected_version`)."""
        case = self.get_object()
        if request.method == "GET":
            events = case.events.select_related("actor").order_by("effective_date", "id")
            page = self.paginate_queryset(events)
            self._audit("read", case.external_id, detail="events")
            # journal: a confidential note's text only for whom casework.confidential allows; every note read audited
            state = getattr(case, "state", None)
            page = confidential.filter_events(request, page, state.caseworker_id if state else None)
            return self.get_paginated_response(EventSerializer(page, many=True).data)
        from regie.accounts.tenancy import can

        if not can(request.user, "record_events"):
            log_request(
                request,
                "denied",
                "case",
                case.external_id,
                result="denied",
                municipality_id=request.user.municipality_id,
                detail="lacks record_events",
            )
            return Response(
                {
                    "detail": _("Uw rol mag geen gebeurtenissen vastleggen."),
                    "rule": "capability.record_events",
                    "source": "regie.accounts.tenancy.CAPABILITIES",
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        s = EventCreateSerializer(data=request.data)
        if not s.is_valid():
            return _serializer_errors(s.errors)
        d = s.validated_data
        try:
            motivation_code, motivation = _client_motivation(request.data | {"decision": d["decision"]}, d["type"])
            outcome, obj = record_step(
                case,
                request.user,
                event_type=d["type"],
                effective_date=d["effective_date"],
                payload=d["payload"],
                motivation_code=motivation_code,
                motivation=motivation,
                expected_version=d["expected_version"],
                source="api",
            )
        except DecisionRefused as exc:
            log_request(
                request,
                "denied",
                "case",
                case.external_id,
                result="denied",
                municipality_id=request.user.municipality_id,
                detail=f"{d['type']}: {exc.rule}",
            )
            return _refusal(exc)
        except EventError as exc:
            return _field_errors(exc.errors)
        except ConflictError as exc:
            return _conflict(exc)
        self._audit("create", case.external_id, detail=f"{outcome} {d['type']}")
        if outcome == "pending":
            return Response(PendingDecisionSerializer(obj).data, status=status.HTTP_202_ACCEPTED)
        return Response(EventSerializer(obj).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=PENDING_LIST_PARAMETERS))
class PendingDecisionViewSet(_Audited, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The four-eyes queue: deviating decisions of rules-steered municipalities waiting for a teammanager.

    Teammanagers only (`approve_deviations`); you see your municipality's (or your shared service's) decisions.
    `?status=pending` (default), `approved`, `rejected` or `all`."""

    serializer_class = PendingDecisionSerializer
    permission_classes = [HasCapability]
    pagination_class = Pagination
    required_capability = "approve_deviations"
    api_resource = "pending-decisions"
    audit_type = "approvals"

    def get_queryset(self):
        qs = (
            PendingDecision.objects.filter(municipality_id__in=municipality_ids(self.request.user))
            .select_related("requested_by", "reviewed_by")
            .order_by("requested_at", "id")
        )
        if self.action != "list":
            return qs
        wanted = query(self.request, "status", kind="pending_status") or "pending"
        return qs if wanted == "all" else qs.filter(status=wanted)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._audit("read", detail=f"list count={response.data.get('count')}")
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self._audit("read", response.data["id"])
        return response

    @extend_schema(
        request=ReviewSerializer,
        description="Approve (the event is appended with the approval in its decision block) or reject (a note is "
        "required). Only a teammanager of the decision's municipality who is not its author.",
        responses={
            200: PendingDecisionSerializer,
            403: OpenApiResponse(
                response=RefusalSerializer,
                description="Not a teammanager of this municipality, or the author of the decision (four eyes)",
                examples=[
                    OpenApiExample(
                        "own decision",
                        status_codes=["403"],
                        response_only=True,
                        value={
                            "detail": "Vier ogen: u kunt uw eigen besluit niet goedkeuren.",
                            "rule": "four_eyes.author",
                            "source": "vier ogen",
                        },
                    )
                ],
            ),
            422: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="A field is wrong (a rejection without note, an already reviewed decision)",
                examples=[
                    OpenApiExample(
                        "no note",
                        status_codes=["422"],
                        response_only=True,
                        value={"note": ["Geef de reden waarom u het besluit afwijst."]},
                    )
                ],
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Approve or reject a pending decision."""
        self.kwargs.setdefault("pk", pk)
        pending = self._pending(pk)
        s = ReviewSerializer(data=request.data)
        if not s.is_valid():
            return _serializer_errors(s.errors)
        approve = s.validated_data["verdict"] == "approve"
        try:
            pending = review_pending(pending, request.user, approve=approve, note=s.validated_data["note"])
        except DecisionRefused as exc:
            log_request(
                request,
                "denied",
                "case",
                pending.case.external_id,
                result="denied",
                municipality_id=pending.municipality_id,
                detail=f"review {exc.rule}",
            )
            return _refusal(exc)
        except EventError as exc:
            return _field_errors(exc.errors)
        log_request(
            request,
            "update",
            "case",
            pending.case.external_id,
            municipality_id=pending.municipality_id,
            detail=f"{'approved' if approve else 'rejected'} {pending.event_type}",
        )
        return Response(PendingDecisionSerializer(pending).data)

    def _pending(self, pk) -> PendingDecision:
        """Any status (a second review is a 422, not a 404); another municipality's decision is 404."""
        pending = PendingDecision.objects.filter(pk=pk, municipality_id__in=municipality_ids(self.request.user)).first()
        if pending is None:
            log_request(
                self.request,
                "read",
                self.audit_type,
                pk or "",
                result="denied",
                municipality_id=self.request.user.municipality_id,
                detail="not found in user's municipalities",
            )
            raise NotFound
        return pending
