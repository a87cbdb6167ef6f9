"""``{% load worklist_rows %}``: ``{% worklist_row st %}`` renders one row of the worklist table.

The worklist's 50 rows were its longest loop through the template engine (a third of a cold worklist's CPU:
pages7, docs/performance.md); the row is built here with ``format_html`` from the same label functions the
template used, so it reads the same (tests/casework/test_worklist_row.py compares it with the template it
replaces, in Dutch and in English). The row stays memoised per ``st.row_key`` around the tag.
"""

from __future__ import annotations

import functools

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from regie.core.dates import nl_date
from regie.platform import labels
from regie.platform.templatetags.regie_labels import signal_label

register = template.Library()


def _day(d) -> tuple[str, str]:
    return d.isoformat(), nl_date(d)


def _caseworker(cw) -> str:
    if cw is None:
        return "—"
    full = cw.get_full_name() if callable(cw.get_full_name) else cw.get_full_name
    return full or cw.username


@functools.lru_cache(maxsize=64)
def _labels(_language: str | None) -> tuple[str, ...]:
    """pages8: the row's column labels in the active language (the key: a page's 50 rows ask for the same six)."""
    return (
        gettext("Cliënt"),
        gettext("Status"),
        gettext("Trede / niveau"),
        gettext("Klantmanager"),
        gettext("Laatste gebeurtenis"),
        gettext("Signalen"),
    )


@functools.lru_cache(maxsize=100_000)  # pages8: one reverse() per row was a tenth of the row (assumption: 100k ids)
def _client_link(client_id: int, _prefix: str) -> str:
    return reverse("client_detail", args=[client_id])


@register.simple_tag
def worklist_row(st) -> str:
    l_client, l_status, l_level, l_caseworker, l_last, l_signals = _labels(get_language())
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
        l_client,
        _client_link(st.case.client_id, get_script_prefix()),
        client.family_name,
        client.given_name,
        client.masked_bsn,
        l_status,
        labels.option_label("case_status", st.status),
        l_level,
        labels.option_label("level", st.level) if st.level else "—",
        l_caseworker,
        _caseworker(st.caseworker),
        l_last,
        last,
        l_signals,
        signals,
    )
