"""No N+1 queries: the number of queries per page does not grow with the number of rows shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regie.casework import derived
from regie.casework.models import Case, Client
from regie.casework.services import append_event
from regie.core.bsn import complete_bsn

pytestmark = pytest.mark.django_db


def _add_clients(world, n: int, start: int) -> None:
    km = world.users_a["integrale_klantmanager"]
    k = start
    made = 0
    while made < n:
        k += 1
        bsn = complete_bsn(f"{30000000 + k:08d}")
        if not bsn:
            continue
        made += 1
        cl = Client.objects.create(
            municipality=world.a,
            external_id=f"X{k}",
            bsn=bsn,
            given_name="Extra",
            family_name=f"Rij{k}",
            birth_date=dt.date(1980, 1, 1),
            sex="M",
        )
        case = Case.objects.create(municipality=world.a, client=cl, external_id=f"XK{k}", opened_on=dt.date(2025, 1, 1))
        append_event(case, type="melding", effective_date=dt.date(2025, 1, 1))
        append_event(
            case, type="toekenning", effective_date=dt.date(2025, 1, 20), payload={"norm_type": "alleenstaande"}
        )
        append_event(
            case, type="caseworker_toewijzing", effective_date=dt.date(2025, 1, 20), payload={"caseworker": km.username}
        )
        append_event(
            case,
            type="traject_start",
            effective_date=dt.date(2025, 2, 1),
            payload={"trajectory_id": "T1", "kind": "reintegratie", "provider": "P1"},
        )


def _count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url, params)
        assert resp.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "who,url",
    [
        ("integrale_klantmanager", "worklist"),
        ("integrale_klantmanager", "/api/v1/clients/"),
        ("integrale_klantmanager", "/api/v1/cases/"),
        ("provider_coach", "provider:clients"),
        ("auditor", "audit_log"),
    ],
)
def test_query_count_does_not_grow_with_rows(world, login, who, url):
    c = login(world.users_a[who])
    path = url if url.startswith("/") else reverse(url)
    c.get(path)  # the first request of a session records its activity time; measure steady-state requests
    _add_clients(world, 5, 0)
    small = _count(c, path)
    _add_clients(world, 40, 1000)
    large = _count(c, path)
    assert large == small, f"{path}: {small} queries with few rows, {large} with many"


def test_client_page_query_count_does_not_grow_with_events(world, login):
    c = login(world.users_a["integrale_klantmanager"])
    client = world.clients_a[0]
    case = client.cases.get()
    c.get(reverse("client_detail", args=[client.pk]))
    derived.clear()  # pages: compare derivations from scratch (the per-case memo would hide them)
    small = _count(c, reverse("client_detail", args=[client.pk]))
    for i in range(30):
        append_event(
            case,
            type="contact",
            effective_date=dt.date(2025, 3, 1) + dt.timedelta(days=i),
            actor=world.users_a["integrale_klantmanager"],
        )
    derived.clear()
    assert _count(c, reverse("client_detail", args=[client.pk])) == small


def test_client_page_queries_do_not_grow_with_letters(world, login):
    """Each letter row of the timeline asks when its letter was sent: one read per case and request, not per row
    (the rows are separate includes, each with a render context of its own)."""
    c = login(world.users_a["integrale_klantmanager"])
    client = world.clients_a[0]
    case = client.cases.get()
    url = reverse("client_detail", args=[client.pk])

    def warn(i):
        append_event(
            case,
            type="waarschuwing",
            effective_date=dt.date(2025, 3, 1) + dt.timedelta(days=i),
            payload={"obligation_type": "inlichtingen", "description": f"Waarschuwing {i}"},
            actor=world.users_a["integrale_klantmanager"],
        )

    warn(0)
    c.get(url)
    derived.clear()
    one = _count(c, url)
    for i in range(1, 5):
        warn(i)
    derived.clear()
    body = c.get(url).content.decode()
    assert body.count("brief (PDF") >= 5  # five letter rows are shown
    derived.clear()
    assert _count(c, url) == one


def test_client_page_reads_caseworker_letters_and_bank_account_without_a_query_per_case(world, login):
    """pages10: the caseworker comes with the cases, the letters' sent dates from the page's events, the bank
    account once a page (main: a query each per case)."""

    km = world.users_a["integrale_klantmanager"]
    c = login(km)
    client = world.clients_a[0]
    url = reverse("client_detail", args=[client.pk])
    c.get(url)
    derived.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in sql if "bekendmaking" in s], "sent dates read from the page's events"
    assert sum('FROM "benefit_bankaccount"' in s for s in sql) <= 1
    assert sum(s.startswith('SELECT "accounts_user"."id", "accounts_user"."password"') for s in sql) <= 1  # session
