# ruff: noqa: E501  (the reference template is kept as it was, one line per template line)
"""The case page's timeline list (casework.templatetags.timeline.timeline_rows, with the letters' actions
registered by regie.letters) reads exactly as the template loop it replaced: compared character for character on
every case of an imported synthetic municipality, with and without the right to record, in Dutch and English, and
on edge cases (an actor without a name, a name to escape, a letter sent and not sent)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from regie.casework import derived, selectors
from regie.casework.models import Client, Event
from regie.casework.templatetags import timeline
from regie.letters.templatetags.letters import has_letter

pytestmark = pytest.mark.django_db

# the loop as client_detail.html had it before pages12, with the include it used (the reference)
REFERENCE = Template(
    """{% load i18n letters regie_labels fragments timeline %}  {% for e in events %}
    <li>{% memo "timeline" e.memo_key %}{% timeline_entry e %}{% endmemo %}      {% if e|has_letter %}{% include "letters/_letter_actions.html" %}{% endif %}
      <span class="actor">{% if e.actor_id %}{{ e.actor_name }}{% else %}{{ e.actor_role|role_label }}{% endif %}</span>
    </li>
  {% endfor %}"""
)
NEW = Template("{% load timeline %}  {% timeline_rows events %}")


def _render(template, events, case, can_record):
    derived.clear_fragments()  # each side renders its rows itself (the memo would hand one side the other's)
    request = RequestFactory().get("/")
    return template.render(
        Context({"events": events, "case": case, "can_record": can_record, "csrf_token": "tok<en>", "request": request})
    )


def _cases(client):
    out = []
    for case, _state, events in selectors.cases_with_events(client):
        for e in events:
            e.memo_key = (e.pk, dt.date(2026, 12, 3))
        out.append((case, events))
    return out


@pytest.fixture
def imported(import_synthetic):
    import_synthetic(120)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_imported_timeline_reads_as_before(imported, language):
    rows = letters = 0
    with translation.override(language):
        for client in Client.objects.order_by("pk"):
            for case, events in _cases(client):
                for can_record in (True, False):
                    old = _render(REFERENCE, events, case, can_record)
                    new = _render(NEW, events, case, can_record)
                    assert new == old, (case.pk, can_record)
                rows += len(events)
                letters += sum(has_letter(e) for e in events)
    assert rows > 1000 and letters > 50  # many rows, many of them with a letter


def test_edge_cases_read_as_before_and_are_escaped(world):
    from regie.casework.models import Case

    case = Case.objects.get(client=world.clients_a[0])
    km = world.users_a["integrale_klantmanager"]
    day = dt.date(2026, 3, 4)
    mk = dict(case=case, municipality=case.municipality, effective_date=day)
    events = [
        Event(pk=10_001, type="intake", payload={}, actor_id=None, actor_role="provider", **mk),
        Event(pk=10_002, type="intake", payload={}, actor_id=km.pk, **mk),
        Event(pk=10_003, type="toekenning", payload={"norm_type": "alleenstaande"}, actor_id=km.pk, **mk),
    ]
    events[0].actor_name, events[1].actor_name, events[2].actor_name = None, "Jan <b>de</b> Vries", None
    for i, e in enumerate(events):
        e.memo_key = None if i == 0 else (e.pk, day)
        e.case = case
    case.letter_rows = [(e.pk, e.type, f"x{e.pk}", e.effective_date, e.payload) for e in events]
    for language in ("nl", "en"):
        with translation.override(language):
            for can_record in (True, False):
                assert _render(NEW, events, case, can_record) == _render(REFERENCE, events, case, can_record)
    assert has_letter(events[2]) and not has_letter(events[0])  # a row with a letter among the edge cases
    html = _render(NEW, events, case, True)
    assert "brief (PDF, concept)" in html and "letter_send" not in html and "<form" in html
    assert "Jan &lt;b&gt;de&lt;/b&gt; Vries" in html and "<b>de</b>" not in html
    assert 'value="tok&lt;en&gt;"' in html or "tok&lt;en&gt;" in html  # the token escaped as the tag escapes it


def test_letters_register_their_actions():
    from regie.letters.templatetags.letters import timeline_actions

    assert timeline_actions in timeline.ROW_EXTRAS


NEXT_REFERENCE = Template(
    """{% for t, l in next %}<li><a class="button" href="{% url 'case_step' case.pk t %}">{{ l }}</a></li>{% endfor %}"""
)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_next_step_buttons_read_as_before(world, language):
    from regie.casework import steps
    from regie.casework.models import Case
    from regie.casework.templatetags.timeline import next_step_items

    case = Case.objects.get(client=world.clients_a[0])
    with translation.override(language):
        offered = [(t, steps.STEP_LABELS[t]) for t in steps.next_steps("lopend")]
        assert len(offered) > 3
        assert next_step_items(case, offered) == NEXT_REFERENCE.render(Context({"case": case, "next": offered}))
        every = [(t, str(label)) for t, label in steps.STEP_LABELS.items()]  # every step's link as reverse() makes it
        assert next_step_items(case, every) == NEXT_REFERENCE.render(Context({"case": case, "next": every}))
        tricky = [("intake", "Intake <b>&</b> meer"), ("Vreemd type ä", "x")]
        html = next_step_items(case, tricky)
        assert html == NEXT_REFERENCE.render(Context({"case": case, "next": tricky})) and "&lt;b&gt;&amp;" in html
