"""The API token endpoint behind the same log-in throttle as the web log-in.

DRF's ``obtain_auth_token`` checks the password with ``authenticate()`` and nothing else; an attacker could guess
passwords there at the speed of the password hasher. This view refuses a throttled (username, address) before the
password is checked, with 429 and Retry-After; then the password is checked (``authenticate()``, which records a
failure for the throttle) and ``issue`` creates the token. The API supplies ``issue`` (regie.api.views_tokens):
its tokens have an expiry and scopes, and accounts sits below the API.
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.views import APIView

from . import throttle


class ThrottledObtainAuthToken(APIView):
    authentication_classes = ()
    permission_classes = ()
    throttle_classes = ()
    serializer_class = AuthTokenSerializer

    def post(self, request, *args, **kwargs):
        username = request.data.get("username", "") if hasattr(request.data, "get") else ""
        if not isinstance(username, str) or "\x00" in username or len(username) > 150:
            # refused before the throttle looks the name up (PostgreSQL cannot compare text holding NUL)
            return Response({"username": ["Geen geldige gebruikersnaam."]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            throttle.check(request, username)
        except throttle.LoginThrottled as exc:
            return Response(
                {"detail": exc.message},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(exc.retry_after)},
            )
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return self.issue(request, serializer.validated_data["user"])

    def issue(self, request, user) -> Response:
        raise NotImplementedError("the API issues its tokens (regie.api.views_tokens.TokenObtainView)")
