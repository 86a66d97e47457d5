from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from coparcours.api import api
from coparcours.core.views import health
from coparcours.organisations.views.home import home
from coparcours.youths.views.sms_inbound import sms_received

admin.site.site_header = "Administration de Coparcours"
admin.site.site_title = "Coparcours"
admin.site.index_title = "Organisations, comptes et journal d'audit"

handler403 = "coparcours.organisations.views.home.permission_denied"

urlpatterns = [
    path("", home, name="home"),
    path("compte/", include("coparcours.accounts.urls")),
    path("organisation/", include("coparcours.organisations.urls")),
    path("jeunes/", include("coparcours.youths.urls")),
    path("cej/", include("coparcours.cej.urls")),
    path("mon-espace/", include("coparcours.space.urls")),
    path("hebergement/", include("coparcours.housing.urls")),
    path("annuaire/", include("coparcours.directory.urls")),
    path("besoins/", include("coparcours.needs.urls")),
    path("imports/", include("coparcours.imports.urls")),
    path("orientations/", include("coparcours.orientations.urls")),
    path("finances/", include("coparcours.finance.urls")),
    path("pilotage/", include("coparcours.reporting.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("sante/", health, name="health"),
    path("sms/recus/<str:token>/", sms_received, name="sms_received"),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("proconnect/", include("mozilla_django_oidc.urls")))
