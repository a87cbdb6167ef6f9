"""Analytic tables per municipality for the dashboards, kept up to date incrementally.

:func:`frames_cached` returns the municipality's :class:`regie.core.frames.Frames`. Per process they are held in
memory; a request first makes one cheap check (the log epoch that every deletion advances, the event table's
maximum id, and the id and identity of the municipality's last event — index look-ups) and only when that changed asks
:func:`regie.casework.frames.refresh`, which reads just the appended events (or, after a deletion, rebuilds).
A new process starts from the memory-mapped Arrow copy under ``<REGIE_VAR_DIR>/frames/<code>/`` instead of the
database.

The returned object memoises derived tables (``Frames.memo``: spells per date, events per type), so several
indicators on one page share their scans; treat it as read-only.
"""

from __future__ import annotations

import threading
import time

from regie.casework import frames as store
from regie.casework.models import Event
from regie.dbutil import log_epoch

_cache: dict[int, tuple[tuple, store.StoreState]] = {}
_checked: dict[int, float] = {}  # municipality id -> time.time() of the last check that found the cache current
_lock = threading.Lock()
_building: dict[int, threading.Lock] = {}


def _quick_key(municipality) -> tuple:
    """Changes whenever an event is added or deleted anywhere, or the municipality's last event changes."""
    from django.db import connection

    t = Event._meta.db_table
    with connection.cursor() as cur:
        # index look-ups only (no count of the log: seconds on PostgreSQL at national size); a deletion can only
        # happen in maintenance mode, which advances the log epoch (regie.dbutil)
        epoch = log_epoch(cur)
        cur.execute(f"SELECT MAX(id) FROM {t}")
        total = (epoch, cur.fetchone()[0])
        cur.execute(f"SELECT id, external_id, recorded_at FROM {t} WHERE municipality_id = %s ORDER BY id DESC LIMIT 1",
                    [municipality.id])
        last = cur.fetchone()
    return (_db_name(), total, tuple(last) if last else None)


def _db_name():
    from django.db import connection

    return connection.settings_dict.get("NAME")


def frames_cached(municipality):
    """The municipality's frames, up to date with the event log (the log is append-only)."""
    return state_cached(municipality).frames


def _max_age() -> float:
    from django.conf import settings

    return float(getattr(settings, "REGIE_MONITORING_MAX_AGE", 60))


def checked_at(municipality) -> float | None:
    """When (time.time()) the cached frames of ``municipality`` were last found up to date; None if not cached."""
    with _lock:
        return _checked.get(municipality.id)


def state_cached(municipality) -> store.StoreState:
    """Like :func:`frames_cached`, with the store state (watermarks) around the frames.

    Within ``REGIE_MONITORING_MAX_AGE`` seconds of the last check the cached state is returned without asking the
    database at all; the pages show :func:`checked_at`."""
    now = time.time()
    with _lock:
        hit = _cache.get(municipality.id)
        if hit and now - _checked.get(municipality.id, 0.0) < _max_age() and hit[0][0] == _db_name():
            return hit[1]
    key = _quick_key(municipality)
    with _lock:
        hit = _cache.get(municipality.id)
        if hit and hit[0] == key:
            _checked[municipality.id] = now
            return hit[1]
        building = _building.setdefault(municipality.id, threading.Lock())
    with building:  # one refresh per municipality at a time; the others then find it cached
        with _lock:
            hit = _cache.get(municipality.id)
            if hit and hit[0] == key:
                return hit[1]
        state = store.refresh(municipality, hit[1] if hit else None)
        with _lock:
            _cache[municipality.id] = (key, state)
            _checked[municipality.id] = now
    return state


def clear() -> None:
    """Forget the in-memory frames (tests; the disk copies stay)."""
    with _lock:
        _cache.clear()
        _checked.clear()
