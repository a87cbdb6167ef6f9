"""``{% load timeline %}``: ``{% timeline_entry e %}`` renders the memoised part of a case page's timeline row.

The case page's timeline is its longest loop (27 rows on an average demo case, each with its payload's fields);
through the template engine a row cost ~1.5 ms of CPU on a cold case page (pages7, docs/performance.md). The row
is built here with ``format_html`` from the same label functions the template used (regie.platform.labels and the
``payload_value`` tag), so it reads the same; tests/casework/test_timeline_entry.py compares it with the template it
replaces on every event of an imported synthetic municipality and on edge cases, in Dutch and in English.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from regie.core.dates import nl_date
from regie.platform import labels
from regie.platform.templatetags.regie_labels import payload_value, typed_text

register = template.Library()


def _get(value, key):
    """The template's ``a.b`` on a dict or None (a missing key or a None reads as nothing)."""
    return value.get(key) if isinstance(value, dict) else None


@register.simple_tag
def timeline_entry(e) -> str:
    """The date, the event's name, its payload fields, the deviation badge and the motivation of one event."""
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
    parts.append(mark_safe("\n      "))  # noqa: S308 - whitespace
    decision = e.decision
    if e.deviates:
        approval = _get(decision, "approval")
        by = _get(approval, "by") if approval else None
        extra = format_html(" · {} {}", gettext("akkoord"), "" if by is None else by) if approval else ""
        parts.append(format_html('<span class="badge">{}{}</span>', gettext("afwijking van advies"), extra))
    parts.append(mark_safe("\n      "))  # noqa: S308 - whitespace
    motivation = _get(decision, "motivation")
    if motivation:
        parts.append(format_html('<span class="kv">{}: {}</span>', gettext("motivering"), typed_text(motivation)))
    parts.append(mark_safe("\n"))  # noqa: S308 - whitespace
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped or format_html
