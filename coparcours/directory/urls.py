from django.urls import path

from coparcours.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("dispositifs/", views.scheme_list, name="schemes"),
    path("import/", views.import_file, name="import"),
    path("export.json", views.export, name="export"),
    path("orientation/", views.orientation_choose, name="orientation_choose"),
    path("jeunes/<int:youth_id>/orientation/", views.orientation, name="orientation"),
    path(
        "jeunes/<int:youth_id>/orienter/<int:service_id>/",
        views.referral_create,
        name="referral_create",
    ),
    path("orientations/<int:pk>/", views.referral_detail, name="referral"),
    path("orientations/recues/", views.received, name="received"),
    path("orientations/<int:pk>/repondre/", views.answer_in_app, name="answer_in_app"),
    path("reponse/<str:token>/", views.answer, name="answer"),
]
