"""Pydantic's checks reach users as Dutch messages naming the field, never as pydantic's English text."""

from __future__ import annotations

import pydantic
import pytest
from django.utils import translation

from regie.casework.validation import localise
from regie.core.events import EventError, dutch_message, label, validate_event


class _Shape(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    tags: list[str] = []
    flag: bool = False
    amount: float = 0
    kind: int = 0
    sub: dict[str, int] = {}


@pytest.mark.parametrize(
    "data",
    [{"tags": "VCA"}, {"flag": "misschien"}, {"amount": "veel"}, {"sub": "x"}, {"sub": {"a": "b"}}],
)
def test_every_pydantic_error_becomes_dutch_naming_the_field(data):
    with pytest.raises(pydantic.ValidationError) as exc:
        _Shape.model_validate(data)
    for err in exc.value.errors():
        name = ".".join(str(p) for p in err["loc"])
        message = str(dutch_message(name, err))
        assert err["msg"] not in message  # not pydantic's English
        assert "should" not in message and "Input" not in message
        assert str(label(name)) in message  # names the field by its label


def test_a_single_value_for_a_list_field_says_so_in_dutch_and_english():
    with pytest.raises(EventError) as exc:
        validate_event("toestemming_delen", {"data": "naam", "employer_id": 1})
    messages = [str(m) for _f, m in exc.value.errors]
    assert any("geef een lijst" in m for m in messages), messages
    with translation.override("en"):
        assert any("give a list" in str(m) for _f, m in localise(exc.value).errors)


def test_an_unknown_type_and_a_decision_block_on_a_non_decision_are_dutch():
    with pytest.raises(EventError) as exc:
        validate_event("geen_soort", {})
    assert "Onbekende soort gebeurtenis" in str(exc.value.errors[0][1])
    with pytest.raises(EventError) as exc:
        validate_event("contact", {"channel": "telefoon"}, {"deviates": False})
    assert any("geen besluit" in str(m) for _f, m in exc.value.errors)


def test_a_choice_names_its_options_as_words_and_by_their_labels_never_as_keys():
    """A value outside a closed list (pydantic's literal_error): the core names the options as words; the adapter
    names them by the option labels of the event type, in the reader's language."""
    payload = {"appointment_id": "AF-1", "outcome": "weggebleven"}
    with pytest.raises(EventError) as exc:
        validate_event("afspraak_uitkomst", payload)
    (field, message), *_ = [(f, m) for f, m in exc.value.errors if f == "payload.outcome"]
    assert "no_show" not in str(message) and "'" not in str(message)
    assert "no show gemeld" in str(message) and " of " in str(message)
    with translation.override("nl"):
        (text,) = [str(m) for f, m in localise(exc.value).errors if f == field]
    assert "niet verschenen, wel afgemeld" in text and "gehouden" in text and "_" not in text, text
    with translation.override("en"):
        (text,) = [str(m) for f, m in localise(exc.value).errors if f == field]
    assert text.startswith("Outcome: choose one of") and " or " in text and "_" not in text, text


def test_literal_options_are_read_from_pydantics_context_whatever_their_kind():
    from regie.core.events import _literal_options

    assert _literal_options("'niet_voldoet', 'voldoet' or 3") == ("niet_voldoet", "voldoet", "3")
    assert _literal_options("'a'") == ("a",)
    assert _literal_options("") == ()
