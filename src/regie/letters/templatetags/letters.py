"""``{% load letters %}``: ``{% if e|has_letter %}`` on the case page, without casework importing this app."""

from django import template

from regie.letters.registry import letter_type_for

register = template.Library()


@register.filter
def has_letter(event) -> bool:
    return letter_type_for(event.type, event.payload) is not None


@register.simple_tag(takes_context=True)
def letter_sent_on(context, event):
    """The day the event's letter was sent (a bekendmaking or a contact by letter), or None; one query per case."""
    from regie.letters.services import sent_dates

    cache = context.render_context.setdefault("letters_sent", {})
    if event.case_id not in cache:
        cache[event.case_id] = sent_dates(event.case)
    return cache[event.case_id].get(event.pk)
