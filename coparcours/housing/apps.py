from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "coparcours.housing"
    label = "housing"
    verbose_name = "Hébergement (GME)"
