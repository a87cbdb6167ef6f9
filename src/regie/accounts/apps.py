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


def person_name(username: str) -> str | None:
    """The full name of the user ``username`` (None when there is no such user or it has no name)."""
    from .models import User

    user = User.objects.filter(username=username).only("first_name", "last_name").first()
    return (user.get_full_name() or None) if user else None
