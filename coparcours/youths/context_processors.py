from django.http import HttpRequest

from coparcours.core.access import CASEWORK_ROLES


def casework(request: HttpRequest) -> dict:
    """Roles that work on individual records (the others see aggregates only)."""
    return {"casework_roles": CASEWORK_ROLES}
