from django.apps import AppConfig


class YouthsConfig(AppConfig):
    name = "coparcours.youths"
    label = "youths"
    verbose_name = "Jeunes"

    def ready(self) -> None:
        from coparcours.organisations import home, todo
        from coparcours.youths.home import (
            BREAK_GLASS_BLOCK,
            CONSENTS_BLOCK,
            COPY_BLOCK,
            ERASURE_BLOCK,
            PANEL,
            PARTNER_NEWS_BLOCK,
            WITHDRAWALS_BLOCK,
        )

        home.register(PANEL)
        for block in (
            CONSENTS_BLOCK,
            WITHDRAWALS_BLOCK,
            PARTNER_NEWS_BLOCK,
            COPY_BLOCK,
            ERASURE_BLOCK,
            BREAK_GLASS_BLOCK,
        ):
            todo.register(block)
