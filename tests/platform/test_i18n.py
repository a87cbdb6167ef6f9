"""The UI speaks Dutch by default and English when chosen; the English catalogue is complete and compiled."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "src" / "regie" / "platform" / "locale" / "en" / "LC_MESSAGES"

pytestmark = pytest.mark.django_db


def test_english_catalogue_is_complete_and_compiled(tmp_path):
    po = polib.pofile(str(LOCALE / "django.po"))
    assert len(po) > 150
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    po.save_as_mofile(str(tmp_path / "fresh.mo"))
    assert (tmp_path / "fresh.mo").read_bytes() == (LOCALE / "django.mo").read_bytes(), "run: make messages"


def test_dutch_by_default_english_when_chosen(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    assert "Mijn caseload" in c.get(reverse("worklist")).content.decode()
    r = c.post(reverse("set_language"), {"language": "en", "next": reverse("worklist")})
    assert r.status_code == 302
    html = c.get(reverse("worklist")).content.decode()
    assert "My caseload" in html and "Mijn caseload" not in html and 'lang="en"' in html
    case = world.clients_a[0].cases.get()
    form = c.get(reverse("case_step", args=[case.pk, "maatregel"])).content.decode()
    assert "Obligation type" in form and "Advice under the policy" in form


def test_browser_language_does_not_switch_the_ui(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    html = c.get(reverse("worklist"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Mijn caseload" in html
