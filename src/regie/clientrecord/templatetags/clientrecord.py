"""Template tags of the client record: ``{% client_record client as record %}`` lets the case page show the record
without the casework app importing this one (it sits above casework); ``get`` and ``field_label`` for forms."""

from __future__ import annotations

from django import template

from regie.clientrecord import forms
from regie.clientrecord.selectors import record_for, recording_case
from regie.platform import labels

register = template.Library()


@register.simple_tag
def client_record(client):
    """The record (regie.clientrecord.selectors.record_for). The case page that calls it has audited the read of
    the client."""
    return record_for(client)


@register.simple_tag
def record_version(client):
    """The version of the case a change is recorded on (expected_version of the forms), or ""."""
    case = recording_case(client)
    state = getattr(case, "state", None) if case else None
    return state.version if state else ""


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def field_label(name):
    return str(forms.LABELS.get(name, name))


@register.filter
def choice_label(value, vocabulary):
    """The Dutch label of a stored value: ``{{ record.preferred_channel|choice_label:"channels" }}``."""
    table = {
        "channels": forms.CHANNELS,
        "roles": forms.ROLES,
        "levels": forms.EDUCATION_LEVELS,
        "languages": forms.LANGUAGES,
        "salutations": forms.SALUTATIONS,
    }.get(vocabulary, ())
    if vocabulary == "languages":
        return labels.language_label(value)
    return str(dict(table).get(value, value))


RECORD_TYPE_LABELS = {
    "adres_wijziging": forms._l("Adreswijziging"),
    "contactgegevens": forms._l("Contactgegevens"),
    "contactpersoon": forms._l("Contactpersoon"),
    "werkprofiel": forms._l("Opleiding en werk"),
}


@register.filter
def record_type_label(event_type):
    return str(RECORD_TYPE_LABELS.get(event_type, event_type))


@register.simple_tag
def brp_configured(client):
    """Whether the client's municipality has an enabled BRP connection (the BRP actions are offered then)."""
    from regie.clientrecord.models import BrpConnection

    return BrpConnection.objects.filter(municipality_id=client.municipality_id, enabled=True).exists()


@register.simple_tag(takes_context=True)
def brp_purposes(context):
    """The purposes the user's municipality's BRP connection allows."""
    from regie.clientrecord.brp import purposes

    user = context.get("request").user if context.get("request") else None
    return purposes(getattr(user, "municipality_id", None) or 0)


@register.simple_tag
def brp_configured_for(user):
    """Whether the user's own municipality has an enabled BRP connection (the new-client form's prefill)."""
    from regie.clientrecord.models import BrpConnection

    mid = getattr(user, "municipality_id", None)
    return bool(mid) and BrpConnection.objects.filter(municipality_id=mid, enabled=True).exists()
