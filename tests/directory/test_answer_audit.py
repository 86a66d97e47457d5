"""The page a partner structure opens by its answer link shows the youth's first name,
initial and age, and what is sent: each opening is audited, under a masked address (the
link is a secret), for the youth's access log (CNIL référentiel 2021-028)."""

from __future__ import annotations

import pytest
from django.test import Client

from coparcours.core.access import Category
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.directory.models import Service
from coparcours.directory.services.referrals import referral_token, send_referral

CMP = "coparcours-demo-nord--cmp-lille-premier-rdv"

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(demo):
    lucas = demo.porteur.owned_youths.get(last_name="Martin")
    return send_referral(
        demo.users["referente"],
        lucas,
        demo.porteur,
        service=Service.objects.get(di_id=CMP),
        categories=[Category.MENTAL_HEALTH],
        message="Jeune en grande souffrance psychique, sans suivi depuis un an.",
        consented_categories=[Category.IDENTITY, Category.MENTAL_HEALTH],
        consent_given_by="youth",
        consent_method="signed_form",
    )


def test_opening_the_answer_link_is_audited_for_each_category_shown(demo, referral):
    token = referral_token(referral)
    before = AuditLog.objects.count()
    page = Client().get(f"/annuaire/reponse/{token}/")
    assert page.status_code == 200
    assert referral.youth.first_names in page.content.decode()
    lines = list(AuditLog.objects.order_by("pk")[before:])
    assert {line.category for line in lines} == {Category.IDENTITY, Category.MENTAL_HEALTH}
    for line in lines:
        assert line.event == AuditEvent.READ
        assert line.youth_id == referral.youth_id
        assert (line.object_type, line.object_id) == ("directory.Referral", str(referral.pk))
        assert line.user is None
        assert line.organisation_id == demo.porteur.pk
        assert referral.service.nom in line.reason
        assert token not in line.path and token not in line.reason
        assert line.path.startswith("/annuaire/reponse/")


def test_a_wrong_link_shows_nothing_and_writes_no_read(referral):
    token = referral_token(referral)
    before = AuditLog.objects.count()
    page = Client().get(f"/annuaire/reponse/{token[:-2]}xx/")
    assert page.status_code == 410
    assert [line for line in AuditLog.objects.order_by("pk")[before:] if line.youth_id] == []
