from django.urls import path

from coparcours.youths import break_glass, privacy_views, views

app_name = "youths"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("nouveau/", views.youth_create, name="create"),
    path("<int:pk>/", views.youth_detail, name="detail"),
    path("<int:pk>/modifier/<str:category>/", views.youth_edit, name="edit"),
    path("<int:pk>/notes/ajouter/", views.note_add, name="note_add"),
    path("<int:pk>/documents/ajouter/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_id>/", views.document_download, name="document"),
    path("<int:pk>/co-accompagnement/ajouter/", views.assignment_add, name="assignment_add"),
    path(
        "<int:pk>/co-accompagnement/<int:assignment_id>/terminer/",
        views.assignment_end,
        name="assignment_end",
    ),
    path("<int:pk>/consentements/ajouter/", views.consent_add, name="consent_add"),
    path("<int:pk>/consentements/formulaire.pdf", views.consent_form_pdf, name="consent_form"),
    path(
        "<int:pk>/consentements/<int:consent_id>/retirer/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<int:pk>/journal/", views.access_log, name="access_log"),
    path("<int:pk>/protection-des-donnees/", privacy_views.privacy_page, name="privacy"),
    path("<int:pk>/export.json", privacy_views.export_json, name="export_json"),
    path("<int:pk>/export.pdf", privacy_views.export_pdf, name="export_pdf"),
    path(
        "<int:pk>/effacement/demander/",
        privacy_views.erasure_request_add,
        name="erasure_request",
    ),
    path(
        "<int:pk>/effacement/<int:request_id>/decider/",
        privacy_views.erasure_decide,
        name="erasure_decide",
    ),
    path("effacements/", privacy_views.erasure_list, name="erasure_list"),
    path("journal-organisation/", privacy_views.audit_search, name="audit_search"),
    path("acces-exceptionnel/", break_glass.break_glass, name="break_glass"),
]
