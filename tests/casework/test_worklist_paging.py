"""pages4: the worklist's team view and name search page through case ids, then read the page's rows by id; the
case page's timeline names each event's actor from one read of the actors; the menu is built once per role."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from regie.accounts import navigation
from regie.casework.models import Case, Client
from regie.casework.services import append_event
from regie.core.bsn import complete_bsn

pytestmark = pytest.mark.django_db

ROW_NAME = re.compile(r'href="/clienten/\d+/">([^<]+)</a>')


def _clients(world, n: int, family: str, caseworker) -> None:
    k = made = 0
    while made < n:
        k += 1
        bsn = complete_bsn(f"{41000000 + k:08d}")
        if not bsn:
            continue
        made += 1
        cl = Client.objects.create(
            municipality=world.a,
            external_id=f"P{k}",
            bsn=bsn,
            given_name=f"Naam{made:03d}",
            family_name=family,
            birth_date=dt.date(1980, 1, 1),
            sex="V",
        )
        case = Case.objects.create(municipality=world.a, client=cl, external_id=f"PK{k}", opened_on=dt.date(2025, 1, 1))
        append_event(case, type="melding", effective_date=dt.date(2025, 1, 1))
        append_event(
            case, type="caseworker_toewijzing", effective_date=dt.date(2025, 1, 2), payload={"caseworker": caseworker}
        )


def _names(body: str) -> list[str]:
    return ROW_NAME.findall(body)


def test_search_pages_in_dutch_order_with_its_count(world, login):
    km = world.users_a["integrale_klantmanager"]
    _clients(world, 55, "van Zoekveld", km.username)
    c = login(km)
    url = reverse("worklist")
    first = c.get(url, {"scope": "all", "q": "zoekveld"}).content.decode()
    second = c.get(url, {"scope": "all", "q": "zoekveld", "page": "2"}).content.decode()
    assert "55 dossiers" in first and "55 dossiers" in second
    names = _names(first) + _names(second)
    assert len(names) == 55 and len(set(names)) == 55  # every match once, over two pages
    assert names == sorted(names, key=lambda n: n.split(", ")[1])  # same surname: by given name
    assert len(_names(first)) == 50


def test_team_view_counts_and_pages_the_team(world, login):
    km = world.users_a["integrale_klantmanager"]
    _clients(world, 52, "Teamlid", km.username)
    c = login(km)
    body = c.get(reverse("worklist"), {"scope": "team"}).content.decode()
    total = int(re.search(r"(\d+) dossiers", body).group(1))
    assert total >= 52
    page2 = c.get(reverse("worklist"), {"scope": "team", "page": "2"}).content.decode()
    assert len(_names(body)) == 50 and set(_names(body)).isdisjoint(_names(page2))


def test_search_never_shows_another_municipality(world, login):
    other = world.clients_b[0]
    c = login(world.users_a["integrale_klantmanager"])
    body = c.get(reverse("worklist"), {"scope": "all", "q": other.family_name}).content.decode()
    assert f'href="/clienten/{other.pk}/"' not in body


def test_timeline_names_the_actor(world, login):
    km = world.users_a["integrale_klantmanager"]
    km.first_name, km.last_name = "Karin", "Timeline"
    km.save()
    client = world.clients_a[0]
    append_event(client.cases.get(), type="contact", effective_date=dt.date(2025, 3, 1), actor=km)
    body = login(km).get(reverse("client_detail", args=[client.pk])).content.decode()
    assert '<span class="actor">Karin Timeline</span>' in body


def test_menu_built_per_role(world, login):
    navigation._built.clear()
    km = login(world.users_a["integrale_klantmanager"]).get(reverse("worklist")).content.decode()
    assert navigation._built  # kept for the next page
    auditor = login(world.users_a["auditor"]).get(reverse("audit_log")).content.decode()
    assert reverse("agenda:start") in km and reverse("audit_log") not in km.split("</nav>")[0]
    assert reverse("audit_log") in auditor.split("</nav>")[0] and reverse("agenda:start") not in auditor
