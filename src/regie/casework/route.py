"""The route steps of rechtmatigheid, medisch advies, opschorting, intrekking, beëindiging, heronderzoek and rustplan:
what the server sets on them, what the decision gate requires of them, and what the case page shows.

- :func:`server_payload` (called by ``services.append_event``): the hersteltermijn's last day of an opschorting
  (``regie.core.legal.terms.repair_term``: Pw art. 54 lid 1, the policy's ``route_rules.hersteltermijn_days`` unless
  the writer sets the days), the intrekking's ``from_date`` after a suspension that was not repaired (its first
  day, Pw art. 54 lid 4) and the rustplan's ``end_date`` (start + months, seed 002:3065-3080). A writer's own value
  that differs is refused, naming the field.
- :func:`gate_problems` (called by ``decisions.record_step``, the web and API path): a toekenning in a municipality
  whose policy requires it (``route_rules.rechtmatigheid_before_toekenning``) needs a rechtmatigheid check with
  outcome ``rechtmatig`` on or before its date. Imported history keeps what it recorded.
- :func:`refrain` (called by the gate): where the law lets the college refrain (``events.REFRAIN_GROUNDS``:
  Pw art. 18 lid 9 / lid 10 for a maatregel, Pw art. 58 lid 8 for a terugvordering) the payload's ``afzien`` names
  the ground; a written motivation is required, the decision block keeps the rule's recommendation beside what was
  decided and gets ``deviation_kind`` = the ground (a deviation of its own kind, counted apart).
- :func:`case_section` (the client page): the route's states and their dates.

Without a policy in force every function that needs one raises ``PolicyUnavailable`` (fail closed).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from regie.core.dates import nl_date
from regie.core.events import REFRAIN_GROUNDS, EventError, Message
from regie.core.kpi.deadlines import add_months
from regie.core.legal.terms import repair_term
from regie.core.policy import policy_for

from .models import Case, Event

__all__ = ["SERVER_FILLED", "case_section", "gate_problems", "refrain", "server_payload"]

SERVER_FILLED = frozenset({"opschorting", "intrekking", "rustplan"})


def _d(v) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(v)


def server_payload(case: Case, event_type: str, on: dt.date, payload: dict) -> dict:
    """The payload with what the server decides filled in (module docstring); raises EventError naming a field
    whose given value differs."""
    from .validation import open_suspension

    out = dict(payload)
    errors: list[tuple[str, Message]] = []
    if event_type == "opschorting":
        rules = policy_for(case.municipality.code, on).route_rules
        days = int(out.get("hersteltermijn_days") or rules.hersteltermijn_days.value)
        source = (
            "hersteltermijn gesteld bij het besluit"
            if out.get("hersteltermijn_days")
            else f"route_rules.hersteltermijn_days: {rules.hersteltermijn_days.source}"
        )
        end = repair_term(on, days, source=source).end
        given = _d(out.get("hersteltermijn_end"))
        if given is not None and given != end:
            errors.append(
                (
                    "payload.hersteltermijn_end",
                    Message(
                        "Einde hersteltermijn: Regie berekent deze datum (%(end)s, %(days)s dagen, Pw art. 54 lid 1); "
                        "laat het veld leeg of geef het aantal dagen",
                        end=nl_date(end),
                        days=days,
                    ),
                )
            )
        out["hersteltermijn_days"], out["hersteltermijn_end"] = days, end.isoformat()
    elif event_type == "intrekking" and out.get("reason") == "verzuim_niet_hersteld":
        since = open_suspension(case, on)
        if since is not None and not out.get("from_date"):
            out["from_date"] = since.isoformat()  # Pw art. 54 lid 4; validation checks a given one
    elif event_type == "rustplan":
        end = add_months(on, int(out["months"]))
        given = _d(out.get("end_date"))
        if given is not None and given != end:
            errors.append(
                (
                    "payload.end_date",
                    Message(
                        "Einddatum: het rustplan loopt %(months)s maanden, tot %(end)s; laat het veld leeg",
                        months=out["months"],
                        end=nl_date(end),
                    ),
                )
            )
        out["end_date"] = end.isoformat()
    if errors:
        raise EventError(errors)
    return out


def gate_problems(case: Case, event_type: str, on: dt.date) -> list[tuple[str, str]]:
    """What the policy requires before this step on the web or API path (module docstring)."""
    if event_type != "toekenning":
        return []
    rule = policy_for(case.municipality.code, on).route_rules.rechtmatigheid_before_toekenning
    if not rule.value:
        return []
    last = (
        Event.objects.filter(case=case, type="rechtmatigheid", effective_date__lte=on)
        .order_by("-effective_date", "-id")
        .values_list("payload", flat=True)
        .first()
    )
    if last and last.get("outcome") == "rechtmatig":
        return []
    return [
        (
            "effective_date",
            _(
                "Het beleid van %(municipality)s vraagt eerst een afgerond onderzoek naar de rechtmatigheid "
                "(uitkomst: rechtmatig) vóór een toekenning (%(source)s)."
            )
            % {"municipality": case.municipality.name, "source": rule.source},
        )
    ]


def refrain(event_type: str, payload: dict, motivation: str) -> tuple[str | None, str | None]:
    """(ground, legal basis) when the decision refrains on a ground of REFRAIN_GROUNDS, else (None, None). Raises
    EventError on ``motivation`` when there is no written motivation: refraining is always explained."""
    ground = payload.get("afzien")
    grounds = REFRAIN_GROUNDS.get(event_type, {})
    if not ground or ground not in grounds:
        return None, None
    if not (motivation or "").strip():
        raise EventError(
            [
                (
                    "motivation",
                    _("Afzien (%(basis)s) vraagt een schriftelijke motivering: waarom in dit geval?")
                    % {"basis": grounds[ground]},
                )
            ]
        )
    return ground, grounds[ground]


# --- the client page ----------------------------------------------------------------------------------------------

MEDICAL_LABELS = {
    "claim": "Medische claim: de intake is opgeschort tot er medisch advies is",
    "aangevraagd": "In afwachting van medisch advies",
    "volledig_arbeidsgeschikt": "Medisch advies: volledig arbeidsgeschikt",
    "gedeeltelijk_arbeidsgeschikt": "Medisch advies: gedeeltelijk arbeidsgeschikt",
    "niet_arbeidsgeschikt": "Medisch advies: niet arbeidsgeschikt",
}
RECHTMATIGHEID_LABELS = {
    "rechtmatig": "Rechtmatigheid: rechtmatig",
    "niet_rechtmatig": "Rechtmatigheid: niet rechtmatig",
    "onvolledig": "Rechtmatigheid: onderzoek loopt",
}


def case_section(case: Case) -> list[dict]:
    """The route's states of a case for the client page: a list of {label, date, until} (Dutch labels, translated
    in the template), from the case's projection (regie.core.projection.apply_route)."""
    state = getattr(case, "state", None)
    snap = (state.snapshot if state else None) or {}
    rows: list[dict] = []
    if snap.get("rechtmatigheid"):
        rows.append({"label": RECHTMATIGHEID_LABELS[snap["rechtmatigheid"]], "date": _d(snap.get("rechtmatigheid_on"))})
    if snap.get("medical_status"):
        rows.append(
            {
                "label": MEDICAL_LABELS.get(snap["medical_status"], snap["medical_status"]),
                "date": _d(
                    snap.get("medical_advice_on") or snap.get("medical_requested_on") or snap.get("medical_claim_on")
                ),
                "until": _d(snap.get("medical_advice_until")),
            }
        )
    if snap.get("suspended_on"):
        rows.append(
            {
                "label": "Recht op bijstand opgeschort (Pw art. 54 lid 1); hersteltermijn tot",
                "date": _d(snap.get("suspended_on")),
                "until": _d(snap.get("hersteltermijn_end")),
            }
        )
    if snap.get("end_decision"):
        label = "Uitkering ingetrokken" if snap["end_decision"] == "intrekking" else "Uitkering beëindigd (besluit)"
        rows.append({"label": label, "date": _d(snap.get("benefit_end"))})
    if snap.get("heronderzoek_on"):
        rows.append({"label": "Laatste heronderzoek", "date": _d(snap.get("heronderzoek_on"))})
    if snap.get("rustplan_until"):
        rows.append({"label": "Rustplan tot", "date": None, "until": _d(snap.get("rustplan_until"))})
    return rows
