from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "regie.accounts"
    label = "accounts"
    verbose_name = "Gemeenten, teams en gebruikers"

    def ready(self) -> None:
        from . import mfa  # noqa: F401  (connects the log-in signal that starts the second step)
