"""The case page's benefit section (an inclusion tag, so the case page needs only its include line)."""

from __future__ import annotations

import datetime as dt
import functools

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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


@functools.lru_cache(maxsize=4096)
def _month(_language: str | None, key: str) -> str:
    """The ``month`` filter's "juli 2017", escaped, in the active language (the key keeps languages apart)."""
    from regie.platform.templatetags.regie_format import month

    return conditional_escape(month(key))


@register.simple_tag
def ledger_rows(lines) -> str:
    """pages8: the rows of the case page's ledger table ("Uitkeringsoverzicht per maand"), one per month, as the
    template's loop rendered them with the filters ``month``, ``euro`` and ``benefit_text``: what ``format_html``
    does (each value escaped, then ``str.format``), with each distinct amount and reason formatted and escaped once
    per call (a ledger repeats its norm and its zeros every month). Through the template engine a ledger of a few
    years was a tenth of a cold case page. tests/benefit/test_ledger_rows.py compares it with that loop."""
    language = get_language()
    texts: dict = {}

    def eur(value) -> str:
        key = (type(value), value)
        text = texts.get(key)
        if text is None:
            text = texts[key] = conditional_escape(euro(value))
        return text

    def row(ln) -> str:
        result = ln.result
        paid = ln.input.paid
        reason = ln.reason
        text = texts.get(reason)
        if text is None:
            text = texts[reason] = conditional_escape(labels.benefit_text(reason))
        return _LEDGER_ROW.format(
            _month(language, ln.month),
            eur(ln.entitlement),
            eur(ln.deductions),
            eur(ln.sanctions),
            eur(ln.amount),
            eur(ln.catch_up_total) if ln.catch_up else "-",
            eur(ln.repayment) if ln.repayment else "-",
            eur(paid) if paid is not None else "-",
            eur(result.overpayment) if result.overpayment else "-",
            text,
        )

    return mark_safe("".join(row(ln) for ln in lines))  # noqa: S308 - every value above is escaped, as format_html
