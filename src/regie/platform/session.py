"""Idle and absolute session expiry without writing the session on every request.

Sessions end after ``REGIE_IDLE_SECONDS`` without activity and, however busy, ``REGIE_SESSION_MAX_SECONDS`` after
log-in. Both clocks live in the session itself (``last_seen``, ``authenticated_at``: Unix seconds), so they hold
whatever the session backend's own expiry does: Django moves that expiry on at every session write, and the idle
clock writes the session once a minute, so the cookie age alone would never end a busy session. The last activity
is refreshed at most once a minute, so a busy caseworker does not cost a session write per click (with SQLite
every write serialises). Log-out (and expiry here) flushes the session: its key is deleted server-side, so a copied
cookie is worthless afterwards.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

REFRESH_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            last = session.get("last_seen")
            started = session.get("authenticated_at")
            if (last is not None and now - last > settings.REGIE_IDLE_SECONDS) or (
                started is not None and now - started > settings.REGIE_SESSION_MAX_SECONDS
            ):
                logout(request)
            else:
                if started is None:
                    session["authenticated_at"] = now
                if last is None or now - last >= REFRESH_SECONDS:
                    session["last_seen"] = now
        return self.get_response(request)
