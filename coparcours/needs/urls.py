"""The register of unmet needs: a youth's needs, one need, its closing."""

from django.urls import path

from coparcours.needs import views

app_name = "needs"
urlpatterns = [
    path("jeunes/<int:youth_id>/", views.youth_needs, name="youth"),
    path("<int:pk>/", views.need_detail, name="need"),
    path("<int:pk>/clore/", views.need_close, name="close"),
    path("<int:pk>/rouvrir/", views.need_reopen, name="reopen"),
]
