"""The shared memo (regie.casework.derived, "shared memo"): what one web worker derived or rendered, another reads
from the directory `regie serve` names in REGIE_SHARED_MEMO_DIR instead of deriving it again. The tests play both
workers in one process by emptying the per-process memo between them (the store is a file, as between workers).
Within a test the keys carry the test transaction's token, as in the per-process memo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from regie.casework import derived
from regie.casework.models import Case
from regie.casework.services import append_event
from regie.core.policy import load_dir, policy_dir

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(tmp_path, monkeypatch):
    monkeypatch.setenv("REGIE_SHARED_MEMO_DIR", str(tmp_path / "memo"))
    derived.clear()
    yield derived.shared_memo()
    derived.clear()


def _other_worker():
    """What another process has: an empty per-process memo (the shared store stays)."""
    with derived._lock:
        derived._memo.clear()
    derived.clear_fragments()


class Counting:
    def __init__(self, value):
        self.value, self.calls = value, []

    def __call__(self, ids):
        self.calls.append(list(ids))
        return {cid: (self.value, cid) for cid in ids}


def test_a_value_derived_in_one_worker_is_read_in_another(shared):
    compute = Counting("x")
    assert derived.per_case("test", {1: 3, 2: 5}, compute, extra=(dt.date(2026, 12, 2),)) == {
        1: ("x", 1),
        2: ("x", 2),
    }
    _other_worker()
    again = Counting("y")
    assert derived.per_case("test", {1: 3, 2: 5}, again, extra=(dt.date(2026, 12, 2),)) == {1: ("x", 1), 2: ("x", 2)}
    assert again.calls == []
    assert len(shared) == 2


def test_a_new_version_or_another_extra_is_derived_anew(shared):
    derived.per_case("test", {1: 3, 2: 5}, Counting("x"), extra=("a",))
    _other_worker()
    again = Counting("y")
    out = derived.per_case("test", {1: 4, 2: 5}, again, extra=("a",))
    assert out == {1: ("y", 1), 2: ("x", 2)} and again.calls == [[1]]
    _other_worker()
    other_day = Counting("z")
    assert derived.per_case("test", {2: 5}, other_day, extra=("b",)) == {2: ("z", 2)}


def test_a_key_that_means_something_only_in_one_process_is_never_shared(shared):
    derived.per_case("test", {1: 3}, Counting("x"), extra=(object(),))
    assert len(shared) == 0


def test_nothing_is_shared_inside_a_transaction(shared):
    with transaction.atomic():
        derived.per_case("test", {1: 3}, Counting("x"))
    assert len(shared) == 0


def test_the_store_is_emptied_with_the_memo(shared):
    derived.per_case("test", {1: 3}, Counting("x"))
    assert len(shared) == 1
    derived.clear()
    assert len(shared) == 0


def test_many_cases_are_read_in_one_batch_with_the_same_values_as_one_by_one(shared):
    versions = {cid: cid % 7 for cid in range(1, 1201)}  # more than one SELECT's batch (derived._BATCH)
    derived.per_case("test", versions, Counting("x"), extra=("a",))
    _other_worker()
    parts = [("test", (derived._epoch(), derived._scope()), cid, v, ("a",)) for cid, v in versions.items()]
    parts.append(("test", parts[0][1], 9999, 1, ("a",)))  # never stored
    batch = derived._shared_get_many(shared, parts)
    assert batch == [derived._shared_get(shared, p) for p in parts]
    assert batch[0] == ("x", 1) and batch[-1] is derived._MISS
    again = Counting("y")
    assert derived.per_case("test", versions, again, extra=("a",)) == {cid: ("x", cid) for cid in versions}
    assert again.calls == []


def test_a_value_under_a_colliding_key_is_not_taken_for_another(shared):
    derived.per_case("test", {1: 3}, Counting("x"))
    ((key, (parts, value)),) = [(k, shared.get(k)) for k in shared.iterkeys()]
    shared.set(key, (("test", parts[1], 2, 3, ()), value))  # the stored parts name another case
    _other_worker()
    again = Counting("y")
    assert derived.per_case("test", {1: 3}, again) == {1: ("y", 1)} and again.calls == [[1]]


def test_the_store_keeps_its_size_bound_without_an_eviction_check_per_value(shared, monkeypatch):
    assert shared.cull_limit == 0  # no eviction check in each set: one per write instead
    monkeypatch.setattr(shared, "size_limit", shared.volume() + 64 * 1024)
    big = "x" * 4096
    for n in range(4):
        derived.per_case("test", {cid: 1 for cid in range(n * 50, n * 50 + 50)}, lambda ids: {i: big for i in ids})
    assert shared.volume() <= shared.size_limit
    assert 0 < len(shared) < 200


def test_a_case_page_from_the_shared_store_is_the_same_page_and_follows_a_new_event(shared, world, login):
    km = world.users_a["integrale_klantmanager"]
    c = login(km)
    case = Case.objects.select_related("client").get(client=world.clients_a[0])
    url = reverse("client_detail", args=[case.client_id])
    first = c.get(url).content.decode()
    kinds = {key[0] for key, _ in (shared.get(k) for k in shared.iterkeys())}
    assert {"fragment", "legal_state"} <= kinds  # derivations and rendered rows were shared
    _other_worker()
    second = c.get(url).content.decode()
    strip = lambda html: html.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(second) == strip(first)
    append_event(
        case, type="uitstroom", effective_date=dt.date(2025, 6, 1), payload={"reason": "werk_regulier"}, actor=km
    )
    _other_worker()
    third = c.get(url).content.decode()
    assert "01-06-2025" in third and "01-06-2025" not in first


def test_the_policy_token_names_the_content_of_the_policy_files(tmp_path):
    import shutil

    root = tmp_path / "policies"
    shutil.copytree(policy_dir(), root)
    token = load_dir(root).token
    assert load_dir(root).token == token  # another process loading the same files: the same token
    some = root / "amsterdam" / "2019-01-01.yaml"
    assert "\nname: Amsterdam\n" in some.read_text()
    some.write_text(some.read_text().replace("\nname: Amsterdam\n", "\nname: Amsterdam (gewijzigd)\n"))
    assert load_dir(root).token != token


def _rows(cache):
    return sorted(
        cache._sql(
            "SELECT key, raw, expire_time, access_count, tag, size, mode, filename IS NULL, value FROM Cache"
        ).fetchall()
    )


def test_the_batched_write_stores_the_rows_that_cache_set_stores(shared, tmp_path):
    """pages8: _shared_write inserts the items in one executemany; the rows (but their times), the store's count
    and the values read back are those of diskcache's own Cache.set, item by item, in another store."""
    import diskcache

    scope = (derived._epoch(), derived._scope())
    items = [
        (("test", scope, cid, 1, ("a",)), {"case": cid, "signals": [("x", dt.date(2026, 12, cid % 28 + 1))]})
        for cid in range(300)
    ]
    items.append((("fragment", (scope, "nl"), ("timeline", 7)), "<li>één</li>"))
    items.append((("test", scope, 999, 1, ()), "x" * (shared._disk.min_file_size + 10)))  # kept in a file
    derived._shared_write(shared, items)
    other = diskcache.Cache(str(tmp_path / "other"), eviction_policy="least-recently-stored", cull_limit=0)
    for parts, value in items:
        other.set(derived._shared_key(parts), (parts, value))
    assert _rows(shared) == _rows(other)
    assert len(shared) == len(other) == len(items)
    assert shared.volume() - shared._page_size * shared._sql("PRAGMA page_count").fetchone()[0] == other.volume() - (
        other._page_size * other._sql("PRAGMA page_count").fetchone()[0]
    )  # the size the triggers keep (the file's)
    assert derived._shared_get_many(shared, [p for p, _ in items]) == [v for _, v in items]
    assert [derived._shared_get(shared, p) for p, _ in items] == [v for _, v in items]


def test_the_batched_write_keeps_a_key_already_stored(shared):
    scope = (derived._epoch(), derived._scope())
    parts = ("test", scope, 1, 1, ())
    derived._shared_write(shared, [(parts, "first")])
    derived._shared_write(shared, [(parts, "first"), (("test", scope, 2, 1, ()), "second")])
    assert len(shared) == 2
    assert derived._shared_get_many(shared, [parts, ("test", scope, 2, 1, ())]) == ["first", "second"]
