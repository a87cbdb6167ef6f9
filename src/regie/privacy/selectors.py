"""Reads of the privacy app: requests within the user's municipalities, and the complete file of one person.

The file (:func:`person_file`) is what an inzageverzoek hands over (AVG art. 15 lid 1 and 3): the client record,
every case with its events and decisions, the decision letters, the privacy requests and the access log rows about
the person. Staff appear by role and organisation, never by name: see :data:`STAFF_RULE`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from regie.accounts.models import Municipality, User
from regie.accounts.tenancy import municipality_ids
from regie.audit import details
from regie.audit.models import AuditRecord
from regie.casework.models import Case, Client, Event
from regie.core.records import ROLES
from regie.documents import selectors as document_selectors
from regie.letters.registry import EVENT_LETTER_TITLES as LETTER_TYPES

from .models import AccessRequest, RectificationRequest

# Why the file names roles and organisations, not staff (documented in docs/operations.md).
STAFF_RULE = (
    "Medewerkers van de gemeente staan in dit overzicht met hun rol en organisatie, niet met hun naam. Zij werken "
    "onder het gezag van de gemeente; volgens het Hof van Justitie van de EU (22 juni 2023, C-579/21, Pankki S) "
    "hoeft hun identiteit niet bij een inzage te worden gegeven, tenzij dat nodig is om uw rechten uit te oefenen. "
    "Hun namen zijn ook hún persoonsgegevens (AVG art. 15 lid 4, UAVG art. 41 lid 1 sub i). Denkt u dat iemand uw "
    "gegevens zonder reden heeft bekeken? Meld dat: de functionaris gegevensbescherming laat het onderzoeken aan de "
    "hand van het volledige toegangslog (BIO 8.15)."
)
CLI_LABEL = "Applicatiebeheer (opdrachtregel)"


def requests_for(user):
    ids = municipality_ids(user)
    access = AccessRequest.objects.filter(municipality_id__in=ids).select_related("client", "municipality")
    rect = RectificationRequest.objects.filter(municipality_id__in=ids).select_related("client", "municipality")
    return access, rect


def access_request(user, pk: int) -> AccessRequest | None:
    return (
        AccessRequest.objects.filter(pk=pk, municipality_id__in=municipality_ids(user))
        .select_related("client", "municipality", "identity_verified_by")
        .first()
    )


def rectification_request(user, pk: int) -> RectificationRequest | None:
    return (
        RectificationRequest.objects.filter(pk=pk, municipality_id__in=municipality_ids(user))
        .select_related("client", "municipality")
        .first()
    )


def client_by_external_id(user, external_id: str) -> Client | None:
    """A client of the user's municipalities by their interchange id (the id on the client page and in files)."""
    return Client.objects.filter(municipality_id__in=municipality_ids(user), external_id=external_id.strip()).first()


@dataclass
class StaffLabel:
    role: str
    organisation: str

    def __str__(self) -> str:
        return f"{self.role}, {self.organisation}" if self.organisation else self.role


@dataclass
class AuditLine:
    at: dt.datetime
    who: StaffLabel
    role: str
    action: str
    object_type: str
    object_id: str
    result: str
    detail: str


@dataclass
class PersonFile:
    client: Client
    municipality: Municipality
    cases: list[tuple[Case, list[Event]]]
    letters: list[tuple[Event, list[dt.datetime]]]
    audit: list[AuditLine]
    access_requests: list[AccessRequest]
    rectifications: list[RectificationRequest]
    staff: dict[int, StaffLabel] = field(default_factory=dict)
    staff_by_username: dict[str, StaffLabel] = field(default_factory=dict)
    # documents: every document of the person's cases, confidential ones included (AVG art. 15: their own data)
    documents: list = field(default_factory=list)

    def staff_label(self, *, user_id: int | None = None, username: str | None = None, role: str = "") -> StaffLabel:
        if user_id is not None and user_id in self.staff:
            return self.staff[user_id]
        if username is not None and username in self.staff_by_username:
            return self.staff_by_username[username]
        if username and username.startswith("cli:"):
            return StaffLabel(CLI_LABEL, f"Gemeente {self.municipality.name}")
        if role == "systeem" or (not role and user_id is None and not username):
            return StaffLabel("Systeem (automatisch of overgenomen)", "")
        return StaffLabel(ROLES.get(role, "Medewerker"), f"Gemeente {self.municipality.name}")


def _label(user: User, muni: Municipality) -> StaffLabel:
    role = ROLES.get(user.role, "Medewerker")
    if user.provider_id:
        return StaffLabel(role, user.provider.name)
    if user.municipality_id:
        return StaffLabel(role, f"Gemeente {user.municipality.name}")
    if user.shared_service_id:
        return StaffLabel(role, user.shared_service.name)
    return StaffLabel(role, f"Gemeente {muni.name}")


def audit_rows(
    client: Client, case_ids: list[str], access_ids: list[int], rect_ids: list[int], document_ids: list[str] = ()
):
    """The access log rows about this person: their client record, their cases and their privacy requests, in the
    person's municipality (the rows of denied attempts on these objects included)."""
    q = Q(object_type="client", object_id=client.external_id) | Q(object_type="case", object_id__in=case_ids)
    if access_ids:
        q |= Q(object_type="access_request", object_id__in=[str(i) for i in access_ids])
    if rect_ids:
        q |= Q(object_type="rectification_request", object_id__in=[str(i) for i in rect_ids])
    if document_ids:
        q |= Q(object_type="document", object_id__in=list(document_ids))
    return AuditRecord.objects.filter(q, municipality_id=client.municipality_id).order_by("timestamp", "id")


def person_file(client: Client) -> PersonFile:
    muni = client.municipality
    cases = list(Case.objects.filter(client=client).select_related("team").order_by("opened_on", "id"))
    events = list(Event.objects.filter(case__in=cases).order_by("case_id", "effective_date", "id"))
    by_case: dict[int, list[Event]] = {}
    for e in events:
        by_case.setdefault(e.case_id, []).append(e)
    access = list(AccessRequest.objects.filter(client=client).order_by("received_on", "id"))
    rect = list(RectificationRequest.objects.filter(client=client).order_by("received_on", "id"))
    docs = document_selectors.for_client(client, include_confidential=True)
    rows = list(
        audit_rows(
            client,
            [c.external_id for c in cases],
            [a.pk for a in access],
            [r.pk for r in rect],
            [d.document_id for d in docs],
        )
    )
    usernames = {r.actor for r in rows} | {
        e.payload.get("caseworker") for e in events if e.type == "caseworker_toewijzing"
    }
    usernames |= {
        (e.decision or {}).get("approval", {}).get("by") for e in events if (e.decision or {}).get("approval")
    }
    user_ids = {e.actor_id for e in events if e.actor_id}
    users = User.objects.filter(Q(username__in=[u for u in usernames if u]) | Q(pk__in=user_ids)).select_related(
        "municipality", "provider", "shared_service"
    )
    staff, by_name = {}, {}
    for u in users:
        staff[u.pk] = by_name[u.username] = _label(u, muni)
    pf = PersonFile(
        client=client,
        municipality=muni,
        cases=[(c, by_case.get(c.pk, [])) for c in cases],
        letters=[],
        audit=[],
        access_requests=access,
        rectifications=rect,
        staff=staff,
        staff_by_username=by_name,
        documents=docs,
    )
    letter_exports: dict[str, list[dt.datetime]] = {}
    for r in rows:
        parsed = details.parse(r.detail or "") if r.object_type == "case" and r.action == "export" else None
        if parsed and parsed[0] == details.LETTER_MADE:
            letter_exports.setdefault(parsed[1]["ref"], []).append(r.timestamp)
        pf.audit.append(
            AuditLine(
                at=r.timestamp,
                who=pf.staff_label(username=r.actor, role=r.actor_role),
                role=r.actor_role,
                action=r.action,
                object_type=r.object_type,
                object_id=r.object_id,
                result=r.result,
                detail=r.detail,
            )
        )
    pf.letters = [(e, letter_exports.get(e.external_id, [])) for e in events if e.type in LETTER_TYPES]
    return pf
