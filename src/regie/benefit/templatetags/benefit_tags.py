"""The case page's benefit section (an inclusion tag, so the case page needs only its include line)."""

from __future__ import annotations

import datetime as dt

from django import template

from regie.accounts.tenancy import can
from regie.platform import labels

from .. import selectors

register = template.Library()


@register.inclusion_tag("benefit/_section.html", takes_context=True)
def benefit_case_section(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    data = selectors.case_benefit(case, dt.date.today())
    return {"case": case, "benefit": data, "can_record": bool(user and can(user, "record_events"))}


@register.filter
def euro(value) -> str:
    """Cents (int) or a Decimal amount as "€ 1.234,56" in the user's locale (Django's number formatting)."""
    from decimal import Decimal

    from regie.core.benefit.money import euro as to_euro
    from regie.platform.templatetags.regie_format import decimal

    amount = value if isinstance(value, Decimal) else to_euro(int(value or 0))
    return "€ " + decimal(amount, 2)


@register.filter
def benefit_text(value) -> str:
    """A calculation line, a ledger reason or a skip reason of the core in the user's language
    (:func:`regie.platform.labels.benefit_text`)."""
    return labels.benefit_text(value)
