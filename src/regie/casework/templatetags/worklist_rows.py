"""``{% load worklist_rows %}``: ``{% worklist_row st %}`` renders one row of the worklist table.

The worklist's 50 rows were its longest loop through the template engine (a third of a cold worklist's CPU:
pages7, docs/performance.md); the row is built here with ``format_html`` from the same label functions the
template used, so it reads the same (tests/casework/test_worklist_row.py compares it with the template it
replaces, in Dutch and in English). The row stays memoised per ``st.row_key`` around the tag.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from regie.platform import labels
from regie.platform.templatetags.regie_labels import signal_label

register = template.Library()


def _day(d) -> tuple[str, str]:
    return d.strftime("%Y-%m-%d"), d.strftime("%d-%m-%Y")


def _caseworker(cw) -> str:
    if cw is None:
        return "—"
    full = cw.get_full_name() if callable(cw.get_full_name) else cw.get_full_name
    return full or cw.username


@register.simple_tag
def worklist_row(st) -> str:
    client = st.case.client
    if st.last_event_on:
        last = format_html('<time datetime="{}">{}</time>', *_day(st.last_event_on))
    else:
        last = "—"
    signals = format_html_join(
        "",
        '<span class="badge">{} (<time datetime="{}">{}</time>)</span> ',
        ((signal_label(sig), *_day(sig.due)) for sig in st.open_signals),
    )
    return format_html(
        "\n    <tr>\n"
        '      <td data-label="{}"><a href="{}">{}, {}</a></td>\n'
        '      <td data-label="BSN">{}</td>\n'
        '      <td data-label="{}">{}</td>\n'
        '      <td data-label="{}">{}</td>\n'
        '      <td data-label="{}">{}</td>\n'
        '      <td data-label="{}">{}</td>\n'
        '      <td data-label="{}" class="signals">{}</td>\n'
        "    </tr>",
        gettext("Cliënt"),
        reverse("client_detail", args=[st.case.client_id]),
        client.family_name,
        client.given_name,
        client.masked_bsn,
        gettext("Status"),
        labels.option_label("case_status", st.status),
        gettext("Trede / niveau"),
        labels.option_label("level", st.level) if st.level else "—",
        gettext("Klantmanager"),
        _caseworker(st.caseworker),
        gettext("Laatste gebeurtenis"),
        last,
        gettext("Signalen"),
        signals,
    )
