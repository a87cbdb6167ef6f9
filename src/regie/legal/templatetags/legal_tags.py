"""``{{ value|choice_label:"status" }}``: the Dutch label of a legal vocabulary value (casework.steps.CHOICE_LABELS)
and ``{{ key|term_label }}`` for a term's label, so pages show no internal keys."""

from django import template

from regie.casework.steps import CHOICE_LABELS

register = template.Library()


@register.filter
def choice_label(value, field: str):
    return CHOICE_LABELS.get(field, {}).get(value, value)


@register.filter
def step_label(event_type: str):
    """The Dutch name of a step (casework.steps.STEP_LABELS), e.g. ``beslissing_op_bezwaar`` -> "Beslissing op
    bezwaar"."""
    from regie.casework.steps import STEP_LABELS

    return STEP_LABELS.get(event_type, event_type)
