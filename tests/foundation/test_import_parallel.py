"""The import's union pass in a child process (interchange.importer._UnionPass): the child's record of every line
is the one this process would make, and an import with the child writes the same rows and refuses with the same
messages as one without it."""

import os
import signal

import pytest
from django.db import transaction

from regie.casework.interchange import ImportRefused, import_file, validate_file
from regie.casework.interchange.importer import _UnionPass, union_record
from regie.casework.interchange.lines import line_adapter
from regie.casework.models import CaseState, Client, Event
from regie.core.synth import generate

from .sample import sample_records, write

pytestmark = pytest.mark.django_db(transaction=False)

CODE = "0518"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("parallel") / "synth.jsonl"
    with open(path, "wb") as fh:
        generate(CODE, 150, 5, fh, name="Parallel")
    return path


def test_the_childs_record_of_every_line_is_this_processs(generated):
    union = _UnionPass(generated)
    try:
        got = list(union.records())
    finally:
        union.close()
    fast = line_adapter().validator.validate_python
    with open(generated, "rb") as fh:
        expected = [union_record(fast, raw) for raw in fh]
    assert len(got) == len(expected) > 3000
    assert all(rec is not None for rec in got)  # the union accepts every line of a generated file
    assert got == expected


def test_a_child_that_stops_early_fails_the_import_closed(generated):
    union = _UnionPass(generated)
    os.kill(union.process.pid, signal.SIGKILL)
    with pytest.raises(RuntimeError, match="stopped before the end"):
        list(union.records())
    union.close()


class _Rollback(Exception):
    pass


def _imported(path, parallel: bool):
    """The rows an import writes (without database keys), rolled back afterwards."""
    try:
        with transaction.atomic():
            import_file(path, CODE, parallel=parallel)
            rows = (
                list(
                    Client.objects.order_by("external_id").values_list(
                        "external_id", "bsn", "birth_date", "household", "contact", "name_key", "postcode_key"
                    )
                ),
                list(
                    Event.objects.order_by("external_id").values_list(
                        "case__external_id",
                        "external_id",
                        "type",
                        "effective_date",
                        "recorded_at",
                        "actor__username",
                        "actor_role",
                        "payload",
                        "decision",
                        "deviates",
                        "policy_version",
                    )
                ),
                list(
                    CaseState.objects.order_by("case__external_id").values_list(
                        "case__external_id", "status", "caseworker__username", "route", "version", "snapshot"
                    )
                ),
            )
            raise _Rollback
    except _Rollback:
        pass
    return rows


def test_an_import_with_the_child_writes_the_same_rows(generated):
    serial = _imported(generated, parallel=False)
    assert len(serial[1]) > 3000
    assert _imported(generated, parallel=True) == serial


def test_an_import_with_the_child_refuses_with_the_same_messages(tmp_path):
    recs = sample_records(CODE)
    event = next(r for r in recs if r["record"] == "event")
    recs += [
        {**event, "id": "X1", "effective_date": "1850-01-01"},  # the union accepts it, the date rule refuses it
        {**event, "id": "X2", "payload": {"unknown": 1}},  # the union refuses it: the reference path names it
        {**event, "id": "X3", "case": "nope"},
        {**event, "id": event["id"]},  # an id twice
    ]
    path = tmp_path / "bad.jsonl"
    write(path, recs)
    refusals = []
    for parallel in (False, True):
        with pytest.raises(ImportRefused) as exc:
            import_file(path, CODE, parallel=parallel)
        refusals.append([(e.line, e.field, e.message) for e in exc.value.errors])
    assert len(refusals[0]) >= 4
    assert refusals[1] == refusals[0]
    assert not Event.objects.exists()


def test_an_event_id_twice_is_named_as_the_exact_check_names_it(tmp_path, caplog):
    """The import keeps event ids as hashes; an id seen twice is checked again exactly, with the exact messages
    (and the database's own unique key, met while writing, leads to the same check)."""
    recs = sample_records(CODE)
    event = next(r for r in recs if r["record"] == "event")
    recs.append({**event})  # the same event again: its id twice
    path = tmp_path / "twice.jsonl"
    write(path, recs)
    with pytest.raises(ImportRefused) as exact:
        validate_file(path, CODE)
    assert (len(recs), "id", f"event id {event['id']!r} occurs twice in the file") in [
        (e.line, e.field, e.message) for e in exact.value.errors
    ]
    with caplog.at_level("INFO", logger="regie.casework.interchange.importer"):
        with pytest.raises(ImportRefused) as imported:
            import_file(path, CODE)
    assert "checked again exactly" in caplog.text
    assert imported.value.errors == exact.value.errors
    assert not Event.objects.exists()


def test_an_event_id_twice_met_by_the_databases_unique_key_while_writing(tmp_path, monkeypatch):
    """Small batches: the duplicate event is written (and refused by the unique key) before the end of the
    file; the import still answers with the exact check's messages and writes nothing."""
    from regie.casework.interchange import importer

    monkeypatch.setattr(importer, "BATCH", 1)
    recs = sample_records(CODE)
    events = [r for r in recs if r["record"] == "event"]
    recs += [{**events[0]}] + [{**e, "id": f"Y{i}"} for i, e in enumerate(events * 3)]
    path = tmp_path / "twice.jsonl"
    write(path, recs)
    with pytest.raises(ImportRefused) as exact:
        validate_file(path, CODE)
    with pytest.raises(ImportRefused) as imported:
        import_file(path, CODE)
    assert imported.value.errors == exact.value.errors
    assert any(e.message.endswith("occurs twice in the file") for e in imported.value.errors)
    assert not Event.objects.exists()
