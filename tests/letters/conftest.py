"""Letters fixtures: the world of tests/conftest.py with a letterhead for Den Haag and an address for its clients."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from regie.casework.models import Client
from regie.letters import services


def pdf_text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


LETTERHEAD = {
    "sender": "Gemeente Den Haag, Werk en Inkomen",
    "address": "Postbus 12600\n2500 DJ DEN HAAG",
    "contact": "Vragen? Bel 14 070 of kijk op denhaag.nl/werkeninkomen.",
    "objection_address": "College van burgemeester en wethouders van Den Haag\nPostbus 12600\n2500 DJ DEN HAAG",
    "objection_online": "denhaag.nl/bezwaar",
    "signature": "Het college van burgemeester en wethouders van Den Haag,\nnamens dezen,\nde manager Werk en Inkomen",
}


def give_address(client: Client, street="Laan van Meerdervoort 12", postcode="2517 AK", city="Den Haag"):
    client.contact = {"street": street, "postcode": postcode, "city": city}
    client.save(update_fields=["contact"])
    return client


@pytest.fixture
def letters_world(world):
    services.save_letterhead(world.a, LETTERHEAD, world.users_a["functioneel_beheerder"], expected_version=0)
    for c in world.clients_a:
        give_address(c)
    return world
