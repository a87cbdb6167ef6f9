"""The rendered-fragment memo (``{% memo %}``, regie.casework.derived): a worklist row, a timeline row and the
benefit tables are kept as HTML per process; each test changes what a fragment shows and checks that the page
changes, and that what depends on the reader (a note's text, CSRF tokens) is never served from the memo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.casework import derived
from regie.casework.models import Case
from regie.casework.services import append_event

pytestmark = pytest.mark.django_db


def _case(world, i=0):
    return Case.objects.select_related("client").get(client=world.clients_a[i])


def test_worklist_row_follows_the_client_name_and_the_caseworker_name(world, login):
    derived.clear()
    km = world.users_a["integrale_klantmanager"]
    c = login(km)
    assert "Achternaam05180" in c.get(reverse("worklist")).content.decode()
    assert any(k[0][1] for k in derived._fragments)  # rows were kept (outside a transaction)
    client = world.clients_a[0]
    client.family_name = "Nieuwenhuis"
    client.save(update_fields=["family_name"])
    km.first_name, km.last_name = "Karin", "Brouwer"
    km.save(update_fields=["first_name", "last_name"])
    html = c.get(reverse("worklist")).content.decode()
    assert "Nieuwenhuis, Voornaam0" in html and "Achternaam05180" not in html
    assert "Karin Brouwer" in html


def test_worklist_row_follows_a_new_event(world, login):
    derived.clear()
    km = world.users_a["integrale_klantmanager"]
    c = login(km)
    c.get(reverse("worklist"))
    case = _case(world)
    append_event(
        case, type="uitstroom", effective_date=dt.date(2025, 6, 1), payload={"reason": "werk_regulier"}, actor=km
    )
    html = c.get(reverse("worklist"), {"status": ""}).content.decode()
    row = html.split("Achternaam05180", 1)[1].split("</tr>", 1)[0]
    assert "2025-06-01" in row  # the last event's date on the row


def test_timeline_shows_a_new_event_and_keeps_csrf_tokens_fresh(world, login):
    derived.clear()
    km = world.users_a["integrale_klantmanager"]
    c = login(km)
    case = _case(world)
    url = reverse("client_detail", args=[case.client_id])
    first = c.get(url).content.decode()
    assert any(k[1][0] == "timeline" for k in derived._fragments)
    append_event(
        case, type="uitstroom", effective_date=dt.date(2025, 6, 1), payload={"reason": "werk_regulier"}, actor=km
    )
    again = c.get(url).content.decode()
    assert "01-06-2025" in again and "01-06-2025" not in first
    assert all("csrfmiddlewaretoken" not in html for html in derived._fragments.values())


def test_a_note_is_shown_per_reader_not_from_the_memo(world, login, client):
    derived.clear()
    km = world.users_a["integrale_klantmanager"]
    other = world.users_a["inkomensconsulent"]
    case = _case(world)
    append_event(
        case,
        type="notitie",
        effective_date=dt.date(2025, 3, 1),
        payload={"text": "Geheime medische tekst", "confidential": True, "confidentiality": "medisch"},
        actor=km,
    )
    url = reverse("client_detail", args=[case.client_id])
    assert "Geheime medische tekst" in login(km).get(url).content.decode()
    client.logout()
    assert "Geheime medische tekst" not in login(other).get(url).content.decode()


def test_benefit_tables_follow_the_household(world, login):
    derived.clear()
    km = world.users_a["integrale_klantmanager"]
    c = login(km)
    case = _case(world)
    url = reverse("client_detail", args=[case.client_id])
    before = c.get(url).content.decode()
    assert any(k[1][0] == "benefit-ledger" for k in derived._fragments)
    client = case.client
    client.birth_date = dt.date(2005, 1, 1)  # a different age band changes the norm (Pw art. 20)
    client.save(update_fields=["birth_date"])
    after = c.get(url).content.decode()
    ledger = lambda html: html.split('class="ledger"', 1)[1].split("</table>", 1)[0]  # noqa: E731
    assert ledger(before) != ledger(after)


def test_nothing_is_memoised_with_the_switch_off(world, login):
    derived.clear()
    derived.FRAGMENTS = False
    try:
        c = login(world.users_a["integrale_klantmanager"])
        c.get(reverse("worklist"))
        assert derived._fragments == {}
    finally:
        derived.FRAGMENTS = True
