"""Organisations and consortia: the territory's directory, not personal data.

Lists are paginated with ``limit`` and ``offset`` (django-ninja's ``LimitOffsetPagination``)
and answer ``{"items": [...], "count": n}``.
"""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import field_validator

from coparcours.core.access import Capability
from coparcours.core.access.api_routes import api_requires
from coparcours.organisations.models import (
    Consortium,
    ConsortiumKind,
    ConsortiumMember,
    Organisation,
    OrganisationKind,
)
from coparcours.organisations.validators import validate_departement_code

router = Router(tags=["Organisations"])

MAX_PAGE = 200


class OrganisationOut(Schema):
    id: int
    kind: OrganisationKind
    name: str
    siret: str
    address: str
    postal_code: str
    city: str
    departement_code: str


class OrganisationFilters(Schema):
    kind: OrganisationKind | None = Field(None, description="Type d'organisation.")
    departement: str | None = Field(None, description="Code du département (59, 2A, 974…).")

    @field_validator("departement")
    @classmethod
    def _known_departement(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                validate_departement_code(value)
            except DjangoValidationError as error:
                raise ValueError(error.messages[0]) from error
        return value


class MemberOut(Schema):
    organisation_id: int
    organisation: str = Field(..., alias="organisation.name")
    is_lead: bool
    joined_on: datetime.date | None
    left_on: datetime.date | None


class ConsortiumOut(Schema):
    id: int
    kind: ConsortiumKind
    name: str
    funder_id: int
    funder: str = Field(..., alias="funder.name")
    liability: str
    start_date: datetime.date
    end_date: datetime.date | None
    renewal_date: datetime.date | None
    lead: MemberOut | None = Field(None, description="Le mandataire du groupement.")
    members: list[MemberOut]


class ConsortiumFilters(Schema):
    kind: ConsortiumKind | None = Field(None, description="Type de groupement.")


def _consortia() -> QuerySet[Consortium]:
    members = ConsortiumMember.objects.select_related("organisation")
    return Consortium.objects.select_related("funder").prefetch_related(
        Prefetch("members", queryset=members)
    )


@router.get("organisations", response=list[OrganisationOut], summary="Organisations")
@paginate(max_limit=MAX_PAGE)
@api_requires(Capability.DIRECTORY)
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters]
) -> QuerySet[Organisation]:
    """Organisations of the directory, by name; filter by type and département."""
    organisations = Organisation.objects.order_by("name")
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.departement:
        organisations = organisations.filter(departement_code=filters.departement)
    return organisations


@router.get("organisations/{organisation_id}", response=OrganisationOut, summary="Organisation")
@api_requires(Capability.DIRECTORY)
def get_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise HttpError(404, "Organisation introuvable.")
    return organisation


@router.get("consortia", response=list[ConsortiumOut], summary="Groupements et partenariats")
@paginate(max_limit=MAX_PAGE)
@api_requires(Capability.DIRECTORY)
def list_consortia(request: HttpRequest, filters: Query[ConsortiumFilters]) -> QuerySet[Consortium]:
    """Consortia (GME) and CEJ-JR partnerships with their members and lead, by name."""
    consortia = _consortia().order_by("name")
    if filters.kind:
        consortia = consortia.filter(kind=filters.kind)
    return consortia


@router.get("consortia/{consortium_id}", response=ConsortiumOut, summary="Groupement")
@api_requires(Capability.DIRECTORY)
def get_consortium(request: HttpRequest, consortium_id: int) -> Consortium:
    consortium = _consortia().filter(pk=consortium_id).first()
    if consortium is None:
        raise HttpError(404, "Groupement ou partenariat introuvable.")
    return consortium
