"""Until the second step is done, a session reaches only the MFA pages, log-out, the language switch and static files.

Runs after authentication and the idle timeout. Requests authenticated by an API token carry no session user here
and pass (API tokens have their own rules).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.urls import reverse

from . import mfa


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if mfa.is_pending(request):
            request.regie_mfa_pending = True
            allowed = {reverse("mfa_verify"), reverse("mfa_enrol"), reverse("logout")}
            path = request.path
            static = "/" + settings.STATIC_URL.lstrip("/")
            if not (path in allowed or path.startswith(static) or path.startswith("/i18n/")):
                if path.startswith("/api/"):
                    return HttpResponseForbidden("Second log-in step required", content_type="text/plain")
                target = reverse("mfa_verify") if mfa.has_authenticator(request.user) else reverse("mfa_enrol")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(target)
        return self.get_response(request)


def remember_language(user, language: str) -> None:
    """Store ``language`` as ``user``'s chosen language (one UPDATE, only when it changed; unknown codes ignored)."""
    if language not in {code for code, _name in settings.LANGUAGES} or getattr(user, "language", None) == language:
        return
    from .models import User

    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


class RememberLanguageMiddleware:
    """Keep the language a logged-in user chose with the language switch on their account (``User.language``), so
    a notification e-mail reaches them in it: when a response sets the language cookie (Django's ``set_language``
    view) for an authenticated user. The log-in stores the cookie's language too (``accounts.apps``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        morsel = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if morsel is not None and morsel.value:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                remember_language(user, morsel.value)
        return response
