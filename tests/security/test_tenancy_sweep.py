"""Every URL × every role: no page or API endpoint reveals or changes another municipality's data, and no role
sees personal data its capabilities do not cover.

URLs are enumerated from the resolver, so pages added later are swept too. Path parameters are filled with ids of
municipality B's objects (clients, cases, events, pending decisions); the users are municipality A's. A "leak" is
a response containing B's names or BSNs, or any write to B's data. The number of attempts is printed and written to
test-artifacts/tenancy-sweep.json (docs/reliability.md).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from regie.accounts.tenancy import CAPABILITIES
from regie.casework.models import Case, Event, PendingDecision, PolicySignal
from regie.casework.services import append_event
from regie.core.records import ROLES

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("static/", "i18n/")
SKIP_NAMES = {"logout", "login", "set_language"}
# Pages whose content is personal data of clients, by URL-name prefix or namespace, and the capability they need.
NEEDS = {
    "client_detail": "view_clients",
    "reveal_bsn": "reveal_bsn",
    "worklist": "view_clients",
    "case_step": "record_events",
    "letter": "view_clients",
    "client-": "view_clients",
    "case-": "view_clients",
    "audit_log": "view_audit",
    "audit_export": "view_audit",
    "approvals": "approve_deviations",
    "equity:": "view_caseworker_results",
    "monitoring:": "view_aggregates",
    # documents and work tasks
    "documents:": "view_clients",
    "worktasks:": "view_clients",
    # agenda: the calendar, appointments, the start page and the journal show clients' personal data
    "agenda:": "view_clients",
    "journal:": "view_clients",
    # workday API: documents, tasks, appointments and journal notes (api/views_workday.py)
    "api-case-documents": "view_clients",
    "api-document": "view_clients",
    "api-document-file": "view_clients",
    "api-tasks": "view_clients",
    "api-task": "view_clients",
    "api-task-assign": "view_clients",
    "api-task-complete": "view_clients",
    "api-appointments": "view_clients",
    "api-appointment": "view_clients",
    "api-appointment-outcome": "view_clients",
    "api-case-appointments": "view_clients",
    "api-case-notes": "view_clients",
}


def _walk(resolver, prefix="", ns=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            sub_ns = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _walk(p, prefix + str(p.pattern), sub_ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (ns + p.name) if p.name else None


def _routes():
    out = []
    for pattern, name in _walk(get_resolver()):
        if pattern.startswith(SKIP_PREFIXES) or (name in SKIP_NAMES):
            continue
        pattern = pattern.lstrip("^").rstrip("$")
        if "(?P<format>" in pattern or pattern.endswith(r"\.(?P<format>[a-z0-9]+)/?"):
            continue
        out.append((pattern, name))
    return out


PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def _fill(pattern: str, ids: dict[str, list[int]]) -> list[str]:
    """All concrete paths for a pattern, each parameter filled with every candidate id of municipality B."""
    paths = [""]
    pos = 0
    for m in PARAM.finditer(pattern):
        literal = pattern[pos : m.start()]
        name = m.group("name") or m.group("rname")
        values = ids.get(name) or (ids["case_id"] + ids["client_id"] if name == "pk" else None)
        if values is None:
            values = ["contact"] if name == "event_type" else ids["case_id"]
        paths = [p + literal + str(v) for p in paths for v in values]
        pos = m.end()
    return ["/" + (p + pattern[pos:]).replace("^", "").replace("$", "").replace("\\", "") for p in paths]


def _required(name: str | None) -> str | None:
    if not name:
        return None
    for key, cap in NEEDS.items():
        if name == key or (key.endswith((":", "-")) and name.startswith(key)):
            return cap
    return None


def _writes(world) -> tuple:
    return (
        Event.objects.filter(municipality=world.b).count(),
        Case.objects.filter(municipality=world.b).count(),
        PolicySignal.objects.filter(municipality=world.b).count(),
        PendingDecision.objects.filter(municipality=world.b, status="pending").count(),
    )


def test_no_url_leaks_across_tenants_or_roles(world, client):
    b_case = world.clients_b[0].cases.get()
    ev = append_event(
        b_case,
        type="maatregel",
        effective_date=dt.date(2025, 3, 1),
        payload={"obligation_type": "reintegratie", "percentage": 30, "months": 1},
    )
    pending = PendingDecision.objects.create(
        municipality=world.b,
        case=b_case,
        event_type="classificatie",
        effective_date=dt.date(2025, 3, 1),
        payload={"scheme": "x", "level": "1"},
        decision={"deviates": True, "motivation": "m"},
        requested_by=world.users_b["integrale_klantmanager"],
    )
    ids = {
        "client_id": [c.pk for c in world.clients_b],
        "case_id": [c.cases.get().pk for c in world.clients_b],
        "event_id": [ev.pk],
        "pending_id": [pending.pk],
    }
    secrets_b = [c.family_name for c in world.clients_b] + [c.bsn for c in world.clients_b]
    secrets_a = [c.family_name for c in world.clients_a] + [c.bsn for c in world.clients_a]
    before = _writes(world)
    attempts, leaks, role_leaks = 0, [], []
    routes = _routes()
    assert len(routes) >= 15, routes
    for role in ROLES:
        user = world.users_a[role]
        client.force_login(user)
        caps = CAPABILITIES[role]
        for pattern, name in routes:
            for path in _fill(pattern, ids):
                for method in ("get", "post"):
                    resp = getattr(client, method)(
                        path, {} if method == "post" else None, HTTP_ACCEPT="text/html,application/json"
                    )
                    attempts += 1
                    body = (
                        resp.content.decode(errors="replace")
                        if resp.get("Content-Type", "").startswith(("text", "application/json"))
                        else ""
                    )
                    if any(s in body for s in secrets_b):
                        leaks.append((role, method, path, resp.status_code))
                    need = _required(name)
                    if need and need not in caps and resp.status_code == 200 and any(s in body for s in secrets_a):
                        role_leaks.append((role, method, path))
    # Control: the detector does see B's data when B's own caseworker asks, so zero leaks means something.
    client.force_login(world.users_b["integrale_klantmanager"])
    control = sum(
        any(sec in client.get(p).content.decode() for sec in secrets_b) for p in _fill("clienten/<int:client_id>/", ids)
    )
    assert control == len(world.clients_b)
    after = _writes(world)
    report = {
        "attempts": attempts,
        "routes": len(routes),
        "roles": len(ROLES),
        "leaks": len(leaks),
        "role_leaks": len(role_leaks),
        "writes_to_other_tenant": int(after != before),
    }
    out = Path("test-artifacts")
    out.mkdir(exist_ok=True)
    (out / "tenancy-sweep.json").write_text(json.dumps(report, indent=2))
    print(f"tenancy sweep: {report}")
    assert leaks == [], leaks[:10]
    assert role_leaks == [], role_leaks[:10]
    assert after == before, "a request changed another municipality's data"
