"""Test helpers: the voornemen and horen an adverse decision needs on the web/API path (Awb art. 4:8)."""

from __future__ import annotations

import datetime as dt


def heard(case, decision_type: str = "maatregel", on: dt.date = dt.date(2025, 2, 1), actor=None) -> str:
    """Record a voornemen for ``decision_type`` and the client's waiver of horen (afgezien) on ``on``; returns the
    voornemen id. Written with append_event (setup, not the gate under test)."""
    from regie.casework.services import append_event

    ev = append_event(
        case,
        type="voornemen",
        effective_date=on,
        payload={"decision_type": decision_type, "summary": "Voornemen tot een maatregel"},
        actor=actor,
    )
    append_event(
        case,
        type="horen",
        effective_date=on,
        payload={"voornemen_id": ev.payload["voornemen_id"], "status": "afgezien"},
        actor=actor,
    )
    return ev.payload["voornemen_id"]
