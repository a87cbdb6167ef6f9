"""REST API: the employer side for a regional matching platform — vacancies in, candidates out with consent.

- ``GET /api/v1/vacancies/``: the open vacancies of the user's werkgeversservicepunt(en);
- ``POST /api/v1/vacancies/``: a vacancy (or demand without a vacancy) for an employer of the region; 422 names
  every bad field (the same checks as the web form, regie.employers.services.save_vacancy);
- ``GET /api/v1/vacancies/{id}/candidates/``: the candidates proposed for this vacancy whose consent is in force,
  with only the data they consented to share (AVG art. 6 lid 1 sub a). No one else leaves the municipality.

Capability ``manage_employers`` (the accountmanager); token scope ``vacancies:read`` / ``vacancies:write``. Every
answer that holds client data is audited per case.
"""

from __future__ import annotations

from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.audit.services import log_request
from regie.core.matching import CONDITIONS, CONTRACT_TYPES, REQUIREMENT_KINDS
from regie.employers import selectors, services
from regie.employers.models import Vacancy

from .permissions import HasCapability

HTTP_422 = status.HTTP_422_UNPROCESSABLE_ENTITY


class RequirementSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=sorted(REQUIREMENT_KINDS), help_text="regie.core.matching kinds")
    value = serializers.CharField(max_length=128, help_text="e.g. VCA, B, mbo2_4 (education: the level code)")
    hard = serializers.BooleanField(default=True, help_text="A requirement (true) or a wish (false)")


class VacancySerializer(serializers.ModelSerializer):
    employer_id = serializers.IntegerField()
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    requirements = RequirementSerializer(many=True, required=False)
    conditions = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(CONDITIONS)), required=False, default=list
    )
    contract_type = serializers.ChoiceField(choices=[""] + sorted(CONTRACT_TYPES), required=False, default="")

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "employer_id",
            "employer_name",
            "kind",
            "title",
            "occupation_code",
            "occupation_required",  # employers2: the same ISCO-08 unit group is a hard criterion
            "tasks",
            "hours",
            "postcode",
            "requirements",
            "conditions",
            "max_distance_km",
            "wage_per_hour",
            "starts_on",
            "contract_type",
            "status",
            "opened_on",
            "closed_on",
        ]
        read_only_fields = ["id", "status", "opened_on", "closed_on"]


class CandidateSerializer(serializers.Serializer):
    proposed_on = serializers.DateField()
    name = serializers.CharField(allow_null=True, help_text="Only with consent for naam_contact")
    phone = serializers.CharField(allow_null=True, allow_blank=True)
    email = serializers.CharField(allow_null=True, allow_blank=True)
    education_level = serializers.CharField(allow_null=True, help_text="Only with consent for werkprofiel")
    skills = serializers.ListField(child=serializers.CharField(), allow_null=True)
    certificates = serializers.ListField(child=serializers.CharField(), allow_null=True)
    hours_available = serializers.FloatField(allow_null=True, help_text="Only with consent for beschikbaarheid")
    travel_radius_km = serializers.FloatField(allow_null=True)
    restrictions = serializers.ListField(child=serializers.CharField(), allow_null=True)
    consent_until = serializers.DateField(allow_null=True)


class _Base(APIView):
    permission_classes = [HasCapability]
    required_capability = "manage_employers"
    api_resource = "vacancies"
    basename = "vacancy"


class VacancyListView(_Base):
    @extend_schema(responses=VacancySerializer(many=True), summary="Open vacancies of the region")
    def get(self, request):
        rows = selectors.vacancies_for_user(request.user).order_by("-opened_on", "-id")[:500]
        return Response(VacancySerializer(rows, many=True).data)

    @extend_schema(
        request=VacancySerializer,
        responses={
            201: VacancySerializer,
            404: OpenApiResponse(description="No such employer in your region"),
            422: OpenApiResponse(response=OpenApiTypes.OBJECT, description="Every bad field, named"),
        },
        summary="Register a vacancy (or demand without a vacancy) for an employer of the region",
    )
    def post(self, request):
        ser = VacancySerializer(data=request.data)
        if not ser.is_valid():
            return Response(ser.errors, status=HTTP_422)
        d = ser.validated_data
        try:
            employer = selectors.employer_for(request.user, d["employer_id"])
        except Http404:
            return Response({"detail": _("Werkgever niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)
        reqs = [dict(r) for r in d.get("requirements") or []]
        values = QueryDict(mutable=True)
        for key in ("kind", "title", "occupation_code", "tasks", "postcode", "contract_type"):
            values[key] = str(d.get(key) or "")
        for key in ("hours", "max_distance_km", "wage_per_hour"):
            values[key] = "" if d.get(key) is None else str(d[key])
        values["starts_on"] = d["starts_on"].isoformat() if d.get("starts_on") else ""
        values["occupation_required"] = "1" if d.get("occupation_required") else ""  # employers2
        values["requirements_hard"] = services.requirements_text(reqs, hard=True)
        values["requirements_soft"] = services.requirements_text(reqs, hard=False)
        values.setlist("conditions", list(d.get("conditions") or []))
        try:
            vacancy = services.save_vacancy(employer, request.user, values)
        except services.FormError as exc:
            return Response({k: [v] for k, v in exc.errors.items()}, status=HTTP_422)
        log_request(request, "create", "vacancy", vacancy.pk, municipality_id=request.user.municipality_id)
        return Response(VacancySerializer(vacancy).data, status=status.HTTP_201_CREATED)


class VacancyCandidatesView(_Base):
    @extend_schema(
        responses={200: CandidateSerializer(many=True), 404: OpenApiResponse(description="No such vacancy")},
        summary="Candidates proposed for the vacancy, with consent, and only the data consented to",
    )
    def get(self, request, pk: int):
        try:
            vacancy = selectors.vacancy_for(request.user, pk)
        except Http404:
            return Response({"detail": _("Vacature niet gevonden.")}, status=status.HTTP_404_NOT_FOUND)
        out = []
        for r in selectors.proposed_to_employer(request.user, vacancy.employer):
            if r["vacancy_id"] != vacancy.pk:
                continue
            p, a = r["profile"], r["availability"]
            out.append(
                {
                    "proposed_on": r["proposed_on"],
                    "name": r["name"],
                    "phone": r["phone"],
                    "email": r["email"],
                    "education_level": p.education_level if p else None,
                    "skills": sorted(p.skills) if p else None,
                    "certificates": sorted(p.certificates) if p else None,
                    "hours_available": a.hours_available if a else None,
                    "travel_radius_km": a.travel_radius_km if a else None,
                    "restrictions": r["restrictions"],
                    "consent_until": r["consent"].until,
                }
            )
            log_request(
                request,
                "read",
                "case",
                r["case"].external_id,
                municipality_id=r["case"].municipality_id,
                detail=f"api candidates for vacancy {vacancy.pk} (consent {r['consent'].consent_id})",
            )
        return Response(CandidateSerializer(out, many=True).data)
