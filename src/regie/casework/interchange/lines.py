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
import re
from functools import lru_cache
from typing import Annotated, Literal, Union

import orjson
from pydantic import Field, TypeAdapter, ValidationError, create_model

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


# --- Event lines without the union (import4) ---------------------------------------------------------------------
# Event lines are nine in ten of a file's lines, and most of their payloads and decisions repeat (a contact's
# {"channel": "email"}, a plan's decision): 76 % of the payloads and 99 % of the decisions of the synthetic 10,000-
# client file occur earlier in the same file. An event line's record is a pure function of its bytes (the date rules,
# which depend on today, are checked apart: importer._Validator._date_errors), so the payload and decision are
# validated once per distinct value (each by its own model, as the union nests them) and the envelope (ids, type,
# dates, actor) by the same types as :data:`line_adapter`'s field by field. Whatever this path does not settle it
# leaves to the union (``None``); tests/foundation/test_import_lines.py checks that it gives the union's record on
# every line of a generated file and on edge cases.

_EVENT_KEYS = frozenset(
    ("record", "id", "case", "type", "effective_date", "recorded_at", "actor", "actor_role", "payload", "decision")
)
_ID_MAX = 64  # records.Id
_MEMO_MAX = 100_000  # entries per memo before it is emptied (assumption: at most ~50 MB; a national file has millions)


_UTC_SECONDS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|\+00:00)")
_utc_seconds, _from_iso = _UTC_SECONDS.fullmatch, dt.datetime.fromisoformat


def _kept(value: dict) -> dict | bytes:
    """What a memo keeps of a validated payload or decision: the dict if it is flat (its values immutable), else
    its JSON bytes."""
    if all(type(v) in (str, int, float, bool) for v in value.values()):
        return value
    return _compact(orjson.dumps(value))


def _compact(data: bytes) -> bytes:
    """A copy of orjson's output of its own size (orjson's bytes keep the over-allocated buffer they were written
    into: about 2 KB each, which a memo of 200,000 entries would keep)."""
    return bytes(memoryview(data))


class EventLines:
    """The union's normalised record of an event line, from the line's parsed JSON; ``None`` where it cannot
    tell (the caller then asks the union). Keeps per-file memos of validated values: one instance per file."""

    def __init__(self) -> None:
        from regie.core.records import ROLES

        self.models = {
            t: (m.__pydantic_validator__.validate_python, m.__pydantic_serializer__.to_python)
            for t, m in EVENT_TYPES.items()
        }
        self.decision_types = frozenset(DECISION_TYPES)
        self.roles = frozenset((*ROLES, "systeem"))
        date, stamp = TypeAdapter(dt.date), TypeAdapter(dt.datetime)
        self._date = date.validator.validate_python, date.serializer.to_python
        self._stamp = stamp.validator.validate_python, stamp.serializer.to_python
        self._decision = Decision.__pydantic_validator__.validate_python, Decision.__pydantic_serializer__.to_python
        # memoised: a flat dict (copied per line), or the JSON bytes of a nested one (parsed per line: a deep copy;
        # the importer adds to a line's payload)
        self.payloads: dict[tuple[str, bytes], dict | bytes] = {}
        self.decisions: dict[bytes, dict | bytes] = {}
        self.dates: dict[str, str] = {}

    def __call__(self, data: dict) -> dict | None:
        # (import10: the hit path in one frame -- the usual forms of the dates looked up or matched inline, the
        # memos read directly; the helpers below only for what misses them)
        if not data.keys() <= _EVENT_KEYS:
            return None  # an unknown field: the union refuses it
        get = data.get
        etype, rid, case = get("type"), get("id"), get("case")
        if type(etype) is not str or etype not in self.models:
            return None
        if not (type(rid) is str and 0 < len(rid) <= _ID_MAX and type(case) is str and 0 < len(case) <= _ID_MAX):
            return None
        effective, recorded = get("effective_date"), get("recorded_at")
        try:
            if type(effective) is not str or (effective_json := self.dates.get(effective)) is None:
                effective_json = self._value(self.dates, self._date, effective)
            if type(recorded) is str and _utc_seconds(recorded):
                _from_iso(recorded[:19])  # a real date and time (ValueError otherwise: left to the union)
                recorded_json = recorded[:19] + "Z"
            else:
                recorded_json = self._timestamp(recorded)
        except (ValidationError, TypeError, ValueError):
            return None
        actor = get("actor")
        role = get("actor_role", "systeem")
        if type(role) is not str or role not in self.roles:
            return None
        if actor is not None and not (type(actor) is str and 0 < len(actor) <= _ID_MAX):
            return None
        out = {
            "record": "event",
            "id": rid,
            "case": case,
            "type": etype,
            "effective_date": effective_json,
            "recorded_at": recorded_json,
            **({} if actor is None else {"actor": actor}),  # the union's key order: actor before actor_role
            "actor_role": role,
        }
        payload = get("payload")
        if type(payload) is not dict:
            return None  # missing or null: the reference path reads it as {}; anything else is refused
        dumps, loads = orjson.dumps, orjson.loads
        try:
            key = (etype, dumps(payload))
            done = self.payloads.get(key)
            if done is None:
                validate, dump = self.models[etype]
                key = (etype, _compact(key[1]))
                done = self._keep(self.payloads, key, _kept(dump(validate(payload), mode="json", exclude_none=True)))
            out["payload"] = dict(done) if type(done) is dict else loads(done)
            if "decision" in data:
                decision = data["decision"]
                if etype not in self.decision_types:
                    return None  # a fact cannot carry a decision (not even null): the union refuses the field
                if decision is not None:
                    if type(decision) is not dict:
                        return None
                    key = dumps(decision)
                    done = self.decisions.get(key)
                    if done is None:
                        validate, dump = self._decision
                        done = self._keep(
                            self.decisions,
                            _compact(key),
                            _kept(dump(validate(decision), mode="json", exclude_none=True)),
                        )
                    out["decision"] = dict(done) if type(done) is dict else loads(done)
        except (ValidationError, TypeError, ValueError):
            return None
        return out

    @staticmethod
    def _keep(memo: dict, key, value):
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        memo[key] = value
        return value

    def _timestamp(self, value) -> str:
        """``recorded_at`` as the union's record has it: a UTC timestamp without fractions in its usual forms
        directly (pydantic's JSON form is ``YYYY-MM-DDTHH:MM:SSZ``), any other form by the union's own type."""
        if type(value) is str and _UTC_SECONDS.fullmatch(value):
            dt.datetime.fromisoformat(value[:19])  # a real date and time (ValueError otherwise: left to the union)
            return value[:19] + "Z"
        if type(value) is not str:
            raise TypeError
        validate, dump = self._stamp
        return dump(validate(value), mode="json")

    def _value(self, memo: dict[str, str], adapter: tuple, value) -> str:
        """A date or timestamp as the union's record has it (its JSON form), memoised per text."""
        if type(value) is not str:
            raise TypeError  # a number or null: left to the union
        done = memo.get(value)
        if done is None:
            validate, dump = adapter
            done = self._keep(memo, value, dump(validate(value), mode="json"))
        return done
