"""Analytic tables per municipality for the dashboards, cached until the event log changes."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from regie.casework.frames import frames_for
from regie.casework.models import Event

_cache: dict[int, tuple[tuple, object]] = {}
_lock = threading.Lock()


def frames_cached(municipality):
    """The municipality's frames; rebuilt only when an event was added (the log is append-only)."""
    key = tuple(Event.objects.filter(municipality=municipality).aggregate(n=Count("id"), m=Max("id")).values())
    with _lock:
        hit = _cache.get(municipality.id)
        if hit and hit[0] == key:
            return hit[1]
    frames = frames_for(municipality)
    with _lock:
        _cache[municipality.id] = (key, frames)
    return frames
