"""The notifications list, mark read, the e-mail preference, and the bell's count (context processor)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification, NotificationPreference


def bell(request):
    """Template context: the number of unread notifications (one cheap indexed count per page)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or getattr(request, "regie_mfa_pending", False):
        return {}
    return {"unread_notifications": Notification.objects.filter(user=user, read=False).count()}


@login_required
def index(request):
    rows = list(Notification.objects.filter(user=request.user)[:100])
    pref = NotificationPreference.objects.filter(user=request.user).first()
    return render(request, "notifications/index.html", {"rows": rows, "email_pref": bool(pref and pref.email)})


@login_required
@require_POST
def mark_read(request):
    """Mark one (``id``) or all notifications read; with ``open`` go to its link."""
    qs = Notification.objects.filter(user=request.user, read=False)
    nid = request.POST.get("id")
    if nid:
        qs = qs.filter(pk=nid) if nid.isdigit() else qs.none()
        n = Notification.objects.filter(user=request.user, pk=nid).first() if nid.isdigit() else None
    else:
        n = None
    qs.update(read=True)
    if n is not None and request.POST.get("open") and url_has_allowed_host_and_scheme(n.link, allowed_hosts=None):
        return redirect(n.link)
    return redirect("notifications:index")


@login_required
@require_POST
def preference(request):
    pref, _created = NotificationPreference.objects.get_or_create(user=request.user)
    pref.email = request.POST.get("email") in ("on", "true", "1")
    pref.save()
    return redirect("notifications:index")
