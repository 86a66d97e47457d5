"""An organisation's exceptions to the capability table (``Organisation.capability_overrides``):
a role added to or withdrawn from one capability for that organisation, read by ``may``, the
menus and the scoped acts alike; validated in French and audited when an administrator
changes them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from coparcours.core.access import Capability, may, organisations_where
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Membership

pytestmark = pytest.mark.django_db


def _membership(demo, login: str, organisation: str) -> Membership:
    return (
        Membership.objects.active()
        .with_standings()
        .select_related("organisation")
        .get(user=demo.users[login], organisation__name__startswith=organisation)
    )


def test_a_role_added_for_one_organisation_opens_the_feature_there(demo, login_client):
    """Alefpa lets its finance officer read the GME's steering dashboard."""
    assert not may(_membership(demo, "finances", "Alefpa"), Capability.REPORTING_GME)
    client = login_client(demo.users["finances"])
    assert client.get("/pilotage/groupement/").status_code == 403
    demo.alefpa.capability_overrides = {"reporting_gme": {"finance_officer": True}}
    demo.alefpa.save()
    assert may(_membership(demo, "finances", "Alefpa"), Capability.REPORTING_GME)
    client = login_client(demo.users["finances"])
    page = client.get("/pilotage/groupement/")
    assert page.status_code == 200
    assert demo.gme.name in page.content.decode()


def test_a_role_withdrawn_for_one_organisation_loses_the_feature_there_only(demo):
    """ASRL keeps its referents from publishing the partners' guides; Rebond does not."""
    referent = demo.users["referente"]
    assert demo.asrl.pk in organisations_where(referent, Capability.PARTNERS_EDIT)
    demo.asrl.capability_overrides = {"partners_edit": {"referent": False}}
    demo.asrl.save()
    fresh = type(referent).objects.get(pk=referent.pk)
    assert not may(_membership(demo, "referente", "ASRL"), Capability.PARTNERS_EDIT)
    assert may(_membership(demo, "referente", "Rebond"), Capability.PARTNERS_EDIT)
    assert demo.asrl.pk not in organisations_where(fresh, Capability.PARTNERS_EDIT)


def test_an_exception_never_gives_a_standing_the_organisation_lacks(demo):
    """A mission locale is no porteur: adding its counsellors to the outreach changes
    nothing, the row still needs the porteur's standing."""
    demo.mission_locale.capability_overrides = {"cej_outreach": {"counsellor": True}}
    demo.mission_locale.save()
    assert not may(_membership(demo, "conseiller", "Mission locale"), Capability.CEJ_OUTREACH)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"teleportation": {"referent": True}}, "Fonctionnalité inconnue"),
        ({"housing_queue": {"astronaut": True}}, "rôle inconnu"),
        ({"housing_queue": {"director": "oui"}}, "true (ajouté) ou false (retiré)"),
        ({"housing_queue": ["director"]}, "attendu"),
        (["housing_queue"], "Attendu"),
    ],
)
def test_malformed_exceptions_are_refused_in_french(demo, overrides, message):
    demo.alefpa.capability_overrides = overrides
    with pytest.raises(ValidationError) as refused:
        demo.alefpa.full_clean()
    assert message in str(refused.value.message_dict["capability_overrides"])


def test_an_administrator_s_change_is_audited(demo):
    administrator = demo.users["admin"]
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client = Client()
    client.force_login(administrator)
    url = f"/admin/organisations/organisation/{demo.temps_de_vie.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["capability_overrides"] = '{"housing_queue": {"director": true}}'
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    line = AuditLog.objects.filter(event=AuditEvent.ADMIN).latest("pk")
    assert "housing_queue : director ajouté" in line.reason
    assert "aucune →" in line.reason
