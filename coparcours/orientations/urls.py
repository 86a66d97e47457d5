from django.urls import path

from coparcours.orientations.views import handling, pages, public

app_name = "orientations"

urlpatterns = [
    path("", handling.orientation_list, name="list"),
    path("<int:pk>/", handling.orientation_detail, name="detail"),
    path("<int:pk>/accepter/", handling.orientation_take_up, name="take_up"),
    path("<int:pk>/contacte/", handling.orientation_contacted, name="contacted"),
    path("<int:pk>/issue/", handling.orientation_outcome, name="outcome"),
    path("pages/", pages.page_list, name="pages"),
    path("pages/<int:consortium_id>/ouverture/", pages.page_switch, name="page_switch"),
    path("partenariats/", pages.directory, name="directory"),
    path("orienter/<str:token>/", public.orient, name="orient"),
]
