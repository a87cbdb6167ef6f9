"""The registry names real event types; ``regie letters check`` names a template that no longer passes; the demo
letterhead makes letters possible in the demo municipality."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from regie.core.events import DECISION_TYPES, EVENT_TYPES
from regie.letters.models import LetterTemplate
from regie.letters.registry import LETTER_TYPES
from regie.letters.selectors import current_letterhead

pytestmark = pytest.mark.django_db


def test_every_letter_answers_a_real_event_type_and_every_besluit_is_a_decision():
    for lt in LETTER_TYPES.values():
        assert set(lt.event_types) <= set(EVENT_TYPES), lt.id
        if lt.remedy:
            assert set(lt.event_types) <= DECISION_TYPES, lt.id
        assert "artikel" in lt.legal_basis, lt.id  # the legal basis names its article


def test_cli_check_names_a_broken_template(world):
    from regie.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["letters", "check"])
    assert ok.exit_code == 0, ok.output
    # a stored version that references a variable that does not exist (e.g. after an upgrade renamed it)
    LetterTemplate.objects.create(municipality=world.a, name="afwijzing", version=1, body="{{ aanhef }}\n{{ oud }}")
    bad = runner.invoke(app, ["letters", "check"])
    assert bad.exit_code == 1 and "0518 afwijzing (versie 1): Regel 2:" in bad.output


def test_demo_letterhead(world):
    from regie.letters.demo import seed_demo_letterhead

    seed_demo_letterhead(world.b)
    seed_demo_letterhead(world.b)  # once
    head = current_letterhead(world.b.pk)
    assert head.version == 1 and head.sender == "Gemeente Eindhoven, Werk en Inkomen"
