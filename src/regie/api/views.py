"""REST API v1: clients, cases and the case event log, with the web app's tenancy, roles and audit."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from regie.accounts.tenancy import municipality_ids
from regie.audit.services import log_request
from regie.casework import selectors
from regie.casework.models import Case, Client
from regie.casework.services import ConflictError, append_event
from regie.core.events import EventError

from .permissions import HasCapability
from .serializers import (CaseCreateSerializer, CaseSerializer, ClientSerializer, EventCreateSerializer,
                          EventSerializer)


class _Audited:
    audit_type = "object"

    def get_object(self):
        """Another municipality's object answers 404 like a missing one; the attempt is audited as denied."""
        try:
            return super().get_object()
        except Http404:
            log_request(self.request, "read", self.audit_type, self.kwargs.get("pk", ""), result="denied",
                        municipality_id=self.request.user.municipality_id, detail="not found in user's municipalities")
            raise NotFound

    def _audit(self, action_name: str, object_id="", detail: str = "") -> None:
        log_request(self.request, action_name, self.audit_type, object_id,
                    municipality_id=self.request.user.municipality_id, detail=detail)


class ClientViewSet(_Audited, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    """Clients of your municipality. `?q=` searches by name or full BSN."""

    serializer_class = ClientSerializer
    permission_classes = [HasCapability]
    required_capability = "view_clients"
    capabilities = {"create": "record_events"}
    audit_type = "client"

    def get_queryset(self):
        qs = selectors.clients_for(self.request.user).order_by("family_name", "id")
        q = self.request.query_params.get("q", "").strip()
        if q:
            ids = selectors.worklist(self.request.user, scope="all", q=q).values_list("case__client_id", flat=True)
            qs = qs.filter(pk__in=ids)
        return qs

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._audit("search" if request.query_params.get("q") else "read", detail=f"list count={response.data.get('count')}")
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
            raise ValidationError({"bsn": ["a client with this BSN already exists in your municipality"]})
        self._audit("create", obj.external_id)


class CaseViewSet(_Audited, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases (dossiers) with their current state; their events under `/cases/{id}/events/`."""

    serializer_class = CaseSerializer
    permission_classes = [HasCapability]
    required_capability = "view_clients"
    capabilities = {"create_case": "record_events", "events": "view_clients"}
    audit_type = "case"

    def get_queryset(self):
        qs = Case.objects.filter(municipality_id__in=municipality_ids(self.request.user)).select_related(
            "state__caseworker", "team").order_by("id")
        p = self.request.query_params
        if client := p.get("client"):
            qs = qs.filter(client_id=client)
        if st := p.get("status"):
            qs = qs.filter(state__status=st)
        if p.get("mine") in ("1", "true"):
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
            raise ValidationError({"client": ["no such client in your municipality"]})
        case = Case.objects.create(municipality_id=client.municipality_id, client=client,
                                   external_id=s.validated_data.get("external_id") or f"K-{uuid.uuid4().hex[:12]}",
                                   opened_on=s.validated_data["opened_on"], team=request.user.team)
        self._audit("create", case.external_id)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=EventSerializer(many=True))
    @extend_schema(methods=["post"], request=EventCreateSerializer, responses={201: EventSerializer, 409: None})
    @action(detail=True, methods=["get", "post"])
    def events(self, request, pk=None):
        """The case's events (GET), or append one (POST, needs `expected_version`)."""
        case = self.get_object()
        if request.method == "GET":
            events = case.events.select_related("actor").order_by("effective_date", "id")
            page = self.paginate_queryset(events)
            self._audit("read", case.external_id, detail="events")
            return self.get_paginated_response(EventSerializer(page, many=True).data)
        from regie.accounts.tenancy import can

        if not can(request.user, "record_events"):
            log_request(request, "denied", "case", case.external_id, result="denied",
                        municipality_id=request.user.municipality_id, detail="lacks record_events")
            return Response({"detail": "your role may not record events"}, status=status.HTTP_403_FORBIDDEN)
        s = EventCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        try:
            event = append_event(case, type=d["type"], effective_date=d["effective_date"], payload=d["payload"],
                                 decision=d["decision"], actor=request.user, expected_version=d["expected_version"])
        except EventError as exc:
            raise ValidationError({f: [m] for f, m in exc.errors})
        except ConflictError as exc:
            return Response({"detail": str(exc), "current_version": exc.actual}, status=status.HTTP_409_CONFLICT)
        self._audit("create", case.external_id, detail=f"event {event.type}")
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)
