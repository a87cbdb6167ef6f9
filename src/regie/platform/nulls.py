"""Refuse input holding a NUL character (U+0000) before any view sees it.

PostgreSQL cannot store or compare text holding NUL, so such a value in a query string or a form would end as a
server error wherever a view passes it to the database unchecked (Django's form fields refuse it, but several views
read ``request.GET``/``request.POST`` directly). One check here closes the class: a 400 naming the field — as JSON
(``{"<field>": ["<message>"]}``) under ``/api/``, as text elsewhere. JSON bodies are DRF's: its fields refuse NUL.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _field_with_nul(data) -> str | None:
    for key, values in data.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key.replace("\x00", "") or "?"
    return None


class NullCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = "path" if "\x00" in request.path else _field_with_nul(request.GET)
        if field is None and request.method == "POST" and request.content_type in FORM_TYPES:
            field = _field_with_nul(request.POST)
        if field is None:
            return self.get_response(request)
        message = _("Ongeldige invoer: %(field)s bevat een nulteken (U+0000).") % {"field": field}
        if request.path.startswith("/api/"):
            return JsonResponse({field: [message]}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
