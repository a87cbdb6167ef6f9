"""Multi-factor log-in: a TOTP authenticator app plus ten single-use recovery codes (django-otp).

Which roles must use a second step is set per municipality by the functioneel beheerder (:class:`MfaPolicy`,
``regie mfa set`` or the page ``mfa_policy``). A user who has set up an authenticator app is always asked for it.

The flow: the password (or an SSO log-in) logs the user in and :func:`_on_login` clears the session's MFA state; the
first request after that decides (:func:`state`): ``pending`` when a second step is needed, else ``none``. A pending
session reaches only the MFA pages (:mod:`regie.accounts.middleware`) until :func:`verify` or :func:`confirm_enrolment`
succeeds, which marks it ``verified``. An SSO log-in whose id token asserts multi-factor authentication is marked
``idp`` (:mod:`regie.accounts.oidc`). Every event is audited (object type ``mfa``); a wrong code is a failed log-in
for the log-in throttle (:mod:`regie.accounts.throttle`), and :func:`check` adds a limit of the second step's own.
"""

from __future__ import annotations

import base64

import django_otp
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.audit.models import AuditRecord
from regie.audit.services import log, origin_of

from .models import MfaPolicy
from .tenancy import municipality_ids

SESSION_KEY = "regie_mfa"
PENDING, VERIFIED, NONE, IDP = "pending", "verified", "none", "idp"
RECOVERY_CODES = 10  # assumption: ten single-use codes, as most services issue
DEVICE_NAME = "Regie"


# --- policy -------------------------------------------------------------------------------------------------------


def policy_roles(municipality) -> list[str]:
    policy = MfaPolicy.objects.filter(municipality=municipality).first()
    return sorted(policy.roles) if policy else []


def set_policy_roles(municipality, roles, *, actor, origin: str) -> list[str]:
    """Store which roles of ``municipality`` must use MFA (audited); returns the stored list."""
    roles = sorted(set(roles))
    MfaPolicy.objects.update_or_create(municipality=municipality, defaults={"roles": roles})
    log(
        actor=actor,
        action="update",
        object_type="mfa_policy",
        object_id=municipality.code,
        origin=origin,
        municipality_id=municipality.pk,
        detail="roles=" + (",".join(roles) or "-"),
    )
    return roles


def requires_mfa(user) -> bool:
    """Whether ``user`` must pass a second step: their role is required in a municipality they see, or they have
    an authenticator app set up."""
    if not user.is_authenticated:
        return False
    if has_authenticator(user):
        return True
    if not user.role:
        return False
    ids = municipality_ids(user)
    return any(
        user.role in roles
        for roles in MfaPolicy.objects.filter(municipality_id__in=ids).values_list("roles", flat=True)
    )


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- session state ------------------------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="regie_mfa_on_login")
def _on_login(sender, request, user, **kwargs):
    """Every log-in starts without a second step; an SSO log-in may bring one (``user.regie_idp_mfa``)."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(SESSION_KEY, None)
    if getattr(user, "regie_idp_mfa", False):
        request.session[SESSION_KEY] = IDP


def state(request) -> str:
    """The session's MFA state, decided on the first request after log-in."""
    current = request.session.get(SESSION_KEY)
    if current is None:
        current = PENDING if requires_mfa(request.user) else NONE
        request.session[SESSION_KEY] = current
    return current


def is_pending(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and state(request) == PENDING)


def _mark_verified(request, device) -> None:
    django_otp.login(request, device)
    request.session[SESSION_KEY] = VERIFIED


# --- throttle -----------------------------------------------------------------------------------------------------

MFA_FAILURE = "mfa"  # detail prefix of a failed second step in the audit log
MAX_MFA_FAILURES = 5  # assumption: as the log-in throttle's per-(username, address) limit


def check(request) -> None:
    """Raise :class:`regie.accounts.throttle.LoginThrottled` when this user may not try a code now.

    The log-in throttle's rules apply, plus one of the second step's own: ``MAX_MFA_FAILURES`` wrong codes in the
    throttle's window since the last successful second step refuse further codes from any address until the oldest
    leaves the window. The password step itself counts as a log-in for the log-in throttle, so without this rule
    logging in again with the password would give a new round of guesses. Whoever is refused here knows the
    password already, so refusing the account is no lock-out of innocent users.
    """
    from .throttle import WINDOW, LoginThrottled
    from .throttle import check as throttle_check

    user = request.user
    throttle_check(request, user.username)
    now = timezone.now()
    last_ok = (
        AuditRecord.objects.filter(actor=user.username, object_type="mfa", action__in=["login", "create"])
        .order_by("-timestamp")
        .values_list("timestamp", flat=True)
        .first()
    )
    since = max(now - WINDOW, last_ok) if last_ok else now - WINDOW
    recent = list(
        AuditRecord.objects.filter(
            action="login_failed", actor=user.username, timestamp__gte=since, detail__startswith=MFA_FAILURE
        )
        .order_by("-timestamp")
        .values_list("timestamp", flat=True)[:MAX_MFA_FAILURES]
    )
    if len(recent) >= MAX_MFA_FAILURES:
        log(
            actor=user,
            action="denied",
            object_type="mfa",
            object_id="mfa",
            result="denied",
            origin=origin_of(request),
            municipality_id=user.municipality_id,
            detail="login throttled",
        )
        raise LoginThrottled(retry_after=max(1, int((recent[-1] + WINDOW - now).total_seconds()) + 1), rule="mfa")


def _failed(request, detail: str) -> None:
    """A wrong code: a failed log-in for the log-in throttle (per account and address) and for :func:`check`."""
    from .throttle import record_failure

    record_failure(request, request.user.username, credential=f"{MFA_FAILURE}: {detail}")


def _audit(request, user, action: str, detail: str, object_id="") -> None:
    log(
        actor=request.user if request.user.is_authenticated else user,
        action=action,
        object_type="mfa",
        object_id=object_id or user.pk,
        origin=origin_of(request),
        municipality_id=user.municipality_id,
        detail=detail,
    )


# --- enrolment ----------------------------------------------------------------------------------------------------


def enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator (made on first use); its key is shown once as QR code and text."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app that cannot scan."""
    b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an SVG QR code (markup, no script, no inline style)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=4)
    return image.to_string(encoding="unicode")


def confirm_enrolment(request, code: str) -> list[str] | None:
    """Confirm the authenticator with a code from the app; returns the new recovery codes (shown once) or None."""
    user = request.user
    with transaction.atomic():
        device = enrolment_device(user)
        if not device.verify_token(_digits(code)):
            _failed(request, "enrolment code wrong")
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
    _mark_verified(request, device)
    _audit(request, user, "create", "enrolled (authenticator app, recovery codes issued)")
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Herstelcodes", confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in codes])
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# --- verification -------------------------------------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def verify(request, code: str) -> str | None:
    """Check a code from the app (six digits) or a recovery code; returns "totp", "recovery" or None.

    A recovery code works once (it is deleted when used). The caller calls :func:`check` first.
    """
    user = request.user
    code = _digits(code).replace("-", "").lower()
    if code.isdigit():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                _mark_verified(request, device)
                _audit(request, user, "login", "verified (authenticator app)")
                return "totp"
    elif code:
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                _mark_verified(request, device)
                _audit(request, user, "login", f"recovery code used ({recovery_codes_left(user)} left)")
                return "recovery"
    _failed(request, "code wrong")
    return None


# --- reset --------------------------------------------------------------------------------------------------------


def reset(user, *, actor, origin: str) -> int:
    """Remove the user's authenticator and recovery codes (audited); at the next log-in they enrol again if their
    role requires it. Returns the number of devices removed."""
    with transaction.atomic():
        n = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
        n += StaticDevice.objects.filter(user=user).delete()[1].get("otp_static.StaticDevice", 0)
    log(
        actor=actor,
        action="update",
        object_type="mfa",
        object_id=user.pk,
        origin=origin,
        municipality_id=user.municipality_id,
        detail=f"reset by functioneel beheerder ({n} devices removed)",
    )
    return n
