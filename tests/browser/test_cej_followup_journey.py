"""Journey of the CEJ-JR co-accompaniment, on a phone: plan activities of both partners
until 15 hours, run the Monday job, open the follow-up from the counsellor's home page,
complete the 3-month review of the shared youth and see the chart; each page checked on
the phone and a desktop."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coparcours.cej import rules, tasks

from .screens import open_section, switch_organisation
from .test_cej_journey import PORTEUR, field
from .test_journeys import log_in

pytestmark = pytest.mark.browser


def test_hours_follow_up_and_review(page, live_demo, screenshot, screens, monkeypatch):
    last_week = rules.week_start(timezone.localdate()) - datetime.timedelta(days=7)
    log_in(page, "referente")
    switch_organisation(page, f"{PORTEUR} — Référent·e de parcours")
    open_section(page, "Parcours CEJ-JR")
    page.get_by_role("link", name="ROUSSEL Sarah").click()
    screens.check(page)
    page.get_by_role("link", name="Accompagnement").click()
    page.get_by_role("link", name="Semaine précédente").click()
    screens.check(page)
    hours = page.locator("section[aria-labelledby=heures]")
    assert "13,00 h effectuées sur un minimum de 15 h" in hours.inner_text()
    assert "porteur 7,00 h, mission locale 6,00 h" in hours.inner_text()

    # the referent records a workshop of the porteur: the week reaches 15 hours
    page.get_by_role("link", name="Planifier ou noter une activité").click()
    screens.check(page)
    field(page, "Type d'activité").select_option(label="Atelier collectif")
    field(page, "Intitulé").fill("Atelier CV et lettre de motivation")
    field(page, "Début").fill(f"{last_week + datetime.timedelta(days=4):%Y-%m-%d}T14:00")
    field(page, "Durée (minutes)").fill("120")
    field(page, "Organisation responsable").select_option(label=PORTEUR)
    field(page, "Présence").select_option(label="Présent·e")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Activité enregistrée")).to_be_visible()
    text = page.locator("section[aria-labelledby=heures]").inner_text()
    assert "15,00 h effectuées sur un minimum de 15 h — minimum atteint" in text
    # an overlapping activity is refused with a French message
    page.get_by_role("link", name="Planifier ou noter une activité").click()
    field(page, "Type d'activité").select_option(label="Formation")
    field(page, "Intitulé").fill("Formation")
    field(page, "Début").fill(f"{last_week + datetime.timedelta(days=4):%Y-%m-%d}T15:00")
    field(page, "Durée (minutes)").fill("60")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.locator(".field-error", has_text=re.compile("chevauche une autre activité du jeune"))
    ).to_be_visible()
    screens.check(page)

    # the Monday job (its e-mails are queued tasks, run at once here)
    from huey.contrib.djhuey import HUEY

    monkeypatch.setattr(HUEY, "immediate", True)
    monkeypatch.setattr(tasks.rules, "follow_up_week_due", lambda now: last_week)
    assert tasks.monday_follow_up.call_local() == 1

    page.context.clear_cookies()
    log_in(page, "conseiller")
    screens.check(page)
    with page.expect_navigation():  # from the home page's « À traiter »
        page.locator("[data-todo=cej_follow_ups]").get_by_role(
            "link", name=f"Lire — Semaine du {last_week:%d/%m/%Y}"
        ).click()
    row = page.get_by_role("row", name=re.compile("ROUSSEL Sarah"))
    assert "15 h 00" in row.inner_text() and "atteint" in row.inner_text()
    content = page.locator("main").inner_text()
    assert "Activité (détail confidentiel)" in content and "centre de santé" not in content
    assert "Atelier CV et lettre de motivation" in content
    screens.check(page)
    screens.shoot(page, screenshot, "cej-monday-follow-up")

    # the counsellor opens the shared youth and completes the 3-month review with her
    open_section(page, "Parcours CEJ-JR")
    screens.check(page)
    page.get_by_role("link", name="ROUSSEL Sarah").click()
    screens.check(page)
    page.get_by_role("link", name="Accompagnement").click()
    screens.check(page)
    page.get_by_role("link", name="Bilan à 3 mois").click()
    screens.check(page)
    for rater, scores in (("La mission locale", ("2", "3")), ("Le jeune", ("3", "2"))):
        field(page, "Qui note").select_option(label=rater)
        field(page, "Emploi et formation").select_option(value=scores[0])
        field(page, "Mobilité").select_option(value=scores[1])
        page.get_by_role("button", name="Enregistrer les notes").click()
        expect(page.get_by_text("Notes enregistrées")).to_be_visible()
    field(page, "Plan d'action concerté pour la suite").fill(
        "Entrée en CAP cuisine en janvier ; permis AM financé par la mission locale."
    )
    page.get_by_role("button", name="Clore le bilan").click()
    expect(page.get_by_text("Bilan clos avec son plan concerté")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("^Progression par dimension"))
    expect(chart).to_be_visible()
    screens.check(page)
    screens.shoot(page, screenshot, "cej-accompaniment")
    assert page.failed_requests == []
    screens.assert_clean()
