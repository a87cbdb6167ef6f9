"""Idle timeout without writing the session on every request.

Sessions end after ``REGIE_IDLE_SECONDS`` (default 3600) without activity. The last activity is refreshed at most
once a minute, so a busy caseworker does not cost a session write per click (with SQLite every write serialises).
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
            last = request.session.get("last_seen")
            if last is not None and now - last > settings.REGIE_IDLE_SECONDS:
                logout(request)
            elif last is None or now - last >= REFRESH_SECONDS:
                request.session["last_seen"] = now
        return self.get_response(request)
