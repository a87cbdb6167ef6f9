"""Searching the way Dutch users search, on the pre-folded keys (the same text comparisons on SQLite and
PostgreSQL: these tests run unchanged on both)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.casework import search, selectors
from regie.casework.models import Case, CaseState, Client
from regie.casework.services import append_event
from regie.clientrecord import services
from regie.core.names import capitalised_surname, fold, sort_key, split_surname

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("Sanne", "van der Linden", "V", "123456782"),
    ("Ahmet", "Öztürk", "M", "111222333"),
    ("Elif", "Çelik", "V", "100000009"),
    ("Émile", "de Vries", "M", None),
    ("Jan", "Jansen", "M", None),
    ("Anna", "Mulder", "V", None),
    ("Piet", "in 't Veld", "M", None),
    ("Kees", "Lindeman", "M", None),
]
# valid BSNs (elfproef) for the extra clients
EXTRA_BSNS = ("012345672", "111111110", "222222220", "333333330", "444444440", "555555550")


@pytest.fixture
def people(world):
    km = world.users_a["integrale_klantmanager"]
    clients = {}
    existing, extra = iter(world.clients_a), iter(EXTRA_BSNS)
    for given, family, sex, bsn in PEOPLE:
        if bsn:
            client = next(existing)
            client.given_name, client.family_name, client.sex = given, family, sex
            client.save()
        else:
            client = Client.objects.create(
                municipality=world.a,
                external_id=f"X-{family}",
                bsn=next(extra),
                given_name=given,
                family_name=family,
                birth_date=dt.date(1990, 5, 17),
                sex=sex,
            )
            case = Case.objects.create(
                municipality=world.a, client=client, external_id=f"K-{family[:3]}9", opened_on=dt.date(2025, 1, 6)
            )
            append_event(case, type="melding", effective_date=dt.date(2025, 1, 6), actor=km)
        clients[family] = client
    return clients


def _found(world, q):
    user = world.users_a["integrale_klantmanager"]
    rows = selectors.worklist(user, scope="all", q=q)
    return [s.case.client.family_name for s in rows]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("linden", {"van der Linden"}),
        ("Linde", {"van der Linden", "Lindeman"}),
        ("van der linden", {"van der Linden"}),
        ("van der Lin", {"van der Linden"}),
        ("sanne linden", {"van der Linden"}),
        ("linden, sanne", {"van der Linden"}),
        ("sanne van der linden", {"van der Linden"}),
        ("ozturk", {"Öztürk"}),
        ("Öztürk", {"Öztürk"}),
        ("öztürk", {"Öztürk"}),
        ("OZTÜRK", {"Öztürk"}),
        ("celik", {"Çelik"}),
        ("çelik", {"Çelik"}),
        ("emile", {"de Vries"}),
        ("Émile de vries", {"de Vries"}),
        ("vries", {"de Vries"}),
        ("veld", {"in 't Veld"}),
        ("in 't veld", {"in 't Veld"}),
        ("in ’t Veld", {"in 't Veld"}),
        ("ries", set()),
    ],
)
def test_names_with_or_without_tussenvoegsel_and_accents(world, people, query, expected):
    assert set(_found(world, query)) == expected


def test_bsn_full_with_elfproef_only(world, people):
    bsn = people["van der Linden"].bsn
    assert _found(world, bsn) == ["van der Linden"]
    assert _found(world, f"{bsn[:4]} {bsn[4:6]} {bsn[6:]}") == ["van der Linden"]
    assert _found(world, "123456783") == []  # fails the elfproef: nothing, not everything
    assert _found(world, "12345678") == []  # no prefix search on BSNs


def test_date_of_birth_dd_mm_jjjj(world, people):
    assert set(_found(world, "17-05-1990")) == {"de Vries", "Jansen", "Mulder", "in 't Veld", "Lindeman"}
    assert _found(world, "1-1-1985") == ["van der Linden"]  # world's first client, renamed
    assert _found(world, "31-02-1990") == []


def test_case_number(world, people):
    assert _found(world, "K-Jan9") == ["Jansen"]
    assert _found(world, "k-jan9") == []  # exact, case numbers are not names


def test_postcode_from_the_record(world, people):
    client = people["Mulder"]
    services.record_change(
        client,
        world.users_a["integrale_klantmanager"],
        event_type="adres_wijziging",
        payload={"street": "Spui", "house_number": 70, "postcode": "2511 BT", "city": "Den Haag"},
    )
    assert _found(world, "2511 BT") == ["Mulder"]
    assert _found(world, "2511bt") == ["Mulder"]
    assert _found(world, "2511 BS") == []


def test_dutch_register_order(world, people):
    order = _found(world, "")
    assert order == sorted(order, key=lambda f: sort_key(f))
    assert order.index("Jansen") < order.index("Lindeman") < order.index("van der Linden") < order.index("Mulder")
    assert order.index("Öztürk") < order.index("in 't Veld") < order.index("de Vries")
    assert order.index("Çelik") < order.index("Jansen")


def test_web_worklist_search(world, login, people):
    c = login(world.users_a["integrale_klantmanager"])
    html = c.get(reverse("worklist"), {"scope": "all", "q": "ozturk"}).content.decode()
    assert "Öztürk" in html and "Linden" not in html


def test_names_module():
    assert split_surname("van der Linden") == ("van der", "Linden")
    assert split_surname("De") == ("", "De")
    assert split_surname("d'Ancona") == ("d'", "Ancona")
    assert capitalised_surname("van der Linden") == "Van der Linden"
    assert capitalised_surname("in 't Veld") == "In 't Veld"
    assert fold("İlhan Groß Øster") == "ilhan gross oster"
    assert search.postcode_key("1234 ab") == "1234ab" and search.postcode_key("0123 AB") == ""


def test_keys_follow_rectification_and_import(world, people):
    client = people["Jansen"]
    client.family_name = "van Dijk"
    client.save(update_fields=["family_name"])
    client.refresh_from_db()
    assert (client.name_key, client.family_key) == ("dijk", "van dijk")
    Client.objects.filter(pk=client.pk).update(name_key="stale")
    assert search.reindex(world.a.id) == 1
    assert Client.objects.get(pk=client.pk).name_key == "dijk"
    assert CaseState.objects.filter(case__client=client).exists()


def test_postcode_key_follows_an_address_event_from_any_path(world, login, people):
    """The API records an address event through the gate too; the search key follows (append_event keeps it)."""
    from regie.casework.decisions import record_step

    client = people["Jansen"]
    case = client.cases.get()
    record_step(
        case,
        world.users_a["integrale_klantmanager"],
        event_type="adres_wijziging",
        effective_date=dt.date.today(),
        payload={"street": "Plein", "house_number": 1, "postcode": "2511 CR", "city": "Den Haag"},
        source="api",
    )
    assert _found(world, "2511CR") == ["Jansen"]
