"""``{% load timeline %}``: ``{% timeline_entry e %}`` renders the memoised part of a case page's timeline row.

The case page's timeline is its longest loop (27 rows on an average demo case, each with its payload's fields);
through the template engine a row cost ~1.5 ms of CPU on a cold case page (pages7, docs/performance.md). The row
is built here with ``format_html`` from the same label functions the template used (regie.platform.labels and the
``payload_value`` tag), so it reads the same; tests/casework/test_timeline_entry.py compares it with the template it
replaces on every event of an imported synthetic municipality and on edge cases, in Dutch and in English.
"""

from __future__ import annotations

import re
from html import escape as _html_escape

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


def _esc(value) -> str:
    """``conditional_escape`` without its lazy-string wrapper (a safe string as it is, anything else escaped as
    Django escapes: ``html.escape``)."""
    return value.__html__() if hasattr(value, "__html__") else _html_escape(str(value))


_SCALARS = (str, int, float, bool, type(None))


@register.simple_tag
def timeline_entry(e, memo: dict | None = None) -> str:
    """The date, the event's name, its payload fields, the deviation badge and the motivation of one event.

    pages12: ``memo`` (one per case page, from :func:`timeline_rows`) keeps the labels already made for this page
    (an event type's name, a field's name, a plain value's label: a case's rows repeat them), and the parts are
    escaped without ``format_html``'s lazy-string checks; tests/casework/test_timeline_entry.py compares the row
    with the earlier definition on every event of an imported municipality."""
    if memo is None:
        memo = {}
    day = e.effective_date
    etype = e.type
    name = memo.get(("e", etype))
    if name is None:
        name = memo[("e", etype)] = _esc(labels.event_label(etype))
    parts = [
        '<time datetime="',
        _esc(day.isoformat()) if day else "",
        '">',
        _esc(nl_date(day)) if day else "",
        "</time>\n      <strong>",
        name,
        "</strong>\n      ",
    ]
    payload = e.payload if isinstance(e.payload, dict) else {}
    for k, v in payload.items():
        field = memo.get(("f", k))
        if field is None:
            field = memo[("f", k)] = _esc(labels.field_label(k))
        if type(v) in _SCALARS:
            key = ("v", type(v), v, k, etype)  # the type too: True == 1 as a key
            shown = memo.get(key)
            if shown is None:
                shown = memo[key] = _esc(payload_value(v, k, etype))
        else:
            shown = _esc(payload_value(v, k, etype))
        parts.append(f'<span class="kv">{field}: {shown}</span>')
    parts.append("\n      ")
    decision = e.decision
    if e.deviates:
        approval = _get(decision, "approval")
        by = _get(approval, "by") if approval else None
        extra = format_html(" · {} {}", gettext("akkoord"), "" if by is None else by) if approval else ""
        parts.append(format_html('<span class="badge">{}{}</span>', gettext("afwijking van advies"), extra))
    parts.append("\n      ")
    motivation = _get(decision, "motivation")
    if motivation:
        parts.append(format_html('<span class="kv">{}: {}</span>', gettext("motivering"), typed_text(motivation)))
    parts.append("\n")
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped or format_html


# --- the whole timeline list (pages12) ---
# The template's loop over a case's events cost ~4.5 ms of a cold case page and ~2.3 ms of a warm one of its own
# (the loop, the memo tag, the letter filter and include, the actor), on top of the rows themselves. The list is
# built here instead, reading as the loop did (tests/casework/test_timeline_rows.py compares both on every case of
# an imported municipality). What other apps add to a row (the letters' actions: regie.letters sits above casework)
# comes from the functions registered in ROW_EXTRAS.

ROW_EXTRAS: list = []  # callables (context, event) -> html or "": a row's actions after its entry


def register_row_extra(fn) -> None:
    """An app above casework adds to each timeline row (called from its AppConfig.ready)."""
    if fn not in ROW_EXTRAS:
        ROW_EXTRAS.append(fn)


_ROW = '\n    <li>{}      {}\n      <span class="actor">{}</span>\n    </li>\n  '


@register.simple_tag(takes_context=True)
def timeline_rows(context, events) -> str:
    """The ``<li>`` rows of a case's timeline: each event's memoised entry (``{% memo "timeline" e.memo_key %}``,
    the same key as that tag's), the registered extras and who recorded it."""
    from django.template.base import render_value_in_context
    from django.utils.translation import get_language

    from regie.casework import derived

    scope = (derived.fragment_scope(), get_language())
    memo: dict = {}  # the labels this page's rows share (timeline_entry)
    out = []
    for e in events:
        key = getattr(e, "memo_key", None)
        html = None
        if key is not None and scope[0] is not None:
            full = (scope, ("timeline", key))
            html = derived.fragment_get(full)
            if html is None:
                html = timeline_entry(e, memo)
                derived.fragment_put(full, html)
        else:
            html = timeline_entry(e, memo)
        extra = "".join(fn(context, e) for fn in ROW_EXTRAS)
        who = render_value_in_context(e.actor_name, context) if e.actor_id else labels.role_label(e.actor_role)
        out.append(_ROW.format(html, extra, conditional_escape(who)))
    return mark_safe("".join(out))  # noqa: S308 - the entries are format_html, the extras escape their own


@register.simple_tag
def next_step_items(case, steps) -> str:
    """pages12: the case page's "Vastleggen" buttons (``<li>`` per offered step), as the template loop built them
    (``{% for t, l in next %}<li><a class="button" href="{% url 'case_step' case.pk t %}">{{ l }}</a></li>``)."""
    from django.urls import reverse

    # one reverse() a case, not one a step: a step's type is a plain key ([a-z_], nothing to quote), put in place
    # of a marker (the test compares every step's link with reverse's)
    base = reverse("case_step", args=[case.pk, _STEP_MARK])
    return format_html_join(
        "",
        '<li><a class="button" href="{}">{}</a></li>',
        (
            (
                base.replace(_STEP_MARK, step)
                if _PLAIN_KEY.fullmatch(step)
                else reverse("case_step", args=[case.pk, step]),
                label,
            )
            for step, label in steps
        ),
    )


_STEP_MARK = "--step--"
_PLAIN_KEY = re.compile(r"[a-z_]+")
