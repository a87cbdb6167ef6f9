# ruff: noqa: E501  (the reference template is kept as it was, one line per template line)
"""The worklist row (casework.templatetags.worklist_rows) reads exactly as the template it replaced: every row of
the worklist pages of an imported synthetic municipality, mine / team / all, compared whitespace aside, in Dutch
and in English."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from regie.accounts.models import User

pytestmark = pytest.mark.django_db

REFERENCE = Template(
    """{% load i18n regie_labels %}{% translate "Cliënt" as l_client %}{% translate "Status" as l_status %}{% translate "Trede / niveau" as l_level %}{% translate "Klantmanager" as l_caseworker %}{% translate "Laatste gebeurtenis" as l_last %}{% translate "Signalen" as l_signals %}
    <tr>
      <td data-label="{{ l_client }}"><a href="{% url 'client_detail' st.case.client_id %}">{{ st.case.client.family_name }}, {{ st.case.client.given_name }}</a></td>
      <td data-label="BSN">{{ st.case.client.masked_bsn }}</td>
      <td data-label="{{ l_status }}">{{ st.status|option_label:"case_status" }}</td>
      <td data-label="{{ l_level }}">{% if st.level %}{{ st.level|option_label:"level" }}{% else %}—{% endif %}</td>
      <td data-label="{{ l_caseworker }}">{% if st.caseworker %}{{ st.caseworker.get_full_name|default:st.caseworker.username }}{% else %}—{% endif %}</td>
      <td data-label="{{ l_last }}">{% if st.last_event_on %}<time datetime="{{ st.last_event_on|date:'Y-m-d' }}">{{ st.last_event_on|date:"d-m-Y" }}</time>{% else %}—{% endif %}</td>
      <td data-label="{{ l_signals }}" class="signals">{% for sig in st.open_signals %}<span class="badge">{{ sig|signal_label }} (<time datetime="{{ sig.due|date:'Y-m-d' }}">{{ sig.due|date:"d-m-Y" }}</time>)</span> {% endfor %}</td>
    </tr>"""
)
NEW = Template("{% load worklist_rows %}{% worklist_row st %}")


def _norm(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


@pytest.fixture
def imported(import_synthetic):
    import_synthetic(150)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_worklist_row_reads_as_before(imported, client, language):
    caseworkers = User.objects.filter(municipality__code="0363", role="integrale_klantmanager")
    assert caseworkers.exists()
    client.cookies["django_language"] = language
    rows = with_signals = 0
    for user in caseworkers:
        client.force_login(user)
        for query in ("", "?scope=team", "?scope=all&status=", "?scope=all&page=2"):
            r = client.get("/clienten/" + query, HTTP_ACCEPT_LANGUAGE=language)
            assert r.status_code == 200
            html = _norm(r.content.decode())
            for st in r.context["page"].object_list:
                with translation.override(language):
                    old = _norm(REFERENCE.render(Context({"st": st})))
                    new = _norm(NEW.render(Context({"st": st})))
                assert new == old
                assert new in html  # the page shows the row as the tag builds it
                rows += 1
                with_signals += bool(st.open_signals)
    assert rows > 100 and with_signals > 0
