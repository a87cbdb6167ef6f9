"""A per-process memo of what is derived from one case's events, keyed on the history it is derived from.

The case event log is append-only (UPDATE and DELETE are refused by the database outside maintenance mode,
regie.platform.dbutil), every append raises the case's ``CaseState.version`` by one under a row lock
(services.append_event), and every maintenance-mode block advances the log epoch. So once committed,
(log epoch, case id, version) names one event history exactly, and a derivation of that history (its legal state,
its signals on a given day, the events the start page lists) can be kept until the version moves on. The
worklist, the start page and the case page ask for the same cases again and again; with this memo a page derives
only the cases that changed since the process last saw them.

Rules: values are memoised only when read outside a transaction (inside one, uncommitted or rolled-back events
could be seen; then the derivation simply runs; a test's own transaction counts as outside, with the values kept
for that test only); a web request reads the epoch once; the memo is emptied after a flush or migration (post_migrate:
test databases reuse ids) and when it holds more than :data:`MAX_CASES` cases per kind. Callers put everything
else a value depends on (the day, the policy version) in ``extra``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import itertools
import logging
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import connection

from regie.platform.dbutil import log_epoch
from regie.platform.server import SHARED_DIR_ENV

MAX_CASES = 100_000  # per kind; a municipality's open caseload fits (assumption: memory of ~100 bytes a case)

_log = logging.getLogger(__name__)
_memo: dict[str, dict[int, tuple[tuple, Any]]] = {}
_lock = threading.Lock()


_request = threading.local()  # within one web request the epoch is read once (request_started .. _finished)


def clear(**_kwargs) -> None:
    with _lock:
        _memo.clear()
    clear_fragments()
    cache = shared_memo()
    if cache is not None:
        cache.clear(retry=True)


def request_started(**_kwargs) -> None:
    _request.active, _request.epoch, _request.pending, _request.database = True, None, [], None


def request_finished(**_kwargs) -> None:
    pending = getattr(_request, "pending", None)
    try:
        if pending:
            cache = shared_memo()
            if cache is not None:
                _request.pending = []  # written now (still "in the request": its database name is read once)
                _shared_write(cache, pending)
    finally:
        _request.active, _request.epoch, _request.pending, _request.database = False, None, [], None


_tokens = itertools.count(1)


def _scope():
    """False inside a transaction (nothing memoised); else None, or in a test (whose data lives in the test
    case's transaction, rolled back at its end) a token of that test's transaction, so no value outlives it."""
    blocks = connection.atomic_blocks
    if not blocks:
        return None
    if not all(getattr(b, "_from_testcase", False) for b in blocks):
        return False
    outer = blocks[0]
    if not hasattr(outer, "_regie_memo_token"):
        outer._regie_memo_token = next(_tokens)
    return outer._regie_memo_token


def _epoch() -> int:
    if getattr(_request, "active", False):
        if _request.epoch is None:
            with connection.cursor() as cur:
                _request.epoch = log_epoch(cur)
        return _request.epoch
    with connection.cursor() as cur:
        return log_epoch(cur)


def per_case(
    kind: str,
    versions: Mapping[int, int],
    compute: Callable[[list[int]], Mapping[int, Any]],
    *,
    extra: tuple = (),
    default: Any = None,
) -> dict[int, Any]:
    """``{case id: value}`` for the cases in ``versions`` (case id -> CaseState.version): memoised values where the
    key still holds, ``compute(missing ids)`` for the rest (a mapping; a case it leaves out gets ``default``)."""
    scope = _scope()
    if scope is False:
        found = compute(list(versions))
        return {cid: found.get(cid, default) for cid in versions}
    epoch = _epoch()
    memo = _memo.setdefault(kind, {})
    out: dict[int, Any] = {}
    missing = []
    key_of = (epoch, scope)
    for cid, version in versions.items():
        hit = memo.get(cid)
        if hit is not None and hit[0] == (key_of, version, extra):
            out[cid] = hit[1]
        else:
            missing.append(cid)
    if missing:
        missing = _from_shared(kind, key_of, versions, extra, missing, memo, out)
    if missing:
        found = compute(missing)
        _to_shared(kind, key_of, versions, extra, missing, found, default)
        with _lock:
            if len(memo) + len(missing) > MAX_CASES:
                memo.clear()
            for cid in missing:
                value = found.get(cid, default)
                memo[cid] = ((key_of, versions[cid], extra), value)
                out[cid] = value
    return out


def versions_of(case_ids: Iterable[int]) -> dict[int, int]:
    """CaseState.version of these cases (one query per 2,000)."""
    from .models import CaseState

    ids = list(case_ids)
    out: dict[int, int] = {}
    for i in range(0, len(ids), 2000):
        out.update(CaseState.objects.filter(case_id__in=ids[i : i + 2000]).values_list("case_id", "version"))
    return out


def snapshots_of(case_ids: Iterable[int]) -> dict[int, dict]:
    """CaseState.snapshot of these cases (one query per 2,000), for derivations that run anew."""
    from .models import CaseState

    ids = list(case_ids)
    out: dict[int, dict] = {}
    for i in range(0, len(ids), 2000):
        out.update(CaseState.objects.filter(case_id__in=ids[i : i + 2000]).values_list("case_id", "snapshot"))
    return out


# --- rendered fragments (pages3) ---
# HTML fragments of the case page and the worklist, memoised per process on a key that names everything the
# fragment shows (an immutable event's id, a case version, or the shown values themselves), plus the log epoch and
# the test-transaction scope as above and the language. A fragment holding a CSRF token is never kept (it is
# per session). Bounded by size: emptied when the kept fragments exceed MAX_FRAGMENT_CHARS.
MAX_FRAGMENT_CHARS = 32_000_000  # per process (assumption: ~64 MB of str for 4 workers' worth of hot cases)

FRAGMENTS = True  # off: every fragment is rendered anew (loadtests/page_costs.py --ab compares both)
_fragments: dict[tuple, str] = {}
_fragment_chars = 0


def fragment_scope():
    """The part of every fragment key that says the memo may be used now: ``(epoch, scope)``, or None inside a
    transaction (then nothing is memoised)."""
    scope = _scope() if FRAGMENTS else False
    if scope is False:
        return None
    return (_epoch(), scope)


def fragment_get(key: tuple):
    html = _fragments.get(key)
    if html is None:
        cache = shared_memo()
        if cache is not None and _portable(key):
            hit = _shared_get(cache, ("fragment", key))
            if hit is not _MISS:
                _keep_fragment(key, hit)
                html = hit
    return html


def fragment_put(key: tuple, html: str) -> None:
    if "csrfmiddlewaretoken" in html:
        return
    cache = shared_memo()
    if cache is not None and _portable(key):
        _shared_set(cache, [(("fragment", key), html)])
    _keep_fragment(key, html)


def _keep_fragment(key: tuple, html: str) -> None:
    global _fragment_chars
    with _lock:
        if _fragment_chars + len(html) > MAX_FRAGMENT_CHARS:
            _fragments.clear()
            _fragment_chars = 0
        _fragments[key] = html
        _fragment_chars += len(html)


def clear_fragments(**_kwargs) -> None:
    global _fragment_chars
    with _lock:
        _fragments.clear()
        _fragment_chars = 0


# --- shared memo (lead) ---
# A second level under the per-process memo above, shared by the web workers of one server: `regie serve` makes a
# directory at start (platform.server.run), names it in REGIE_SHARED_MEMO_DIR for the workers it forks and removes
# it at stop. A case derived (or a fragment rendered) by one worker is then read by the others instead of derived
# again: with N workers a caseworker's cases are otherwise derived up to N times, once in each process. The store is
# diskcache (a SQLite file; reads take no lock, "least-recently-stored" eviction so a read writes nothing), bounded
# by SHARED_MEMO_BYTES. Keys are the same as the per-process memo's: (log epoch, case id, version, extra) names one
# event history exactly, so nothing is ever invalidated; as there, nothing read inside a transaction is kept (a
# test's values carry its transaction's token), and only keys made of plain values are shared (str, numbers, dates:
# a key holding an object's id() means nothing in another process). Without the variable (tests, the CLI, the job
# worker) there is no second level.
# Like the per-process memo, it assumes the database is not restored under a running server (restart it).
SHARED_MEMO_BYTES = 512 * 1024 * 1024  # assumption: a municipality's hot cases and fragments fit in 512 MB
_MISS = object()
_shared: tuple[str, Any] | None = None
_PLAIN = (str, int, float, bool, type(None), bytes, _dt.date, _dt.datetime)


def shared_memo():
    """The shared store named by REGIE_SHARED_MEMO_DIR, or None."""
    global _shared
    where = os.environ.get(SHARED_DIR_ENV)
    if not where:
        return None
    current = _shared
    if current is None or current[0] != where:
        import diskcache

        with _lock:
            current = _shared = (
                where,
                diskcache.Cache(
                    where,
                    size_limit=SHARED_MEMO_BYTES,
                    eviction_policy="least-recently-stored",
                    statistics=False,
                    tag_index=False,
                    # pages5: no eviction check in every set (four statements: expired keys, page count, size,
                    # policy); _shared_write culls once per write instead, so the bound holds per request
                    cull_limit=0,
                ),
            )
    return current[1]


def _portable(value) -> bool:
    if type(value) is tuple:
        return all(_portable(v) for v in value)
    return type(value) in _PLAIN or isinstance(value, str)  # SafeString too; a lazy translation is no str


def _database() -> str:
    """The database the keys belong to; read once per web request (the connection is a thread-local proxy)."""
    if getattr(_request, "active", False) and _request.database is not None:
        return _request.database
    settings = connection.settings_dict
    name = f"{connection.vendor}:{settings.get('HOST') or ''}:{settings.get('PORT') or ''}:{settings.get('NAME')}"
    if getattr(_request, "active", False):
        _request.database = name
    return name


def _shared_key(parts: tuple) -> bytes:
    return hashlib.blake2b(pickle.dumps((_database(), parts), protocol=5), digest_size=20).digest()


def _shared_get(cache, parts: tuple):
    try:
        hit = cache.get(_shared_key(parts), default=_MISS, retry=True)
    except Exception:  # noqa: BLE001  (a broken store only costs the derivation it would have saved)
        _log.warning("shared memo unreadable", exc_info=True)
        return _MISS
    if hit is _MISS or hit[0] != parts:
        return _MISS
    return hit[1]


def _shared_set(cache, items: list[tuple[tuple, Any]]) -> None:
    """Keep ``items`` in the shared store: at the end of a web request (one write transaction, after the response
    has gone out, so no reader waits on the store's write lock), at once elsewhere."""
    if getattr(_request, "active", False):
        _request.pending.extend(items)
    else:
        _shared_write(cache, items)


def _shared_write(cache, items: list[tuple[tuple, Any]]) -> None:
    try:
        with cache.transact(retry=True):
            _insert_many(cache, items)
        # the size bound (the store sets cull_limit=0: no eviction check per set); nothing here expires, so the
        # store is culled only when over its size (a page count), not scanned for expired keys at every write
        if cache.volume() > cache.size_limit:
            cache.cull(retry=True)
    except Exception:  # noqa: BLE001  (an unpicklable value or a full disk: the value stays per process)
        _log.warning("shared memo not written", exc_info=True)


_INSERT = (
    "INSERT OR IGNORE INTO Cache(key, raw, store_time, expire_time, access_time, access_count, tag, size, mode,"
    " filename, value) VALUES (?, 1, ?, NULL, ?, 0, NULL, 0, ?, NULL, ?)"
)


def _insert_many(cache, items: list[tuple[tuple, Any]]) -> None:
    """pages8: the items in one ``executemany`` instead of one ``Cache.set`` each (a SELECT, then an INSERT or an
    UPDATE, through diskcache's transaction wrapper: a cold start page writes ~500 items, a fifth of its CPU). The
    rows are those ``Cache.set`` writes for a small pickled value (``raw`` key, ``MODE_PICKLE``, no file, no expiry,
    no tag; diskcache's triggers keep its count); a value of ``Disk.min_file_size`` or more pickled goes through
    ``Cache.set`` (it is kept in a file). A key already stored is left as it is (``OR IGNORE``): a key names the
    history its value is derived from (or everything a fragment shows), so the stored value is the one this write
    holds. Runs inside the caller's ``cache.transact``; ``_shared_get_many`` reads diskcache's table the same way."""
    import sqlite3

    from diskcache.core import MODE_PICKLE

    disk = cache._disk
    limit, protocol = disk.min_file_size, disk.pickle_protocol
    now = time.time()
    rows, large = [], []
    for parts, value in items:
        key = _shared_key(parts)
        data = pickle.dumps((parts, value), protocol=protocol)
        if len(data) < limit:
            rows.append((sqlite3.Binary(key), now, now, MODE_PICKLE, sqlite3.Binary(data)))
        else:
            large.append((key, (parts, value)))
    if rows:
        cache._con.executemany(_INSERT, rows)
    for key, stored in large:
        cache.set(key, stored, retry=True)


_BATCH = 500  # keys per SELECT of _shared_get_many (SQLite allows 32,766 variables; assumption: 500 keeps it short)


def _shared_get_many(cache, parts_list: list[tuple]) -> list:
    """The values of many keys (``_MISS`` where absent) in one SELECT per :data:`_BATCH` keys instead of one
    ``Cache.get`` each (a cold worklist asks for a few hundred cases). This reads diskcache's own table (``Cache``:
    key, raw, mode, filename, value; values through its ``Disk.fetch``), which its public API has no call for; if
    that ever fails, the keys are read one by one."""
    keys = [_shared_key(parts) for parts in parts_list]
    found: dict[bytes, Any] = {}
    try:
        for i in range(0, len(keys), _BATCH):
            chunk = keys[i : i + _BATCH]
            marks = ",".join("?" * len(chunk))
            rows = cache._sql(
                f"SELECT key, mode, filename, value FROM Cache WHERE raw = 1 AND key IN ({marks})", chunk
            ).fetchall()
            for key, mode, filename, value in rows:
                try:
                    found[bytes(key)] = cache._disk.fetch(mode, filename, value, False)
                except OSError:  # evicted while read (a value kept in a file)
                    pass
    except Exception:  # noqa: BLE001  (another diskcache layout: the public API, one key at a time)
        _log.warning("shared memo: batch read failed, reading key by key", exc_info=True)
        return [_shared_get(cache, parts) for parts in parts_list]
    out = []
    for key, parts in zip(keys, parts_list, strict=True):
        hit = found.get(key, _MISS)
        out.append(hit[1] if hit is not _MISS and hit[0] == parts else _MISS)
    return out


def _from_shared(kind, key_of, versions, extra, missing, memo, out) -> list[int]:
    """Fill ``out`` and the per-process memo from the shared store; returns the case ids still missing."""
    cache = shared_memo()
    if cache is None or not _portable(extra):
        return missing
    still = []
    values = _shared_get_many(cache, [(kind, key_of, cid, versions[cid], extra) for cid in missing])
    for cid, value in zip(missing, values, strict=True):
        if value is _MISS:
            still.append(cid)
        else:
            out[cid] = value
            with _lock:
                memo[cid] = ((key_of, versions[cid], extra), value)
    return still


def _to_shared(kind, key_of, versions, extra, missing, found, default) -> None:
    cache = shared_memo()
    if cache is None or not _portable(extra):
        return
    _shared_set(cache, [((kind, key_of, cid, versions[cid], extra), found.get(cid, default)) for cid in missing])
