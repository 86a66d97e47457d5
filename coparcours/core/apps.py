from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "coparcours.core"
    label = "core"
    verbose_name = "Socle"
