"""Every response that shows personal data leaves an audit record (walks all URLs, all roles, own municipality)."""

from __future__ import annotations

import datetime as dt

import pytest

from regie.audit.models import AuditRecord
from regie.casework.services import append_event
from regie.core.records import ROLES
from tests.security.test_tenancy_sweep import _fill, _routes

pytestmark = pytest.mark.django_db


def test_every_response_with_personal_data_is_audited(world, client):
    a_case = world.clients_a[0].cases.get()
    ev = append_event(
        a_case,
        type="traject_start",
        effective_date=dt.date(2025, 3, 1),
        payload={"trajectory_id": "T1", "kind": "reintegratie", "provider": "P1"},
    )
    toek = a_case.events.get(type="toekenning")
    ids = {
        "client_id": [world.clients_a[0].pk],
        "case_id": [a_case.pk],
        "event_id": [toek.pk, ev.pk],
        "pending_id": [0],
    }
    secrets = [c.family_name for c in world.clients_a] + [c.bsn for c in world.clients_a]
    shown, unaudited = 0, []
    for role in ROLES:
        client.force_login(world.users_a[role])
        for pattern, _name in _routes():
            for path in _fill(pattern, ids):
                before = AuditRecord.objects.count()
                resp = client.get(path, HTTP_ACCEPT="text/html,application/json")
                ctype = resp.get("Content-Type", "")
                body = resp.content.decode(errors="replace") if ctype.startswith(("text", "application/json")) else ""
                personal = resp.status_code == 200 and (any(s in body for s in secrets) or ctype == "application/pdf")
                if personal:
                    shown += 1
                    new = AuditRecord.objects.order_by("-id")[: AuditRecord.objects.count() - before]
                    if not any(r.result == "success" and r.actor == world.users_a[role].username for r in new):
                        unaudited.append((role, path))
    print(f"audit completeness: {shown} responses with personal data, {len(unaudited)} unaudited")
    assert shown >= 10  # the walk reached the personal-data pages (worklist, client, letters, API, provider)
    assert unaudited == []
