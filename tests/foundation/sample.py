"""A small, hand-written interchange file covering every record kind (independent of the synthetic generator)."""

from __future__ import annotations

import orjson


def sample_records(code: str = "0935") -> list[dict]:
    recs = [
        {
            "record": "header",
            "format": "regie-jsonl",
            "version": 1,
            "municipality": code,
            "municipality_name": "Maastricht",
        },
        {"record": "team", "id": "T1", "name": "Team Werk", "client_group": "werk"},
        {"record": "provider", "id": "P1", "name": "Trajectum", "kind": "rib"},
        {
            "record": "user",
            "id": "U1",
            "username": f"km.{code}",
            "name": "Karin Meijer",
            "role": "integrale_klantmanager",
            "team": "T1",
        },
        {
            "record": "user",
            "id": "U2",
            "username": f"coach.{code}",
            "name": "Cor Coach",
            "role": "provider_coach",
            "provider": "P1",
        },
        {
            "record": "client",
            "id": "C1",
            "bsn": "111222333",
            "given_name": "Anna",
            "family_name": "Jansen",
            "birth_date": "1990-05-01",
            "sex": "V",
            "education": "mbo2_4",
            "language": "nl",
            "origin": "nederland",
            "household": {"children": [{"birth_date": "2021-06-01"}], "other_adults": 0},
            "housing": "huur",
            "contact": {"postcode": "6211 AB", "city": "Maastricht"},
        },
        {"record": "case", "id": "K1", "client": "C1", "opened_on": "2023-01-09", "team": "T1"},
        {
            "record": "event",
            "id": "E1",
            "case": "K1",
            "type": "melding",
            "effective_date": "2023-01-09",
            "recorded_at": "2023-01-09T09:00:00+00:00",
            "actor": "U1",
            "actor_role": "integrale_klantmanager",
            "payload": {"channel": "online"},
        },
        {
            "record": "event",
            "id": "E2",
            "case": "K1",
            "type": "toekenning",
            "effective_date": "2023-02-01",
            "recorded_at": "2023-02-01T10:00:00+00:00",
            "actor": "U1",
            "actor_role": "integrale_klantmanager",
            "payload": {"norm_type": "alleenstaande_ouder", "monthly_amount": 1650.5},
            "decision": {
                "policy_version": "maastricht@2005-07-01",
                "recommendation": {"grant": True},
                "decided": {"grant": True},
                "deviates": False,
                "legal_basis": "Pw art. 11",
            },
        },
        {
            "record": "event",
            "id": "E3",
            "case": "K1",
            "type": "caseworker_toewijzing",
            "effective_date": "2023-02-01",
            "recorded_at": "2023-02-01T10:05:00+00:00",
            "actor_role": "systeem",
            "payload": {"caseworker": "U1", "reason": "instroom"},
        },
        {
            "record": "event",
            "id": "E4",
            "case": "K1",
            "type": "ontheffing_start",
            "effective_date": "2023-02-15",
            "recorded_at": "2023-02-15T10:00:00+00:00",
            "actor": "U1",
            "actor_role": "integrale_klantmanager",
            "payload": {"exemption_id": "O1", "ground": "kind_onder_5", "scope": "volledig", "end_date": "2026-06-01"},
            "decision": {"recommendation": {"exempt": True}, "decided": {"exempt": True}, "legal_basis": "Pw art. 9a"},
        },
        {
            "record": "event",
            "id": "E5",
            "case": "K1",
            "type": "traject_start",
            "effective_date": "2023-05-01",
            "recorded_at": "2023-05-01T10:00:00+00:00",
            "actor": "U1",
            "actor_role": "integrale_klantmanager",
            "payload": {
                "trajectory_id": "TR1",
                "kind": "scholing",
                "provider": "P1",
                "module": "taal",
                "price": 2500.0,
            },
        },
        {
            "record": "client",
            "id": "C2",
            "bsn": "123456782",
            "given_name": "Bram",
            "family_name": "de Vries",
            "birth_date": "2001-11-30",
            "sex": "M",
        },
        {"record": "case", "id": "K2", "client": "C2", "opened_on": "2024-03-01"},
        {
            "record": "event",
            "id": "E6",
            "case": "K2",
            "type": "melding",
            "effective_date": "2024-03-01",
            "recorded_at": "2024-03-01T08:00:00+00:00",
            "actor_role": "systeem",
            "payload": {"search_period_end": "2024-03-29"},
        },
        {
            "record": "event",
            "id": "E7",
            "case": "K2",
            "type": "afwijzing",
            "effective_date": "2024-04-02",
            "recorded_at": "2024-04-02T08:00:00+00:00",
            "actor": "U1",
            "actor_role": "integrale_klantmanager",
            "payload": {"reason": "zoekperiode"},
        },
    ]
    return recs


def write(path, records) -> None:
    with open(path, "wb") as fh:
        for r in records:
            fh.write(orjson.dumps(r) + b"\n")
