"""A placement request for a youth already known to Coparcours (another organisation's
record, names differing by accents or case, close birth dates) links to that record: the
admission creates no second record, and nothing about the match reaches the funder."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from coparcours.housing.models import Stay
from coparcours.housing.services import requests as request_services
from coparcours.housing.services import stays as stay_services
from coparcours.organisations.models import Role
from coparcours.youths.factories import YouthFactory
from coparcours.youths.models import Youth

from .conftest import TODAY

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _known(gme, **fields) -> Youth:
    data = {
        "owner_organisation": gme.outsider,
        "last_name": "Konaté",
        "first_names": "Issa Moussa",
        "birth_date": TODAY() - datetime.timedelta(days=15 * 365 + 100),
        "sex": "M",
    }
    data.update(fields)
    return YouthFactory(**data)


def test_a_request_links_to_the_known_youth_and_the_admission_reuses_the_record(gme):
    known = _known(gme)
    request = gme.file(
        reference="ASE-DOUBLON",
        last_name="KONATE",
        first_names="issa",
        age=None,
        birth_date=known.birth_date + datetime.timedelta(days=200),
    )
    assert request.youth == known
    before = Youth.objects.count()
    proposal = request_services.propose(gme.coordinator, request, gme.site_b, TODAY())
    request_services.answer_proposal(gme.user(gme.member_b, Role.REFERENT), proposal, accept=True)
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    page = coordination.get(f"/hebergement/demandes/{request.pk}/").content.decode()
    assert "data-known-youth" in page and gme.outsider.name not in page
    stay = stay_services.admit(gme.coordinator, proposal)
    assert stay.youth == known and Youth.objects.count() == before
    assert known.assignments.filter(organisation=gme.member_b, relation="hosting").exists()
    # the funder sees the status of its request, nothing of the match
    funder = gme.client(gme.funder, Role.FUNDER_VIEWER)
    detail = funder.get(f"/hebergement/demandes/{request.pk}/").content.decode()
    assert "data-known-youth" not in detail and gme.outsider.name not in detail
    api = funder.get(f"/api/v1/housing/requests/{request.pk}").json()
    assert api["status"] == "admitted" and "youth" not in str(api.keys())


def test_a_declared_age_stands_for_a_close_birth_date(gme):
    known = _known(gme)
    assert gme.file(last_name="Konate", first_names="Issa", age=15).youth == known
    assert gme.file(last_name="Konate", first_names="Issa", age=12).youth is None


def test_no_link_under_a_pseudonym_or_when_several_records_match(gme):
    _known(gme)
    assert gme.file(last_name="", first_names="", reference="PSEUDO-7").youth is None
    _known(gme, owner_organisation=gme.member_c, first_names="Issa")
    request = gme.file(last_name="Konaté", first_names="Issa", age=15)
    assert request.youth is None  # ambiguous: the admission creates the record
    page = gme.client(gme.lead, Role.COORDINATOR).get(f"/hebergement/demandes/{request.pk}/")
    body = page.content.decode()
    assert "data-ambiguous-youth" in body and "2 dossiers existants" in body
    assert gme.outsider.name not in body and gme.member_c.name not in body
    funder = gme.client(gme.funder, Role.FUNDER_VIEWER).get(f"/hebergement/demandes/{request.pk}/")
    assert "data-ambiguous-youth" not in funder.content.decode()


def test_a_known_youth_already_hosted_is_not_admitted_twice(gme):
    stay = gme.place(entry=TODAY() - 10 * DAY, last_name="Bamba", first_names="Awa", sex="F")
    again = gme.file(last_name="BAMBA", first_names="Awa", sex="F", reference="ASE-BIS")
    assert again.youth == stay.youth
    proposal = request_services.propose(gme.coordinator, again, gme.site_b, TODAY())
    request_services.answer_proposal(gme.user(gme.member_b, Role.REFERENT), proposal, accept=True)
    with pytest.raises(ValidationError, match="déjà un séjour en cours"):
        stay_services.admit(gme.coordinator, proposal)
    assert Stay.objects.count() == 1
