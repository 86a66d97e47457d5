"""Orientation and closed-loop referrals: consent, answers by link, expiry, reminders."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coparcours.core.access import Category
from coparcours.directory import selectors
from coparcours.directory.models import Referral, ReferralStatus, Scheme, Service
from coparcours.directory.services.referrals import (
    answer_as_member,
    answer_referral,
    expire_and_remind,
    referral_from_token,
    referral_token,
    send_referral,
)
from coparcours.youths.models import Note

CMP = "coparcours-demo-nord--cmp-lille-premier-rdv"


@pytest.fixture
def lucas(demo):
    return demo.porteur.owned_youths.get(last_name="Martin")


def _send(demo, youth, **overrides):
    values = {
        "service": Service.objects.get(di_id=CMP),
        "categories": [Category.MENTAL_HEALTH],
        "message": "Jeune en grande souffrance psychique, sans suivi depuis un an.",
        "consented_categories": [Category.IDENTITY, Category.MENTAL_HEALTH],
        "consent_given_by": "youth",
        "consent_method": "signed_form",
    }
    values.update(overrides)
    return send_referral(demo.users["referente"], youth, demo.porteur, **values)


def test_schemes_are_seeded_with_criteria_operators_and_incompatibilities(demo):
    cej_jr = Scheme.objects.get(code="cej-jr")
    assert cej_jr.min_months_without_contact == 5
    assert {s.code for s in Scheme.objects.get(code="pacea").incompatible_with.all()} == {
        "cej",
        "cej-jr",
    }
    assert [s.nom for s in cej_jr.operators.order_by("nom")] == [
        "Mission locale de Lille",
        "Rebond Jeunes Lille",
    ]


def test_orientation_ranks_schemes_and_uses_only_visible_data(demo, lucas):
    result = selectors.orientation(demo.users["referente"], lucas, theme="sante--sante-mentale")
    ranked = [f.scheme.code for f in result.schemes]
    assert ranked.index("cej") < ranked.index("contrat-jeune-majeur")
    prij = next(f for f in result.schemes if f.scheme.code == "prij")
    assert prij.fit.unknown == [
        "Résidence (75, 77, 78, 91, 92, 93, 94, 95) : adresse non visible ou sans code postal."
    ]
    names = [fit.service.nom for fit in result.services]
    assert "Premier rendez-vous en santé mentale (16-25 ans)" in names
    assert all("Ouvert aux jeunes." in fit.met for fit in result.services[:3])

    # The mission locale's counsellor never sees identity-less categories such as health:
    # facts it may not read stay unknown.
    counsellor_view = selectors.youth_facts(demo.users["conseiller"], lucas)
    assert counsellor_view.birth_date == lucas.birth_date
    assert "Coordonnées" not in counsellor_view.hidden  # consent covers contact


def test_referral_needs_consent_covering_what_is_sent(demo, lucas):
    with pytest.raises(ValidationError) as refused:
        _send(demo, lucas, consented_categories=[Category.IDENTITY])
    assert refused.value.message_dict["consented_categories"] == [
        "Le jeune n'a pas donné son accord pour transmettre : Santé mentale. Recueillez son "
        "accord avant d'envoyer l'orientation."
    ]
    assert not Referral.objects.exists()
    assert not Note.objects.filter(title__startswith="Orientation").exists()


def test_counsellor_cannot_send_what_it_may_not_see(demo, lucas):
    with pytest.raises(PermissionDenied):
        send_referral(
            demo.users["conseiller"],
            lucas,
            demo.mission_locale,
            service=Service.objects.get(di_id=CMP),
            categories=[Category.MENTAL_HEALTH],
            message="…",
            consented_categories=[Category.IDENTITY, Category.MENTAL_HEALTH],
            consent_given_by="youth",
            consent_method="signed_form",
        )
    assert not Referral.objects.exists()


def test_answer_by_link_records_the_outcome_on_the_timeline(
    demo, lucas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = _send(demo, lucas)
    assert referral.status == ReferralStatus.OPEN
    assert mail.outbox[0].to == ["cmp-jeunes@epsm-lille.exemple.fr"]
    token = re.search(r"/annuaire/reponse/([^/\s]+)/", mail.outbox[0].body).group(1)
    found = referral_from_token(token)
    assert found == referral
    answer_referral(
        found, accepted=False, reason="full", comment="Rappeler en mai.", answered_by="Dr Leroy"
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFUSED
    note = Note.objects.filter(youth=lucas).order_by("-pk").first()
    assert note.title.startswith("Orientation refusée (Plus de place")
    assert note.category == Category.MENTAL_HEALTH
    assert note.author_organisation == demo.porteur
    with pytest.raises(ValidationError, match="déjà reçu une réponse"):
        answer_referral(found, accepted=True, answered_by="Dr Leroy")


def test_refusal_needs_a_reason_and_tampered_or_expired_links_are_refused(demo, lucas, settings):
    referral = _send(demo, lucas)
    with pytest.raises(ValidationError) as refused:
        answer_referral(referral, accepted=False, answered_by="Accueil")
    assert "refusal_reason" in refused.value.message_dict
    token = referral_token(referral)
    with pytest.raises(ValidationError, match="n'est pas valide"):
        referral_from_token(token[:-2] + "xx")
    signer = signing.TimestampSigner(salt="coparcours.directory.referral")
    old = signer.sign(str(referral.pk))
    settings.DIRECTORY_REFERRAL_DAYS = 0
    with pytest.raises(ValidationError, match="a expiré"):
        referral_from_token(old)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_reminders_then_expiry(demo, lucas, settings):
    referral = _send(demo, lucas)
    today = timezone.localdate()
    assert expire_and_remind(today) == (0, 0)
    assert expire_and_remind(today + datetime.timedelta(days=5)) == (0, 1)
    assert "Rappel" in mail.outbox[-1].subject
    assert expire_and_remind(today + datetime.timedelta(days=6)) == (0, 0)
    assert expire_and_remind(referral.expires_on) == (1, 0)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.EXPIRED
    assert Note.objects.filter(youth=lucas, title__startswith="Orientation expirée").exists()
    with pytest.raises(ValidationError, match="déjà reçu une réponse"):
        answer_referral(referral, accepted=True, answered_by="Accueil")


def test_structure_on_coparcours_answers_from_its_account(demo, lucas):
    referral = _send(
        demo,
        lucas,
        service=Service.objects.get(di_id="coparcours-demo-nord--ml-lille-sante"),
    )
    with pytest.raises(PermissionDenied):
        answer_as_member(demo.users["direction"], referral, accepted=True)
    answer_as_member(demo.users["conseiller"], referral, accepted=True)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert list(selectors.received_referrals(demo.mission_locale.pk)) == [referral]


def test_orientation_uses_the_visible_address_for_the_zone(demo, lucas):
    lucas.address = "14 rue des Postes, 59000 Lille"
    lucas.save()
    result = selectors.orientation(demo.users["referente"], lucas, theme="sante--sante-mentale")
    assert result.facts.departement == "59"
    by_id = {fit.service.di_id: fit for fit in result.services}
    assert (
        "Dans la zone d'éligibilité du service."
        in by_id["coparcours-demo-nord--paej-roubaix-ecoute"].met
    )
    assert "À vérifier : le service est réservé à certaines communes." in by_id[CMP].met
    assert not by_id[CMP].missing
    prij = next(f for f in result.schemes if f.scheme.code == "prij")
    assert prij.fit.missing == [
        "Résidence : le dispositif est réservé à 75, 77, 78, 91, 92, 93, 94, 95."
    ]


def test_demo_directory_loads_again_without_change(demo):
    from coparcours.demo.nord import load_nord_demo

    load_nord_demo()
    assert Service.objects.count() == 22
    assert Scheme.objects.count() == 7
    structure = Service.objects.get(di_id="coparcours-demo-nord--ml-lille-cej").structure
    assert structure.organisation == demo.mission_locale
