import datetime as dt
import io

import pytest
from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def verified_request(world):
    """An inzageverzoek of client C0 of municipality A, identity verified by the functioneel beheerder."""
    from regie.privacy import services

    fb = world.users_a["functioneel_beheerder"]
    req = services.record_access_request(
        world.clients_a[0], requested_by="Voornaam0 zelf", received_on=dt.date.today(), user=fb, origin="127.0.0.1"
    )
    return services.verify_identity(req, method="identiteitsbewijs aan de balie", user=fb, origin="127.0.0.1")
