from django.urls import path

from coparcours.youths.views import accompaniment, break_glass, privacy, records

app_name = "youths"

urlpatterns = [
    path("", records.caseload, name="caseload"),
    path("nouveau/", records.youth_create, name="create"),
    path("<int:pk>/", records.youth_detail, name="detail"),
    path("<int:pk>/modifier/<str:category>/", records.youth_edit, name="edit"),
    path("<int:pk>/notes/ajouter/", records.note_add, name="note_add"),
    path("<int:pk>/documents/ajouter/", records.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_id>/", records.document_download, name="document"),
    path(
        "<int:pk>/co-accompagnement/ajouter/", accompaniment.assignment_add, name="assignment_add"
    ),
    path(
        "<int:pk>/co-accompagnement/<int:assignment_id>/terminer/",
        accompaniment.assignment_end,
        name="assignment_end",
    ),
    path("<int:pk>/consentements/ajouter/", accompaniment.consent_add, name="consent_add"),
    path(
        "<int:pk>/consentements/formulaire.pdf", accompaniment.consent_form_pdf, name="consent_form"
    ),
    path(
        "<int:pk>/consentements/<int:consent_id>/retirer/",
        accompaniment.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<int:pk>/journal/", records.access_log, name="access_log"),
    path("<int:pk>/protection-des-donnees/", privacy.privacy_page, name="privacy"),
    path("<int:pk>/export.json", privacy.export_json, name="export_json"),
    path("<int:pk>/export.pdf", privacy.export_pdf, name="export_pdf"),
    path(
        "<int:pk>/effacement/demander/",
        privacy.erasure_request_add,
        name="erasure_request",
    ),
    path(
        "<int:pk>/effacement/<int:request_id>/decider/",
        privacy.erasure_decide,
        name="erasure_decide",
    ),
    path(
        "<int:pk>/copie/<int:request_id>/repondre/",
        privacy.copy_answer,
        name="copy_answer",
    ),
    path("effacements/", privacy.erasure_list, name="erasure_list"),
    path("journal-organisation/", privacy.audit_search, name="audit_search"),
    path("acces-exceptionnel/", break_glass.break_glass, name="break_glass"),
]
