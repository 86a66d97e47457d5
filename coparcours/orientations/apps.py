from django.apps import AppConfig


class OrientationsConfig(AppConfig):
    name = "coparcours.orientations"
    label = "orientations"
    verbose_name = "Orientations par les partenaires"

    def ready(self) -> None:
        from coparcours.organisations import todo
        from coparcours.orientations.home import RECEIVED_BLOCK

        todo.register(RECEIVED_BLOCK)
