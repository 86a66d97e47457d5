from django.urls import path

from coparcours.directory import partner_views, views

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
    path("guides/", partner_views.guide_list, name="guides"),
    path("guides/nouveau/", partner_views.guide_create, name="guide_create"),
    path("guides/<int:pk>/", partner_views.guide_detail, name="guide"),
    path("guides/<int:pk>/publier/", partner_views.guide_publish, name="guide_publish"),
    path("guides/<int:pk>/v<int:number>/", partner_views.guide_version, name="guide_version"),
    path("guides/<int:pk>/v<int:number>/fichier/", partner_views.guide_file, name="guide_file"),
    path("reunions/", partner_views.meeting_list, name="meetings"),
    path("reunions/nouvelle/", partner_views.meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", partner_views.meeting_detail, name="meeting"),
    path("reunions/<int:pk>/modifier/", partner_views.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/invitation.ics", partner_views.meeting_ics, name="meeting_ics"),
    path("reunions/<int:pk>/inviter/", partner_views.meeting_invite, name="meeting_invite"),
    path("decisions/", partner_views.decision_log, name="decisions"),
    path("decisions/<int:pk>/faite/", partner_views.decision_done, name="decision_done"),
]
