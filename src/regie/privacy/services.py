"""The only writers of privacy requests, and the one way a granted rectification changes a client's data.

Every change is audited (``audit.services.log``: who, what, which object, when; never the personal data itself).
The values before and after a correction are kept on the :class:`RectificationRequest`, which only holders of
``handle_privacy_requests`` see.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.audit import services as audit
from regie.casework.models import Client

from .models import CHANNELS, CORRECTABLE, OTHER, RELATIONS, AccessRequest, RectificationRequest

# AVG art. 12 lid 3: within one month of receipt; "indien nodig" extendable by two further months, the person
# being told within the first month, with the reasons.
RESPONSE_MONTHS = 1
EXTENSION_MONTHS = 2


class PrivacyError(Exception):
    """A request that cannot be recorded as asked; ``message`` is Dutch, for the user."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the last day of the month when that month is shorter (31 January + 1 month
    is 28/29 February), the usual reading of a term "of one month" (Algemene termijnenwet does not move it)."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def object_type(req) -> str:
    """The audit log's name for a request (``access_request``, ``rectification_request``)."""
    return "access_request" if isinstance(req, AccessRequest) else "rectification_request"


def _actor(user):
    return user if user is not None else audit.cli_actor()


def _log(user, origin: str | None, action: str, object_type: str, obj, detail: str) -> None:
    audit.log(
        actor=_actor(user),
        action=action,
        object_type=object_type,
        object_id=obj.pk,
        origin=origin or audit.cli_origin(),
        municipality_id=obj.municipality_id,
        detail=detail,
    )


def _check_common(requested_by: str, relation: str, channel: str, received_on: dt.date | None) -> None:
    if not requested_by.strip():
        raise PrivacyError(_("Vul in wie het verzoek doet."), "requested_by")
    if relation not in dict(RELATIONS):
        raise PrivacyError(_("Kies wie het verzoek doet (betrokkene, vertegenwoordiger, gemachtigde)."), "relation")
    if channel not in dict(CHANNELS):
        raise PrivacyError(_("Kies hoe het verzoek binnenkwam."), "channel")
    if received_on is None:
        raise PrivacyError(_("Ontvangstdatum: geen geldige datum (JJJJ-MM-DD)."), "received_on")
    if received_on > dt.date.today():
        raise PrivacyError(_("De ontvangstdatum ligt in de toekomst."), "received_on")


@transaction.atomic
def record_access_request(
    client: Client,
    *,
    requested_by: str,
    received_on: dt.date | None,
    relation: str = "betrokkene",
    channel: str = "balie",
    user=None,
    origin: str | None = None,
) -> AccessRequest:
    """Record an inzageverzoek; its due date is one month after receipt (AVG art. 12 lid 3)."""
    _check_common(requested_by, relation, channel, received_on)
    req = AccessRequest.objects.create(
        municipality_id=client.municipality_id,
        client=client,
        requested_by=requested_by.strip()[:200],
        relation=relation,
        channel=channel,
        received_on=received_on,
        due_on=add_months(received_on, RESPONSE_MONTHS),
        created_by=user,
    )
    _log(user, origin, "create", "access_request", req, f"client {client.external_id}")
    return req


@transaction.atomic
def verify_identity(
    req: AccessRequest | RectificationRequest,
    *,
    method: str,
    user=None,
    origin: str | None = None,
    on: dt.date | None = None,
):
    """Record that (and how) the requester's identity was checked (AVG art. 12 lid 6); the file is produced only
    after this."""
    if not isinstance(req, AccessRequest):
        raise PrivacyError(_("Alleen een inzageverzoek heeft een identiteitscontrole."))
    if not method.strip():
        raise PrivacyError(
            _("Vul in hoe de identiteit is gecontroleerd (bijv. identiteitsbewijs aan de balie, DigiD)."),
            "identity_method",
        )
    req = AccessRequest.objects.select_for_update().get(pk=req.pk)
    req.identity_method = method.strip()[:200]
    req.identity_verified_on = on or dt.date.today()
    req.identity_verified_by = user
    req.save(update_fields=["identity_method", "identity_verified_on", "identity_verified_by"])
    _log(user, origin, "update", "access_request", req, "identity verified")
    return req


@transaction.atomic
def extend(
    req: AccessRequest | RectificationRequest,
    *,
    reason: str,
    user=None,
    origin: str | None = None,
    today: dt.date | None = None,
):
    """Extend the term by two months (AVG art. 12 lid 3): once, with a reason, before the first month ends."""
    today = today or dt.date.today()
    req = type(req).objects.select_for_update().get(pk=req.pk)
    if req.extended_due_on:
        raise PrivacyError(_("De termijn is al verlengd; verlengen kan één keer (AVG art. 12 lid 3)."))
    if not reason.strip():
        raise PrivacyError(
            _("Geef de reden van de verlenging; de verzoeker krijgt die te horen (AVG art. 12 lid 3)."), "reason"
        )
    if today > req.due_on:
        raise PrivacyError(
            _("De termijn van een maand is verstreken; verlengen moest binnen die maand (AVG art. 12 lid 3).")
        )
    req.extended_due_on = add_months(req.due_on, EXTENSION_MONTHS)
    req.extension_reason, req.extended_by = reason.strip(), user
    req.save(update_fields=["extended_due_on", "extension_reason", "extended_by"])
    _log(user, origin, "update", object_type(req), req, "term extended")
    return req


@transaction.atomic
def mark_provided(
    req: AccessRequest, *, user=None, origin: str | None = None, on: dt.date | None = None
) -> AccessRequest:
    req = AccessRequest.objects.select_for_update().get(pk=req.pk)
    if not req.identity_verified_on:
        raise PrivacyError(_("Controleer eerst de identiteit van de verzoeker."))
    req.provided_on, req.provided_by = on or dt.date.today(), user
    req.save(update_fields=["provided_on", "provided_by"])
    _log(user, origin, "update", "access_request", req, "provided")
    return req


def require_verified(req: AccessRequest) -> None:
    if not req.identity_verified_on:
        raise PrivacyError(
            _("Het dossier wordt pas gemaakt als de identiteit van de verzoeker is gecontroleerd (AVG art. 12 lid 6).")
        )


# --- rectification (AVG art. 16) ----------------------------------------------------------------------------------


def current_value(client: Client, field: str):
    if field.startswith("contact."):
        return (client.contact or {}).get(field.split(".", 1)[1])
    value = getattr(client, field)
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def record_rectification(
    client: Client,
    *,
    requested_by: str,
    received_on: dt.date | None,
    field: str,
    statement: str,
    requested_value: str = "",
    relation: str = "betrokkene",
    channel: str = "balie",
    user=None,
    origin: str | None = None,
) -> RectificationRequest:
    _check_common(requested_by, relation, channel, received_on)
    if field not in CORRECTABLE and field != OTHER:
        raise PrivacyError(_("Kies welk gegeven volgens de verzoeker onjuist is."), "field")
    if not statement.strip():
        raise PrivacyError(_("Beschrijf wat volgens de verzoeker onjuist is."), "statement")
    req = RectificationRequest.objects.create(
        municipality_id=client.municipality_id,
        client=client,
        requested_by=requested_by.strip()[:200],
        relation=relation,
        channel=channel,
        received_on=received_on,
        due_on=add_months(received_on, RESPONSE_MONTHS),
        field=field,
        statement=statement.strip(),
        requested_value=requested_value.strip()[:500],
        created_by=user,
    )
    _log(user, origin, "create", "rectification_request", req, f"client {client.external_id} field {field}")
    return req


def _validated(client: Client, field: str, value: str):
    """The new value as stored, checked with the interchange format's own rules (core.records.Client)."""
    from pydantic import ValidationError

    from regie.core.records import Client as ClientRecord

    record = {
        "record": "client",
        "id": client.external_id,
        "bsn": client.bsn,
        "given_name": client.given_name,
        "family_name": client.family_name,
        "birth_date": client.birth_date.isoformat(),
        "sex": client.sex,
        "education": client.education or None,
        "language": client.language or None,
        "origin": client.origin or None,
        "household": client.household or {},
        "housing": client.housing or None,
        "contact": dict(client.contact or {}),
    }
    new = value.strip() or None
    if field.startswith("contact."):
        record["contact"][field.split(".", 1)[1]] = new
    else:
        record[field] = new
    try:
        checked = ClientRecord.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise PrivacyError(
            _("%(field)s: de nieuwe waarde is niet geldig (%(msg)s).")
            % {"field": CORRECTABLE[field], "msg": first["msg"]},
            "value",
        ) from None
    if field.startswith("contact."):
        return getattr(checked.contact, field.split(".", 1)[1])
    return getattr(checked, field)


@transaction.atomic
def decide_rectification(
    req: RectificationRequest, *, granted: bool, reason: str, new_value: str = "", user=None, origin: str | None = None
) -> RectificationRequest:
    """Grant or refuse a rectification, with a reason. A granted correction of a client field changes the client in
    place through :func:`_correct` (before and after kept on the request; the change audited); for ``anders`` the
    decision is recorded and the correction itself is a new event recorded by the caseworker (the log is
    append-only)."""
    req = RectificationRequest.objects.select_for_update().get(pk=req.pk)
    if req.decision:
        raise PrivacyError(_("Over dit verzoek is al besloten."))
    if not reason.strip():
        raise PrivacyError(_("Geef de reden van het besluit (AVG art. 12 lid 4 bij een afwijzing)."), "reason")
    req.decision = "granted" if granted else "refused"
    req.decision_reason, req.decided_by, req.decided_at = reason.strip(), user, timezone.now()
    if granted and req.field != OTHER:
        req.before, req.after = _correct(
            req.client, req.field, new_value or req.requested_value, req=req, user=user, origin=origin
        )
    req.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at", "before", "after"])
    _log(user, origin, "update", "rectification_request", req, f"decision {req.decision}")
    if granted and req.field != OTHER:
        refresh_analytics(req.client.municipality)
    return req


def _correct(client: Client, field: str, value: str, *, req: RectificationRequest, user, origin):
    client = Client.objects.select_for_update().get(pk=client.pk)
    new = _validated(client, field, value)
    before = current_value(client, field)
    if field.startswith("contact."):
        contact = dict(client.contact or {})
        key = field.split(".", 1)[1]
        if new is None:
            contact.pop(key, None)
        else:
            contact[key] = new
        client.contact = contact
        client.save(update_fields=["contact"])
    else:
        setattr(client, field, new if new is not None else "")
        client.save(update_fields=[field])
    after = current_value(client, field)
    if before == after:
        raise PrivacyError(_("De nieuwe waarde is gelijk aan de huidige; er valt niets te corrigeren."), "value")
    # The audit record names the client, the field and the request; the values themselves are personal data and
    # stay on the request (the audit log is read by auditors, who do not see client files).
    audit.log(
        actor=_actor(user),
        action="update",
        object_type="client",
        object_id=client.external_id,
        origin=origin or audit.cli_origin(),
        municipality_id=client.municipality_id,
        detail=f"rectification {req.pk} field {field}",
    )
    return before, after


def refresh_analytics(municipality) -> None:
    """Client rows changed in place are not events, so the analytic copy (regie.analytics.store) does not see them
    until a full rebuild: ask for one as a job (inline in tests). Other processes keep their in-memory copy until
    their next rebuild — the known limit in analytics/store.py."""
    from regie.platform import jobs

    from .tasks import rebuild_analytics

    jobs.enqueue(rebuild_analytics, municipality.pk)
