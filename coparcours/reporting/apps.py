"""The reporting app: steering dashboards, copil reports, funders' publications, evaluation
campaigns and the youths' voice."""

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "coparcours.reporting"
    label = "reporting"
    verbose_name = "Pilotage et évaluation"

    def ready(self) -> None:
        from coparcours.housing import funders
        from coparcours.organisations import home, todo
        from coparcours.reporting.funder_occupancy import published_occupancy
        from coparcours.reporting.home import REPORTS_BLOCK
        from coparcours.reporting.views.dashboards import PANEL

        home.register(PANEL)
        todo.register(REPORTS_BLOCK)
        funders.register(published_occupancy)
