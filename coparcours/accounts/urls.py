from django.contrib.auth import views as auth_views
from django.urls import path

from coparcours.accounts import views
from coparcours.core.access.routes import public, signed_in

app_name = "accounts"

#: Signing in and recovering a password come before any account (docs/access.md).
_before_signing_in = public("Signing in, signing out and resetting a password need no account.")

urlpatterns = [
    path("connexion/", _before_signing_in(views.LoginView.as_view()), name="login"),
    path("deconnexion/", _before_signing_in(views.LogoutView.as_view()), name="logout"),
    path(
        "mot-de-passe/oublie/",
        _before_signing_in(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "mot-de-passe/envoye/",
        _before_signing_in(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        _before_signing_in(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/",
        _before_signing_in(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/modifier/",
        signed_in(views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path("double-authentification/", views.otp_verify, name="otp_verify"),
    path("double-authentification/activer/", views.otp_setup, name="otp_setup"),
    path("jetons/", views.api_tokens, name="api_tokens"),
    path("telephone/", views.work_phone, name="work_phone"),
    path("jetons/<int:pk>/revoquer/", views.api_token_revoke, name="api_token_revoke"),
]
