from django.http import HttpRequest


def current_organisation(request: HttpRequest) -> dict:
    membership = getattr(request, "membership", None)
    return {
        "current_membership": membership,
        "current_organisation": membership.organisation if membership else None,
        "user_memberships": getattr(request, "memberships", []),
    }
