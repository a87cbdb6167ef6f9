"""Indicators of the route steps (plain Python + polars; no Django): the aanvraag's decision term, the time in a
medical assessment, suspensions and what became of them, heronderzoeken on time, and decisions refrained from.

One function, :func:`route_indicators`, over the analytic tables (``regie.core.frames``) for the half-open period
[start, end). Definitions (docs/kpi-definitions.md, "Route"):

- ``applications_decided``: aanvragen whose first toekenning or afwijzing after them falls in the period;
  ``decided_within_term``: the share of those decided on or before the last day of the decision term
  (``regie.core.legal.terms.application_decision_term``: Pw art. 44, eight weeks, Algemene termijnenwet);
- ``medical_advices``: medisch_advies events in the period; ``medical_median_days``: the median days from the
  request (medisch_advies_aanvraag; else the intake with the claim) to the advice;
- ``suspensions``: opschortingen in the period; ``suspensions_repaired`` / ``suspensions_withdrawn``: of those, the
  ones that ended with an opschorting_einde / an intrekking (Pw art. 54 lid 4) by ``end``;
- ``heronderzoeken`` in the period and ``heronderzoeken_on_time``: the share held within ``heronderzoek_months``
  (the policy's interval) after the previous one, or after the start of the benefit;
- ``refrained_dringende_redenen`` / ``refrained_geen_verwijtbaarheid``: decisions in the period whose payload
  ``afzien`` names that ground (regie.core.events.REFRAIN_GROUNDS), a deviation of its own kind.
"""

from __future__ import annotations

import datetime as dt
import statistics

import orjson

from ..frames import Frames, of_type
from ..legal.terms import application_decision_term
from .deadlines import add_months

__all__ = ["ROUTE_KEYS", "route_indicators"]

ROUTE_TYPES = (
    "aanvraag",
    "toekenning",
    "afwijzing",
    "intake",
    "medisch_advies_aanvraag",
    "medisch_advies",
    "opschorting",
    "opschorting_einde",
    "intrekking",
    "heronderzoek",
    "maatregel",
    "terugvordering",
)
ROUTE_KEYS = (
    "applications_decided",
    "decided_within_term",
    "medical_advices",
    "medical_median_days",
    "suspensions",
    "suspensions_repaired",
    "suspensions_withdrawn",
    "heronderzoeken",
    "heronderzoeken_on_time",
    "refrained_dringende_redenen",
    "refrained_geen_verwijtbaarheid",
)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _by_case(frames: Frames) -> dict[str, list[tuple[str, dt.date, dict]]]:
    table = of_type(frames, *ROUTE_TYPES, columns=("case_id", "type", "effective_date", "payload"))
    out: dict[str, list[tuple[str, dt.date, dict]]] = {}
    for case_id, etype, when, payload in table.select("case_id", "type", "effective_date", "payload").iter_rows():
        out.setdefault(case_id, []).append((etype, when, orjson.loads(payload) if payload else {}))
    return out


def route_indicators(frames: Frames, start: dt.date, end: dt.date, heronderzoek_months: int | None) -> dict:
    """The route indicators for [start, end) (module docstring); shares are fractions, None without a denominator."""
    decided = within = advices = suspensions = repaired = withdrawn = heron = heron_on_time = 0
    refrained = {"dringende_redenen": 0, "geen_verwijtbaarheid": 0}
    medical_days: list[int] = []

    def inside(d: dt.date) -> bool:
        return start <= d < end

    for events in _by_case(frames).values():
        events.sort(key=lambda e: e[1])  # log order within a date is kept (stable sort)
        pending_application: dt.date | None = None
        asked: dt.date | None = None
        suspended: dt.date | None = None
        last_check: dt.date | None = None
        for etype, when, payload in events:
            if etype == "aanvraag":
                pending_application = when
            elif etype in ("toekenning", "afwijzing"):
                if etype == "toekenning":
                    last_check = last_check or when
                if pending_application is not None and inside(when):
                    decided += 1
                    within += when <= application_decision_term(pending_application).end
                pending_application = None
            elif etype == "intake" and payload.get("medical_claim"):
                asked = asked or when
            elif etype == "medisch_advies_aanvraag":
                asked = when
            elif etype == "medisch_advies":
                if inside(when):
                    advices += 1
                    if asked is not None:
                        medical_days.append((when - asked).days)
                asked = None
            elif etype == "opschorting":
                suspended = when
                suspensions += inside(when)
            elif etype in ("opschorting_einde", "intrekking") and suspended is not None:
                if inside(suspended) and when < end:
                    repaired += etype == "opschorting_einde"
                    withdrawn += etype == "intrekking"
                suspended = None
            elif etype == "heronderzoek":
                if inside(when):
                    heron += 1
                    if heronderzoek_months and last_check is not None:
                        heron_on_time += when <= add_months(last_check, heronderzoek_months)
                last_check = when
            if payload.get("afzien") in refrained and inside(when):
                refrained[payload["afzien"]] += 1
    return {
        "applications_decided": decided,
        "decided_within_term": _share(within, decided),
        "medical_advices": advices,
        "medical_median_days": statistics.median(medical_days) if medical_days else None,
        "suspensions": suspensions,
        "suspensions_repaired": repaired,
        "suspensions_withdrawn": withdrawn,
        "heronderzoeken": heron,
        "heronderzoeken_on_time": _share(heron_on_time, heron) if heronderzoek_months else None,
        "refrained_dringende_redenen": refrained["dringende_redenen"],
        "refrained_geen_verwijtbaarheid": refrained["geen_verwijtbaarheid"],
    }
