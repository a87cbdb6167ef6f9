"""The portal's own headers and rate limits, for every response under ``/mijn/``.

- **CSP**: stricter than the staff pages' (:mod:`regie.platform.security`): no images from ``data:``, no fonts but
  our own, forms only to ourselves; the staff middleware keeps a policy already set (``setdefault``).
- **No caching** of any portal page (``no-store``), no referrer to the broker or elsewhere (``same-origin``), not
  indexed.
- **Rate limits** per address, in Django's cache (per process with the default local-memory cache; a shared cache
  makes them per site): ``REGIE_PORTAL_RATE`` requests a minute on every portal URL, and ``REGIE_PORTAL_LOGIN_RATE``
  log-in starts and callbacks per ten minutes (assumptions: 120 and 20; a person clicks far less, a script more).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from regie.audit.services import origin_of

PORTAL_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
PREFIX = "/mijn/"


def _over(key: str, limit: int, window: int) -> bool:
    bucket = f"portal-rate:{key}:{int(time.time()) // window}"
    cache.add(bucket, 0, window + 5)
    try:
        count = cache.incr(bucket)
    except ValueError:
        cache.set(bucket, 1, window + 5)
        count = 1
    return count > limit


class PortalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        address = origin_of(request)
        limited = _over(f"all:{address}", settings.REGIE_PORTAL_RATE, 60)
        if not limited and "/inloggen/" in request.path:
            limited = _over(f"login:{address}", settings.REGIE_PORTAL_LOGIN_RATE, 600)
        if limited:
            response = render(request, "portal/too_many.html", status=429)
            response["Retry-After"] = "60"
        else:
            response = self.get_response(request)
        response["Content-Security-Policy"] = PORTAL_CSP
        response["Cache-Control"] = "no-store"
        # same-origin: no referrer to the broker or anywhere else; "no-referrer" would make the browser send
        # "Origin: null" on our own forms, which Django's CSRF origin check refuses
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
