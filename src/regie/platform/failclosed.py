"""Fail closed, visibly: a page that needs the municipality's policy and finds none answers with an error page that
says so (HTTP 503), instead of a permissive default or a bare server error. The operator's detail goes to the log.
"""

from __future__ import annotations

import logging

from django.shortcuts import render

from regie.core.policy import PolicyUnavailable

log = logging.getLogger("regie.policy")


class PolicyUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PolicyUnavailable):
            return None
        log.error("policy unavailable on %s: %s", request.path, exception.detail or exception.message)
        return render(request, "policy_unavailable.html", {"message": exception.message}, status=503)
