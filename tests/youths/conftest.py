from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from coparcours.accounts.factories import UserFactory
from coparcours.core.access import Category, Relation
from coparcours.organisations.factories import MembershipFactory, OrganisationFactory
from coparcours.organisations.models import OrganisationKind
from coparcours.youths.factories import AssignmentFactory, ConsentFactory, YouthFactory
from coparcours.youths.models import Document, Note, Youth

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    youth: Youth
    owner: object
    partner: object
    unrelated: object
    funder: object


def _build_world(consent_state: str = "none", consented: list[str] | None = None) -> World:
    """A youth owned by an association, co-accompanied by a mission locale, with data
    authored by the owner in every category, and a consent to the partner in a given state."""
    owner = OrganisationFactory(name="Association propriétaire")
    partner = OrganisationFactory(
        name="Mission locale partenaire", kind=OrganisationKind.MISSION_LOCALE
    )
    unrelated = OrganisationFactory(name="Association sans lien")
    funder = OrganisationFactory(name="Département financeur", kind=OrganisationKind.DEPARTEMENT)
    youth = YouthFactory(
        owner_organisation=owner,
        last_name="Secretnom",
        first_names="Prenomsecret",
        phone="0600000001",
        placement_order_reference="ORD-SECRET-42",
        birth_date=datetime.date(2005, 1, 1),
    )
    AssignmentFactory(
        youth=youth,
        organisation=partner,
        relation=Relation.CEJ_PARTNER,
        start_date=datetime.date(2024, 1, 1),
    )
    today = timezone.localdate()
    if consent_state != "none":
        consent = ConsentFactory(
            youth=youth,
            organisation=partner,
            categories=list(consented or [Category.CONTACT]),
            start_date=datetime.date(2024, 1, 1),
            end_date=today - datetime.timedelta(days=1) if consent_state == "expired" else None,
            author_organisation=owner,
        )
        if consent_state == "withdrawn":
            consent.withdrawn_at = timezone.now()
            consent.save()
    for category in Category:
        Note.objects.create(
            youth=youth,
            category=category,
            title=f"NOTE-{category.value}",
            text="contenu",
            occurred_on=datetime.date(2024, 6, 1),
            author_organisation=owner,
        )
        document = Document(
            youth=youth,
            category=category,
            title=f"DOC-{category.value}",
            original_name=f"{category.value}.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
            author_organisation=owner,
        )
        document.file.save(f"{category.value}.pdf", ContentFile(PDF_BYTES), save=False)
        document.save()
    return World(youth, owner, partner, unrelated, funder)


def _member_client(organisation, role) -> tuple[Client, object]:
    user = UserFactory()
    MembershipFactory(
        user=user, organisation=organisation, role=role, start_date=datetime.date(2020, 1, 1)
    )
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def build_world(db):
    """Build a youth's world: owner, co-accompanying partner, unrelated org, funder."""
    return _build_world


@pytest.fixture
def member_client(db):
    """A logged-in client for a new user holding a role in an organisation."""
    return _member_client
