"""Refuse input holding a NUL character (U+0000) before any view sees it.

PostgreSQL cannot store or compare text holding NUL, so such a value in a query string or a form would end as a
server error wherever a view passes it to the database unchecked (Django's form fields refuse it, but several views
read ``request.GET``/``request.POST`` directly). One check here closes the class: a 400 that says what is wrong.
JSON bodies are DRF's: its fields refuse NUL themselves.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class NullCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = "\x00" in request.path or _has_nul(request.GET)
        if not bad and request.method == "POST" and request.content_type in FORM_TYPES:
            bad = _has_nul(request.POST)
        if bad:
            return HttpResponseBadRequest(
                _("Ongeldige invoer: de aanvraag bevat een nulteken (U+0000)."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
