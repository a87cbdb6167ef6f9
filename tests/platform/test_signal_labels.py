"""Signals in the reader's language (regie.platform.labels.signal_label): the core names them in Dutch; every code
it can emit has a msgid with the same Dutch text, and the English UI shows the translation with the same values."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from regie.core.kpi import signals as core
from regie.core.kpi.signals import Signal
from regie.platform.labels import SIGNAL_LABELS, signal_label


def _core_texts() -> dict[str, str]:
    out = {}
    for table in (core._PASSED, core._SOON):
        out.update(dict(table.values()))
    for passed, coming in core._LEGAL.values():
        for view in (passed, coming):
            if view:
                out[view[0]] = view[1]
    return out


def test_every_signal_of_the_core_has_its_dutch_text_as_msgid():
    texts = _core_texts()
    assert len(texts) >= 19
    for code, text in texts.items():
        assert code in SIGNAL_LABELS, code
        assert SIGNAL_LABELS[code] == re.sub(r"\{(\w+)\}", r"%(\1)s", text), code
    source = open(core.__file__).read()
    for code in ("no_action", "caseload_above_norm"):  # written where they are made
        assert f'"{code}"' in source and code in SIGNAL_LABELS


@pytest.mark.parametrize(
    ("code", "dutch", "english"),
    [
        ("no_contact", "Te lang geen contact", "No contact for too long"),
        (
            "no_trajectory_12m",
            "Geen traject binnen 12 maanden na instroom (sluitende aanpak)",
            "No trajectory within 12 months of entry (sluitende aanpak)",
        ),
        ("exemption_ending", "Ontheffing (medisch) eindigt binnen 30 dagen", "Exemption (medisch) ends within 30 days"),
        ("caseload_above_norm", "Caseload 61 boven de norm van 50", "Caseload 61 above the norm of 50"),
    ],
)
def test_a_signal_reads_in_the_readers_language(code, dutch, english):
    with translation.override("nl"):
        assert signal_label(code, dutch) == dutch
    with translation.override("en"):
        assert signal_label(code, dutch) == english
        rendered = Template("{% load regie_labels %}{{ s|signal_label }}|{{ d|signal_label }}").render(
            Context({"s": Signal(code, dutch, None, ""), "d": {"code": code, "label": dutch}})
        )
        assert rendered == f"{english}|{english}"


def test_an_unknown_code_or_text_is_shown_as_the_core_wrote_it():
    with translation.override("en"):
        assert signal_label("something_new", "Iets nieuws") == "Iets nieuws"
        assert signal_label("no_contact", "Te lang geen contact meer") == "Te lang geen contact meer"


def test_every_due_date_of_the_core_has_its_dutch_text_as_msgid():
    """The due dates the core gives a case (deadlines and the legal terms) are known by key with their Dutch text."""
    import inspect

    from regie.core.kpi import deadlines
    from regie.core.legal import terms
    from regie.platform.labels import DUE_DATE_LABELS

    calls = re.findall(r'add\(\s*"(\w+)",\s*f?"([^"]+)"', inspect.getsource(deadlines))
    calls += re.findall(r'_term\(\s*"(\w+)",\s*"([^"]+)"', inspect.getsource(terms))
    assert len(calls) >= 18
    for key, text in calls:
        dutch = re.sub(r"\{ex\.get\('(\w+)'\)\}", r"%(\1)s", text)
        assert dutch in DUE_DATE_LABELS.get(key, ()), (key, text)


@pytest.mark.parametrize(
    ("key", "dutch", "english"),
    [
        ("contact", "Volgend contact", "Next contact"),
        ("exemption_end", "Einde ontheffing (medisch)", "End of exemption (medisch)"),
        ("voorschot", "Voorschot", "Advance payment"),
        (
            "voorschot",
            "Voorschot (als het recht nog niet vaststaat)",
            "Advance payment (while entitlement is not yet established)",
        ),
    ],
)
def test_a_due_date_reads_in_the_readers_language(key, dutch, english):
    from regie.platform.labels import due_date_label

    with translation.override("nl"):
        assert due_date_label(key, dutch) == dutch
    with translation.override("en"):
        assert due_date_label(key, dutch) == english
        rendered = Template("{% load regie_labels %}{{ d|due_date_label }}").render(
            Context({"d": {"key": key, "label": dutch}})
        )
        assert rendered == english


def test_no_template_puts_a_source_in_a_tooltip():
    """Sources (articles, research references) are shown behind a Bron disclosure; a ``title`` attribute would show
    them on hover, where the page sweep's text checks do not look."""
    from pathlib import Path

    import regie

    root = Path(regie.__file__).parent
    found = [
        str(p.relative_to(root))
        for p in root.rglob("templates/**/*.html")
        if re.search(r'title="\{\{\s*[\w.]*source\b', p.read_text())
    ]
    assert found == []
