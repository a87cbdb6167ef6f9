"""The caseworker records and ends a machtiging from the case page; the representative's access follows it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from regie.audit.models import AuditRecord
from regie.portal.models import Machtiging
from tests.portal.conftest import CODE, REPRESENTATIVE_BSN, at_broker, start_login

pytestmark = pytest.mark.django_db


def _form(**kw):
    values = {
        "role": "bewindvoerder",
        "representative_name": "J. de Bewindvoerder",
        "representative_bsn": REPRESENTATIVE_BSN,
        "valid_from": (dt.date.today() - dt.timedelta(days=30)).isoformat(),
        "valid_until": "",
    }
    return {**values, **kw}


def test_caseworker_records_a_machtiging_and_the_representative_can_log_in(world, login, broker):
    from django.test import Client as Browser

    client = world.clients_a[0]
    c = login(world.users_a["integrale_klantmanager"])
    page = c.get(reverse("client_detail", args=[client.pk])).content.decode()
    assert "Machtigingen (Mijn Regie)" in page and reverse("machtiging_new", args=[client.pk]) in page
    url = reverse("machtiging_new", args=[client.pk])
    # bad input: every field named in Dutch, what was typed kept, nothing stored
    r = c.post(url, _form(representative_bsn="123456789", representative_name="", role="oom", valid_from="31-02-2025"))
    body = r.content.decode()
    assert r.status_code == 400 and not Machtiging.objects.exists()
    assert "BSN van de vertegenwoordiger" in body and "elfproef" in body
    assert "Naam van de vertegenwoordiger: vul de naam in" in body and "Soort machtiging: kies" in body
    assert "Ingangsdatum: geen geldige datum" in body and 'value="123456789"' in body
    r = c.post(url, _form(representative_bsn=client.bsn))
    assert r.status_code == 400 and "BSN van de klant zelf" in r.content.decode()
    r = c.post(url, _form(valid_until=(dt.date.today() - dt.timedelta(days=40)).isoformat()))
    assert r.status_code == 400 and "Einddatum: ligt vóór de ingangsdatum" in r.content.decode()
    assert c.post(url, _form()).status_code == 302
    m = Machtiging.objects.get()
    assert m.client == client and m.role == "bewindvoerder" and m.created_by == world.users_a["integrale_klantmanager"]
    assert AuditRecord.objects.filter(object_type="machtiging", object_id=str(m.pk), action="create").exists()
    page = c.get(reverse("client_detail", args=[client.pk])).content.decode()
    assert "J. de Bewindvoerder" in page and "geldig" in page and REPRESENTATIVE_BSN not in page  # BSN masked
    # the same person twice in the same period: refused
    r = c.post(url, _form())
    assert r.status_code == 400 and "heeft al een machtiging" in r.content.decode()
    # the representative logs in with their own DigiD and acts for the client
    b = Browser()
    at_broker(broker, REPRESENTATIVE_BSN)
    assert b.get(start_login(b, broker)).status_code == 302
    assert b.get(reverse("portal:overview", args=[CODE])).status_code == 200
    # the caseworker ends it today; the end date before the start is refused first
    end = reverse("machtiging_end", args=[client.pk, m.pk])
    r = c.post(end, {"valid_until": "2000-01-01"})
    assert r.status_code == 400 and "vóór de ingangsdatum" in r.content.decode()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert c.post(end, {"valid_until": yesterday}).status_code == 302
    m.refresh_from_db()
    assert m.valid_until.isoformat() == yesterday and m.ended_by == world.users_a["integrale_klantmanager"]
    assert AuditRecord.objects.filter(object_type="machtiging", object_id=str(m.pk), action="update").exists()
    assert b.get(reverse("portal:overview", args=[CODE])).status_code == 404  # access ends at once
    r = c.post(end, {"valid_until": yesterday})
    assert r.status_code == 400 and "al beëindigd" in r.content.decode()


def test_machtiging_pages_are_tenant_scoped_and_capability_checked(world, login):
    client_a = world.clients_a[0]
    other = login(world.users_b["integrale_klantmanager"])
    assert other.get(reverse("machtiging_new", args=[client_a.pk])).status_code == 404
    assert other.post(reverse("machtiging_new", args=[client_a.pk]), _form()).status_code == 404
    assert not Machtiging.objects.exists()
    auditor = login(world.users_a["auditor"])
    assert auditor.post(reverse("machtiging_new", args=[client_a.pk]), _form()).status_code == 403
    assert not Machtiging.objects.exists()
    from regie.portal.services import grant

    m = grant(
        client_a,
        representative_bsn=REPRESENTATIVE_BSN,
        representative_name="X",
        role="mentor",
        valid_from=dt.date(2025, 1, 1),
    )
    other = login(world.users_b["integrale_klantmanager"])
    assert other.post(reverse("machtiging_end", args=[client_a.pk, m.pk]), {}).status_code == 404
    km_a = login(world.users_a["integrale_klantmanager"])
    assert km_a.post(reverse("machtiging_end", args=[world.clients_a[1].pk, m.pk]), {}).status_code == 404
    m.refresh_from_db()
    assert m.valid_until is None
