"""Fuzzing the import format with hypothesis: any file is either imported whole or refused with line-numbered
errors — never a crash, never a partial write."""

from __future__ import annotations

import copy

import orjson
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from regie.accounts.models import Municipality
from regie.casework.interchange import ImportRefused, import_file
from regie.casework.models import Case, Client, Event
from tests.foundation.sample import sample_records

pytestmark = pytest.mark.django_db

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.lists(st.integers(-1000, 1000), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(-1000, 1000), max_size=2),
    st.sampled_from(["2024-02-30", "1899-12-31", "111222333", "", "0935", "C1", "K1", "U1", "werk_regulier"]),
)


@st.composite
def mutated_files(draw):
    recs = copy.deepcopy(sample_records("0935"))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(recs) - 1))
        rec = recs[i]
        if isinstance(rec, str):
            continue
        op = draw(st.sampled_from(["set", "drop", "swap", "payload", "raw"]))
        keys = sorted(rec)
        if op == "set":
            rec[draw(st.sampled_from(keys + ["extra"]))] = draw(JUNK)
        elif op == "drop" and keys:
            rec.pop(draw(st.sampled_from(keys)))
        elif op == "swap":
            j = draw(st.integers(0, len(recs) - 1))
            recs[i], recs[j] = recs[j], recs[i]
        elif op == "payload" and rec.get("record") == "event":
            if not isinstance(rec.get("payload"), dict):
                rec["payload"] = {}
            rec["payload"][draw(st.sampled_from(["reason", "kind", "percentage", "caseworker", "x"]))] = draw(JUNK)
        elif op == "raw":
            recs[i] = draw(st.sampled_from(["{", "[]", "null", '"text"', "{}"]))
    lines = [r if isinstance(r, str) else orjson.dumps(r, option=orjson.OPT_NON_STR_KEYS).decode() for r in recs]
    return "\n".join(lines) + "\n"


def _counts():
    return (Municipality.objects.count(), Client.objects.count(), Case.objects.count(), Event.objects.count())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated_files())
def test_fuzzed_files_are_imported_whole_or_refused_cleanly(tmp_path, text):
    path = tmp_path / "fuzz.jsonl"
    path.write_text(text)
    before = _counts()
    try:
        import_file(path, "0935")
    except ImportRefused as exc:
        event("refused")
        assert exc.total >= 1 and all(e.line >= 0 and e.field and e.message for e in exc.errors)
        assert _counts() == before
    else:
        event("accepted")
        # accepted: everything in the file is there, then clean up for the next example
        assert Client.objects.filter(municipality__code="0935").count() == text.count('"record":"client"')
        from django.db import connection

        from regie.platform.dbutil import maintenance_mode

        with maintenance_mode(connection):
            muni = Municipality.objects.get(code="0935")
            Event.objects.filter(municipality=muni)._raw_delete(Event.objects.db)
            from regie.accounts.models import Provider, Team, User
            from regie.audit.models import AuditRecord
            from regie.casework.models import CaseState

            CaseState.objects.filter(municipality=muni).delete()
            Case.objects.filter(municipality=muni).delete()
            Client.objects.filter(municipality=muni).delete()
            User.objects.filter(municipality=muni).delete()
            Team.objects.filter(municipality=muni).delete()
            Provider.objects.filter(municipality=muni).delete()
            AuditRecord.objects.filter(municipality=muni)._raw_delete(AuditRecord.objects.db)
            muni.delete()
        assert _counts() == before
