# ruff: noqa: E501  (the reference template is kept as it was, one line per template line)
"""The case page's timeline row (casework.templatetags.timeline) reads exactly as the template it replaced:
compared, whitespace aside, on every event of an imported synthetic municipality and on hand-made edge cases, in
Dutch and in English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from regie.casework.models import Event

pytestmark = pytest.mark.django_db

# the row as client_detail.html rendered it before pages7 (the reference)
REFERENCE = Template(
    """{% load i18n regie_labels %}<time datetime="{{ e.effective_date|date:'Y-m-d' }}">{{ e.effective_date|date:"d-m-Y" }}</time>
      <strong>{{ e.type|event_label }}</strong>
      {% for k, v in e.payload.items %}<span class="kv">{{ k|field_label }}: {% payload_value v k e.type %}</span>{% endfor %}
      {% if e.deviates %}<span class="badge">{% translate "afwijking van advies" %}{% if e.decision.approval %} · {% translate "akkoord" %} {{ e.decision.approval.by }}{% endif %}</span>{% endif %}
      {% if e.decision.motivation %}<span class="kv">{% translate "motivering" %}: {{ e.decision.motivation|typed_text }}</span>{% endif %}
"""
)
NEW = Template("{% load timeline %}{% timeline_entry e %}")


def _norm(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def _same(e) -> None:
    old = _norm(REFERENCE.render(Context({"e": e})))
    new = _norm(NEW.render(Context({"e": e})))
    assert new == old, (e.type, old, new)


@pytest.fixture
def imported(import_synthetic):
    import_synthetic(120)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_imported_event_reads_as_before(imported, language):
    events = list(Event.objects.all())
    types = {e.type for e in events}
    assert len(events) > 1000 and len(types) >= 10  # the comparison covers many kinds of rows
    with translation.override(language):
        for e in events:
            _same(e)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_edge_cases_read_as_before_and_are_escaped(language):
    day = dt.date(2026, 3, 4)
    cases = [
        Event(type="intake", effective_date=day, payload={}, deviates=False, decision=None),
        Event(type="onbekend_type", effective_date=day, payload={"vrij_veld": "Twee <b>woorden</b>"}, deviates=False),
        Event(
            type="maatregel",
            effective_date=day,
            payload={"percentage": 20, "months": 1, "reason": "verwijtbaar"},
            deviates=True,
            decision={"approval": {"by": "tm.<script>"}, "motivation": "Omdat <i>het</i> moet"},
        ),
        Event(type="maatregel", effective_date=day, payload={"ok": True}, deviates=True, decision={"motivation": ""}),
        Event(type="intake", effective_date=day, payload={"nested": {"a": 1}, "lijst": [1, 2]}, deviates=False),
    ]
    with translation.override(language):
        for e in cases:
            _same(e)
    html = NEW.render(Context({"e": cases[2]}))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;i&gt;het&lt;/i&gt;" in html
