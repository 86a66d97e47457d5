"""Journey of the register of unmet needs: the porteur's referent, on a 390 px phone, records
Inès's housing need and links the SIAO orientation that was refused for want of places; a
date out of order is refused; later she marks the need met, after confirming; the
partnership's director reads the aggregate on the CEJ-JR dashboard. Each page checked at
390 and 1,280 px with axe-core."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coparcours.core.access import Category
from coparcours.directory.models import RefusalReason, Service
from coparcours.directory.services.referrals import answer_referral, send_referral
from coparcours.needs.models import NeedStatus, UnmetNeed

from .screens import switch_organisation
from .test_journeys import PORTEUR, log_in

pytestmark = pytest.mark.browser

SIAO = "coparcours-demo-nord--siao-demande-hebergement"


def _siao_refused(demo):
    """The SIAO answered Inès's request for a place: none for now."""
    ines = demo.porteur.owned_youths.get(last_name="Petit")
    referral = send_referral(
        demo.users["referente"],
        ines,
        demo.porteur,
        service=Service.objects.get(di_id=SIAO),
        categories=[Category.HOUSING],
        message="Inès doit quitter son hébergement chez sa tante.",
        consented_categories=[Category.IDENTITY, Category.HOUSING],
        consent_given_by="youth",
        consent_method="signed_form",
    )
    answer_referral(
        referral, accepted=False, reason=RefusalReason.FULL, answered_by="Coordination SIAO"
    )
    return ines


def test_a_referent_records_a_housing_need_links_the_refused_siao_and_marks_it_met(
    page, live_server, live_demo, screens, screenshot
):
    ines = _siao_refused(live_demo)
    today = timezone.localdate()
    log_in(page, "referente")
    switch_organisation(page, f"{PORTEUR} — Référent·e de parcours")
    page.goto(f"/jeunes/{ines.pk}/")
    page.get_by_role("link", name="Besoins sans réponse", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Besoins sans réponse de PETIT Inès")
    screens.check(page, small_phone=True)

    page.get_by_label(re.compile("^Dimension")).select_option(label="Hébergement, logement")
    page.get_by_label(re.compile("^Besoin constaté depuis le")).fill(
        f"{today + datetime.timedelta(days=2):%Y-%m-%d}"
    )
    page.get_by_label(re.compile("^Le besoin")).fill("Doit quitter l'hébergement de sa tante.")
    tried = page.get_by_role("group", name="Orientations tentées")
    tried.get_by_role("checkbox", name=re.compile("SIAO.*refusée")).check()
    page.get_by_role("button", name="Enregistrer le besoin").click()
    expect(page.locator("main")).to_contain_text("Un besoin se constate au plus tard aujourd'hui.")
    assert not UnmetNeed.objects.filter(youth=ines, dimension="housing").exists()
    page.get_by_label(re.compile("^Besoin constaté depuis le")).fill(
        f"{today - datetime.timedelta(days=20):%Y-%m-%d}"
    )
    page.get_by_role("button", name="Enregistrer le besoin").click()
    expect(page.locator(".messages")).to_contain_text("Le besoin est enregistré.")
    card = page.locator("li.card").filter(has_text="Hébergement, logement")
    expect(card).to_contain_text("plus de place ou liste d'attente complète")
    screens.check(page)
    screens.shoot(page, screenshot, "needs-register")

    card.get_by_role("link", name=re.compile("Mettre à jour")).click()
    screens.check(page)
    page.get_by_role("link", name="Satisfait ou abandonné…").click()
    expect(page.locator("main")).to_contain_text("Ce que cela entraîne")
    page.get_by_role("radio", name="Satisfait").check()
    page.get_by_label(re.compile("^Depuis le")).fill(f"{today:%Y-%m-%d}")
    page.get_by_label(re.compile("^Réponse trouvée")).fill("Place en FJT à Moulins.")
    screens.check(page)
    page.get_by_role("button", name="Clore le besoin").click()
    expect(page.locator(".messages")).to_contain_text("Le besoin est clos.")
    expect(page.locator("li.card").filter(has_text="Hébergement, logement")).to_contain_text(
        "Satisfait le"
    )
    need = UnmetNeed.objects.get(youth=ines, dimension="housing")
    assert (need.status, need.closed_on, need.referrals.get().service.di_id) == (
        NeedStatus.MET,
        today,
        SIAO,
    )
    page.get_by_text("Mon compte").click()
    page.get_by_role("button", name="Se déconnecter").click()

    # the partnership's director reads the register on the CEJ-JR dashboard
    log_in(page, "pilotage-cej")
    page.goto("/pilotage/cej/")
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name="Besoins sans réponse, constatés et réponses")
    )
    expect(section).to_contain_text("Hébergement, logement")
    expect(section.get_by_role("link", name="CSV").last).to_be_visible()
    screens.check(page)
    screens.assert_clean()
    assert not page.failed_requests, page.failed_requests
