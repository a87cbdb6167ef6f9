"""The case page's benefit section (an inclusion tag, so the case page needs only its include line)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html_join

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


_LEDGER_ROW = (
    '<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
    '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>'
)


@register.simple_tag
def ledger_rows(lines) -> str:
    """pages8: the rows of the case page's ledger table ("Uitkeringsoverzicht per maand"), one per month, built with
    ``format_html`` from the same filters the template's loop used (``month``, ``euro``, ``benefit_text``): a ledger
    of a few years was a tenth of a cold case page through the template engine.
    tests/benefit/test_ledger_rows.py compares it with that loop on every ledger of an imported municipality."""
    from regie.platform.templatetags.regie_format import month

    def row(ln):
        result = ln.result
        paid = ln.input.paid
        return (
            month(ln.month),
            euro(ln.entitlement),
            euro(ln.deductions),
            euro(ln.sanctions),
            euro(ln.amount),
            euro(ln.catch_up_total) if ln.catch_up else "-",
            euro(ln.repayment) if ln.repayment else "-",
            euro(paid) if paid is not None else "-",
            euro(result.overpayment) if result.overpayment else "-",
            labels.benefit_text(ln.reason),
        )

    return format_html_join("", _LEDGER_ROW, (row(ln) for ln in lines))
