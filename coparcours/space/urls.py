from django.urls import path

from coparcours.space.views import opening, rights

app_name = "space"

urlpatterns = [
    path("", opening.home, name="home"),
    path("langue/", opening.youth_language, name="language"),
    path("partages/", rights.shares, name="shares"),
    path("partages/<int:consent_id>/retirer/", rights.withdraw, name="withdraw"),
    path("acces/", rights.recipients, name="recipients"),
    path("effacement/", rights.erasure, name="erasure"),
    path("copie/", rights.copy_request, name="copy"),
    path("rappels/", rights.reminders, name="reminders"),
    path("<str:token>/", opening.youth_open, name="open"),
]
