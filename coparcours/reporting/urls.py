"""The reporting app's routes: dashboards, exports, copil reports, evaluation campaigns and
the youths' voice questionnaire."""

from django.urls import path, register_converter

from coparcours.reporting.views import copil, dashboards, evaluation, voice


class FormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "reporting"
urlpatterns = [
    path("", dashboards.index, name="index"),
    path("ma-parole/", voice.questionnaire, name="voice"),
    path("evaluations/", evaluation.campaign_list, name="campaigns"),
    path("evaluations/<int:pk>/", evaluation.campaign_detail, name="campaign"),
    path("<str:key>/", dashboards.dashboard, name="dashboard"),
    path("<str:key>/tableau-<int:index>.<fmt:fmt>", dashboards.export, name="export"),
    path(
        "<str:key>/besoins-partenaires.<fmt:fmt>",
        dashboards.needs_for_partners,
        name="needs_partners",
    ),
    path("<str:key>/copil/", copil.copil, name="copil"),
    path("<str:key>/copil/historique/", copil.copil_history, name="copil_history"),
    path("<str:key>/copil/<int:pk>.pdf", copil.copil_download, name="copil_download"),
]
