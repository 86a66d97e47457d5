from django.apps import AppConfig


class YouthsConfig(AppConfig):
    name = "coparcours.youths"
    label = "youths"
    verbose_name = "Jeunes"

    def ready(self) -> None:
        from coparcours.organisations import home
        from coparcours.youths.home import PANEL

        home.register(PANEL)
