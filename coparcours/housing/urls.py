from django.urls import path

from coparcours.housing import views

app_name = "housing"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("demandes/", views.request_list, name="requests"),
    path("demandes/nouvelle/", views.request_create, name="request_create"),
    path("demandes/<int:pk>/", views.request_detail, name="request"),
    path("demandes/<int:pk>/proposer/", views.request_propose, name="request_propose"),
    path("demandes/<int:pk>/attente/", views.request_wait, name="request_wait"),
    path("demandes/<int:pk>/annuler/", views.request_cancel, name="request_cancel"),
    path("disponibilites/", views.availability, name="availability"),
    path("propositions/", views.proposals, name="proposals"),
    path("propositions/<int:pk>/accepter/", views.proposal_accept, name="proposal_accept"),
    path("propositions/<int:pk>/refuser/", views.proposal_decline, name="proposal_decline"),
    path("propositions/<int:pk>/admission/", views.proposal_admit, name="proposal_admit"),
    path("sejours/", views.stay_list, name="stays"),
    path("sejours/<int:pk>/", views.stay_detail, name="stay"),
    path("sejours/<int:pk>/reorienter/", views.stay_transfer, name="stay_transfer"),
    path("sejours/<int:pk>/sortie/", views.stay_exit, name="stay_exit"),
    path("sejours/<int:pk>/majorite/", views.stay_after_18, name="stay_after_18"),
    path(
        "sejours/<int:pk>/co-accompagnement/",
        views.stay_co_accompany,
        name="stay_co_accompany",
    ),
    path("occupation/", views.occupancy, name="occupancy"),
    path("sites/", views.sites, name="sites"),
    path("sites/nouveau/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("sites/<int:pk>/modifier/", views.site_edit, name="site_edit"),
    path("sites/<int:pk>/capacite/", views.capacity_create, name="capacity_create"),
    path("capacites/<int:pk>/modifier/", views.capacity_edit, name="capacity_edit"),
    path("vagues/", views.waves, name="waves"),
    path("vagues/nouvelle/", views.wave_create, name="wave_create"),
    path("vagues/<int:pk>/modifier/", views.wave_edit, name="wave_edit"),
    path("prets/", views.loans, name="loans"),
    path("prets/nouveau/", views.loan_create, name="loan_create"),
]
