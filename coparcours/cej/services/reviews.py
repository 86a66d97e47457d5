"""Milestone reviews (3 and 6 months): scheduling, ratings, closing and reminders."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from coparcours.cej import rules
from coparcours.cej.models import Pathway, Review, ReviewRating, ReviewReminder
from coparcours.cej.models.plan import DIMENSION_CATEGORIES, Dimension
from coparcours.cej.models.reviews import Rater
from coparcours.cej.rules import Stage
from coparcours.cej.services.common import (
    require_not_future,
    require_own_write,
    require_pathway_write,
)
from coparcours.core.access import (
    Capability,
    SharedAct,
    member_organisation,
    require_act,
    roles_holding,
)
from coparcours.core.batches import chunks
from coparcours.organisations.models import Membership, Organisation


def schedule_reviews(pathway: Pathway) -> list[Review]:
    """The 3- and 6-month reviews after entry into the pathway, created once when
    the co-accompaniment starts (remobilisation)."""
    existing = set(pathway.reviews.values_list("milestone_months", flat=True))
    return [
        Review.objects.create(
            youth_id=pathway.youth_id,
            author_organisation_id=pathway.author_organisation_id,
            pathway=pathway,
            milestone_months=months,
            due_on=rules.add_months(pathway.identified_on, months),
        )
        for months in rules.REVIEW_MILESTONES
        if months not in existing
    ]


@transaction.atomic
def rate_review(
    user: Any,
    organisation: Organisation,
    review: Review,
    *,
    rater: str,
    scores: dict[str, int],
) -> list[ReviewRating]:
    """The ratings of one rater (the youth, the porteur or the mission locale) on the 1–4
    scale; a partner rates for its own organisation, the youth's answers are entered by one
    of them. Each rating carries the dimension's category."""
    organisation = member_organisation(user, organisation)
    pathway = review.pathway
    require_act(organisation.pk, pathway, SharedAct.REVIEWS)
    own_side = (
        Rater.PORTEUR if organisation.pk == pathway.author_organisation_id else Rater.MISSION_LOCALE
    )
    if rater not in {Rater.YOUTH, own_side}:
        raise ValidationError({"rater": "Chaque partenaire note pour sa propre organisation."})
    if review.held_on is not None:
        raise ValidationError("Ce bilan est clos.")
    for dimension, score in scores.items():
        if dimension not in Dimension.values:
            raise ValidationError({"scores": f"Dimension inconnue : {dimension}."})
        if score not in rules.RATING_DESCRIPTORS:
            raise ValidationError(
                {"scores": f"{Dimension(dimension).label} : la note va de 1 à 4 (reçu {score})."}
            )
    ratings = []
    for dimension, score in scores.items():
        require_own_write(user, pathway, organisation, DIMENSION_CATEGORIES[dimension])
        rating, _created = ReviewRating.objects.update_or_create(
            review=review,
            dimension=dimension,
            rater=rater,
            defaults={
                "youth_id": pathway.youth_id,
                "author_organisation": organisation,
                "score": score,
            },
        )
        ratings.append(rating)
    return ratings


@transaction.atomic
def close_review(
    user: Any,
    organisation: Organisation,
    review: Review,
    *,
    held_on: datetime.date,
    next_steps: str,
) -> Review:
    """The review ends with a next-step plan agreed by the youth and all the partners."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, review.pathway, SharedAct.REVIEWS)
    require_pathway_write(user, review.pathway, organisation)
    require_not_future(held_on, "held_on", "Un bilan")
    if not next_steps.strip():
        raise ValidationError({"next_steps": "Le bilan se termine par un plan concerté."})
    if not review.ratings.exists():
        raise ValidationError("Notez au moins une dimension avant de clore le bilan.")
    review.held_on = held_on
    review.next_steps = next_steps.strip()
    review.save()
    return review


#: Who is reminded of a review in each partner organisation: the people who follow youths
#: (the access policy's ``caseload``).
REMINDED_ROLES = roles_holding(Capability.CASELOAD)


def review_recipients(reviews: list[Review], today: datetime.date) -> dict[int, list[Any]]:
    """Per review, the active referents and counsellors of the organisations that
    accompany the youth in the partnership (the porteur and the pathway's mission locale)
    who were not reminded of it yet. Two queries whatever the number of reviews."""
    organisations = {
        org_id
        for review in reviews
        for org_id in (review.pathway.author_organisation_id, review.pathway.mission_locale_id)
    }
    people: dict[int, dict[int, Any]] = {}
    for membership in (
        Membership.objects.active(today)
        .filter(organisation_id__in=organisations, role__in=REMINDED_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    ):
        people.setdefault(membership.organisation_id, {})[membership.user_id] = membership.user
    done = set(
        pair
        for ids in chunks(r.pk for r in reviews)
        for pair in ReviewReminder.objects.filter(review_id__in=ids).values_list(
            "review_id", "user_id"
        )
    )
    recipients = {}
    for review in reviews:
        pathway = review.pathway
        users = {
            **people.get(pathway.author_organisation_id, {}),
            **people.get(pathway.mission_locale_id, {}),
        }
        recipients[review.pk] = [
            user
            for user_id, user in users.items()
            if (review.pk, user_id) not in done and user.email
        ]
    return recipients


def remind_reviews(today: datetime.date) -> list[Review]:
    """E-mail every partner of each review due within seven days (the review gathers all
    the partners): the referents and counsellors of the porteur and of the mission locale,
    once per review and person. The mail names the youth and the date, nothing else (no
    health or justice content, whoever reads it)."""
    due = list(
        Review.objects.filter(
            held_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=7),
            pathway__stage__in=[Stage.REMOBILISATION, Stage.CONTRACT],
        ).select_related("pathway__youth")
    )
    recipients = review_recipients(due, today)
    reminded = []
    for review in due:
        pathway = review.pathway
        sent = False
        for user in recipients[review.pk]:
            try:
                # The record and its mail are one transaction: a run killed before the
                # hand-off leaves the reminder to the next run (docs/decisions.md, section 22).
                with transaction.atomic():
                    ReviewReminder.objects.create(review=review, user=user, sent_on=today)
                    send_mail(
                        f"Bilan à {review.milestone_months} mois de {pathway.youth} le "
                        f"{review.due_on:%d/%m/%Y}",
                        f"Bonjour,\n\nLe bilan d'étape à {review.milestone_months} mois du "
                        f"parcours CEJ-JR de {pathway.youth} est prévu le "
                        f"{review.due_on:%d/%m/%Y}, avec le jeune et tous les partenaires."
                        f"\n\n{settings.SITE_URL}/cej/parcours/{pathway.pk}/\n",
                        None,
                        [user.email],
                    )
                    if review.reminded_on != today:
                        review.reminded_on = today
                        review.save(update_fields=["reminded_on", "updated_at"])
            except IntegrityError:  # reminded meanwhile by another run: never twice
                continue
            sent = True
        if sent:
            reminded.append(review)
    return reminded
