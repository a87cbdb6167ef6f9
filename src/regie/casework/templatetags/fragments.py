"""``{% load fragments %}``: ``{% memo "name" key1 key2 %}...{% endmemo %}`` keeps a rendered fragment per process.

The key values must name everything the fragment shows (an immutable event's id, a case version, the shown values
themselves); the language, the log epoch and the test-transaction scope are added (regie.casework.derived). A key
value that is None or missing renders the fragment without the memo; so does a transaction. A fragment with a
CSRF token is never kept.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from regie.casework import derived

register = template.Library()


class MemoNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys

    def render(self, context):
        values = tuple(k.resolve(context, ignore_failures=True) for k in self.keys)
        if None in values:
            return self.nodelist.render(context)
        scope = context.render_context.get(self)
        if scope is None:
            scope = context.render_context[self] = (derived.fragment_scope(), get_language())
        if scope[0] is None:
            return self.nodelist.render(context)
        key = (scope, values)
        html = derived.fragment_get(key)
        if html is None:
            html = self.nodelist.render(context)
            derived.fragment_put(key, html)
        return html


@register.tag("memo")
def memo(parser, token):
    keys = [parser.compile_filter(b) for b in token.split_contents()[1:]]
    if not keys:
        raise template.TemplateSyntaxError("memo needs a name and key values")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, keys)
