# ruff: noqa: E501  (the reference template is kept as it was, one line)
"""The start page's signal rows (agenda.templatetags.agenda_tags.start_signal_rows) read exactly as the template loop
they replaced (pages8): every signal group of every caseworker of an imported synthetic municipality, in Dutch and in
English, compared character for character, and a name that needs escaping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from regie.accounts.models import User
from regie.agenda.start import start_data

pytestmark = pytest.mark.django_db

REFERENCE = Template(
    """{% load i18n %}<ul>{% for r in g.rows %}<li><a href="{% url 'client_detail' r.client_id %}">{{ r.name }}</a> · {% translate "sinds" %} {{ r.due|date:"d-m-Y" }} · <a class="button" href="{{ r.link }}">{{ g.action }}</a></li>{% endfor %}</ul>"""
)
NEW = Template("{% load agenda_tags %}{% start_signal_rows g %}")


@pytest.fixture
def imported(import_synthetic):
    import_synthetic(150)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_signal_group_reads_as_before(imported, language):
    rows = 0
    with translation.override(language):
        for user in User.objects.filter(municipality__code="0363", role="integrale_klantmanager"):
            for g in start_data(user)["signal_groups"]:
                rows += len(g["rows"])
                assert NEW.render(Context({"g": g})) == REFERENCE.render(Context({"g": g}))
        assert rows > 20
        odd = {
            "action": "Gesprek <plannen> & meer",
            "rows": [
                {"client_id": 7, "name": "O'Brien <b>&</b>", "due": dt.date(2026, 1, 2), "link": "/x/?a=1&b=2"},
                {"client_id": 8, "name": "", "due": dt.date(999, 12, 31), "link": ""},
            ],
        }
        assert "O&#x27;Brien &lt;b&gt;&amp;&lt;/b&gt;" in NEW.render(Context({"g": odd}))
        assert NEW.render(Context({"g": odd})) == REFERENCE.render(Context({"g": odd}))
        empty = {"action": "x", "rows": []}
        assert NEW.render(Context({"g": empty})) == REFERENCE.render(Context({"g": empty})) == "<ul></ul>"
