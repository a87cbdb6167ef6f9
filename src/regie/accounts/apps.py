from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "regie.accounts"
    label = "accounts"
    verbose_name = "Gemeenten, teams en gebruikers"

    def ready(self) -> None:
        # labels: a username in an event's payload (caseworker) is shown as the person's name
        from regie.platform import labels

        from . import mfa  # noqa: F401  (connects the log-in signal that starts the second step)

        labels.VALUE_RESOLVERS["caseworker"] = person_name
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_language, dispatch_uid="regie.accounts.language")


def _remember_language(sender, request, user, **kwargs) -> None:
    """At log-in: the language chosen on this browser (the language switch's cookie) becomes the user's."""
    from django.conf import settings

    from .middleware import remember_language

    chosen = getattr(request, "COOKIES", {}).get(settings.LANGUAGE_COOKIE_NAME) if request is not None else None
    if chosen:
        remember_language(user, chosen)


def person_name(username: str) -> str | None:
    """The full name of the user ``username`` (None when there is no such user or it has no name)."""
    from .models import User

    user = User.objects.filter(username=username).only("first_name", "last_name").first()
    return (user.get_full_name() or None) if user else None
