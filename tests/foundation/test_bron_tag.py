"""``{% bron %}`` (regie_labels.BronNode) reads exactly as the disclosure template it renders without
(regie/_bron.html), in Dutch and English, with content to keep as the nodelist rendered it (escaped there)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

TAG = Template("{% load regie_labels %}{% bron %}{{ source }}{% endbron %}")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("source", ["seed 001:681", "Pw art. 18 <lid 2> & 'verder'", "  spaties  "])
def test_bron_reads_as_its_template(language, source):
    with translation.override(language):
        html = TAG.render(Context({"source": source}))
        content = TAG.nodelist[1].nodelist.render(Context({"source": source})).strip()
        assert html == render_to_string("regie/_bron.html", {"bron": content})
    assert "<lid" not in html  # the variable was escaped once, by the nodelist


def test_empty_bron_renders_nothing():
    assert TAG.render(Context({"source": "  "})) == ""
