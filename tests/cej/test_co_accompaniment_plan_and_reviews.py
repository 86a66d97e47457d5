"""Co-accompaniment: "who does what", the action plan, milestone reviews and interviews."""

from __future__ import annotations

import base64

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from coparcours.cej import rules
from coparcours.cej.models import Review
from coparcours.cej.services.interviews import record_interview
from coparcours.cej.services.plan import add_plan_action, charter, set_action_status, start_plan
from coparcours.cej.services.reviews import rate_review, remind_reviews, schedule_reviews
from coparcours.core.access import Category
from coparcours.organisations.models import Role

from .co_accompaniment import EE, _consent
from .conftest import TODAY, member
from .test_pathway_services import _to_remobilisation

# --- "who does what" and the plan -----------------------------------------------------


def test_the_charter_has_defaults_is_editable_and_printable(world, client_for):
    client = client_for(world.referent)
    url = f"/cej/partenariats/{world.partnership.pk}/qui-fait-quoi/"
    page = client.get(url).content.decode()
    assert "Mission locale" in page and "Accompagnement social global par le porteur." in page
    lines = charter(world.partnership)
    assert {line.dimension: line.lead for line in lines}["employment"] == "mission_locale"
    assert {line.dimension: line.lead for line in lines}["housing"] == "porteur"
    data = {f"lead_{line.dimension}": line.lead for line in lines}
    data |= {f"what_{line.dimension}": line.what for line in lines}
    data["lead_housing"] = "shared"
    data["what_housing"] = "SIAO par le porteur, FSL par la mission locale"
    assert client_for(world.counsellor).post(url, data).status_code == 302
    assert charter(world.partnership)[1].what.startswith("SIAO")
    assert client.get(url.rstrip("/") + ".pdf")["Content-Type"] == "application/pdf"
    outsider = client_for(member(world.unrelated, Role.REFERENT))
    assert outsider.get(url).status_code == 403  # not a CEJ-JR partner: no committee at all


def test_plan_actions_are_owned_and_follow_the_policy(world, pathway):
    plan = start_plan(world.referent, world.porteur, pathway, diagnosis_on=TODAY)
    with pytest.raises(ValidationError, match="déjà un plan"):
        start_plan(world.referent, world.porteur, pathway, diagnosis_on=TODAY)
    outsider = member(world.unrelated, Role.REFERENT)
    with pytest.raises(ValidationError, match="Choisissez une personne membre"):
        add_plan_action(
            world.referent,
            world.porteur,
            plan,
            dimension="employment",
            objective="Trouver une formation",
            action="Inscription à la POEC",
            owner_organisation=world.mission_locale,
            owner=outsider,
            due_on=TODAY,
        )
    job = add_plan_action(
        world.referent,
        world.porteur,
        plan,
        dimension="employment",
        objective="Trouver une formation",
        action="Inscription à la POEC",
        owner_organisation=world.mission_locale,
        owner=world.counsellor,
        due_on=TODAY,
    )
    care = add_plan_action(
        world.referent,
        world.porteur,
        plan,
        dimension="health",
        objective="Accès aux soins",
        action="Rendez-vous au CMP",
        owner_organisation=world.porteur,
        owner=world.referent,
        due_on=TODAY,
    )
    assert (job.category, care.category) == (EE, Category.HEALTH)
    with pytest.raises(PermissionDenied):  # a counsellor never reads health data
        set_action_status(world.counsellor, world.mission_locale, care, "done")
    set_action_status(world.referent, world.porteur, care, "in_progress")


def test_the_counsellor_does_not_see_a_health_action(world, pathway, client_for):
    test_plan_actions_are_owned_and_follow_the_policy(world, pathway)
    url = f"/cej/parcours/{pathway.pk}/accompagnement/"
    seen_by_counsellor = client_for(world.counsellor).get(url).content.decode()
    assert "Inscription à la POEC" in seen_by_counsellor
    assert "CMP" not in seen_by_counsellor
    assert "1 action protégée par le secret professionnel" in seen_by_counsellor
    assert "CMP" in client_for(world.referent).get(url).content.decode()


# --- reviews, interviews --------------------------------------------------------------


def _chart(html: str) -> str:
    """The SVG text of the progress chart embedded in a page."""
    encoded = html.split('src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]
    return base64.b64decode(encoded).decode()


def test_reviews_are_scheduled_rated_and_closed(world, client_for):
    pathway = world.outreach(registration="never")
    _to_remobilisation(world, pathway)
    reviews = list(pathway.reviews.all())
    assert [(r.milestone_months, r.due_on) for r in reviews] == [
        (3, rules.add_months(pathway.identified_on, 3)),
        (6, rules.add_months(pathway.identified_on, 6)),
    ]
    review = reviews[0]
    with pytest.raises(ValidationError, match="la note va de 1 à 4"):
        rate_review(world.referent, world.porteur, review, rater="porteur", scores={"housing": 5})
    assert not review.ratings.exists()
    with pytest.raises(ValidationError, match="pour sa propre organisation"):
        rate_review(
            world.referent, world.porteur, review, rater="mission_locale", scores={"housing": 2}
        )
    rate_review(world.referent, world.porteur, review, rater="porteur", scores={"housing": 2})
    rate_review(
        world.referent, world.porteur, review, rater="youth", scores={"housing": 3, "health": 1}
    )
    _consent(world, pathway)
    rate_review(
        world.counsellor,
        world.mission_locale,
        review,
        rater="mission_locale",
        scores={"employment": 2},
    )
    with pytest.raises(PermissionDenied):
        rate_review(
            world.counsellor, world.mission_locale, review, rater="youth", scores={"health": 2}
        )
    client = client_for(world.referent)
    url = f"/cej/parcours/{pathway.pk}/bilans/{review.pk}/"
    refused = client.post(url, {"held_on": TODAY.isoformat(), "next_steps": ""})
    assert "Ce champ est obligatoire" in refused.content.decode()
    client.post(url, {"held_on": TODAY.isoformat(), "next_steps": "Recherche de logement FJT"})
    review.refresh_from_db()
    assert review.held_on == TODAY
    page = client.get(f"/cej/parcours/{pathway.pk}/accompagnement/").content.decode()
    referent_chart = _chart(page)
    assert "Santé" in referent_chart and "Logement" in referent_chart
    counsellor_page = client_for(world.counsellor).get(
        f"/cej/parcours/{pathway.pk}/accompagnement/"
    )
    counsellor_chart = _chart(counsellor_page.content.decode())
    assert "Emploi et formation" in counsellor_chart and "Santé" not in counsellor_chart


def test_a_bad_rating_through_the_page_saves_nothing(world, client_for):
    pathway = world.outreach(registration="never")
    _to_remobilisation(world, pathway)
    review = pathway.reviews.first()
    response = client_for(world.referent).post(
        f"/cej/parcours/{pathway.pk}/bilans/{review.pk}/",
        {"rater": "porteur", "score_housing": "7"},
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not review.ratings.exists()


def test_reminders_go_to_the_referent_and_the_counsellor_once(world, pathway):
    Review.objects.filter(pathway=pathway).delete()
    schedule_reviews(pathway)
    Review.objects.filter(pathway=pathway, milestone_months=3).update(due_on=TODAY)
    assert len(remind_reviews(TODAY)) == 1
    assert {m.to[0] for m in mail.outbox} == {world.referent.email, world.counsellor.email}
    assert remind_reviews(TODAY) == []


def test_a_health_synthesis_stays_with_its_author(world, pathway, client_for):
    record_interview(
        world.referent,
        world.porteur,
        pathway,
        kind="synthesis",
        category=Category.HEALTH,
        title="Synthèse santé",
        text="Suivi psychiatrique en cours.",
        occurred_on=TODAY,
    )
    record_interview(
        world.counsellor,
        world.mission_locale,
        pathway,
        kind="tripartite",
        category=EE,
        title="Entretien tripartite",
        text="Projet : CAP cuisine.",
        occurred_on=TODAY,
    )
    url = f"/cej/parcours/{pathway.pk}/accompagnement/"
    seen = client_for(world.counsellor).get(url).content.decode()
    assert "CAP cuisine" in seen and "psychiatrique" not in seen
    assert "psychiatrique" in client_for(world.referent).get(url).content.decode()
