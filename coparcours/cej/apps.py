from django.apps import AppConfig


class CejConfig(AppConfig):
    name = "coparcours.cej"
    label = "cej"
    verbose_name = "Parcours CEJ-JR"

    def ready(self) -> None:
        from coparcours.cej.stages import SOURCE
        from coparcours.youths import stages

        stages.register(SOURCE)
