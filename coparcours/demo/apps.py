"""The demo app: the shared generator of the Nord demonstration data."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "coparcours.demo"
    label = "demo"
    verbose_name = "Démonstration"
