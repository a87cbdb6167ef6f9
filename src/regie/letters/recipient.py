"""The addressee of a letter: name, salutation and postal address from the client record
(``regie.clientrecord.selectors.record_for``). A letter to a client without a known address is refused."""

from __future__ import annotations

from dataclasses import dataclass


class LetterRefused(Exception):
    """A letter that cannot be made; ``message`` is Dutch, for the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Recipient:
    name: str
    salutation: str
    address_lines: tuple[str, ...]


def _record_for(client):
    try:
        from regie.clientrecord.selectors import record_for  # noqa: PLC0415 - h/record's module, merged later
    except ModuleNotFoundError:  # until the client record app is merged: the interchange contact block
        return _ContactRecord(client)
    return record_for(client)


class _ContactRecord:
    """Stand-in with the interface of ``record_for`` (``address_lines``, ``salutation``), read from
    ``Client.contact`` (street, postcode, city). Removed once ``regie.clientrecord`` is merged."""

    def __init__(self, client):
        c = client.contact or {}
        city = " ".join(x for x in (c.get("postcode"), (c.get("city") or "").upper()) if x)
        self.address_lines = [x for x in (c.get("street"), city) if x] if c.get("street") and city else []
        title = {"M": "heer", "V": "mevrouw"}.get(client.sex)
        name = client.family_name
        name = name[0].upper() + name[1:] if name else name
        self.salutation = f"Geachte {title} {name}," if title else f"Geachte {client.given_name} {client.family_name},"


def recipient(client) -> Recipient:
    record = _record_for(client)
    lines = tuple(x for x in (record.address_lines or []) if x and x.strip())
    if not lines:
        raise LetterRefused(
            "Deze brief kan niet worden gemaakt: het adres van de cliënt is niet bekend. Leg eerst het adres vast "
            "in het cliëntdossier."
        )
    salutation = (record.salutation or "").strip()
    if not salutation:
        raise LetterRefused("Deze brief kan niet worden gemaakt: de aanhef van de cliënt ontbreekt in het dossier.")
    return Recipient(name=f"{client.given_name} {client.family_name}", salutation=salutation, address_lines=lines)
