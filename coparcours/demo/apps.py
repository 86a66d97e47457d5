from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "coparcours.demo"
    label = "demo"
    verbose_name = "Démonstration"
