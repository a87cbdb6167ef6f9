"""Log-ins and failed log-ins are audited too."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import log, log_login_failed, origin_of


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log(
        actor=user,
        action="login",
        object_type="session",
        origin=origin_of(request),
        municipality_id=user.municipality_id,
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        log(
            actor=user,
            action="logout",
            object_type="session",
            origin=origin_of(request),
            municipality_id=user.municipality_id,
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The username tried is recorded (it is not personal data of a client); the password never is.
    log_login_failed(request, str(credentials.get("username", "")))
