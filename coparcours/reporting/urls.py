from django.urls import path, register_converter

from coparcours.reporting import evaluation_views, views, voice


class FormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("ma-parole/", voice.questionnaire, name="voice"),
    path("evaluations/", evaluation_views.campaign_list, name="campaigns"),
    path("evaluations/<int:pk>/", evaluation_views.campaign_detail, name="campaign"),
    path("<str:key>/", views.dashboard, name="dashboard"),
    path("<str:key>/tableau-<int:index>.<fmt:fmt>", views.export, name="export"),
    path("<str:key>/copil/", views.copil, name="copil"),
    path("<str:key>/copil/historique/", views.copil_history, name="copil_history"),
    path("<str:key>/copil/<int:pk>.pdf", views.copil_download, name="copil_download"),
]
