"""Labels in templates, from the one registry (:mod:`regie.platform.labels`)::

    {% load regie_labels %}
    {{ e.type|event_label }}  {{ key|field_label }}  {{ value|value_label:key }}  {{ value|option_label:"reason" }}
    {{ user.role|role_label }}  {{ r.action|action_label }}  {{ key|kpi_label }}  {{ key|kpi_help }}  {{ 3|rung_label }}
    {% bron %}seed 001:681; regie.core.equity.caseworker_icc{% endbron %}

``bron`` puts research and code references where users do not trip over them: inside
``<details class="bron"><summary>Bron</summary>…</details>`` (regie/_bron.html), open to whoever wants them.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from regie.platform import labels

register = template.Library()


@register.filter
def event_label(value) -> str:
    return labels.event_label(value)


@register.filter
def field_label(value) -> str:
    return labels.field_label(value)


@register.filter
def option_label(value, field) -> str:
    """``{{ value|option_label:"reason" }}``, or ``"uitstroom.reason"`` for options of one event type."""
    event_type, _, name = str(field).rpartition(".")
    return labels.option_label(name, value, event_type or None)


@register.filter
def value_label(value, field=None) -> str:
    """``{{ v|value_label:k }}``; ``k`` may be ``"<event type>.<field>"``."""
    event_type, _, name = str(field or "").rpartition(".")
    return labels.value_label(value, name, event_type or None)


@register.simple_tag
def payload_value(value, field, event_type=None) -> str:
    """``{% payload_value v k e.type %}``: a payload value of an event type; a text a person wrote (a summary, the
    grounds of an objection) as written, marked Dutch (:func:`typed_text`)."""
    text = labels.value_label(value, field, event_type)
    if isinstance(value, str) and text == value and len(value.split()) > 1:
        return typed_text(text)
    return text


@register.filter
def dutch_lang(value) -> str:
    """`` lang="nl"`` for an element whose text is a :class:`regie.platform.labels.DutchText` (where a span cannot
    go: an ``<option>``), in the English UI; else nothing."""
    if isinstance(value, labels.DutchText) and not (get_language() or "nl").startswith("nl"):
        return mark_safe(' lang="nl"')  # noqa: S308 - a constant
    return ""


@register.filter
def typed_text(value) -> str:
    """``{{ note.text|typed_text }}``: a text a person wrote (a motivation, a note, a task's title, a vignette, a
    letter's template) shown as written and marked ``lang="nl"``: the municipality writes in Dutch, so in the
    English UI a screen reader reads it as Dutch (WCAG 3.1.2) and the page sweep does not take it for an
    untranslated label."""
    if value is None or value == "":
        return ""
    if (get_language() or "nl").startswith("nl"):
        return conditional_escape(value)
    return format_html('<span lang="nl">{}</span>', value)


@register.simple_tag
def level_label(level, scheme=None) -> str:
    """``{% level_label state.level state.snapshot.scheme %}``: a rung with its name, another level by its label."""
    return labels.level_label(level, scheme)


@register.filter
def language_label(value) -> str:
    """``{{ client.language|language_label }}``: "ar" -> "Arabisch" (in English: "Arabic")."""
    return labels.language_label(value)


@register.filter
def role_label(value) -> str:
    return labels.role_label(value)


@register.filter
def action_label(value) -> str:
    return labels.action_label(value)


_QUALIFIED = re.compile(r"^([a-z_]+) \((.+)\)$")


@register.filter
def capability_labels(values) -> str:
    """Capability keys as what they allow, joined: "auditlog inzien, cliënten inzien"; a key with a remark in
    brackets (``reveal_bsn (volledig BSN, gelogd)``) keeps the remark after its label."""
    shown = []
    for v in values or ():
        m = _QUALIFIED.match(str(v))
        if m:
            remark = gettext(CAPABILITY_REMARKS[m[2]]) if m[2] in CAPABILITY_REMARKS else m[2]
            shown.append(f"{labels.capability_label(m[1])} ({remark})")
        else:
            shown.append(labels.capability_label(v))
    return ", ".join(shown)


# the remarks the register of legal grounds (regie.privacy.grounds) puts after a capability, in the reader's language
CAPABILITY_REMARKS = {
    "volledig BSN, gelogd": gettext_noop("volledig BSN, gelogd"),
    "alleen geaggregeerd": gettext_noop("alleen geaggregeerd"),
    "alleen gepseudonimiseerd geaggregeerd": gettext_noop("alleen gepseudonimiseerd geaggregeerd"),
    "gecodeerd, zonder tekst": gettext_noop("gecodeerd, zonder tekst"),
    "alleen verwezen cliënten van de eigen aanbieder": gettext_noop("alleen verwezen cliënten van de eigen aanbieder"),
}


@register.filter
def object_label(value) -> str:
    return labels.object_label(value)


@register.filter
def result_label(value) -> str:
    return labels.result_label(value)


@register.filter
def kpi_label(value) -> str:
    return labels.kpi_label(value)


@register.filter
def kpi_help(value) -> str:
    return labels.kpi_help(value)


@register.filter
def covariate_labels(names) -> str:
    """A list of covariate keys as their names, joined: "leeftijd, geslacht, …"."""
    return ", ".join(labels.covariate_label(n) for n in names or ())


@register.filter
def rung_label(value) -> str:
    return labels.rung_label(value)


_BRON = '<details class="bron"><summary>{}</summary>{}</details>\n'


class BronNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        content = self.nodelist.render(context).strip()
        if not content:
            return ""
        # pages12: as regie/_bron.html renders it, without a template render per source (a case page has a dozen);
        # tests/foundation/test_bron_tag.py compares both
        return format_html(_BRON, gettext("Bron"), mark_safe(content))  # noqa: S308 - the nodelist's own output


@register.tag
def bron(parser, token):
    """``{% bron %}…{% endbron %}``: a source reference behind a "Bron" disclosure (nothing when empty)."""
    nodelist = parser.parse(("endbron",))
    parser.delete_first_token()
    return BronNode(nodelist)


@register.filter
def signal_label(signal) -> str:
    """``{{ sig|signal_label }}``: a signal (or a dict with its ``code`` and ``label``) in the reader's language."""
    if isinstance(signal, dict):
        return labels.signal_label(signal.get("code", ""), signal.get("label", ""))
    return labels.signal_label(signal.code, signal.label)


@register.filter
def due_date_label(due) -> str:
    """``{{ d|due_date_label }}``: a due date (or a dict with its ``key`` and ``label``) in the reader's language."""
    if isinstance(due, dict):
        return labels.due_date_label(due.get("key", ""), due.get("label", ""))
    return labels.due_date_label(due.key, due.label)
