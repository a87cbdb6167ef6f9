"""Template filters of the equity pages."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def cell(value):
    """A table cell: None as a dash, floats to 3 decimals, lists and dicts compact."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(cell(v)) for v in value) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {cell(v)}" for k, v in value.items())
    return value
