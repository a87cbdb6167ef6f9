"""The Regie JSON Lines interchange format, version 1 (docs/import-format.md).

One JSON object per line; the ``record`` key says what it is. The first line is a ``header``. Records refer to
each other by the ``id`` strings of earlier lines in the same file (a team before its users, a client before its
cases, a case before its events), so a file can be validated and imported in one streaming pass.

Used by ``regie import`` / ``regie export``, the synthetic generator and the JSON Schema in
``docs/import-format.schema.json`` (``regie schema import-format``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from .bsn import bsn_problem
from .events import EVENT_TYPES, FORMAT_VERSION, NAME_MAX, birth_date_problem

ROLES: dict[str, str] = {
    # role id -> Dutch label (domain brief section 2)
    "integrale_klantmanager": "Integrale klantmanager",
    "inkomensconsulent": "Inkomensconsulent",
    "reintegratieconsulent": "Re-integratieconsulent",
    "teammanager": "Teammanager",
    "beleidsmedewerker": "Beleidsmedewerker / analist",
    "provider_coach": "Jobcoach aanbieder (extern)",
    "auditor": "Auditor",
    "functioneel_beheerder": "Functioneel beheerder",
    "archivaris": "Archivaris",  # approves destruction lists (Archiefwet 1995; docs/operations.md)
    # handles objections and appeals (bezwaar, beroep; Awb chapters 6-8) and hears clients before adverse decisions
    "juridisch_medewerker": "Juridisch medewerker (bezwaar en beroep)",
    # employer services: employers, vacancies, placements (werkgeversdienstverlening, seed 001:1390-1537)
    "accountmanager": "Accountmanager werkgevers",
}
CASEWORKER_ROLES = frozenset({"integrale_klantmanager", "inkomensconsulent", "reintegratieconsulent"})

Id = Annotated[str, Field(min_length=1, max_length=64)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Header(_Record):
    record: Literal["header"]
    format: Literal["regie-jsonl"]
    version: Literal[1] = FORMAT_VERSION
    municipality: str = Field(pattern=r"^\d{4}$", description="CBS gemeentecode of the source municipality")
    municipality_name: str | None = None
    generator: str | None = None
    created_at: dt.datetime | None = None


class Team(_Record):
    record: Literal["team"]
    id: Id
    name: str = Field(min_length=1, max_length=200)
    client_group: str | None = None


class Provider(_Record):
    record: Literal["provider"]
    id: Id
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["rib", "sw", "zorg", "opleiding", "gemeentelijk"] = "rib"


class User(_Record):
    record: Literal["user"]
    id: Id
    username: str = Field(pattern=r"^[A-Za-z0-9_.@+-]{1,150}$")
    name: str = Field(min_length=1, max_length=200)
    role: Literal[tuple(ROLES)]  # type: ignore[valid-type]
    team: Id | None = None
    provider: Id | None = None
    email: str | None = None


def _plausible_birth(v: dt.date | None) -> dt.date | None:
    """In the past, not before 1900 (events.birth_date_problem; "today" is the day of the import)."""
    if v is not None and (problem := birth_date_problem(v)):
        raise ValueError(problem)
    return v


class Partner(_Record):
    given_name: str | None = Field(default=None, max_length=NAME_MAX)
    family_name: str | None = Field(default=None, max_length=NAME_MAX)
    birth_date: dt.date | None = None
    bsn: str | None = None

    _born = field_validator("birth_date")(_plausible_birth)

    @field_validator("bsn")
    @classmethod
    def _bsn(cls, v: str | None) -> str | None:
        if v is not None and (problem := bsn_problem(v)):
            raise ValueError(problem)
        return v


class Child(_Record):
    birth_date: dt.date
    given_name: str | None = Field(default=None, max_length=NAME_MAX)

    _born = field_validator("birth_date")(_plausible_birth)


class Household(_Record):
    partner: Partner | None = None
    children: list[Child] = Field(default_factory=list)
    other_adults: int = Field(default=0, ge=0, description="Cost-sharers other than the partner (Pw art. 22a)")


class ContactData(_Record):
    street: str | None = None
    postcode: str | None = Field(default=None, pattern=r"^\d{4} ?[A-Z]{2}$")
    city: str | None = None
    phone: str | None = None
    email: str | None = None


class Client(_Record):
    record: Literal["client"]
    id: Id
    bsn: str
    given_name: str = Field(min_length=1, max_length=NAME_MAX)
    family_name: str = Field(min_length=1, max_length=NAME_MAX)
    birth_date: dt.date
    sex: Literal["M", "V", "X"]
    education: Literal["geen", "basis", "vmbo", "mbo1", "mbo2_4", "havo_vwo", "hbo", "wo"] | None = None
    language: str | None = Field(default="nl", max_length=8, description="Main language, ISO 639-1")
    origin: Literal["nederland", "westers", "niet_westers"] | None = None
    household: Household = Field(default_factory=Household)
    housing: Literal["huur", "koop", "inwonend", "dakloos", "instelling"] | None = None
    contact: ContactData = Field(default_factory=ContactData)

    @field_validator("bsn")
    @classmethod
    def _bsn(cls, v: str) -> str:
        if problem := bsn_problem(v):
            raise ValueError(problem)
        return v

    _born = field_validator("birth_date")(_plausible_birth)


class Case(_Record):
    record: Literal["case"]
    id: Id
    client: Id
    opened_on: dt.date
    team: Id | None = None


class Event(_Record):
    record: Literal["event"]
    id: Id
    case: Id
    type: Literal[tuple(EVENT_TYPES)]  # type: ignore[valid-type]
    effective_date: dt.date
    recorded_at: dt.datetime
    actor: Id | None = Field(default=None, description="User id; null for events recorded by a system")
    actor_role: Literal[tuple(ROLES) + ("systeem",)] = "systeem"  # type: ignore[valid-type]
    payload: dict[str, Any] = Field(default_factory=dict)
    decision: dict[str, Any] | None = None


AnyRecord = Annotated[Header | Team | Provider | User | Client | Case | Event, Field(discriminator="record")]
RECORD_ADAPTER: TypeAdapter = TypeAdapter(AnyRecord)
RECORD_KINDS = ("header", "team", "provider", "user", "client", "case", "event")


def json_schema() -> dict:
    """JSON Schema of one line of the format (published as docs/import-format.schema.json)."""
    schema = RECORD_ADAPTER.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://regie.example/schemas/import-format-v1.json"
    schema["title"] = "Regie JSON Lines interchange format, version 1 (one line)"
    schema["description"] = (
        "Each line of a Regie .jsonl file is one of these records. Event payloads are validated per event type; "
        "see docs/import-format.md for the payload of each type."
    )
    return schema
