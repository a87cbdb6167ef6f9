"""REST API: a case's legal life (voornemens, objections, appeals, open terms) and its steps, through the same
decision gate as the web forms (regie.casework.decisions.record_step). Answers as the event endpoint: 201
recorded, 403 refused (capability, decision rights, or the hearing rule Awb art. 4:8, with ``rule``), 409 stale
``expected_version``, 422 a field (named), 503 no policy."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.accounts.tenancy import can, municipality_ids
from regie.audit.services import log_request
from regie.casework.decisions import DecisionRefused
from regie.casework.legal import legal_state
from regie.casework.models import Case
from regie.casework.services import ConflictError
from regie.casework.validation import translate
from regie.core.events import LEGAL_EVENT_TYPES, EventError
from regie.core.legal.lifecycle import LegalState
from regie.core.policy import PolicyUnavailable
from regie.legal.access import capability_for
from regie.legal.services import record_legal_step
from regie.platform.labels import event_label

from .permissions import HasCapability
from .serializers import EventSerializer
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

LEGAL_STEP_TYPES = sorted(LEGAL_EVENT_TYPES)


class LegalStepSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=LEGAL_STEP_TYPES, help_text="The legal step (docs/glossary.md)")
    effective_date = serializers.DateField(help_text="The day it happened (a bezwaar: the day it was received)")
    payload = serializers.DictField(
        required=False, default=dict, help_text="Fields of the step: regie.core.events (section legal)"
    )
    motivation = serializers.CharField(required=False, allow_blank=True, default="")
    expected_version = serializers.IntegerField(min_value=0, help_text="The case version you last saw")


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def legal_json(state: LegalState, on: dt.date) -> dict:
    """The case's legal life as JSON (field names stable; dates ISO)."""
    return {
        "voornemens": [
            {
                "voornemen_id": v.voornemen_id,
                "decision_type": v.decision_type,
                "sent_on": _iso(v.sent_on),
                "zienswijze_until": _iso(v.zienswijze_until),
                "no_hearing_ground": v.no_hearing_ground,
                "hearing_status": v.hearing_status,
                "decision_event": v.used_by,
            }
            for v in state.voornemens.values()
        ],
        "objections": [
            {
                "objection_id": o.objection_id,
                "decision_event": o.decision_event,
                "decision_type": o.decision_type,
                "received_on": _iso(o.received_on),
                "timely": None if o.timeliness is None else o.timeliness.timely,
                "timeliness_article": None if o.timeliness is None else o.timeliness.article,
                "late_reason": o.late_reason,
                "advisory_committee": o.advisory_committee,
                "hearing_status": o.hearing_status,
                "hearing_by": o.hearing_by,
                "decision_due": _iso(o.decision_term().end),
                "decision_due_source": o.decision_term().source,
                "outcome": o.outcome,
                "decided_on": _iso(o.decided_on),
                "decided_within_term": o.decided_within_term,
                "revoked": o.revoked,
            }
            for o in state.objections.values()
        ],
        "appeals": [
            {
                "appeal_id": a.appeal_id,
                "court": a.court,
                "stage": a.stage,
                "filed_on": _iso(a.filed_on),
                "objection_id": a.objection_id,
                "lower_appeal_id": a.lower_appeal_id,
                "outcome": a.outcome,
                "ruling_sent_on": _iso(a.ruling_sent_on),
            }
            for a in state.appeals.values()
        ],
        "open_terms": [
            {
                "key": t.key,
                "label": t.label,
                "due": _iso(t.due),
                "source": t.source,
                "ref": t.ref,
                "overdue": t.overdue,
                "assumptions": list(t.assumptions),
            }
            for t in state.open_terms(on)
        ],
    }


_LEGAL_EXAMPLE = OpenApiExample(
    "one objection",
    response_only=True,
    value={
        "voornemens": [],
        "objections": [
            {
                "objection_id": "BZ-1a2b3c4d",
                "decision_event": 812,
                "decision_type": "maatregel",
                "received_on": "2026-10-20",
                "timely": True,
                "timeliness_article": "Awb art. 6:9 lid 1",
                "advisory_committee": True,
                "decision_due": "2027-01-21",
                "decision_due_source": "Awb art. 7:10 lid 1; Awb art. 7:13; Algemene termijnenwet art. 1, 2, 3",
                "outcome": None,
            }
        ],
        "appeals": [],
        "open_terms": [
            {
                "key": "beslistermijn_bezwaar",
                "label": "Beslistermijn bezwaar",
                "due": "2027-01-21",
                "source": "Awb art. 7:10 lid 1; Awb art. 7:13; Algemene termijnenwet art. 1, 2, 3",
                "ref": "BZ-1a2b3c4d",
                "overdue": False,
                "assumptions": [],
            }
        ],
    },
)


class _CaseScoped(APIView):
    permission_classes = [HasCapability]
    required_capability = "view_clients"
    basename = "case"

    def _case(self, request, pk: int) -> Case | None:
        case = Case.objects.filter(pk=pk, municipality_id__in=municipality_ids(request.user)).first()
        if case is None:
            log_request(
                request,
                "read",
                "case",
                pk,
                result="denied",
                municipality_id=request.user.municipality_id,
                detail="not found in user's municipalities",
            )
        return case


class CaseLegalView(_CaseScoped):
    """A case's voornemens, objections, appeals and every open term with its last day and articles."""

    api_resource = "cases"

    @extend_schema(responses={200: OpenApiResponse(OpenApiTypes.OBJECT, examples=[_LEGAL_EXAMPLE]), 404: None})
    def get(self, request, pk: int):
        case = self._case(request, pk)
        if case is None:
            return Response({"detail": _("Niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)
        log_request(request, "read", "case", case.external_id, municipality_id=case.municipality_id, detail="legal")
        return Response(legal_json(legal_state(case), dt.date.today()))


class LegalStepView(_CaseScoped):
    """Record one legal step (voornemen, horen, bekendmaking, bezwaar, bezwaar_horen, bezwaar_termijn,
    voorlopige_voorziening, beslissing_op_bezwaar, beroep) through the decision gate."""

    api_resource = "events"

    @extend_schema(
        request=LegalStepSerializer,
        description=(
            "Record one step of the decision's legal life through the decision gate. The caseworker records "
            "voornemen, horen and bekendmaking; the juridisch medewerker the objection and appeal steps (policy "
            "decision rights per role). Regie sets the zienswijze term (policy `objections.zienswijze_days`, Awb "
            "4:8), the decision type a bekendmaking or bezwaar refers to, and whether an advisory committee hears a "
            "bezwaar (Awb 7:13: 12-week term). An adverse decision (maatregel, intrekking, beeindiging, "
            "terugvordering, boete) recorded at `/cases/{id}/events/` without a voornemen and horen is 403 with "
            "rule `awb.4:8.horen`."
        ),
        responses={
            201: EventSerializer,
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
            return Response({"detail": _("Niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)
        s = LegalStepSerializer(data=request.data)
        if not s.is_valid():
            return Response(s.errors, status=HTTP_422)
        d = s.validated_data
        capability = capability_for(request.user, d["type"])
        if not can(request.user, capability):
            log_request(
                request,
                "denied",
                "case",
                case.external_id,
                result="denied",
                municipality_id=request.user.municipality_id,
                detail=f"lacks {capability}",
            )
            return Response(
                {
                    "detail": _("Uw rol mag deze stap niet vastleggen (%(step)s).") % {"step": event_label(d["type"])},
                    "rule": f"capability.{capability}",
                    "source": "regie.legal.access.STEP_CAPABILITIES",
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        try:
            _outcome, event = record_legal_step(
                case,
                request.user,
                event_type=d["type"],
                effective_date=d["effective_date"],
                payload=d["payload"],
                motivation=d["motivation"],
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
        except PolicyUnavailable as exc:
            return Response({"detail": translate(exc.message)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        log_request(
            request, "create", "case", case.external_id, municipality_id=case.municipality_id, detail=f"api {d['type']}"
        )
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)
