"""The addressee of a letter: name line, salutation and postal address from the client record
(``regie.clientrecord.selectors.record_for``: the briefadres when there is one, else the woonadres; the client's
chosen form of address). A letter to a client without a known address is refused, never printed without one."""

from __future__ import annotations

from dataclasses import dataclass

from regie.clientrecord.selectors import record_for


class LetterRefused(Exception):
    """A letter that cannot be made; ``message`` is Dutch, for the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Recipient:
    name: str  # the name line above the address ("Mevrouw S. van der Linden")
    salutation: str  # "Geachte mevrouw Van der Linden,"
    address_lines: tuple[str, ...]
    copies: tuple[str, ...] = ()  # contact persons who get a copy ("J. de Boer (bewindvoerder)")


def recipient(client) -> Recipient:
    record = record_for(client)
    lines = tuple(x for x in record.address_lines if x and x.strip())
    if not lines:
        raise LetterRefused(
            "Deze brief kan niet worden gemaakt: het adres van de cliënt is niet bekend. Leg eerst het adres vast "
            "in het cliëntdossier."
        )
    salutation = (record.salutation or "").strip()
    if not salutation:
        raise LetterRefused("Deze brief kan niet worden gemaakt: de aanhef van de cliënt ontbreekt in het dossier.")
    copies = tuple(f"{p.name} ({p.role})" if p.role and p.role != "overig" else p.name for p in record.letter_copies)
    return Recipient(name=record.addressee, salutation=salutation, address_lines=lines, copies=copies)
