"""``{% load letters %}``: ``{% if e|has_letter %}`` on the case page, without casework importing this app."""

from django import template

from regie.letters.registry import letter_type_for

register = template.Library()


@register.filter
def has_letter(event) -> bool:
    return letter_type_for(event.type, event.payload) is not None


@register.simple_tag(takes_context=True)
def letter_sent_on(context, event):
    """The day the event's letter was sent (a bekendmaking or a contact by letter), or None; one query per case and
    request (kept on the request: each ``{% include %}`` of the letter actions has a render context of its own)."""
    from regie.letters.services import sent_dates

    request = context.get("request")
    if request is not None:
        cache = request.__dict__.setdefault("_letters_sent", {})
    else:
        cache = context.render_context.setdefault("letters_sent", {})
    if event.case_id not in cache:
        # pages10: from the case page's own events when it read them (casework.selectors.cases_with_events)
        case = event.case if type(event).case.is_cached(event) else None
        cache[event.case_id] = sent_dates(event.case_id, getattr(case, "letter_rows", None))  # by id: no case row
    return cache[event.case_id].get(event.pk)


def timeline_actions(context, event) -> str:
    """pages12: a timeline row's letter actions, as ``{% if e|has_letter %}{% include "letters/_letter_actions.html"
    %}{% endif %}`` rendered them (the case page's timeline rows are built in Python: casework.templatetags.timeline;
    registered by LettersConfig.ready; tests/casework/test_timeline_rows.py compares both)."""
    if not has_letter(event):
        return ""
    from django.template.defaulttags import CsrfTokenNode
    from django.urls import reverse
    from django.utils.html import format_html
    from django.utils.translation import gettext

    from regie.core.dates import nl_date

    sent = letter_sent_on(context, event)
    if sent:
        link = format_html(
            '<a href="{}">{} {}</a>',
            reverse("letter", args=[event.case_id, event.pk]),
            gettext("brief (PDF), verstuurd"),
            nl_date(sent),
        )
    else:
        link = format_html(
            '<a href="{}">{}</a>', reverse("letter", args=[event.case_id, event.pk]), gettext("brief (PDF, concept)")
        )
    form = ""
    if not sent and context.get("can_record"):
        form = format_html(
            ' <form method="post" action="{}" class="inline">{}<button type="submit" class="link">{}</button></form>',
            reverse("letter_send", args=[event.case_id, event.pk]),
            CsrfTokenNode().render(context),
            gettext("brief verstuurd"),
        )
    return f"{link}{form}\n"
