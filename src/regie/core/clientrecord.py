"""The client record: address, contact data and preferences, contact persons and work profile, derived from events.

Plain Python. :func:`fold_record` is the ONE function that turns a client's base data (what the client row holds:
what an import or the registration brought) and their client-record events (``regie.core.events.RECORD_TYPES``,
recorded on any of the client's cases) into a :class:`ClientRecord`. The web page, letters, the API and the CLI
call it through ``regie.clientrecord.selectors.record_for``.

How the record relates to the client row (``casework.models.Client``): the row's ``contact`` (street, postcode,
city, phone, email), ``language`` and ``education`` are the *initial* data, as imported or registered. Every
change after that is an event; the events win over the row (a later event over an earlier one, by effective date
and then by recording order). The row is never updated to follow an event -- except the search key columns,
which are a cache of the record (``postcode_key``), rebuilt from the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .names import capitalised_surname, display_name, initials, split_surname

# What the letter says when nothing is known about the form of address (the registered sex is X or unknown):
# given name and surname, no gendered title (assumption, following the Rijksoverheid's guidance on gender-neutral
# letters: "Geachte [voornaam] [achternaam]").
SALUTATION_NEUTRAL = "naam"
SEX_SALUTATION = {"V": "mevrouw", "M": "heer"}


@dataclass
class Address:
    street: str = ""
    house_number: int | None = None
    house_letter: str = ""
    addition: str = ""
    postcode: str = ""
    city: str = ""
    source: str = ""
    since: dt.date | None = None

    @classmethod
    def from_payload(cls, p: Mapping[str, Any], since: dt.date | None = None) -> Address:
        return cls(
            street=p.get("street") or "",
            house_number=p.get("house_number"),
            house_letter=p.get("house_letter") or "",
            addition=p.get("addition") or "",
            postcode=p.get("postcode") or "",
            city=p.get("city") or "",
            source=p.get("source") or "",
            since=since,
        )

    @property
    def house(self) -> str:
        """ "12", "12A", "12-3", "12A-bis" (huisnummer, huisletter, then the toevoeging after a hyphen)."""
        if self.house_number is None:
            return ""
        text = f"{self.house_number}{self.house_letter.upper()}"
        return f"{text}-{self.addition}" if self.addition else text

    @property
    def lines(self) -> list[str]:
        """The postal lines: street and number, then postcode and place (two spaces, place in capitals, as PostNL's
        addressing guidelines ask for machine sorting). Empty when the address is incomplete."""
        street = " ".join(p for p in (self.street, self.house) if p)
        if not street or not self.city:
            return []
        place = f"{self.postcode}  {self.city.upper()}" if self.postcode else self.city.upper()
        return [street, place]

    def as_dict(self) -> dict:
        return {
            "street": self.street,
            "house_number": self.house_number,
            "house_letter": self.house_letter,
            "addition": self.addition,
            "postcode": self.postcode,
            "city": self.city,
        }


@dataclass
class ContactPerson:
    contact_id: str
    role: str
    name: str
    organisation: str = ""
    phone: str = ""
    email: str = ""
    address: Address | None = None
    receives_letters: bool = False
    since: dt.date | None = None

    @property
    def address_lines(self) -> list[str]:
        return self.address.lines if self.address else []


@dataclass
class Change:
    """One entry of the record's history: which event type, when it took effect, who recorded it."""

    type: str
    effective_date: dt.date
    actor: str
    recorded_at: dt.datetime | None = None


@dataclass
class ClientRecord:
    given_name: str
    family_name: str
    sex: str
    woonadres: Address | None = None
    briefadres: Address | None = None
    phone: str = ""
    email: str = ""
    preferred_channel: str = ""
    language: str = ""
    interpreter: bool = False
    salutation_form: str = ""  # what the client chose ("mevrouw", "heer", "naam"); "" = from the registered sex
    contact_persons: list[ContactPerson] = field(default_factory=list)
    education_level: str = ""
    education: list[dict] = field(default_factory=list)
    work: list[dict] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    driving_licences: list[str] = field(default_factory=list)
    history: list[Change] = field(default_factory=list)

    @property
    def postal_address(self) -> Address | None:
        """Where letters go: the briefadres when there is one, else the woonadres."""
        return self.briefadres or self.woonadres

    @property
    def address_lines(self) -> list[str]:
        """The postal address for a letter window, without the addressee (see :attr:`addressee`): street and
        number, postcode and place. Empty when no complete address is known."""
        address = self.postal_address
        return address.lines if address else []

    @property
    def addressee(self) -> str:
        """The name line above the address: "Mevrouw S. van der Linden", "De heer A. Öztürk", or initials and name
        without a title when the client chose no gendered form."""
        name = f"{initials(self.given_name)} {self._surname_lower()}".strip()
        form = self.salutation_choice
        if form == "mevrouw":
            return f"Mevrouw {name}"
        if form == "heer":
            return f"De heer {name}"
        return display_name(self.given_name, self.family_name)

    @property
    def window_lines(self) -> list[str]:
        """Addressee plus address: what goes in the window of an envelope; empty when no address is known."""
        lines = self.address_lines
        return [self.addressee, *lines] if lines else []

    @property
    def salutation_choice(self) -> str:
        return self.salutation_form or SEX_SALUTATION.get(self.sex, SALUTATION_NEUTRAL)

    @property
    def salutation(self) -> str:
        """The letter's opening: "Geachte mevrouw Van der Linden,", "Geachte heer Öztürk,", or "Geachte Sanne van
        der Linden," when the client chose no gendered form (or is registered as X)."""
        form = self.salutation_choice
        if form in ("mevrouw", "heer"):
            return f"Geachte {form} {capitalised_surname(self.family_name)},"
        return f"Geachte {display_name(self.given_name, self.family_name)},"

    @property
    def letter_copies(self) -> list[ContactPerson]:
        """Contact persons who get a copy of letters (with an address)."""
        return [p for p in self.contact_persons if p.receives_letters and p.address_lines]

    @property
    def bewindvoerder(self) -> ContactPerson | None:
        return next((p for p in self.contact_persons if p.role == "bewindvoerder"), None)

    def _surname_lower(self) -> str:
        prefix, rest = split_surname(self.family_name)
        return f"{prefix.lower()} {rest}" if prefix and not prefix.endswith("'") else f"{prefix.lower()}{rest}"


def _date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def fold_record(base: Mapping[str, Any], events: Iterable[Mapping[str, Any]]) -> ClientRecord:
    """The client record from the client's base data and their record events.

    ``base``: ``given_name``, ``family_name``, ``sex``, ``language``, ``education`` and ``contact`` (the client row's
    JSON: ``street`` -- street and number as one text --, ``postcode``, ``city``, ``phone``, ``email``).
    ``events``: mappings with ``type``, ``effective_date``, ``payload`` and optionally ``actor`` (a name) and
    ``recorded_at``; other event types are skipped. They are applied in (effective date, given order).
    """
    rec = ClientRecord(
        given_name=base.get("given_name") or "",
        family_name=base.get("family_name") or "",
        sex=base.get("sex") or "",
        language=base.get("language") or "",
        education_level=base.get("education") or "",
    )
    contact = dict(base.get("contact") or {})
    if contact.get("street") and contact.get("city"):
        # The import's street holds street and number in one text; kept as it is.
        rec.woonadres = Address(
            street=contact["street"], postcode=contact.get("postcode") or "", city=contact["city"], source="import"
        )
    rec.phone, rec.email = contact.get("phone") or "", contact.get("email") or ""
    indexed = [(i, e) for i, e in enumerate(events) if e["type"] in _APPLY]
    for _i, e in sorted(indexed, key=lambda ie: (_date(ie[1]["effective_date"]), ie[0])):
        on = _date(e["effective_date"])
        _APPLY[e["type"]](rec, e.get("payload") or {}, on)
        rec.history.append(Change(e["type"], on, e.get("actor") or "", e.get("recorded_at")))
    return rec


def _address(rec: ClientRecord, p: Mapping, on: dt.date) -> None:
    if p.get("kind") == "briefadres":
        rec.briefadres = None if p.get("ended") else Address.from_payload(p, on)
    else:
        rec.woonadres = Address.from_payload(p, on)


def _contact(rec: ClientRecord, p: Mapping, on: dt.date) -> None:
    rec.phone = p.get("phone") or ""
    rec.email = p.get("email") or ""
    rec.preferred_channel = p.get("preferred_channel") or ""
    rec.language = p.get("language") or ""
    rec.interpreter = bool(p.get("interpreter"))
    rec.salutation_form = p.get("salutation") or ""


def _person(rec: ClientRecord, p: Mapping, on: dt.date) -> None:
    ident = p["contact_id"]
    rest = [c for c in rec.contact_persons if c.contact_id != ident]
    if not p.get("ended"):
        address = Address.from_payload(p, on) if p.get("street") else None
        rest.append(
            ContactPerson(
                contact_id=ident,
                role=p.get("role") or "overig",
                name=p.get("name") or "",
                organisation=p.get("organisation") or "",
                phone=p.get("phone") or "",
                email=p.get("email") or "",
                address=address,
                receives_letters=bool(p.get("receives_letters")),
                since=on,
            )
        )
    rec.contact_persons = rest


def _profile(rec: ClientRecord, p: Mapping, on: dt.date) -> None:
    rec.education_level = p.get("education_level") or ""
    rec.education = list(p.get("education") or [])
    rec.work = list(p.get("work") or [])
    rec.skills = list(p.get("skills") or [])
    rec.driving_licences = list(p.get("driving_licences") or [])


_APPLY = {
    "adres_wijziging": _address,
    "contactgegevens": _contact,
    "contactpersoon": _person,
    "werkprofiel": _profile,
}
