"""Language: Dutch unless the user chose English with the language switch (a cookie), whatever the browser says.

Django's LocaleMiddleware would follow the browser's Accept-Language, which shows a Dutch municipal application in
English on every English-configured workstation; caseworkers choose instead.

The API (``/api/``) follows the request's Accept-Language instead (an API client sends no cookie; RFC 9110
section 12.5.4): its human-readable messages in the language asked for, Dutch when none of ours is asked.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header


def accepted_language(header: str) -> str | None:
    """The first of our languages that an Accept-Language header asks for (by weight), or None."""
    for code, _q in parse_accept_lang_header(header or ""):
        if code == "*":
            return None
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        api = request.path.startswith("/api/")
        if api:  # the API: the request's Accept-Language, else Dutch
            language = accepted_language(request.headers.get("Accept-Language", "")) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if api:
            patch_vary_headers(response, ("Accept-Language",))
        translation.deactivate()
        return response
