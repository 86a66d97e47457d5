"""ProConnect (OpenID Connect) login for agents of public services and associations.

Switched on by ``OIDC_RP_CLIENT_ID``. An account is matched by its e-mail address; new
accounts are created only when ``OIDC_CREATE_USER`` is on (an administrator then gives
them a membership).
"""

from __future__ import annotations

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from coparcours.accounts.models import User


class ProConnectBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict):
        email = (claims.get("email") or "").strip().lower()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict) -> User:
        return self.UserModel.objects.create_user(
            email=claims["email"],
            first_name=claims.get("given_name", ""),
            last_name=claims.get("usual_name") or claims.get("family_name", ""),
        )

    def update_user(self, user: User, claims: dict) -> User:
        user.first_name = claims.get("given_name", user.first_name)
        user.last_name = claims.get("usual_name") or claims.get("family_name") or user.last_name
        user.save(update_fields=["first_name", "last_name"])
        return user
