"""Demo data of casework: deviating decisions waiting for a teammanager's approval (four-eyes), so the approval
queue of a rules-steered demo municipality has something to show (``regie demo``; the sweep tests use it too).

Written through the decision gate (``decisions.record_step``) as the caseworker would: in a rules-steered
municipality a classification that deviates from the policy's advice becomes a PendingDecision (seed 000:756-758).
"""

from __future__ import annotations

import datetime as dt

# Motivations a caseworker might write (synthetic, assumption).
MOTIVATIONS = (
    "Cliënt heeft eerst werkritme nodig; Work First past beter dan direct bemiddelen.",
    "Schulden en zorg om een ziek kind: eerst stabiliseren, dan pas bemiddelen.",
    "Heeft al een werkgever op het oog; een lichter traject volstaat.",
)


def seed_pending_decisions(municipality, n: int = 3) -> int:
    """Let caseworkers of a rules-steered ``municipality`` record ``n`` deviating classifications; returns how many
    now wait for approval (0 for a performance-steered municipality, where deviations are recorded at once)."""
    from regie.accounts.models import User
    from regie.core.events import EventError
    from regie.core.policy import PolicyUnavailable

    from . import recommend
    from .decisions import DecisionRefused, record_step
    from .models import Case, PendingDecision
    from .services import ConflictError

    today = dt.date.today()
    if PendingDecision.objects.filter(municipality=municipality).exists():
        return 0
    made = 0
    cases = Case.objects.filter(municipality=municipality, state__status="lopend").order_by("id")[:200]
    for case in cases:
        if made >= n:
            break
        try:
            if recommend.steering_mode(case, today) != "rules":
                return 0
            scheme = recommend.scheme_for(case, today)
            advice = recommend.advice_for(case, "classificatie", today)
        except PolicyUnavailable:
            return 0
        if scheme is None or advice is None or not advice.values.get("level"):
            continue
        other = [lv.id for lv in scheme.levels if lv.id != advice.values["level"]]
        username = getattr(case.state, "caseworker", None)
        user = User.objects.filter(municipality=municipality, username=username).first() if username else None
        if not other or user is None or not recommend.may_decide(user, "classificatie", case, today):
            continue
        payload = {**advice.values, "level": other[made % len(other)]}
        try:
            outcome, _ = record_step(
                case,
                user,
                event_type="classificatie",
                effective_date=today - dt.timedelta(days=made + 1),
                payload=payload,
                motivation_code="professioneel",
                motivation=MOTIVATIONS[made % len(MOTIVATIONS)],
            )
        except (DecisionRefused, EventError, ConflictError, PolicyUnavailable):
            continue  # e.g. a route prerequisite missing on this case: the next one
        made += outcome == "pending"
    return made
