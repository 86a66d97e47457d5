from django.apps import AppConfig


class YouthsConfig(AppConfig):
    name = "coparcours.youths"
    label = "youths"
    verbose_name = "Jeunes"
