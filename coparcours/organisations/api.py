"""Organisations and consortia: the territory's directory, not personal data."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from coparcours.organisations.models import Consortium, ConsortiumMember, Organisation

router = Router(tags=["Organisations"])


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    siret: str
    address: str
    postal_code: str
    city: str
    departement_code: str


class MemberOut(Schema):
    organisation_id: int
    organisation: str
    is_lead: bool
    joined_on: datetime.date | None
    left_on: datetime.date | None


class ConsortiumOut(Schema):
    id: int
    kind: str
    name: str
    funder_id: int
    liability: str
    start_date: datetime.date
    end_date: datetime.date | None
    renewal_date: datetime.date | None
    members: list[MemberOut]


def _consortium_out(consortium: Consortium) -> ConsortiumOut:
    return ConsortiumOut(
        id=consortium.pk,
        kind=consortium.kind,
        name=consortium.name,
        funder_id=consortium.funder_id,
        liability=consortium.liability,
        start_date=consortium.start_date,
        end_date=consortium.end_date,
        renewal_date=consortium.renewal_date,
        members=[
            MemberOut(
                organisation_id=m.organisation_id,
                organisation=m.organisation.name,
                is_lead=m.is_lead,
                joined_on=m.joined_on,
                left_on=m.left_on,
            )
            for m in consortium.members.all()
        ],
    )


def _consortia():
    return Consortium.objects.prefetch_related(
        Prefetch("members", queryset=ConsortiumMember.objects.select_related("organisation"))
    )


@router.get("organisations", response=list[OrganisationOut], summary="Organisations")
def list_organisations(
    request: HttpRequest, kind: str | None = None, departement: str | None = None
):
    organisations = Organisation.objects.all()
    if kind:
        organisations = organisations.filter(kind=kind)
    if departement:
        organisations = organisations.filter(departement_code=departement)
    return list(organisations)


@router.get("organisations/{organisation_id}", response=OrganisationOut, summary="Organisation")
def get_organisation(request: HttpRequest, organisation_id: int):
    return get_object_or_404(Organisation, pk=organisation_id)


@router.get("consortia", response=list[ConsortiumOut], summary="Groupements et partenariats")
def list_consortia(request: HttpRequest):
    return [_consortium_out(c) for c in _consortia()]


@router.get("consortia/{consortium_id}", response=ConsortiumOut, summary="Groupement")
def get_consortium(request: HttpRequest, consortium_id: int):
    return _consortium_out(get_object_or_404(_consortia(), pk=consortium_id))
