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
