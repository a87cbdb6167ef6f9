# ruff: noqa: E501  (the reference template is kept as it was, one line)
"""The case page's ledger rows (benefit.templatetags.benefit_tags.ledger_rows) read exactly as the template loop they
replaced (pages8): every month of every ledger of an imported synthetic municipality, and months with a nabetaling,
an aflossing, an overpayment and no payment yet, in Dutch and in English, compared character for character."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from regie.benefit import selectors
from regie.casework.models import Case

pytestmark = pytest.mark.django_db

REFERENCE = Template(
    """{% load benefit_tags %}{% load month from regie_format %}{% for ln in lines %}<tr><td>{{ ln.month|month }}</td><td class="num">{{ ln.entitlement|euro }}</td><td class="num">{{ ln.deductions|euro }}</td><td class="num">{{ ln.sanctions|euro }}</td><td class="num">{{ ln.amount|euro }}</td><td class="num">{% if ln.catch_up %}{{ ln.catch_up_total|euro }}{% else %}-{% endif %}</td><td class="num">{% if ln.repayment %}{{ ln.repayment|euro }}{% else %}-{% endif %}</td><td class="num">{% if ln.input.paid is not None %}{{ ln.input.paid|euro }}{% else %}-{% endif %}</td><td class="num">{% if ln.result.overpayment %}{{ ln.result.overpayment|euro }}{% else %}-{% endif %}</td><td>{{ ln.reason|benefit_text }}</td></tr>{% endfor %}"""
)
NEW = Template("{% load benefit_tags %}{% ledger_rows lines %}")


@pytest.fixture
def imported(import_synthetic):
    import_synthetic(150)


def _varied(line):
    """The same month with a nabetaling, an aflossing, an overpayment and no payment (branches the demo may lack)."""
    result = dataclasses.replace(line.result, overpayment=12345)
    return [
        dataclasses.replace(line, catch_up=(("2025-01", 1050), ("2025-02", 7)), result=result),
        dataclasses.replace(line, repayments=((17, 2500),), input=dataclasses.replace(line.input, paid=None)),
        dataclasses.replace(line, input=dataclasses.replace(line.input, paid=0)),
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_ledger_row_reads_as_before(imported, language):
    today = dt.date.today()
    months = 0
    some = None
    with translation.override(language):
        for case in Case.objects.filter(municipality__code="0363").select_related("state", "client"):
            lines = selectors.case_benefit(case, today).lines
            if not lines:
                continue
            some = some or lines[0]
            months += len(lines)
            assert NEW.render(Context({"lines": lines})) == REFERENCE.render(Context({"lines": lines}))
        assert months > 100 and some is not None
        varied = _varied(some)
        assert NEW.render(Context({"lines": varied})) == REFERENCE.render(Context({"lines": varied}))
        assert "-" not in NEW.render(Context({"lines": varied[:1]})).split("</td>")[5]  # the nabetaling is shown
        escaped = [dataclasses.replace(some, result=dataclasses.replace(some.result, reasons=("<b>&</b>",)))]
        assert "&lt;b&gt;&amp;&lt;/b&gt;" in NEW.render(Context({"lines": escaped}))
        assert NEW.render(Context({"lines": escaped})) == REFERENCE.render(Context({"lines": escaped}))
    assert NEW.render(Context({"lines": []})) == ""


def test_the_case_page_hands_the_ledger_the_events_it_would_read(imported):
    """pages8: casework.selectors.cases_with_events keeps each case's events as the ledger reads them (events_of:
    oldest first), so the benefit section needs no second query; the same list, case by case."""
    from regie.casework.models import Client
    from regie.casework.selectors import cases_with_events

    n = 0
    for client in Client.objects.filter(municipality__code="0363")[:60]:
        for case, _state, events in cases_with_events(client):
            assert case.ledger_events == selectors.events_of(case)
            n += len(events)
    assert n > 100
