"""``{{ record.detail|audit_detail }}``: an audit record's stored detail in the reader's language
(:func:`regie.audit.details.describe`)."""

from __future__ import annotations

from django import template

from regie.audit.details import describe

register = template.Library()


@register.filter
def audit_detail(value) -> str:
    return describe(str(value or ""))
