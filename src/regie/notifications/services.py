"""Creating notifications. :func:`notify` is the one way (other apps call it, e.g. a task assigned); the receivers
below create them for a decision back from approval and a provider report in; ``tasks.announce_terms`` for terms
about to expire. E-mail goes out too when the user opted in (NotificationPreference) and the deployment configured
mail (``REGIE_NOTIFY_EMAIL``: on; the backend is Django's EMAIL_BACKEND)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Notification, NotificationPreference

log = logging.getLogger(__name__)
KIND_CODES = {k for k, _l in Notification._meta.get_field("kind").choices}


def notify(user, kind: str, text: str, link: str = "", *, key: str = "") -> Notification | None:
    """Notify ``user``: ``kind`` one of approval, refusal, report, task, term; ``text`` Dutch, for the user, without
    personal data beyond what the link's page shows anyway; ``link`` a path in Regie. With ``key`` a second call
    with the same key does nothing (returns None)."""
    if kind not in KIND_CODES:
        raise ValueError(f"unknown notification kind {kind!r}; expected one of {sorted(KIND_CODES)}")
    if user is None:
        return None
    try:
        with transaction.atomic():
            n = Notification.objects.create(user=user, kind=kind, text=text[:500], link=link[:500], key=key[:200])
    except IntegrityError:
        return None  # announced before (same key)
    if getattr(settings, "REGIE_NOTIFY_EMAIL", False) and user.email:
        if NotificationPreference.objects.filter(user=user, email=True).exists():
            transaction.on_commit(lambda: _mail(user.email, text, link))
    return n


def _mail(to: str, text: str, link: str) -> None:
    base = getattr(settings, "REGIE_BASE_URL", "")
    try:
        send_mail(_("Regie: %(text)s") % {"text": text[:80]}, f"{text}\n\n{base}{link}", None, [to])
    except OSError:
        log.warning("notification e-mail could not be sent")  # no address or text in the log


def on_pending_reviewed(sender, pending, **kwargs) -> None:
    approved = pending.status == "approved"
    text = (
        _("Uw besluit (%(step)s, dossier %(case)s) is goedgekeurd door de teammanager.")
        if approved
        else _("Uw besluit (%(step)s, dossier %(case)s) is afgewezen door de teammanager.")
    ) % {"step": pending.event_type, "case": pending.case.external_id}
    notify(
        pending.requested_by,
        "approval" if approved else "refusal",
        text,
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
        _("Nieuwe rapportage van de aanbieder (dossier %(case)s).") % {"case": instance.case.external_id},
        reverse("client_detail", args=[instance.case.client_id]),
        key=f"report:{instance.external_id}",
    )
