"""``{% load letters %}``: ``{% if e|has_letter %}`` on the case page, without casework importing this app."""

from django import template

from regie.letters.registry import letter_type_for

register = template.Library()


@register.filter
def has_letter(event) -> bool:
    return letter_type_for(event.type, event.payload) is not None
