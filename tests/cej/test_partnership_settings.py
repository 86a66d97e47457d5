"""The porteur sets its partnership's settings without the administration: the defaults
offered first, bad values refused with nothing saved, every change audited."""

from __future__ import annotations

import pytest

from coparcours.cej.models import PartnershipSettings
from coparcours.core.models import AuditEvent, AuditLog

pytestmark = pytest.mark.django_db


def test_the_porteur_sets_its_partnerships_settings(demo, login_client):
    client = login_client(demo.users["pilotage-cej"])
    url = f"/cej/partenariats/{demo.cej_jr.pk}/parametres/"
    PartnershipSettings.objects.filter(partnership=demo.cej_jr).delete()

    first = client.get(url)
    assert first.context["form"].initial["minimum_weekly_hours"] == 15  # the CEJ's minimum
    assert first.context["form"].initial["departement_code"] == demo.porteur.departement_code
    too_many = client.post(
        url, {"departement_code": "59", "minimum_weekly_hours": 22, "committee_weekday": 3}
    )
    assert too_many.status_code == 400
    assert not PartnershipSettings.objects.filter(partnership=demo.cej_jr).exists()
    client.post(url, {"departement_code": "59", "minimum_weekly_hours": 18, "committee_weekday": 3})

    saved = PartnershipSettings.objects.get(partnership=demo.cej_jr)
    assert (saved.minimum_weekly_hours, saved.committee_weekday) == (18, 3)
    line = AuditLog.objects.filter(event=AuditEvent.ADMIN).latest("pk")
    assert "minimum_weekly_hours : 15 → 18" in line.reason


@pytest.mark.parametrize("login", ["referente", "conseiller", "coordination", "dreets"])
def test_only_the_porteurs_heads_set_them(demo, login_client, login):
    response = login_client(demo.users[login]).get(
        f"/cej/partenariats/{demo.cej_jr.pk}/parametres/"
    )

    assert response.status_code == 403
