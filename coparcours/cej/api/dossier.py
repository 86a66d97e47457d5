"""The administrative file and its transmission with the youth's consent."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import HttpError

from coparcours.cej import selectors
from coparcours.cej.api.router import router
from coparcours.cej.models.dossier import DossierStatus
from coparcours.cej.services import dossier
from coparcours.core.access import Capability, Category, api_acting_organisation
from coparcours.core.access.api_routes import api_requires


class DossierItemOut(Schema):
    id: int
    kind: str
    status: str
    collected_on: datetime.date | None
    transmitted_on: datetime.date | None

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.kind.label


class ActingIn(Schema):
    organisation_id: int | None = None


@router.get(
    "/pathways/{pathway_id}/dossier",
    response=list[DossierItemOut],
    summary="Dossier administratif",
)
@api_requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
def list_dossier(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    page = selectors.pathway_page(request.auth, pathway)
    if not page.dossier_visible:
        raise HttpError(403, "Documents administratifs protégés par le secret professionnel.")
    return page.dossier


@router.post(
    "/pathways/{pathway_id}/dossier/transmit",
    response=list[DossierItemOut],
    summary="Transmettre les pièces recueillies (avec l'accord du jeune)",
)
@api_requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS], acting=True)
def transmit_dossier(request: HttpRequest, pathway_id: int, payload: ActingIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    items = dossier.transmit_dossier(request.auth, organisation, pathway)
    return [i for i in items if i.status == DossierStatus.TRANSMITTED]
