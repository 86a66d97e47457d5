"""Routes of the GME housing pages, one view module per sub-domain."""

from django.urls import path

from coparcours.housing.views import dashboard as dashboard_views
from coparcours.housing.views import incidents as incident_views
from coparcours.housing.views import proposals as proposal_views
from coparcours.housing.views import requests as request_views
from coparcours.housing.views import road18 as road_views
from coparcours.housing.views import sites as site_views
from coparcours.housing.views import stays as stay_views
from coparcours.housing.views import youth_links

app_name = "housing"

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("demandes/", request_views.request_list, name="requests"),
    path("demandes/nouvelle/", request_views.request_create, name="request_create"),
    path("demandes/<int:pk>/", request_views.request_detail, name="request"),
    path("demandes/<int:pk>/proposer/", request_views.request_propose, name="request_propose"),
    path("demandes/<int:pk>/attente/", request_views.request_wait, name="request_wait"),
    path("demandes/<int:pk>/annuler/", request_views.request_cancel, name="request_cancel"),
    path("disponibilites/", request_views.availability, name="availability"),
    path("propositions/", proposal_views.proposals, name="proposals"),
    path("propositions/<int:pk>/accepter/", proposal_views.proposal_accept, name="proposal_accept"),
    path(
        "propositions/<int:pk>/refuser/", proposal_views.proposal_decline, name="proposal_decline"
    ),
    path("propositions/<int:pk>/admission/", proposal_views.proposal_admit, name="proposal_admit"),
    path("sejours/", stay_views.stay_list, name="stays"),
    path("sejours/<int:pk>/", stay_views.stay_detail, name="stay"),
    path("sejours/<int:pk>/reorienter/", stay_views.stay_transfer, name="stay_transfer"),
    path("sejours/<int:pk>/sortie/", stay_views.stay_exit, name="stay_exit"),
    path("sejours/<int:pk>/majorite/", stay_views.stay_after_18, name="stay_after_18"),
    path("sejours/<int:pk>/vers-18-ans/", road_views.road, name="road18"),
    path("sejours/<int:pk>/scolarite/", road_views.schooling_create, name="schooling_create"),
    path("sejours/<int:pk>/titre-de-sejour/", road_views.permit_start, name="permit_start"),
    path(
        "sejours/<int:pk>/entretien-preparation/",
        road_views.interview_create,
        name="interview_create",
    ),
    path("titres-de-sejour/<int:pk>/pieces/", road_views.permit_pieces, name="permit_pieces"),
    path("titres-de-sejour/<int:pk>/depot/", road_views.permit_filing, name="permit_filing"),
    path("majorites/", road_views.majorities, name="majorities"),
    path("sejours/<int:pk>/lien-jeune/", youth_links.youth_link, name="stay_youth_link"),
    path(
        "sejours/<int:pk>/lien-jeune/envoyer/",
        youth_links.youth_link_send,
        name="stay_youth_link_send",
    ),
    path(
        "sejours/<int:pk>/lien-jeune/fermer/",
        youth_links.youth_access_close,
        name="stay_youth_access_close",
    ),
    path(
        "sejours/<int:pk>/lien-jeune/code/effacer/",
        youth_links.youth_pin_reset,
        name="stay_youth_pin_reset",
    ),
    path(
        "sejours/<int:pk>/co-accompagnement/",
        stay_views.stay_co_accompany,
        name="stay_co_accompany",
    ),
    path("sejours/<int:pk>/evenement-grave/", incident_views.stay_incident, name="stay_incident"),
    path("evenements-graves/", incident_views.incident_list, name="incidents"),
    path("evenements-graves/signaler/", incident_views.incident_report, name="incident_report"),
    path("evenements-graves/<int:pk>/", incident_views.incident_detail, name="incident"),
    path(
        "evenements-graves/<int:pk>/jeunes/",
        incident_views.incident_youth_add,
        name="incident_youth_add",
    ),
    path(
        "evenements-graves/<int:pk>/suite/",
        incident_views.incident_measure,
        name="incident_measure",
    ),
    path(
        "evenements-graves/<int:pk>/prise-en-compte/",
        incident_views.incident_acknowledge,
        name="incident_acknowledge",
    ),
    path(
        "evenements-graves/<int:pk>/retour/", incident_views.incident_return, name="incident_return"
    ),
    path(
        "evenements-graves/<int:pk>/cloture/", incident_views.incident_close, name="incident_close"
    ),
    path("occupation/", dashboard_views.occupancy, name="occupancy"),
    path("sites/", site_views.sites, name="sites"),
    path("sites/nouveau/", site_views.site_create, name="site_create"),
    path("sites/<int:pk>/", site_views.site_detail, name="site"),
    path("sites/<int:pk>/modifier/", site_views.site_edit, name="site_edit"),
    path("sites/<int:pk>/capacite/", site_views.capacity_create, name="capacity_create"),
    path("capacites/<int:pk>/modifier/", site_views.capacity_edit, name="capacity_edit"),
    path("vagues/", site_views.waves, name="waves"),
    path("vagues/nouvelle/", site_views.wave_create, name="wave_create"),
    path("vagues/<int:pk>/modifier/", site_views.wave_edit, name="wave_edit"),
    path("prets/", site_views.loans, name="loans"),
    path("prets/nouveau/", site_views.loan_create, name="loan_create"),
]
