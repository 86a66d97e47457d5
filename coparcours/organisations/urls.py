from django.urls import path

from coparcours.organisations import views

app_name = "organisations"

urlpatterns = [
    path("changer/", views.switch_organisation, name="switch"),
]
