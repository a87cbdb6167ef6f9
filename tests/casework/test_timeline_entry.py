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


def _entry_before_pages12(e) -> str:
    """timeline_entry as it was before pages12 (format_html throughout, no label memo): the reference for the
    exact comparison below."""
    from django.utils.html import conditional_escape, format_html, format_html_join
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    from regie.core.dates import nl_date
    from regie.platform import labels
    from regie.platform.templatetags.regie_labels import payload_value, typed_text

    def _get(value, key):
        return value.get(key) if isinstance(value, dict) else None

    day = e.effective_date
    parts = [
        format_html(
            '<time datetime="{}">{}</time>\n      <strong>{}</strong>\n      ',
            day.isoformat() if day else "",
            nl_date(day) if day else "",
            labels.event_label(e.type),
        )
    ]
    payload = e.payload if isinstance(e.payload, dict) else {}
    parts.append(
        format_html_join(
            "",
            '<span class="kv">{}: {}</span>',
            ((labels.field_label(k), conditional_escape(payload_value(v, k, e.type))) for k, v in payload.items()),
        )
    )
    parts.append(mark_safe("\n      "))
    decision = e.decision
    if e.deviates:
        approval = _get(decision, "approval")
        by = _get(approval, "by") if approval else None
        extra = format_html(" · {} {}", gettext("akkoord"), "" if by is None else by) if approval else ""
        parts.append(format_html('<span class="badge">{}{}</span>', gettext("afwijking van advies"), extra))
    parts.append(mark_safe("\n      "))
    motivation = _get(decision, "motivation")
    if motivation:
        parts.append(format_html('<span class="kv">{}: {}</span>', gettext("motivering"), typed_text(motivation)))
    parts.append(mark_safe("\n"))
    return mark_safe("".join(parts))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_imported_event_reads_exactly_as_the_earlier_definition(imported, language):
    """pages12: one label memo shared by all rows of a case (as timeline_rows shares it), byte for byte."""
    from regie.casework.templatetags.timeline import timeline_entry

    with translation.override(language):
        for case_id in Event.objects.values_list("case_id", flat=True).distinct():
            memo: dict = {}
            for e in Event.objects.filter(case_id=case_id).order_by("-effective_date", "-id"):
                assert timeline_entry(e, memo) == _entry_before_pages12(e), (e.type, e.payload)


def test_label_memo_tells_true_from_one_and_escapes_once():
    from regie.casework.templatetags.timeline import timeline_entry

    day = dt.date(2026, 3, 4)
    memo: dict = {}
    a = Event(type="intake", effective_date=day, payload={"signed": True, "count": 1}, deviates=False)
    b = Event(type="intake", effective_date=day, payload={"signed": 1, "count": True, "x": "<b>&"}, deviates=False)
    for e in (a, b, a, b):
        assert timeline_entry(e, memo) == _entry_before_pages12(e)
    assert "&lt;b&gt;&amp;" in timeline_entry(b, memo)
