"""A NUL character in a query string or a form is refused with a 400 before any view sees it (PostgreSQL cannot store
or compare such text; before, the worklist search and the new-client form passed it on and answered 500 there)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regie.casework.models import Client

pytestmark = pytest.mark.django_db


def test_nul_in_a_query_or_form_is_a_bad_request(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    assert c.get(reverse("worklist"), {"q": "Achter"}).status_code == 200
    r = c.get(reverse("worklist"), {"q": "Achter\x00naam"})
    assert r.status_code == 400 and "q bevat een nulteken" in r.content.decode()
    before = Client.objects.count()
    r = c.post(
        reverse("client_new"),
        {
            "bsn": "222333443",
            "given_name": "Nul\x00",
            "family_name": "Teken",
            "birth_date": "1990-01-01",
            "sex": "X",
            "melding_date": "2025-01-06",
        },
    )
    assert r.status_code == 400 and Client.objects.count() == before
    assert c.get("/clienten/%00/").status_code in (400, 404)
