from django.urls import path

from coparcours.youths import views

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
]
