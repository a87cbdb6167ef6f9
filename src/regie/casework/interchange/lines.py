"""One pydantic pass per line of the import, from the raw bytes (the importer's fast path).

:data:`regie.core.records.RECORD_ADAPTER` validates a line's record with the event payload as a plain dict; the
payload and decision are then validated again per event type (:func:`regie.core.events.validate_event`): two
pydantic passes and a ``model_dump`` each, after an ``orjson`` parse. Here the same schemas are joined into one
discriminated union -- on ``record``, and for events on ``type``, whose line model carries the event type's own
payload model and (for decision types) the :class:`~regie.core.events.Decision` block -- validated straight from
the JSON bytes (``validate_json``) and dumped once.

The fast path only ever *accepts*: a line it refuses (bad JSON, a missing or null payload, a decision on an event
that takes none, any schema error) goes to the reference path, which gives the error messages users see. Its
accepted lines are the reference path's accepted lines with the same normalised record
(tests/foundation/test_import_lines.py checks both on a generated file and on edge cases).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Annotated, Literal, Union

from pydantic import Field, TypeAdapter, create_model

from regie.core import records
from regie.core.events import DECISION_TYPES, EVENT_TYPES, Decision


def _event_line_model(event_type: str, payload_model: type) -> type:
    """The line model of one event type: records.Event's fields with the payload and decision typed."""
    base = records.Event.model_fields
    fields: dict = {
        "record": (Literal["event"], ...),
        "id": (records.Id, ...),
        "case": (records.Id, ...),
        "type": (Literal[event_type], ...),
        "effective_date": (dt.date, ...),
        "recorded_at": (dt.datetime, ...),
        "actor": (records.Id | None, None),
        "actor_role": (base["actor_role"].annotation, "systeem"),
        # required here: a line without a payload (or with null) takes the reference path, which reads it as {}
        "payload": (payload_model, ...),
    }
    if event_type in DECISION_TYPES:
        fields["decision"] = (Decision | None, None)
    # no decision field otherwise: a non-decision event with a decision is refused here (extra="forbid") and the
    # reference path gives its message
    return create_model(f"EventLine_{event_type}", __base__=records._Record, **fields)


@lru_cache(maxsize=1)
def line_adapter() -> TypeAdapter:
    """The union of every record kind, events split per type (built once per process: about a second)."""
    events = tuple(_event_line_model(t, m) for t, m in EVENT_TYPES.items())
    event_union = Annotated[Union[events], Field(discriminator="type")]  # noqa: UP007 (a tuple of types)
    kinds = (records.Header, records.Team, records.Provider, records.User, records.Client, records.Case)
    return TypeAdapter(Annotated[Union[(*kinds, event_union)], Field(discriminator="record")])  # noqa: UP007
