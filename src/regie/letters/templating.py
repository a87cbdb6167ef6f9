"""Letter templates: checked, rendered to plain text, and read as a letter's structure.

A template is Django template language producing plain text (no HTML), with a tiny structure:

- an optional first line ``Onderwerp: ...`` sets the subject line (default: the letter type's title);
- a line starting with ``# `` is a heading (``# Wat kunt u doen als u het er niet mee eens bent?``);
- a line starting with ``- `` is an item of a list;
- an empty line ends a paragraph; lines next to each other form one paragraph.

Only a safe part of the template language is allowed: variables ``{{ ... }}`` with the built-in filters, and the
tags in ``ALLOWED_TAGS`` (``if``, ``for``, ``with``, ``firstof``, ``comment``). ``check`` refuses anything else,
a syntax error and a variable the letter does not have, each as a Dutch message naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Lexer, TokenType, Variable
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

ENGINE = Engine(debug=True, autoescape=False, loaders=[], libraries={})

ALLOWED_TAGS = frozenset(
    {"if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "firstof", "comment", "endcomment"}
)
# Names a template may use without the letter providing them (the for loop's own counter).
_ALWAYS = frozenset({"forloop", "True", "False", "None"})


class TemplateProblem(ValueError):
    """A template that cannot be saved: ``message`` in the user's language, naming the line."""

    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = _("Regel %(n)s: %(message)s") % {"n": line, "message": message} if line else message
        super().__init__(self.message)


_SYNTAX = [
    (
        re.compile(r"Unclosed tag on line \d+: '(\w+)'"),
        N_("de opdracht {%% %(a)s %%} wordt niet afgesloten (bijvoorbeeld met {%% end%(a)s %%})."),
    ),
    (
        re.compile(r"Invalid block tag on line \d+: '(\w+)'"),
        N_("de opdracht {%% %(a)s %%} is hier niet mogelijk of bestaat niet."),
    ),
    (re.compile(r"Invalid filter: '(\w+)'"), N_("het filter '%(a)s' bestaat niet.")),
    (
        re.compile(r"Could not parse the remainder: '(.*?)'"),
        N_("de tekst '%(a)s' tussen de accolades kan niet worden gelezen."),
    ),
    (re.compile(r"Unexpected end of expression"), N_("de voorwaarde van {%% if %%} is niet compleet.")),
    (re.compile(r"Empty variable tag"), N_("tussen {{ en }} staat niets.")),
]


def _dutch_syntax(exc: TemplateSyntaxError) -> str:
    text = str(exc)
    for pattern, message in _SYNTAX:
        m = pattern.search(text)
        if m:
            return _(message) % ({"a": m.group(1)} if m.groups() else {})
    return _("de opmaak van deze regel klopt niet; kijk of elke {{ een }} heeft en elke {%% een %%}.") % {}


def _line_of(source: str, name: str) -> int | None:
    word = re.compile(r"(\{\{|\{%)[^}]*\b" + re.escape(name) + r"\b")
    for i, line in enumerate(source.splitlines(), 1):
        if word.search(line):
            return i
    return None


def compile_template(source: str):
    """The compiled template, or ``TemplateProblem``."""
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            tag = token.split_contents()[0] if token.contents.strip() else ""
            if tag not in ALLOWED_TAGS:
                raise TemplateProblem(
                    token.lineno, _("de opdracht {%% %(tag)s %%} is in een brief niet toegestaan.") % {"tag": tag}
                )
    try:
        return ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        line = getattr(exc, "template_debug", {}).get("line")
        raise TemplateProblem(line, _dutch_syntax(exc)) from None


@dataclass
class _Use:
    lookups: tuple[str, ...]
    line: int


def _uses(nodelist) -> tuple[list[_Use], set[str]]:
    """Every variable the template reads (with its line) and every name it defines itself (loops, with)."""
    uses: list[_Use] = []
    defined: set[str] = set()

    def expr(fe, line):
        if isinstance(fe, FilterExpression):
            expr(fe.var, line)
            for _func, args in fe.filters:
                for is_var, arg in args:
                    if is_var:
                        expr(arg, line)
        elif isinstance(fe, Variable) and fe.lookups:
            uses.append(_Use(tuple(fe.lookups), line))
        elif isinstance(fe, (list, tuple)):
            for x in fe:
                expr(x, line)
        elif hasattr(fe, "__dict__") and type(fe).__module__.startswith("django.template.smartif"):
            for x in vars(fe).values():
                expr(x, line)

    def walk(nodes):
        for node in nodes:
            line = node.token.lineno if getattr(node, "token", None) else 0
            for key, value in vars(node).items():
                if key == "loopvars":
                    defined.update(value)
                elif key == "extra_context":
                    defined.update(value)
                    for v in value.values():
                        expr(v, line)
                elif key == "conditions_nodelists":
                    for condition, _nl in value:
                        expr(condition, line)
                elif isinstance(value, (FilterExpression, list, tuple)) and key != "child_nodelists":
                    expr(value, line)
            for attr in node.child_nodelists:
                walk(getattr(node, attr, None) or [])

    walk(nodelist)
    return uses, defined


def check(source: str, sample: dict) -> None:
    """Refuse a template with a syntax error, a tag that is not allowed, or a variable ``sample`` (a letter's
    context) does not have -- top level, and one level down where the context holds a dict."""
    if not source.strip():
        raise TemplateProblem(None, _("De brief is leeg."))
    template = compile_template(source)
    uses, defined = _uses(template.nodelist)
    for use in uses:
        head = use.lookups[0]
        if head in defined or head in _ALWAYS:
            continue
        line = use.line or _line_of(source, head)
        if head not in sample:
            raise TemplateProblem(
                line,
                _("de gegevens '%(name)s' bestaan niet in deze brief. Kies een gegeven uit de lijst.") % {"name": head},
            )
        value = sample[head]
        if len(use.lookups) > 1 and isinstance(value, dict) and use.lookups[1] not in value:
            name = ".".join(use.lookups[:2])
            raise TemplateProblem(
                _line_of(source, name) or line,
                _("de gegevens '%(name)s' bestaan niet in deze brief. Kies een gegeven uit de lijst.") % {"name": name},
            )


def render_text(source: str, context: dict) -> str:
    return compile_template(source).render(Context(context, autoescape=False))


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "item"
    text: str


def structure(text: str) -> tuple[str | None, list[Block]]:
    """The subject line (or None) and the blocks of a rendered template (see the module docstring)."""
    lines = text.replace("\r\n", "\n").split("\n")
    subject = None
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and lines[0].strip().lower().startswith("onderwerp:"):
        subject = lines.pop(0).split(":", 1)[1].strip() or None
    blocks: list[Block] = []
    para: list[str] = []

    def flush():
        if para:
            blocks.append(Block("paragraph", " ".join(para)))
            para.clear()

    for raw in lines:
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("# "):
            flush()
            blocks.append(Block("heading", line[2:].strip()))
        elif line.startswith("- "):
            flush()
            blocks.append(Block("item", line[2:].strip()))
        else:
            para.append(line)
    flush()
    return subject, blocks
