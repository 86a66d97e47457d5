from django.apps import AppConfig


class SpaceConfig(AppConfig):
    name = "coparcours.space"
    label = "space"
    verbose_name = "Espace du jeune"
