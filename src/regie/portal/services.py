"""Writers of the portal: who logged in (the BSN linked to the client and to authorisations), and the audit lines.

Every audit line of the portal names the client's file and who acted: ``client:<id>`` (role ``client``) or
``vertegenwoordiger:M<machtiging>:client:<id>`` (role ``vertegenwoordiger``). No BSN is ever logged.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from regie.accounts.models import Municipality
from regie.audit.services import log, origin_of
from regie.casework.models import Client
from regie.core.bsn import is_valid_bsn

from .models import Machtiging
from .session import Identity

ANONYMOUS = "portal:anonymous"


def identify(municipality: Municipality, bsn: str, level: str, on: dt.date | None = None) -> Identity | None:
    """The identity of a person with this BSN at this municipality: their own client file (if any) and the files
    they are authorised for today; None when there is neither (or the BSN fails the elfproef)."""
    if not is_valid_bsn(bsn):
        return None
    on = on or timezone.localdate()
    own = Client.objects.filter(municipality=municipality, bsn=bsn).values_list("pk", flat=True).first()
    allowed: dict[int, int | None] = {own: None} if own else {}
    for m in Machtiging.objects.filter(municipality=municipality, representative_bsn=bsn).order_by("pk"):
        if m.in_force(on) and m.client_id not in allowed:
            allowed[m.client_id] = m.pk
    if not allowed:
        return None
    return Identity(
        municipality_id=municipality.pk,
        municipality_code=municipality.code,
        kind="client" if own else "vertegenwoordiger",
        own_client_id=own,
        allowed=allowed,
        acting_for=own or next(iter(allowed)),
        level=level,
    )


def still_authorised(identity: Identity, on: dt.date | None = None) -> bool:
    """Whether the machtiging the identity acts under is still in force (a revoked one ends access at once)."""
    if identity.machtiging_id is None:
        return True
    m = Machtiging.objects.filter(pk=identity.machtiging_id, client_id=identity.acting_for).first()
    return bool(m and m.in_force(on or timezone.localdate()))


def grant(
    client: Client,
    *,
    representative_bsn: str,
    representative_name: str,
    role: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    contact_id: str = "",
    by=None,
) -> Machtiging:
    """Record an authorisation (from the court order or the client's signed form); audited."""
    if not is_valid_bsn(representative_bsn):
        raise ValueError("representative_bsn fails the elfproef")
    m = Machtiging.objects.create(
        municipality_id=client.municipality_id,
        client=client,
        representative_bsn=representative_bsn,
        representative_name=representative_name,
        role=role,
        valid_from=valid_from,
        valid_until=valid_until,
        contact_id=contact_id,
        created_by=by,
    )
    log(
        actor=by or "cli:portal",
        action="create",
        object_type="machtiging",
        object_id=m.pk,
        origin="regie",
        municipality_id=client.municipality_id,
        detail=f"client {client.pk} role {role}",
    )
    return m


def audit(request, identity: Identity, action: str, object_type: str, object_id="", detail: str = "", result="success"):
    """One audit line as the client's own (or their representative's) access."""
    return log(
        actor=identity,
        action=action,
        object_type=object_type,
        object_id=object_id,
        result=result,
        origin=origin_of(request),
        municipality_id=identity.municipality_id,
        detail=(f"portal {identity.kind} level {identity.level}; " + detail)[:500],
    )


def audit_failure(request, municipality_id: int | None, reason: str) -> None:
    log(
        actor=ANONYMOUS,
        action="login_failed",
        object_type="portal",
        result="denied",
        origin=origin_of(request),
        municipality_id=municipality_id,
        detail=f"portal log-in refused: {reason}"[:500],
    )


class PortalActionError(ValueError):
    """A portal action that cannot be done; ``message`` is Dutch, for the client."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


PORTAL_ROLE = "client"


def portal_actor(municipality: Municipality):
    """The account that Mijn Regie records the client's own steps with, one per municipality: inactive, without a
    password and without a Regie role (it can never log in or open a staff page). The event's ``actor_role`` is
    ``client`` and its payload says whether the client or a representative acted (and under which machtiging)."""
    from regie.accounts.models import User

    user, created = User.objects.get_or_create(
        username=f"mijnregie.{municipality.code}",
        defaults={
            "municipality": municipality,
            "role": PORTAL_ROLE,
            "is_active": False,
            "first_name": "Mijn Regie",
            "last_name": "(klant)",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def sign_plan(request, identity: Identity, client: Client, *, version: str):
    """The client signs the plan version shown to them: a ``plan_ondertekend`` event through the decision gate."""
    from django.utils.translation import gettext as _

    from regie.casework.decisions import record_step
    from regie.casework.models import CaseState

    from . import selectors

    case = selectors.current_case(client)
    state = CaseState.objects.filter(case=case).first() if case else None
    plan = selectors.plan(case, state) if case else None
    if plan is None:
        raise PortalActionError(_("Er is nog geen plan van aanpak om te ondertekenen."))
    if plan["signed"]:
        raise PortalActionError(_("U heeft dit plan van aanpak al ondertekend."))
    if str(plan["version"]) != str(version).strip():
        raise PortalActionError(_("Het plan is intussen veranderd. Lees het nieuwe plan en onderteken opnieuw."))
    if request.POST.get("akkoord") != "ja":
        raise PortalActionError(_("Zet een vinkje bij 'Ik ga akkoord met dit plan' om te ondertekenen."))
    _outcome, event = record_step(
        case,
        portal_actor(client.municipality),
        event_type="plan_ondertekend",
        effective_date=timezone.localdate(),
        payload={
            "version": plan["version"],
            "signed_by": identity.role,
            "machtiging_id": identity.machtiging_id,
            "assurance": identity.level,
        },
        expected_version=state.version,
    )
    audit(request, identity, "create", "event", event.pk, detail="plan signed")
    return event
