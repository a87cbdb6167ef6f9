"""The register of legal grounds (verwerkingsregister) page: Dutch markers for unconfirmed citations, and in the
English UI the register's Dutch text marked as Dutch, with a line saying why."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_register_page(world, login, lang):
    c = login(world.users_a["functioneel_beheerder"])
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    html = c.get("/privacy/grondslagen/").content.decode()
    assert "(aanname" in html
    if lang == "nl":
        assert "assumption" not in html and "to verify" not in html
    assert '<dd lang="nl">' in html
    explained = "its entries are therefore in Dutch" in html
    assert explained == (lang == "en")
