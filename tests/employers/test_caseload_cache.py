"""employers2: the cached caseload table is brought up to date from the events since it was built (only the cases
they touch are read again) and equals a full build."""

from __future__ import annotations

import datetime as dt

import pytest

from regie.casework.services import append_event
from regie.employers import selectors

pytestmark = pytest.mark.django_db


def _rows(table):
    return [(p.client_ref, p.hours_available, tuple(sorted(p.occupation_codes))) for p in table.profiles]


def test_an_append_updates_the_cached_table_like_a_full_build(world):
    selectors._CACHE.clear()
    first = selectors.caseload_table(world.a)
    assert first is selectors.caseload_table(world.a)  # cached while nothing changes
    case = world.clients_a[1].cases.get()
    append_event(
        case,
        type="werkprofiel_aanvulling",
        effective_date=dt.date.today(),
        payload={"hours_available": 20, "occupation_codes": [{"code": "9329", "label": "Inpakker"}]},
    )
    updated = selectors.caseload_table(world.a)
    assert updated is not first
    assert (str(case.pk), 20, ("9329",)) in _rows(updated)
    selectors._CACHE.clear()
    assert _rows(selectors.caseload_table(world.a)) == _rows(updated)
