"""The calendar subscription without a session: a per-user secret link to the caseworker's own agenda as .ics,
for Outlook or Google Calendar, which cannot log in.

- The link holds ``rgc_`` + 32 random bytes (URL-safe base64); Regie stores only the sha256 digest, as for API
  tokens (``regie.api.tokens``), and shows the secret once. One active link per user; making a new one revokes the
  old; the user revokes it on the subscription page.
- The feed holds as little personal data as a calendar needs, since it leaves Regie (a calendar provider's
  servers): the kind of appointment, the client's initials and the case number, the time, and the place unless
  it is a huisbezoek (the place is then the client's home address); no name, no BSN, nobody else present.
  Assumption (no rule names the fields): initials and case number let the caseworker recognise the appointment,
  the link to the appointment in Regie (log-in required) gives the rest.
- Every fetch is audited (actor the link's user, action ``export``, object ``calendar``, the link's prefix);
  an unknown, revoked or stopped link is a 404, audited as denied with its first characters only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from regie.accounts.tenancy import can
from regie.audit.services import log

from .models import CalendarFeedToken

PREFIX = "rgc_"
PREFIX_LENGTH = len(PREFIX) + 8
# What the feed spans: eight weeks back, half a year ahead (assumption, as the logged-in download)
WEEKS_BACK, DAYS_AHEAD = 8, 183
LAST_USED_EVERY = dt.timedelta(minutes=5)  # a calendar polls often; the row is written at most every 5 minutes


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def active(user) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at").first()


@transaction.atomic
def issue(user, *, origin: str) -> tuple[CalendarFeedToken, str]:
    """A new link for ``user`` (the old one revoked); returns the row and the secret, which is not stored."""
    now = timezone.now()
    CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = CalendarFeedToken.objects.create(
        user=user,
        prefix=secret[:PREFIX_LENGTH],
        digest=digest(secret),
        role_at_issue=user.role or "",
        municipality_at_issue_id=user.municipality_id,
    )
    log(
        actor=user,
        action="create",
        object_type="calendar_feed",
        object_id=token.prefix,
        origin=origin,
        municipality_id=user.municipality_id,
    )
    return token, secret


def revoke(user, *, origin: str) -> int:
    n = CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if n:
        log(
            actor=user,
            action="delete",
            object_type="calendar_feed",
            object_id=user.username,
            origin=origin,
            municipality_id=user.municipality_id,
        )
    return n


def token_for(secret: str, *, origin: str) -> CalendarFeedToken | None:
    """The link ``secret`` names (its ``user`` is whose agenda it opens), or None (audited as denied). A link
    stops with its user's role or municipality, and for a role that no longer sees client files."""
    token = None
    if secret.startswith(PREFIX) and len(secret) < 100:
        token = (
            CalendarFeedToken.objects.filter(digest=digest(secret), revoked_at__isnull=True)
            .select_related("user")
            .first()
        )
    user = token.user if token else None
    if (
        token is None
        or not user.is_active
        or user.role != token.role_at_issue
        or user.municipality_id != token.municipality_at_issue_id
        or not can(user, "view_clients")
    ):
        if token is not None:  # stopped for good: a role changed back does not revive a link refused once
            CalendarFeedToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        log(
            actor=user.username if user else "anonymous",
            action="export",
            object_type="calendar",
            object_id=secret[:PREFIX_LENGTH],
            result="denied",
            origin=origin,
            municipality_id=user.municipality_id if user else None,
            detail="calendar feed link unknown, revoked or no longer valid",
        )
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
