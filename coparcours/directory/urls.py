from django.urls import path

from coparcours.directory.views import library, partners, referrals, services

app_name = "directory"

urlpatterns = [
    path("", services.search, name="search"),
    path("services/<int:pk>/", services.service_detail, name="service"),
    path("dispositifs/", services.scheme_list, name="schemes"),
    path("import/", services.import_file, name="import"),
    path("export.json", services.export, name="export"),
    path("orientation/", referrals.orientation_choose, name="orientation_choose"),
    path("jeunes/<int:youth_id>/orientation/", referrals.orientation, name="orientation"),
    path(
        "jeunes/<int:youth_id>/orienter/<int:service_id>/",
        referrals.referral_create,
        name="referral_create",
    ),
    path("orientations/<int:pk>/", referrals.referral_detail, name="referral"),
    path("orientations/recues/", referrals.received, name="received"),
    path("orientations/<int:pk>/repondre/", referrals.answer_in_app, name="answer_in_app"),
    path("reponse/<str:token>/", referrals.answer, name="answer"),
    path("guides/", partners.guide_list, name="guides"),
    path("guides/nouveau/", partners.guide_create, name="guide_create"),
    path("guides/<int:pk>/", partners.guide_detail, name="guide"),
    path("guides/<int:pk>/publier/", partners.guide_publish, name="guide_publish"),
    path("guides/<int:pk>/diffusion/", library.guide_reach, name="guide_reach"),
    path("guides/<int:pk>/placement/", library.guide_place, name="guide_place"),
    path("bibliotheque/editeurs/", library.publishers, name="library_publishers"),
    path(
        "bibliotheque/editeurs/<int:pk>/fin/", library.publisher_end, name="library_publisher_end"
    ),
    path("guides/<int:pk>/v<int:number>/", partners.guide_version, name="guide_version"),
    path("guides/<int:pk>/v<int:number>/fichier/", partners.guide_file, name="guide_file"),
    path("reunions/", partners.meeting_list, name="meetings"),
    path("reunions/nouvelle/", partners.meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", partners.meeting_detail, name="meeting"),
    path("reunions/<int:pk>/modifier/", partners.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/invitation.ics", partners.meeting_ics, name="meeting_ics"),
    path("reunions/<int:pk>/inviter/", partners.meeting_invite, name="meeting_invite"),
    path("decisions/", partners.decision_log, name="decisions"),
    path("decisions/<int:pk>/faite/", partners.decision_done, name="decision_done"),
]
