"""Login throttling from the audit log: too many failed log-ins for a username or from an address → wait.

The audit log already records every failed log-in (who tried, from where, when); the throttle counts those rows
instead of keeping a second store. Limits: 5 failures per username or 20 per address in 15 minutes (assumption:
common practice, e.g. NCSC guidance on brute-force protection; tune per deployment).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.audit.models import AuditRecord
from regie.audit.services import log, origin_of

WINDOW = dt.timedelta(minutes=15)
MAX_PER_USERNAME = 5
MAX_PER_ORIGIN = 20


def is_throttled(username: str, origin: str) -> bool:
    since = timezone.now() - WINDOW
    failed = AuditRecord.objects.filter(action="login_failed", timestamp__gte=since)
    return (failed.filter(actor=username[:150]).count() >= MAX_PER_USERNAME
            or failed.filter(origin=origin).count() >= MAX_PER_ORIGIN)


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Te veel mislukte inlogpogingen. Probeer het over 15 minuten opnieuw."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        origin = origin_of(self.request)
        if is_throttled(username, origin):
            log(actor=username[:150] or "anonymous", action="denied", object_type="session", result="denied",
                origin=origin, detail="login throttled")
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        return super().clean()
