"""``{{ value|choice_label:"status" }}``: the Dutch label of a legal vocabulary value (casework.steps.CHOICE_LABELS)
and ``{{ key|term_label }}`` for a term's label, so pages show no internal keys."""

from django import template

from regie.casework.steps import CHOICE_LABELS

register = template.Library()


@register.filter
def choice_label(value, field: str):
    return CHOICE_LABELS.get(field, {}).get(value, value)
