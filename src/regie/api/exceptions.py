"""API errors beyond DRF's own: a missing policy is HTTP 503 with the user-facing message (fail closed)."""

from __future__ import annotations

import logging

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from regie.core.policy import PolicyUnavailable

log = logging.getLogger("regie.policy")


def handler(exc, context):
    if isinstance(exc, PolicyUnavailable):
        log.error("policy unavailable in the API: %s", exc.detail or exc.message)
        from regie.casework.validation import translate  # the message in the request's language

        return Response({"detail": translate(exc.message)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    return exception_handler(exc, context)
