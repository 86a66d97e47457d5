from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coparcours.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from coparcours.accounts import signals  # noqa: F401 - connects audit receivers

        # signals.remember_sign_in keeps the previous sign-in as it records this one.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
