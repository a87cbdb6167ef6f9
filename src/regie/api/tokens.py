"""Issuing, checking and revoking API tokens; the scopes a token may carry.

A token is ``rgt_`` + 32 random bytes (URL-safe base64). Regie stores its sha256 digest and its first
characters (the prefix, to recognise it in lists and the audit log); the secret itself is shown once, when issued.

A token works while it is not revoked, not expired, its user is active and still has the role (and municipality)
it had when the token was issued. It never grants more than the user's role: the API checks the role's capability
first and then the token's scope for the resource and method (GET/HEAD/OPTIONS = read, others = write).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.audit.services import log

from .models import ApiApplication, ApiToken

PREFIX = "rgt_"
PREFIX_LENGTH = len(PREFIX) + 8  # shown in lists: enough to tell a user's tokens apart, far too little to guess
RESOURCES = (
    "clients",
    "cases",
    "events",
    "pending-decisions",
    # workday: a case's documents, work tasks, appointments and journal notes (views_workday)
    "documents",
    "tasks",
    "appointments",
    "notes",
    # employers: vacancies in, candidates out with consent (views_employers)
    "vacancies",
)
LEVELS = ("read", "write")
ALL_SCOPES = tuple(f"{r}:{lvl}" for r in RESOURCES for lvl in LEVELS)
LAST_USED_EVERY = dt.timedelta(minutes=1)  # last use is written at most once a minute per token
AUDIT_TYPE = "api_token"


class TokenError(ValueError):
    """A request for a token that cannot be honoured; ``field`` names the part, ``message`` is Dutch."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def default_days() -> int:
    return int(getattr(settings, "REGIE_API_TOKEN_DAYS", 90))


def max_days() -> int:
    return int(getattr(settings, "REGIE_API_TOKEN_MAX_DAYS", 365))


def normalise_scopes(values: Iterable[str] | str | None) -> list[str]:
    """``read`` / ``write`` (every resource) or ``<resource>:<read|write>``; write includes read of the same
    resource. Raises :class:`TokenError` naming an unknown scope."""
    if values is None or values == "" or values == []:
        values = ["read"]
    if isinstance(values, str):
        values = [v for v in values.replace(",", " ").split() if v]
    if not isinstance(values, (list, tuple, set, frozenset)):
        raise TokenError("scopes", _("Geef de scopes als lijst."))
    out: set[str] = set()
    for raw in values:
        value = str(raw).strip().lower()
        if value in LEVELS:
            pairs = [(r, value) for r in RESOURCES]
        elif value.count(":") == 1 and value.split(":")[0] in RESOURCES and value.split(":")[1] in LEVELS:
            pairs = [tuple(value.split(":"))]
        else:
            raise TokenError(
                "scopes",
                _("Onbekende scope %(scope)s; kies read, write of <%(resources)s>:<read|write>.")
                % {"scope": repr(str(raw)[:40]), "resources": "|".join(RESOURCES)},
            )
        for resource, level in pairs:
            out.add(f"{resource}:{level}")
            if level == "write":
                out.add(f"{resource}:read")
    return sorted(out)


def _expiry(days) -> dt.datetime:
    if days in (None, ""):
        days = default_days()
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise TokenError("expires_in_days", _("Geef het aantal dagen als geheel getal.")) from None
    if not 1 <= days <= max_days():
        raise TokenError("expires_in_days", _("Een API-sleutel is 1 tot %(max)s dagen geldig.") % {"max": max_days()})
    return timezone.now() + dt.timedelta(days=days)


def _actor_name(actor) -> str:
    return getattr(actor, "username", None) or str(actor)


def issue(
    user, *, name: str, scopes=None, days=None, actor, origin: str, application: ApiApplication | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` (or ``application``, whose service account is then the user); returns the
    token and its secret, which is not stored and cannot be shown again. Audited."""
    if application is not None:
        user = application.user
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise TokenError("name", _("Geef de sleutel een naam van hoogstens 100 tekens."))
    wanted = normalise_scopes(scopes)
    if application is not None:
        beyond = sorted(set(wanted) - set(application.scopes))
        if beyond:
            raise TokenError(
                "scopes",
                _("De koppeling %(name)s mag deze scopes niet: %(scopes)s.")
                % {"name": application.name, "scopes": ", ".join(beyond)},
            )
    expires_at = _expiry(days)
    if not user.is_active:
        raise TokenError("user", _("Deze gebruiker is niet actief."))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        application=application,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        digest=digest(secret),
        scopes=wanted,
        role_at_issue=user.role or "",
        municipality_at_issue_id=user.municipality_id,
        created_by=_actor_name(actor)[:150],
        expires_at=expires_at,
    )
    log(
        actor=actor,
        action="create",
        object_type=AUDIT_TYPE,
        object_id=token.prefix,
        origin=origin,
        municipality_id=user.municipality_id,
        detail=f"for {token.holder}; scopes={','.join(wanted)}; expires={expires_at.date().isoformat()}",
    )
    return token, secret


def revoke(token: ApiToken, *, actor, origin: str) -> bool:
    """Revoke ``token`` (False when it already was). Audited."""
    with transaction.atomic():
        done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=_actor_name(actor)[:150]
        )
    if done:
        token.refresh_from_db()
        log(
            actor=actor,
            action="update",
            object_type=AUDIT_TYPE,
            object_id=token.prefix,
            origin=origin,
            municipality_id=token.user.municipality_id,
            detail=f"revoked; holder {token.holder}",
        )
    return bool(done)


def refusal(token: ApiToken) -> str | None:
    """Why ``token`` does not work (Dutch, for the client and the audit log), or None when it does."""
    user = token.user
    now = timezone.now()
    if token.revoked_at is not None:
        return "Deze API-sleutel is ingetrokken."
    if token.expires_at <= now:
        return f"Deze API-sleutel is verlopen op {timezone.localtime(token.expires_at):%d-%m-%Y %H:%M}."
    if not user.is_active:
        return "De gebruiker van deze API-sleutel is niet meer actief."
    if (user.role or "") != token.role_at_issue or user.municipality_id != token.municipality_at_issue_id:
        return "De rol van de gebruiker is gewijzigd sinds deze API-sleutel is uitgegeven; maak een nieuwe aan."
    return None


def touch(token: ApiToken) -> None:
    """Record use, at most once a minute (one UPDATE, no write on most requests)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def allows(token: ApiToken, resource: str | None, method: str) -> bool:
    """Whether the token's scopes cover ``resource`` for ``method``; a view naming no resource is refused."""
    if not resource:
        return False
    level = "read" if method in ("GET", "HEAD", "OPTIONS") else "write"
    return f"{resource}:{level}" in (token.scopes or [])


def tokens_of_municipality(municipality_id: int):
    """Every token of a municipality's users and applications (the functioneel beheerder's list)."""
    return (
        ApiToken.objects.filter(user__municipality_id=municipality_id)
        .select_related("user", "application")
        .order_by("-created_at", "-id")
    )


def create_application(
    *, name: str, municipality, role: str, scopes, contact: str, actor, origin: str
) -> ApiApplication:
    """An application with its service account (``app:<name>``, no password, cannot log in). Audited."""
    from django.utils.text import slugify

    from regie.core.records import ROLES

    slug = slugify(name or "")[:60]
    if not slug:
        raise TokenError("name", _("Geef de koppeling een naam (letters, cijfers en streepjes)."))
    if role not in ROLES:
        raise TokenError("role", _("Onbekende rol %(role)s.") % {"role": repr(role)})
    if not (contact or "").strip():
        raise TokenError("contact", _("Geef een contactpersoon voor deze koppeling."))
    wanted = normalise_scopes(scopes)
    User = get_user_model()
    username = f"app:{slug}"
    if ApiApplication.objects.filter(name=slug).exists() or User.objects.filter(username=username).exists():
        raise TokenError("name", _("Er bestaat al een koppeling %(slug)s.") % {"slug": slug})
    with transaction.atomic():
        service = User(username=username, municipality=municipality, role=role, first_name="Koppeling", last_name=slug)
        service.set_unusable_password()
        service.save()
        app = ApiApplication.objects.create(
            name=slug,
            municipality=municipality,
            role=role,
            scopes=wanted,
            contact=contact.strip()[:200],
            user=service,
            created_by=_actor_name(actor)[:150],
        )
    log(
        actor=actor,
        action="create",
        object_type="api_application",
        object_id=slug,
        origin=origin,
        municipality_id=municipality.pk,
        detail=f"role={role}; scopes={','.join(wanted)}",
    )
    return app


def deactivate_application(app: ApiApplication, *, actor, origin: str) -> int:
    """Stop an application: its service account is deactivated and every token of it revoked. Audited."""
    count = 0
    for token in app.tokens.filter(revoked_at__isnull=True):
        count += revoke(token, actor=actor, origin=origin)
    get_user_model().objects.filter(pk=app.user_id).update(is_active=False)
    log(
        actor=actor,
        action="update",
        object_type="api_application",
        object_id=app.name,
        origin=origin,
        municipality_id=app.municipality_id,
        detail=f"deactivated; {count} tokens revoked",
    )
    return count
