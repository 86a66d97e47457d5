from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer

from coparcours.accounts.models import APIToken, User, hash_token
from coparcours.core.access.api_routes import api_signed_in

router = Router(tags=["Compte"])


class TokenAuth(HttpBearer):
    """Personal API token; only its hash is stored, and revoked or expired tokens fail."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = (
            APIToken.objects.usable()
            .select_related("user")
            .filter(key_hash=hash_token(token))
            .first()
        )
        if found is None:
            return None
        APIToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class MembershipOut(Schema):
    organisation_id: int
    organisation: str
    role: str
    start_date: str
    end_date: str | None


class MeOut(Schema):
    email: str
    first_name: str
    last_name: str
    memberships: list[MembershipOut]


@router.get("", response=MeOut, summary="Mon compte et mes rattachements actifs")
@api_signed_in
def me(request: HttpRequest) -> MeOut:
    """The authenticated user (token or browser session) and their memberships in force."""
    user = request.auth
    memberships = [
        MembershipOut(
            organisation_id=m.organisation_id,
            organisation=m.organisation.name,
            role=m.role,
            start_date=m.start_date.isoformat(),
            end_date=m.end_date.isoformat() if m.end_date else None,
        )
        for m in user.memberships.active().select_related("organisation")
    ]
    return MeOut(
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        memberships=memberships,
    )
