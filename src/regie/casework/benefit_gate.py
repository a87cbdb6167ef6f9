"""The benefit amounts the decision gate computes (regie.core.benefit.decide): a caller may not send them.

On the web and API path the gate refuses a toekenning with ``monthly_amount``, a terugvordering or boete with
``amount`` (regie.core.events.SERVER_COMPUTED_PAYLOAD) and computes them: the norm from the national layer for the
household (fail closed: NormUnavailable, a PolicyUnavailable, when the layer has no amount), the recovery from the
case's ledger, the fine from the blame. Imported history keeps its recorded amounts (the importer does not come
here).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from regie.core.benefit import decide
from regie.core.benefit.compute import FINE_PERCENTAGES, fine_amount
from regie.core.benefit.money import euro, to_cents
from regie.core.benefit.norms import NormUnavailable, table_from_policy
from regie.core.events import SERVER_COMPUTED_PAYLOAD, EventError
from regie.core.policy import policy_for

from .models import Case, Event


def _date(v) -> dt.date | None:
    if not v:
        return None
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def household_of(case: Case) -> dict:
    """Partner's birth date and children from the client record (the ledger's starting household)."""
    household = case.client.household or {}
    partner = household.get("partner") or {}
    return {
        "partner_birth_date": _date(partner.get("birth_date")) if isinstance(partner, dict) else None,
        "has_children": bool(household.get("children")),
    }


def table_for(case: Case):
    code = case.municipality.code
    return lambda d: table_from_policy(policy_for(code, d), d)


def refuse_typed(event_type: str, payload: dict) -> None:
    if event_type == "betaling":  # a payment is the payment run's (regie.benefit.services.release_run), never typed
        raise EventError([("type", _("Een betaling legt alleen een vrijgegeven betaalrun vast."))])
    if event_type == "subsidiebetaling":  # employers2: the employer's subsidy, also the released run's
        raise EventError([("type", _("Een betaling legt alleen een vrijgegeven betaalrun vast."))])
    typed = [f for f in SERVER_COMPUTED_PAYLOAD.get(event_type, ()) if payload.get(f) not in (None, "")]
    if typed:
        raise EventError(
            [
                (
                    f"payload.{name}",
                    _("%(field)s berekent Regie zelf uit de norm en het betaaloverzicht; vul het niet in.")
                    % {"field": _("Bedrag per maand") if name == "monthly_amount" else _("Bedrag")},
                )
                for name in typed
            ]
        )


def grant_for(case: Case, on: dt.date, norm_type: str, cost_sharers) -> decide.Entitlement:
    hh = household_of(case)
    return decide.grant(
        table_for(case)(on),
        on,
        norm_type=norm_type,
        cost_sharers=int(cost_sharers or 0),
        birth_date=case.client.birth_date,
        partner_birth_date=hh["partner_birth_date"],
        has_children=hh["has_children"] or norm_type == "alleenstaande_ouder",
    )


def advice_lines(case: Case, on: dt.date, values: dict) -> tuple[list[dict], list[dict]]:
    """(explanation lines, missing) of the toekenning advice: the calculation for the norm type and cost-sharers
    entered (the advice panel shows it before the decision; the gate stores the same lines with the decision)."""
    norm_type = values.get("norm_type")
    if norm_type not in ("alleenstaande", "alleenstaande_ouder", "gehuwden"):
        return [], []
    try:
        sharers = int(values.get("cost_sharers") or 0)
    except (TypeError, ValueError):
        return [], []
    try:
        return decide.explanation(grant_for(case, on, norm_type, max(sharers, 0))), []
    except NormUnavailable:
        return [], [{"field": "norm_amount"}]


def computed(case: Case, event_type: str, on: dt.date, clean: dict) -> tuple[dict, list[dict]]:
    """(the payload with the gate's amounts, explanation entries for the decision block; a toekenning's lines come
    with the advice, recommend.advice_for)."""
    if event_type == "toekenning":
        result = grant_for(case, on, clean["norm_type"], clean.get("cost_sharers", 0))
        return {**clean, "monthly_amount": float(euro(result.norm))}, []
    if event_type == "terugvordering":
        events = [
            {"type": e.type, "effective_date": e.effective_date, "payload": e.payload, "sequence": e.pk}
            for e in Event.objects.filter(case=case).order_by("effective_date", "id")
        ]
        cents = decide.recovery_cents(
            events, case.client.birth_date, clean["months"], table_for(case), on, **household_of(case)
        )
        if cents <= 0:
            raise EventError(
                [("payload.months", _("Maanden: volgens het betaaloverzicht is in deze maanden niets teveel betaald."))]
            )
        text = f"Teveel betaald in {', '.join(clean['months'])}: € {euro(cents):.2f}".replace(".", ",")
        return {**clean, "amount": str(euro(cents))}, [
            {"rule_id": "benefit.recovery", "source": "Pw art. 58", "text": text, "inputs": {}}
        ]
    if event_type == "boete":
        cents = fine_amount(to_cents(clean["damage"]), clean["blame"])
        pct = FINE_PERCENTAGES[clean["blame"]]
        text = f"{pct} % van het benadelingsbedrag € {euro(to_cents(clean['damage'])):.2f}: € {euro(cents):.2f}"
        return {**clean, "amount": str(euro(cents))}, [
            {
                "rule_id": "benefit.fine",
                "source": "Pw art. 18a; Boetebesluit socialezekerheidswetten art. 2",
                "text": text.replace(".", ","),
                "inputs": {"blame": clean["blame"]},
            }
        ]
    return clean, []
