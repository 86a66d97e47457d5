from django.urls import path

from coparcours.imports import views
from coparcours.imports.models import ImportKind

app_name = "imports"

#: The pages of each kind, under its French address.
SLUGS = {ImportKind.YOUTHS: "jeunes", ImportKind.STAYS: "sejours", ImportKind.PATHWAYS: "parcours"}

urlpatterns = [path("", views.index, name="index")]
for kind, slug in SLUGS.items():
    urlpatterns += [
        path(f"{slug}/", views.PAGES[kind], name=kind),
        path(f"{slug}/modele.csv", views.TEMPLATES[(kind, "csv")], name=f"{kind}_template_csv"),
        path(f"{slug}/modele.xlsx", views.TEMPLATES[(kind, "xlsx")], name=f"{kind}_template_xlsx"),
    ]
