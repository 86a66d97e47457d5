from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "coparcours.reporting"
    label = "reporting"
    verbose_name = "Pilotage et évaluation"

    def ready(self) -> None:
        from coparcours.organisations import home
        from coparcours.reporting.views import PANEL

        home.register(PANEL)
