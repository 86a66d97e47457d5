from django.urls import path

from coparcours.organisations.views import consortia, home, invitation, team

app_name = "organisations"

urlpatterns = [
    path("changer/", home.switch_organisation, name="switch"),
    path("equipe/", team.team, name="team"),
    path("equipe/invitations/<int:pk>/renvoyer/", team.invitation_resend, name="invitation_resend"),
    path("equipe/invitations/<int:pk>/annuler/", team.invitation_cancel, name="invitation_cancel"),
    path("equipe/rattachements/<int:pk>/fin/", team.membership_end, name="membership_end"),
    path("groupements/", consortia.consortia, name="consortia"),
    path("groupements/<int:pk>/", consortia.consortium, name="consortium"),
    path(
        "groupements/<int:pk>/membres/<int:member_pk>/sortie/",
        consortia.member_end,
        name="member_end",
    ),
    path(
        "groupements/<int:pk>/organisations/<int:organisation_pk>/premiere-personne/",
        consortia.first_person,
        name="first_person",
    ),
    path("invitation/<str:token>/", invitation.accept_invitation, name="invitation_accept"),
]
