"""The one-pass import: projections folded while writing equal a rebuild from the log, indexes built after a load
into empty tables come back, and an error found only at the end rolls back what was already written."""

import pytest
from django.db import connection

from regie.accounts.models import Municipality
from regie.casework.interchange import ImportRefused, import_file
from regie.casework.interchange.importer import _LOAD_TABLES, _secondary_indexes, import_work
from regie.casework.models import Case, CaseState, Client, Event
from regie.casework.services import rebuild_projections

from .sample import sample_records, write

pytestmark = pytest.mark.django_db(transaction=False)

CODE = "0935"
STATE = (
    "case_id",
    "status",
    "caseworker_id",
    "level",
    "route",
    "benefit_start",
    "benefit_end",
    "last_event_on",
    "exempt",
    "open_trajectories",
    "version",
    "snapshot",
)


def _states():
    return list(CaseState.objects.order_by("case_id").values_list(*STATE))


def _indexes():
    with connection.cursor() as cur:
        return sorted(_secondary_indexes(cur, connection.vendor))


def _out_of_order(recs):
    """The sample with K1's events reversed in the file (out of date order): the case must be refolded."""
    events = [r for r in recs if r["record"] == "event" and r["case"] == "K1"]
    rest = [r for r in recs if r not in events]
    return rest + events[::-1]


@pytest.mark.parametrize("arrange", [lambda r: r, _out_of_order], ids=["in order", "out of order"])
def test_projections_folded_while_writing_equal_a_rebuild_from_the_log(tmp_path, arrange):
    path = tmp_path / "in.jsonl"
    write(path, arrange(sample_records(CODE)))
    import_file(path, CODE)
    imported = _states()
    assert len(imported) == Case.objects.count() == 2
    assert any(row[10] > 1 for row in imported)  # versions count the folded events
    rebuild_projections(Municipality.objects.get(code=CODE).id)
    assert _states() == imported


def test_indexes_dropped_for_the_load_are_built_again(tmp_path):
    assert not Event.objects.exists() and not Client.objects.exists()
    before = _indexes()
    assert before, "the load tables have secondary indexes"
    assert {name for name, _ in before} >= {"casework_ev_case_id_e3ccf4_idx", "client_name_key_idx"}
    path = tmp_path / "in.jsonl"
    write(path, sample_records(CODE))
    import_file(path, CODE)
    assert _indexes() == before
    assert set(_LOAD_TABLES) >= {"casework_event", "casework_client"}


def test_an_error_found_at_the_end_rolls_back_rows_already_written(tmp_path):
    recs = sample_records(CODE)
    # a second melding after an earlier one in the same case is fine; a traject_einde without its start is not,
    # and that is only known once the whole file was read (the case context is checked at the end)
    recs.append(
        {
            "record": "event",
            "id": "E99",
            "case": "K1",
            "type": "traject_einde",
            "effective_date": "2023-06-01",
            "recorded_at": "2023-06-01T09:00:00Z",
            "actor": "U1",
            "actor_role": "integrale_klantmanager",
            "payload": {"trajectory_id": "nope", "result": "afgerond"},
        }
    )
    path = tmp_path / "late.jsonl"
    write(path, recs)
    with pytest.raises(ImportRefused) as exc:
        import_file(path, CODE)
    assert [(e.line, e.field) for e in exc.value.errors] == [(len(recs), "payload.trajectory_id")], exc.value.errors
    assert not Municipality.objects.filter(code=CODE).exists()
    assert (Client.objects.count(), Case.objects.count(), Event.objects.count()) == (0, 0, 0)
    assert _indexes(), "the indexes are back after the rollback"


def test_progress_counts_the_bytes_and_the_finishing_steps(tmp_path):
    path = tmp_path / "in.jsonl"
    write(path, sample_records(CODE))
    seen = []
    import_file(path, CODE, progress=seen.append)
    assert sum(seen) == import_work(path)
    assert sum(seen[:-3]) == path.stat().st_size  # the lines, then indexes, projections, statistics


def test_foreign_keys_dropped_for_the_load_are_added_again(tmp_path):
    """PostgreSQL: the load tables' foreign keys are dropped for a load into empty tables and added after it
    (checked once per table); after an import and after a refused one they are all there again."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps its foreign keys (it cannot drop a constraint)")
    from regie.casework.interchange.importer import _foreign_keys

    def keys():
        with connection.cursor() as cur:
            return _foreign_keys(cur)

    before = keys()
    assert {(t, d.split("(")[1].split(")")[0]) for t, _, d in before} >= {("casework_event", "case_id")}
    bad = sample_records(CODE) + [{**sample_records(CODE)[-1], "id": "E99", "case": "nope"}]
    write(tmp_path / "bad.jsonl", bad)
    with pytest.raises(ImportRefused):
        import_file(tmp_path / "bad.jsonl", CODE)
    assert keys() == before
    write(tmp_path / "in.jsonl", sample_records(CODE))
    import_file(tmp_path / "in.jsonl", CODE)
    assert keys() == before
