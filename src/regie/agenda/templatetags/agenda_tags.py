"""The agenda's section of the case page, as a template tag: the case page (casework, a lower layer) includes
``agenda/_case_section.html`` and imports nothing of this app."""

from __future__ import annotations

import functools

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from regie.accounts.tenancy import can
from regie.audit.services import log_request

from .. import selectors

register = template.Library()


@register.inclusion_tag("agenda/_case_appointments.html", takes_context=True)
def agenda_case_section(context, case):
    request = context["request"]
    rows = list(selectors.for_case(request.user, case)[:10])
    if rows:
        log_request(
            request, "read", "case", case.external_id, municipality_id=case.municipality_id, detail="appointments"
        )
    return {
        "case": case,
        "appointments": rows,
        "today": timezone.localdate(),
        "can_record": can(request.user, "record_events"),
    }


@functools.lru_cache(maxsize=100_000)  # assumption: a municipality's clients fit (a str of ~20 characters each)
def _client_link(client_id: int, _prefix: str) -> str:
    return reverse("client_detail", args=[client_id])


def _day(d) -> str:
    """The ``date:"d-m-Y"`` filter of a date (Django's ``Y`` is four digits, also before the year 1000)."""
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}" if d else ""


_SIGNAL_ROW = '<li><a href="{}">{}</a> · {} {} · <a class="button" href="{}">{}</a></li>'


@register.simple_tag
def start_signal_rows(group) -> str:
    """pages8: the start page's list of one signal group (``<ul>``, a row per client: name, since when, the step
    that clears it), built as the template's loop rendered it (``format_html``'s escaping, then ``str.format``),
    the client links memoised per process and the group's labels escaped once. tests/agenda/test_start_rows.py
    compares it with that loop."""
    prefix = get_script_prefix()
    since = conditional_escape(gettext("sinds"))
    action = conditional_escape(group["action"])
    rows = (
        _SIGNAL_ROW.format(
            conditional_escape(_client_link(r["client_id"], prefix)),
            conditional_escape(r["name"]),
            since,
            _day(r["due"]),
            conditional_escape(r["link"]),
            action,
        )
        for r in group["rows"]
    )
    return mark_safe("<ul>" + "".join(rows) + "</ul>")  # noqa: S308 - every value above is escaped
