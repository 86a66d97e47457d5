"""ProConnect (OpenID Connect) login for agents of public services and associations.

Switched on by ``OIDC_RP_CLIENT_ID``. An account is matched by its e-mail address; new
accounts are created only when ``OIDC_CREATE_USER`` is on (an administrator then gives
them a membership). A deactivated account stays refused.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from coparcours.accounts.models import User
from coparcours.accounts.services import normalise_email


class ProConnectBackend(OIDCAuthenticationBackend):
    def verify_token(self, token: str, **kwargs) -> dict:
        """Check the signature and nonce (library), then the audience.

        OpenID Connect Core 1.0 § 3.1.3.7: the client must reject an ID token whose
        ``aud`` does not name it, i.e. a token issued to another application.
        """
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        if audience is not None:
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("OIDC token issued to another client.")
        return payload

    def filter_users_by_claims(self, claims: dict) -> QuerySet[User]:
        """Every account with this address, active or not (the callback refuses inactive
        ones), so that a deactivated account is never shadowed by a newly created one."""
        email = normalise_email(claims.get("email"))
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email)

    def create_user(self, claims: dict) -> User:
        return self.UserModel.objects.create_user(
            email=claims["email"],
            first_name=claims.get("given_name", ""),
            last_name=claims.get("usual_name") or claims.get("family_name", ""),
        )

    def update_user(self, user: User, claims: dict) -> User:
        user.first_name = claims.get("given_name") or user.first_name
        user.last_name = claims.get("usual_name") or claims.get("family_name") or user.last_name
        user.save(update_fields=["first_name", "last_name"])
        return user


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    """The provider's return; a refusal is explained in French on the login page."""

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            "La connexion avec ProConnect n'a pas abouti : aucun compte Coparcours actif ne "
            "correspond à cette adresse, ou l'identification a été interrompue. Contactez "
            "l'administrateur de votre organisation si besoin.",
        )
        return super().login_failure()
