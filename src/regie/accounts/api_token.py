"""The API token endpoint behind the same log-in throttle as the web log-in.

DRF's ``obtain_auth_token`` checks the password with ``authenticate()`` and nothing else; an attacker could guess
passwords there at the speed of the password hasher. This view refuses a throttled (username, address) before the
password is checked, with 429 and Retry-After, and leaves the rest to DRF.
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from . import throttle


class ThrottledObtainAuthToken(ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        username = request.data.get("username", "") if hasattr(request.data, "get") else ""
        try:
            throttle.check(request, str(username or ""))
        except throttle.LoginThrottled as exc:
            return Response({"detail": exc.message}, status=status.HTTP_429_TOO_MANY_REQUESTS,
                            headers={"Retry-After": str(exc.retry_after)})
        return super().post(request, *args, **kwargs)


obtain_auth_token = ThrottledObtainAuthToken.as_view()
