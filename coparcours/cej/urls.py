from django.urls import path

from coparcours.cej import views

app_name = "cej"

urlpatterns = [
    path("", views.pathway_list, name="list"),
    path("reperage/", views.outreach, name="outreach"),
    path("parcours/<int:pk>/", views.pathway_detail, name="detail"),
    path("parcours/<int:pk>/contacts/ajouter/", views.contact_add, name="contact_add"),
    path("parcours/<int:pk>/contacts/importer/", views.contact_import, name="contact_import"),
    path("parcours/<int:pk>/eligibilite/", views.eligibility_check, name="eligibility_check"),
    path("parcours/<int:pk>/appreciation/", views.assessment, name="assessment"),
    path("parcours/<int:pk>/attestation.pdf", views.certificate, name="certificate"),
    path("parcours/<int:pk>/dossier/preparer/", views.dossier_prepare, name="dossier_prepare"),
    path(
        "parcours/<int:pk>/dossier/<int:item_id>/recueillir/",
        views.dossier_collect,
        name="dossier_collect",
    ),
    path("parcours/<int:pk>/dossier/transmettre/", views.dossier_transmit, name="dossier_transmit"),
    path("parcours/<int:pk>/dossier/dossier.pdf", views.dossier_pack, name="dossier_pack"),
    path("parcours/<int:pk>/contrat/", views.contract_sign, name="contract_sign"),
    path("parcours/<int:pk>/sortie/", views.exit_record, name="exit"),
    path("parcours/<int:pk>/manquements/ajouter/", views.missed_action_add, name="missed_add"),
    path(
        "parcours/<int:pk>/manquements/<int:missed_id>/decision/",
        views.missed_action_decide,
        name="missed_decide",
    ),
    path("parcours/<int:pk>/pacea/ajouter/", views.pacea_add, name="pacea_add"),
    path(
        "parcours/<int:pk>/pacea/<int:request_id>/decision/",
        views.pacea_decide,
        name="pacea_decide",
    ),
    path("comites/", views.meeting_list, name="meetings"),
    path("comites/nouveau/", views.meeting_create, name="meeting_create"),
    path("comites/<int:pk>/", views.meeting_detail, name="meeting"),
    path("comites/<int:pk>/proces-verbal.pdf", views.meeting_minutes, name="meeting_minutes"),
]
