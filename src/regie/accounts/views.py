"""Where a user lands: each role starts on its own page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .navigation import navigation


@login_required
def home(request):
    """Each role starts on its own page."""
    items = navigation(request)["nav_items"]
    return redirect(items[0]["url"] if items else "login")
