"""What a notification says: a message key and its parameters, rendered when it is read, in the reader's language.

A notification is stored as ``message`` (a key of :data:`MESSAGES`) and ``params`` (JSON), never as formatted text:
the list page renders it in the language of whoever reads it, the e-mail in the recipient's chosen language
(``accounts.User.language``). Each parameter has a kind that says how it is shown:

- ``text``: data as it was entered (a task's title, a case number), shown as is;
- ``event``: an event type or step key, shown by its label (``regie.platform.labels.event_label``);
- ``term``: a due date's key, shown by its label (``labels.due_date_label``, with the core's Dutch text in the
  parameter ``<name>_text`` for the values it carries, e.g. an exemption's ground);
- ``date``: an ISO date, shown as the reader's language writes it ("9 december 2026");
- ``cases`` / ``tasks``: a count, shown as "1 dossier" / "3 dossiers".

:func:`check` is what ``notify()`` asks before it stores anything: an unknown message (a formatted string passed
where a key belongs) or missing, extra or non-scalar parameters are a programming error (ValueError).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_


@dataclass(frozen=True)
class Message:
    msgid: str  # Dutch, with %(name)s for each parameter
    params: dict[str, str]  # name -> kind


MESSAGES: dict[str, Message] = {
    "decision_approved": Message(
        N_("Uw besluit (%(step)s, dossier %(case)s) is goedgekeurd door de teammanager."),
        {"step": "event", "case": "text"},
    ),
    "decision_refused": Message(
        N_("Uw besluit (%(step)s, dossier %(case)s) is afgewezen door de teammanager."),
        {"step": "event", "case": "text"},
    ),
    "provider_report": Message(N_("Nieuwe rapportage van de aanbieder (dossier %(case)s)."), {"case": "text"}),
    "task_new": Message(N_("Nieuwe taak: %(title)s"), {"title": "text"}),
    "task_transferred": Message(N_("Taak aan u overgedragen: %(title)s"), {"title": "text"}),
    "caseload_transferred": Message(
        N_("Aan u overgedragen: %(cases)s en %(tasks)s."), {"cases": "cases", "tasks": "tasks"}
    ),
    "term_expiring": Message(
        N_("Termijn %(label)s verloopt op %(due)s (dossier %(case)s)."),
        {"label": "term", "label_text": "text", "due": "date", "case": "text"},
    ),
}


def _count(n, one: str, many: str) -> str:
    return gettext(one) if int(n) == 1 else gettext(many) % {"n": n}


def _date(value) -> str:
    try:
        return date_format(dt.date.fromisoformat(str(value)), "j F Y")
    except ValueError:
        return str(value)


def _shown(kind: str, name: str, params: dict) -> str:
    from regie.platform import labels

    value = params.get(name, "")
    if kind == "event":
        return labels.event_label(value)
    if kind == "term":
        return labels.due_date_label(str(value), str(params.get(f"{name}_text") or labels.humanise(value)))
    if kind == "date":
        return _date(value)
    if kind == "cases":
        return _count(value, N_("1 dossier"), N_("%(n)s dossiers"))
    if kind == "tasks":
        return _count(value, N_("1 taak"), N_("%(n)s taken"))
    return str(value)


def check(message: str, params: dict) -> None:
    """Raise ValueError unless ``message`` is a key of MESSAGES and ``params`` are exactly its parameters, each a
    string or a number (JSON; a lazy translation or an object would be stored formatted in one language)."""
    spec = MESSAGES.get(message)
    if spec is None:
        raise ValueError(
            f"unknown notification message {message[:60]!r}: pass a key of regie.notifications.messages.MESSAGES "
            f"({', '.join(sorted(MESSAGES))}) and its parameters, not formatted text"
        )
    if set(params) != set(spec.params):
        raise ValueError(f"notification {message!r}: parameters {sorted(params)}, expected {sorted(spec.params)}")
    bad = [k for k, v in params.items() if isinstance(v, bool) or not isinstance(v, (str, int, float))]
    if bad:
        raise ValueError(f"notification {message!r}: parameters {bad} must be strings or numbers")


def render(message: str, params: dict) -> str:
    """The notification's text in the active language."""
    spec = MESSAGES[message]
    return gettext(spec.msgid) % {name: _shown(kind, name, params) for name, kind in spec.params.items()}


def render_html(message: str, params: dict):
    """The notification's text for a page: as :func:`render`, escaped, with what a person typed (a task's title)
    marked ``lang="nl"`` in the English UI (WCAG 3.1.2; the municipality writes in Dutch)."""
    from django.utils.html import conditional_escape, format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    spec = MESSAGES[message]
    dutch = (get_language() or "nl").startswith("nl")
    shown = {}
    for name, kind in spec.params.items():
        value = _shown(kind, name, params)
        shown[name] = (
            conditional_escape(value) if dutch or kind != "text" else format_html('<span lang="nl">{}</span>', value)
        )
    return mark_safe(conditional_escape(gettext(spec.msgid)) % shown)
