"""Creating notifications. :func:`notify` is the one way (other apps call it, e.g. a task assigned); the receivers
below create them for a decision back from approval and a provider report in; ``tasks.announce_terms`` for terms
about to expire. E-mail goes out too when the user opted in (NotificationPreference) and the deployment configured
mail (``REGIE_NOTIFY_EMAIL``: on; the backend is Django's EMAIL_BACKEND), in the language the recipient chose
(``accounts.User.language``; the deployment's default when they never chose)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .messages import check, render
from .models import Notification, NotificationPreference

log = logging.getLogger(__name__)
KIND_CODES = {k for k, _l in Notification._meta.get_field("kind").choices}


def notify(
    user, kind: str, message: str, params: dict | None = None, link: str = "", *, key: str = ""
) -> Notification | None:
    """Notify ``user``: ``kind`` one of approval, refusal, report, task, term; ``message`` a key of
    ``messages.MESSAGES`` with its ``params`` (stored, rendered when read in the reader's language: never pass
    formatted text), without personal data beyond what the link's page shows anyway; ``link`` a path in Regie.
    With ``key`` a second call with the same key does nothing (returns None)."""
    if kind not in KIND_CODES:
        raise ValueError(f"unknown notification kind {kind!r}; expected one of {sorted(KIND_CODES)}")
    params = dict(params or {})
    check(message, params)
    if user is None:
        return None
    try:
        with transaction.atomic():
            n = Notification.objects.create(
                user=user, kind=kind, message=message, params=params, link=link[:500], key=key[:200]
            )
    except IntegrityError:
        return None  # announced before (same key)
    if getattr(settings, "REGIE_NOTIFY_EMAIL", False) and user.email:
        if NotificationPreference.objects.filter(user=user, email=True).exists():
            transaction.on_commit(lambda: _mail(user, message, params, link))
    return n


def mail_language(user) -> str:
    """The language of what Regie sends ``user`` outside a page: their chosen one, else the default."""
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def _mail(user, message: str, params: dict, link: str) -> None:
    base = getattr(settings, "REGIE_BASE_URL", "")
    with translation.override(mail_language(user)):
        text = render(message, params)
        subject = _("Regie: %(text)s") % {"text": text[:80]}
    try:
        send_mail(subject, f"{text}\n\n{base}{link}", None, [user.email])
    except OSError:
        log.warning("notification e-mail could not be sent")  # no address or text in the log


def on_pending_reviewed(sender, pending, **kwargs) -> None:
    approved = pending.status == "approved"
    notify(
        pending.requested_by,
        "approval" if approved else "refusal",
        "decision_approved" if approved else "decision_refused",
        {"step": pending.event_type, "case": pending.case.external_id},
        reverse("client_detail", args=[pending.case.client_id]),
    )


def on_event_saved(sender, instance, created: bool, **kwargs) -> None:
    """A provider report appended: notify the case's caseworker."""
    if not created or instance.type != "rapportage":
        return
    from regie.casework.models import CaseState

    cw = CaseState.objects.filter(case_id=instance.case_id).select_related("caseworker").first()
    if cw is None or cw.caseworker is None or cw.caseworker_id == instance.actor_id:
        return
    notify(
        cw.caseworker,
        "report",
        "provider_report",
        {"case": instance.case.external_id},
        reverse("client_detail", args=[instance.case.client_id]),
        key=f"report:{instance.external_id}",
    )
