"""The calendar subscription link: made and shown once, stored hashed, opens the user's own agenda without a
session with minimal personal data, audited on every fetch, stopped by revoking, by a new link, by a change of
role, by deactivation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from icalendar import Calendar

from regie.agenda import feeds
from regie.agenda.models import CalendarFeedToken
from regie.agenda.services import plan
from regie.audit.models import AuditRecord

from .conftest import next_weekday

pytestmark = pytest.mark.django_db


def _make_link(login, user) -> str:
    page = login(user).post("/agenda/abonnement/", {"action": "new"}).content.decode()
    m = re.search(r'value="(http[^"]+/agenda/abonnement/(rgc_[^/"]+)/agenda\.ics)"', page)
    assert m, page
    return m.group(1).split("testserver", 1)[1]


def test_the_link_opens_the_own_agenda_without_a_session_with_minimal_data(world, login, km, case_a, case_b):
    day = next_weekday()
    client = case_a.client
    plan(case_a, km, kind="voortgangsgesprek", date=day, start_time=dt.time(10, 0), location="Werkplein kamer 3")
    plan(
        case_a,
        km,
        kind="huisbezoek",
        date=day,
        start_time=dt.time(14, 0),
        location="Thuisstraat 12, Den Haag",
        with_whom="tolk Yilmaz",
    )
    other = world.users_a["reintegratieconsulent"]
    plan(case_a, other, kind="intake", date=day, start_time=dt.time(9, 0), caseworker=other.username)
    plan(case_b, world.users_b["integrale_klantmanager"], kind="intake", date=day, start_time=dt.time(9, 0))
    url = _make_link(login, km)
    anonymous = Client()
    resp = anonymous.get(url)
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/calendar")
    body = resp.content.decode()
    cal = Calendar.from_ical(resp.content)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 2  # only the user's own, not the colleague's, not another municipality's
    summaries = sorted(str(e["summary"]) for e in events)
    case_no = case_a.external_id
    assert summaries == sorted([f"Voortgangsgesprek: V.A. ({case_no})", f"Huisbezoek: V.A. ({case_no})"]), summaries
    for secret in (client.bsn, client.family_name, client.given_name, "Thuisstraat", "Yilmaz"):
        assert secret not in body, secret
    assert "Werkplein kamer 3" in body
    assert all("/agenda/afspraak/" in str(e["url"]) for e in events)
    rec = AuditRecord.objects.filter(object_type="calendar", action="export", actor=km.username).latest("id")
    assert rec.result == "success" and "subscription rgc_" in rec.detail and "appointments=2" in rec.detail
    anonymous.get(url)
    assert AuditRecord.objects.filter(object_type="calendar", action="export", actor=km.username).count() == 2


def test_the_secret_is_stored_hashed_and_shown_once(world, login, km):
    url = _make_link(login, km)
    secret = url.split("/")[3]
    token = CalendarFeedToken.objects.get(user=km)
    assert token.digest == feeds.digest(secret) and secret not in (token.digest, token.prefix)
    assert secret.startswith(token.prefix)
    page = login(km).get("/agenda/abonnement/").content.decode()
    assert secret not in page and "sinds" in page


def test_revoking_a_new_link_role_change_and_deactivation_stop_it(world, login, km):
    anonymous = Client()
    first = _make_link(login, km)
    second = _make_link(login, km)
    assert anonymous.get(first).status_code == 404  # a new link revokes the old
    assert anonymous.get(second).status_code == 200
    login(km).post("/agenda/abonnement/", {"action": "stop"})
    assert anonymous.get(second).status_code == 404
    third = _make_link(login, km)
    km.role = "beleidsmedewerker"
    km.save()
    assert anonymous.get(third).status_code == 404
    km.role = "integrale_klantmanager"
    km.save()
    assert anonymous.get(third).status_code == 404  # refused once, stopped for good
    fourth = _make_link(login, km)
    km.is_active = False
    km.save()
    assert anonymous.get(fourth).status_code == 404
    assert anonymous.get("/agenda/abonnement/rgc_bestaatniet/agenda.ics").status_code == 404
    denied = AuditRecord.objects.filter(object_type="calendar", result="denied")
    assert denied.count() == 6 and not any("bestaatniet" in r.object_id for r in denied)


def test_roles_without_client_files_get_no_link(world, login):
    for role in ("beleidsmedewerker", "provider_coach", "auditor"):
        assert login(world.users_a[role]).post("/agenda/abonnement/", {"action": "new"}).status_code == 403
    assert not CalendarFeedToken.objects.exists()
