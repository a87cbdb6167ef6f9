"""Export of the Regie JSON Lines format (docs/import-format.md): one municipality, losslessly (the import of the
export gives the same database, tested)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import IO

import orjson

from regie.accounts.models import Municipality, Provider, Team, User
from regie.audit import services as audit

from ..models import Case, Client, Event


def export_records(municipality: Municipality, chunk: int = 1000) -> Iterator[dict]:
    """All records of one municipality in interchange order (header, teams, providers, users, then per client)."""
    yield {
        "record": "header",
        "format": "regie-jsonl",
        "version": 1,
        "municipality": municipality.code,
        "municipality_name": municipality.name,
        "generator": "regie export",
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
    }
    for t in Team.objects.filter(municipality=municipality).order_by("id"):
        yield _clean({"record": "team", "id": t.code, "name": t.name, "client_group": t.client_group or None})
    for p in Provider.objects.filter(municipality=municipality).order_by("id"):
        yield {"record": "provider", "id": p.code, "name": p.name, "kind": p.kind}
    user_id: dict[int, str] = {}
    user_of_name: dict[str, str] = {}
    users = User.objects.filter(municipality=municipality).select_related("team", "provider").order_by("id")
    for u in users:
        uid = u.external_id or u.username
        user_id[u.pk], user_of_name[u.username] = uid, uid
        yield _clean(
            {
                "record": "user",
                "id": uid,
                "username": u.username,
                "name": f"{u.first_name} {u.last_name}".strip() or u.username,
                "role": u.role,
                "team": u.team.code if u.team else None,
                "provider": u.provider.code if u.provider else None,
                "email": u.email or None,
            }
        )
    client_ids = list(Client.objects.filter(municipality=municipality).order_by("id").values_list("id", flat=True))
    for start in range(0, len(client_ids), chunk):
        ids = client_ids[start : start + chunk]
        clients = Client.objects.filter(id__in=ids).order_by("id")
        cases_by_client: dict[int, list[Case]] = {}
        for c in Case.objects.filter(client_id__in=ids).select_related("team").order_by("id"):
            cases_by_client.setdefault(c.client_id, []).append(c)
        events_by_case: dict[int, list[Event]] = {}
        for e in Event.objects.filter(case__client_id__in=ids).order_by("case_id", "effective_date", "id"):
            events_by_case.setdefault(e.case_id, []).append(e)
        for cl in clients:
            yield _clean(
                {
                    "record": "client",
                    "id": cl.external_id,
                    "bsn": cl.bsn,
                    "given_name": cl.given_name,
                    "family_name": cl.family_name,
                    "birth_date": cl.birth_date.isoformat(),
                    "sex": cl.sex,
                    "education": cl.education or None,
                    "language": cl.language or None,
                    "origin": cl.origin or None,
                    "household": cl.household,
                    "housing": cl.housing or None,
                    "contact": cl.contact,
                }
            )
            cases = cases_by_client.get(cl.pk, [])
            for case in cases:
                yield _clean(
                    {
                        "record": "case",
                        "id": case.external_id,
                        "client": cl.external_id,
                        "opened_on": case.opened_on.isoformat(),
                        "team": case.team.code if case.team else None,
                    }
                )
            for case in cases:
                for e in events_by_case.get(case.pk, []):
                    payload = e.payload
                    if e.type == "caseworker_toewijzing":
                        payload = {
                            **payload,
                            "caseworker": user_of_name.get(payload["caseworker"], payload["caseworker"]),
                        }
                    yield _clean(
                        {
                            "record": "event",
                            "id": e.external_id,
                            "case": case.external_id,
                            "type": e.type,
                            "effective_date": e.effective_date.isoformat(),
                            "recorded_at": e.recorded_at.isoformat(),
                            "actor": user_id.get(e.actor_id),
                            "actor_role": e.actor_role,
                            "payload": payload,
                            "decision": e.decision,
                        }
                    )


def _clean(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if v is not None}


def export_file(
    municipality: Municipality,
    out: IO[bytes],
    *,
    actor=None,
    origin: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rec in export_records(municipality):
        out.write(orjson.dumps(rec) + b"\n")
        counts[rec["record"]] = counts.get(rec["record"], 0) + 1
        if progress and rec["record"] == "client":
            progress(1)
    audit.log(
        actor=actor or audit.cli_actor(),
        action="export",
        object_type="municipality",
        object_id=municipality.code,
        origin=origin or audit.cli_origin(),
        municipality_id=municipality.id,
        detail=orjson.dumps(counts).decode()[:500],
    )
    return counts
