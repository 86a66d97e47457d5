from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "coparcours.housing"
    label = "housing"
    verbose_name = "Hébergement (GME)"

    def ready(self) -> None:
        from coparcours.housing.stages import SOURCE
        from coparcours.youths import stages

        stages.register(SOURCE)
