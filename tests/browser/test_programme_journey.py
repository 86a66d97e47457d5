"""Journey of the CEJ-JR programme, on a referent's 390 px phone: she registers a youth to
the porteur's workshop and books him a slot of the mission locale's permanence; once the
workshop has started, the porteur records the attendance. Each page checked on the phone
and a desktop."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coparcours.cej.models import Activity, CollectiveSession, Permanence, SessionRegistration

from .screens import open_section, switch_organisation
from .test_cej_journey import PORTEUR, field
from .test_journeys import log_in

pytestmark = pytest.mark.browser

WORKSHOP = "Atelier « Préparer un entretien d'embauche »"


def test_register_book_and_record_attendance(page, live_demo, screenshot, screens):
    session = CollectiveSession.objects.get(title=WORKSHOP)
    log_in(page, "referente")
    switch_organisation(page, f"{PORTEUR} — Référent·e de parcours")
    expect(page.locator("[data-todo=cej_sessions_week]")).to_be_visible()
    open_section(page, "Parcours CEJ-JR")
    page.get_by_role("link", name="Programme et permanences").click()
    page.goto(f"/cej/programme/?mois={timezone.localtime(session.starts_at):%Y-%m}")
    screens.check(page, small_phone=True)
    expect(page.get_by_text("1 inscrit sur 10 places")).to_be_visible()

    # the referent registers Lucas to the workshop
    page.get_by_role("link", name=WORKSHOP).click()
    screens.check(page, small_phone=True)
    field(page, "Jeune à inscrire").select_option(label="MARTIN Lucas")
    page.get_by_role("button", name="Inscrire").click()
    expect(page.locator(".messages")).to_contain_text("MARTIN Lucas est inscrit·e")
    expect(page.get_by_role("cell", name="MARTIN Lucas", exact=True)).to_be_visible()
    assert "2 inscrits sur 10" in page.locator("main dl").inner_text()
    screens.shoot(page, screenshot, "cej-programme-session")

    # then books him the first free slot of the permanence
    permanence = Permanence.objects.get()
    page.get_by_role("link", name="Programme", exact=True).click()
    page.goto(f"/cej/programme/?mois={timezone.localtime(permanence.starts_at):%Y-%m}")
    page.get_by_role("link", name=str(permanence)).click()
    screens.check(page, small_phone=True)
    free = page.locator("li.card", has=page.get_by_text("Libre")).first
    free.get_by_role("combobox").select_option(label="MARTIN Lucas")
    free.get_by_role("button", name="Réserver").click()
    expect(page.locator(".messages")).to_contain_text("réservé")
    expect(page.get_by_text("Réservé pour MARTIN Lucas")).to_be_visible()
    screens.check(page, small_phone=True)

    # the workshop takes place (time passes): the porteur records who came
    started = timezone.now() - datetime.timedelta(hours=1)
    CollectiveSession.objects.filter(pk=session.pk).update(
        starts_at=started, ends_at=started + datetime.timedelta(hours=2)
    )
    Activity.objects.filter(
        pk__in=SessionRegistration.objects.filter(session=session).values("activity_id")
    ).update(starts_at=started, ends_at=started + datetime.timedelta(hours=2))
    page.goto(f"/cej/programme/seances/{session.pk}/")
    page.get_by_role("group", name="Présence de MARTIN Lucas").get_by_label("Présent·e").check()
    page.get_by_role("group", name="Présence de ROUSSEL Sarah").get_by_label("Absent·e").check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.locator(".messages")).to_contain_text("Présence notée pour 2 jeunes")
    screens.check(page, small_phone=True)
    attended = dict(
        SessionRegistration.objects.filter(session=session).values_list(
            "pathway__youth__last_name", "activity__attended"
        )
    )
    assert attended == {"Martin": True, "Roussel": False}
    screens.assert_clean()
