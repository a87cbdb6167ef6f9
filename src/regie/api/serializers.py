"""API serializers. Payload validation is delegated to the domain core (regie.core.events)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from regie.casework.models import Case, CaseState, Client, Event, PendingDecision
from regie.casework.validation import translate
from regie.core.bsn import bsn_problem
from regie.core.events import EVENT_TYPES
from regie.platform import labels


class ClientSerializer(serializers.ModelSerializer):
    bsn = serializers.CharField(write_only=True, max_length=9, help_text="9 digits, elfproef")
    bsn_masked = serializers.CharField(source="masked_bsn", read_only=True)
    external_id = serializers.CharField(required=False, max_length=64)

    class Meta:
        model = Client
        fields = [
            "id",
            "external_id",
            "bsn",
            "bsn_masked",
            "given_name",
            "family_name",
            "birth_date",
            "sex",
            "education",
            "language",
            "origin",
            "household",
            "housing",
            "contact",
        ]

    def validate_bsn(self, value: str) -> str:
        if problem := bsn_problem(value):
            raise serializers.ValidationError(translate(problem))
        return value

    def validate_sex(self, value: str) -> str:
        if value not in ("M", "V", "X"):
            raise serializers.ValidationError(_("Geslacht: kies M, V of X."))
        return value

    def validate_birth_date(self, value):
        """In the past, not before 1900: the same check as the web form and the import (services.client_problems)."""
        from regie.casework.services import client_problems

        if problems := client_problems({"birth_date": value}):
            from regie.casework.validation import translate

            raise serializers.ValidationError(translate(problems[0][1]))
        return value


class CaseStateSerializer(serializers.ModelSerializer):
    caseworker = serializers.CharField(source="caseworker.username", default=None, read_only=True)
    # labels: human-readable names beside the keys, in the request's language (regie.platform.labels)
    route_label = serializers.SerializerMethodField(help_text="The route's name, for people")

    def get_route_label(self, obj) -> str | None:
        return labels.option_label("route", obj.route) if obj.route else None

    class Meta:
        model = CaseState
        fields = [
            "status",
            "caseworker",
            "level",
            "route",
            "route_label",
            "benefit_start",
            "benefit_end",
            "last_event_on",
            "exempt",
            "open_trajectories",
            "version",
            "snapshot",
        ]


class CaseSerializer(serializers.ModelSerializer):
    state = CaseStateSerializer(read_only=True)
    client = serializers.PrimaryKeyRelatedField(read_only=True)
    team = serializers.CharField(source="team.code", default=None, read_only=True)

    class Meta:
        model = Case
        fields = ["id", "external_id", "client", "opened_on", "team", "state"]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)
    type = serializers.ChoiceField(choices=sorted(EVENT_TYPES), read_only=True)
    # labels: human-readable names beside the keys, in the request's language (regie.platform.labels)
    type_label = serializers.SerializerMethodField(help_text="The event type's name, for people")
    actor_role_label = serializers.SerializerMethodField(help_text="The actor's role, for people")
    payload_labels = serializers.SerializerMethodField(
        help_text="Per payload field: its name (`label`) and its value as people read it (`value_label`)"
    )

    def get_type_label(self, obj) -> str:
        return labels.event_label(obj.type)

    def get_actor_role_label(self, obj) -> str | None:
        return labels.role_label(obj.actor_role) if obj.actor_role else None

    def get_payload_labels(self, obj) -> dict[str, dict[str, str]]:
        return {
            k: {"label": labels.field_label(k), "value_label": labels.value_label(v, k, obj.type)}
            for k, v in (obj.payload or {}).items()
        }

    class Meta:
        model = Event
        fields = [
            "id",
            "external_id",
            "type",
            "type_label",
            "effective_date",
            "recorded_at",
            "actor",
            "actor_role",
            "actor_role_label",
            "payload",
            "payload_labels",
            "decision",
            "deviates",
            "policy_version",
        ]
        read_only_fields = fields


class EventCreateSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=sorted(EVENT_TYPES))
    effective_date = serializers.DateField()
    payload = serializers.DictField(required=False, default=dict)
    motivation_code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Reason code for a decision that deviates from the policy's advice (decision types only)",
    )
    motivation = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=True,
        help_text="Written motivation for a deviating decision (decision types only)",
    )
    decision = serializers.DictField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Deprecated: may only hold `motivation_code` and `motivation` (same meaning as the top-level "
        "fields). The recommendation, `deviates`, `decided`, the approval, the policy version, the legal "
        "basis, the explanation and the source are computed by the server; sending one is 422.",
    )
    expected_version = serializers.IntegerField(
        min_value=0, help_text="The case version you last saw (state.version); a stale version gets 409 Conflict"
    )


class PendingDecisionSerializer(serializers.ModelSerializer):
    """A deviating decision waiting for a teammanager's approval (four eyes); not an event yet."""

    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", default=None, read_only=True)
    event_type_label = serializers.SerializerMethodField(help_text="The event type's name, for people")

    def get_event_type_label(self, obj) -> str:
        return labels.event_label(obj.event_type)

    class Meta:
        model = PendingDecision
        fields = [
            "id",
            "case",
            "status",
            "event_type",
            "event_type_label",
            "effective_date",
            "payload",
            "decision",
            "requested_by",
            "requested_at",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "event",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["approve", "reject"])
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when rejecting; stored with the approval when approving",
    )


class RefusalSerializer(serializers.Serializer):
    """403: the role may not take (or approve) this decision."""

    detail = serializers.CharField(help_text="Dutch message for the user")
    rule = serializers.CharField(help_text="The rule, e.g. `leidschendam-voorburg.decision_rights.maatregel`")
    source = serializers.CharField(help_text="Where the rule comes from (the policy's source)")
    allowed_roles = serializers.ListField(child=serializers.CharField(), required=False)
    policy_version = serializers.CharField(required=False)


class ConflictSerializer(serializers.Serializer):
    """409: the case changed since the version you sent."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField()


class CaseCreateSerializer(serializers.Serializer):
    client = serializers.IntegerField(help_text="Client id")
    opened_on = serializers.DateField()
    external_id = serializers.CharField(required=False, max_length=64)
