from django.apps import AppConfig


class CejConfig(AppConfig):
    name = "coparcours.cej"
    label = "cej"
    verbose_name = "Parcours CEJ-JR"
