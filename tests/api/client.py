"""An API client authenticated with a Regie API token (regie.api.tokens) of the given user."""

from __future__ import annotations

from rest_framework.test import APIClient

from regie.api import tokens


def token_for(user, scopes=("write",), **kwargs) -> str:
    """A fresh token's secret; ``write`` (every resource, read included) unless told otherwise."""
    _, secret = tokens.issue(user, name="test", scopes=list(scopes), actor="test", origin="test", **kwargs)
    return secret


def api(user, scopes=("write",)) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user, scopes)}")
    return c
