"""The facts the policy engine reads, from a client record and a case's projected state (plain data, no Django).

:func:`record_facts` is the one place that maps the client record (birth date, household, education) and the case
snapshot (``regie.core.projection.CaseSnapshot.to_json``) to the engine's fact dictionary; the casework adapter
(``regie.casework.recommend.case_facts``) calls it after reading the rows, and benchmarks/bench_policy.py times it
together with the engine on real cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def record_facts(
    client: Mapping[str, Any], snap: Mapping[str, Any], on: dt.date, last_repeat_step: Any = None
) -> dict[str, Any]:
    """The fact dictionary of one case on ``on``. ``client``: birth_date (a date or ISO string), sex, education,
    household; ``snap``: the case snapshot ({} before any event); ``last_repeat_step``: the ``repeat_step`` of the
    case's last maatregel up to ``on`` (None without one)."""
    household = client.get("household") or {}
    children = sorted((c.get("birth_date") for c in household.get("children", []) if c.get("birth_date")), reverse=True)
    intake_done = bool(snap.get("intake_on"))
    birth = client.get("birth_date")
    return {
        "birth_date": birth.isoformat() if isinstance(birth, dt.date) else birth,
        "sex": client.get("sex"),
        "has_partner": bool(household.get("partner")),
        "children_birth_dates": children,
        "household_cost_sharers": household.get("other_adults", 0),  # not "cost_sharers": a payload field
        "education": client.get("education") or None,
        "benefit_start": snap.get("benefit_start"),
        "benefit_norm_type": snap.get("norm_type"),  # as granted (toekenning); the norm of a measure's amount
        "benefit_cost_sharers": snap.get("cost_sharers", 0),
        "level": snap.get("level"),
        "scheme": snap.get("scheme"),
        # the intake records these; before it they are unknown, not "no"
        "medical_claim": (snap.get("medical_claim") or bool(snap.get("medical_status"))) if intake_done else None,
        "expected_months_to_work": snap.get("expected_months_to_work"),
        "health_limitation": snap.get("health_limitation"),
        "sanctions": snap.get("sanctions", 0),
        "last_sanction_on": snap.get("last_sanction_on"),
        "last_repeat_step": last_repeat_step,
        "exempt": bool(snap.get("exemptions")),
        "on": on.isoformat(),
        # route: the medical advice decides a medical exemption, not the claim (seed 000:694-696); warnings count
        # for a policy that gives a warning before a first sanction
        "medical_advice": snap.get("medical_status"),
        "medical_advice_until": snap.get("medical_advice_until"),
        "warnings": snap.get("warnings", 0),
    }
