from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coparcours.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from coparcours.accounts import signals  # noqa: F401 - connects audit receivers
