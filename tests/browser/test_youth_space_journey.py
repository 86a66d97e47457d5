"""The youth's own space in the browser, as a young person uses it on a small phone: in
their language, Arabic laid out right to left, each page without an axe-core violation at
360, 390 and 1,280 px."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

#: A photo of a piece of her file (a PNG's signature is what the upload check reads).
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def _link(live_demo) -> tuple[str, object]:
    """A link to the space of the demo's youth under contract (her plan, her hours)."""
    from coparcours.cej.models import Pathway
    from coparcours.cej.rules import Stage
    from tests.cej.conftest import give_link

    pathway = (
        Pathway.objects.open()
        .filter(author_organisation=live_demo.porteur, stage=Stage.CONTRACT)
        .select_related("youth")
        .order_by("pk")
        .first()
    )
    token = give_link(live_demo.users["referente"], live_demo.porteur, pathway, replace=True)
    return f"/mon-espace/{token}/", pathway


def test_the_youths_space_in_arabic_then_in_english(
    page, live_demo, screens, screenshot, settings, tmp_path
):
    """She chooses Arabic on the link's page, opens her space, says she will come to an
    appointment, reads who sees what, then switches to English and reads who opened her
    file: each page in her language, the Arabic ones right to left."""
    settings.MEDIA_ROOT = tmp_path  # her photo is not kept beyond the test
    url, pathway = _link(live_demo)
    page.goto(url)
    page.get_by_role("button", name="العربيّة").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screens.check(page, small_phone=True)
    page.get_by_label("تاريخ ميلادك").fill(f"{pathway.youth.birth_date:%d/%m/%Y}")
    page.get_by_role("button", name="افتح مساحتي").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"مرحبًا {pathway.youth.first_names}")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    # she already said she cannot come to the mission locale's appointment; she will come
    # to the workshop of tomorrow
    expect(page.get_by_text("قلت: لا أستطيع الحضور.")).to_be_visible()
    page.get_by_role("button", name="سأكون حاضرًا").first.click()
    expect(page.get_by_text("قلت: سأكون حاضرًا.")).to_be_visible()
    screens.check(page, small_phone=True)
    screens.shoot(page, screenshot, "youth-space-arabic")
    page.get_by_role("link", name="انظر المنظمات التي لديها موافقتي، واسحبها إن أردت").click()
    expect(page.get_by_role("heading", name="من يرى ماذا في ملفي")).to_be_visible()
    screens.check(page, small_phone=True)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Who sees what in my file")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.get_by_role("link", name="Back to my space").click()
    expect(page.get_by_role("heading", name="My next appointments")).to_be_visible()
    # a piece of her file still to bring: a photo from her phone
    papers = page.locator("#papiers").locator("..")
    papers.locator("input[type=file]").first.set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": PNG}]
    )
    papers.get_by_role("button", name="Send", exact=True).first.click()
    expect(page.get_by_text("you sent it on")).to_be_visible()
    screens.check(page, small_phone=True)
    page.get_by_role("link", name="See who opened my file, and when").click()
    expect(page.get_by_role("heading", name="Who opened my file")).to_be_visible()
    expect(page.get_by_text("Rebond Jeunes Lille (porteur CEJ-JR)")).to_be_visible()
    screens.check(page, small_phone=True)
    page.get_by_role("link", name="Ask for my data to be erased").click()
    page.get_by_label("Why? (if you want to say)").fill("I have found a job.")
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_text("Your request was sent on")).to_be_visible()
    screens.check(page, small_phone=True)
    screens.assert_clean()


def test_a_hosted_youths_space_in_french_arabic_and_english(page, live_demo, screens, screenshot):
    """The director of the member hosting a minor gives her the link from the stay's page;
    she reads where she lives, whom to call at night and her road to 18, in French, then in
    Arabic right to left, then in English, and asks for a copy of her data."""
    from django.utils import timezone

    from coparcours.housing.models import Stay

    from .test_journeys import log_in

    today = timezone.localdate()
    stay = (  # the minor hosted by Temps de vie nearest to 18
        Stay.objects.active(today)
        .filter(
            author_organisation=live_demo.temps_de_vie,
            youth__birth_date__gt=today.replace(year=today.year - 18),
        )
        .select_related("youth", "site")
        .order_by("youth__birth_date")
        .first()
    )
    log_in(page, "direction")
    page.goto(f"/hebergement/sejours/{stay.pk}/")
    expect(page.get_by_role("heading", name="L'espace du jeune")).to_be_visible()
    screens.check(page, small_phone=True)
    page.get_by_role("button", name="Créer un lien pour le jeune").click()
    url = page.locator("#youth-url").inner_text()
    screens.check(page, small_phone=True)
    page.context.clear_cookies()  # her own phone
    page.goto(url)
    page.get_by_label("Votre date de naissance").fill(f"{stay.youth.birth_date:%d/%m/%Y}")
    page.get_by_role("button", name="Ouvrir mon espace").click()
    expect(page.get_by_role("heading", name="Où j'habite")).to_be_visible()
    expect(page.get_by_text(stay.site.name)).to_be_visible()
    expect(page.get_by_role("link", name="Appeler le 03 53 73 10")).to_be_visible()
    expect(page.get_by_role("heading", name="Vers mes 18 ans")).to_be_visible()
    expect(page.get_by_role("link", name="119")).to_be_visible()
    screens.check(page, small_phone=True)
    screens.shoot(page, screenshot, "youth-space-hosted")
    page.get_by_role("button", name="العربيّة").click()
    expect(page.get_by_role("heading", name="أين أسكن")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screens.check(page, small_phone=True)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Where I live")).to_be_visible()
    expect(page.get_by_role("heading", name="At night and at the weekend")).to_be_visible()
    screens.check(page, small_phone=True)
    page.get_by_role("link", name="Ask for a copy of my data").click()
    page.get_by_role("button", name="Ask for my copy").click()
    expect(page.get_by_text("Your request was sent on")).to_be_visible()
    screens.check(page, small_phone=True)
    screens.assert_clean()


def test_her_reminders_her_paper_and_her_consent_withdrawn_reach_the_professionals(
    page, live_demo, screens, settings, tmp_path
):
    """She agrees to reminders: the worker sends the one due through the file backend, and
    once only. She sends a paper: it waits on her referent's home page. She withdraws her
    consent to the mission locale: the counsellor who read her pathway a minute before no
    longer can."""
    import json

    from django.utils import timezone

    from coparcours.cej import reminders
    from coparcours.cej.models.reminders import ReminderKind

    from .test_journeys import log_in

    settings.MEDIA_ROOT = tmp_path
    outbox = tmp_path / "sms.jsonl"
    settings.SMS_URL = f"file://{outbox}"
    url, pathway = _link(live_demo)
    accompaniment = f"/cej/parcours/{pathway.pk}/accompagnement/"
    log_in(page, "conseiller")
    assert page.goto(accompaniment).status == 200
    page.context.clear_cookies()  # her own phone

    page.goto(url)
    page.get_by_label("Votre date de naissance").fill(f"{pathway.youth.birth_date:%d/%m/%Y}")
    page.get_by_role("button", name="Ouvrir mon espace").click()
    page.get_by_role("button", name="Oui, par SMS").click()
    expect(page.get_by_text("Vous recevez un rappel par SMS")).to_be_visible()
    screens.check(page, small_phone=True)
    coming = (
        pathway.activities.filter(starts_at__gt=timezone.now())
        .exclude(youth_answer="not_coming")
        .order_by("starts_at")
        .first()
    )
    due = reminders.due_time(coming.starts_at, ReminderKind.TWO_HOURS)
    reminders.run(due + datetime.timedelta(minutes=1))
    sent = outbox.read_text().splitlines()
    reminders.run(due + datetime.timedelta(minutes=6))  # the next run sends nothing again
    assert outbox.read_text().splitlines() == sent and len(set(sent)) == len(sent)
    _subject, text = reminders.reminder_message("", coming.starts_at)
    (mine,) = [message for message in map(json.loads, sent) if message["text"] == text]
    assert mine["to"].startswith("+33") and "rendez-vous" in text

    papers = page.locator("#papiers").locator("..")
    papers.locator("input[type=file]").first.set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": PNG}]
    )
    papers.get_by_role("button", name="Envoyer", exact=True).first.click()
    expect(page.get_by_text("vous l'avez envoyée le")).to_be_visible()

    page.get_by_role("link", name="Voir les organisations qui ont mon accord").click()
    mission_locale = page.locator("section").filter(
        has=page.get_by_role("heading", name="Mission locale de Lille")
    )
    mission_locale.get_by_role("link", name="Retirer mon accord").click()
    screens.check(page, small_phone=True)
    page.get_by_role("button", name="Oui, retirer mon accord").click()
    expect(page.get_by_text("ne voit plus ces informations")).to_be_visible()
    screens.check(page, small_phone=True)

    page.context.clear_cookies()
    log_in(page, "conseiller")
    assert page.goto(accompaniment).status in (403, 404)
    page.context.clear_cookies()
    log_in(page, "referente")  # her referent at the porteur
    page.locator(".org-menu summary").click()
    page.get_by_label("Organisation", exact=True).select_option(
        label="Rebond Jeunes Lille (porteur CEJ-JR) — Référent·e de parcours"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Changer").click()
    waiting = page.locator('[data-todo="cej_youth_papers"]')
    expect(waiting.get_by_role("heading", name="Papiers envoyés par les jeunes")).to_be_visible()
    expect(waiting.get_by_text(str(pathway.youth), exact=True)).to_be_visible()
    screens.assert_clean()
