"""The milestone reviews: their ratings and their closing with the concerted plan."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Schema, Status

from coparcours.cej import selectors
from coparcours.cej.api.router import accompaniment_of, router
from coparcours.cej.models import Review
from coparcours.cej.services import reviews
from coparcours.core.access import Capability, Category, api_acting_organisation
from coparcours.core.access.api_routes import api_requires


class ReviewRatingOut(Schema):
    dimension: str
    rater: str
    score: int


class ReviewOut(Schema):
    id: int
    milestone_months: int
    due_on: datetime.date
    held_on: datetime.date | None
    next_steps: str
    ratings: list[ReviewRatingOut]


class RatingsIn(Schema):
    organisation_id: int | None = None
    rater: str
    scores: dict[str, int]


class ReviewCloseIn(Schema):
    organisation_id: int | None = None
    held_on: datetime.date
    next_steps: str


@router.get("/pathways/{pathway_id}/reviews", response=list[ReviewOut], summary="Bilans d'étape")
@api_requires(Capability.CEJ, categories=Category.values)
def list_reviews(request: HttpRequest, pathway_id: int):
    _pathway, page = accompaniment_of(request, pathway_id)
    return [
        {
            "id": r.review.pk,
            "milestone_months": r.review.milestone_months,
            "due_on": r.review.due_on,
            "held_on": r.review.held_on,
            "next_steps": r.review.next_steps,
            "ratings": r.ratings,
        }
        for r in page.reviews
    ]


@router.post(
    "/pathways/{pathway_id}/reviews/{review_id}/ratings",
    response={201: list[ReviewRatingOut]},
    summary="Noter les dimensions (1 à 4)",
)
@api_requires(Capability.CEJ, categories=Category.values, acting=True)
def rate_review(request: HttpRequest, pathway_id: int, review_id: int, payload: RatingsIn):
    _pathway, review = selectors.pathway_record_for(
        request.auth, pathway_id, Review.objects.all(), review_id
    )
    organisation = api_acting_organisation(request, payload.organisation_id)
    return Status(
        201,
        reviews.rate_review(
            request.auth, organisation, review, rater=payload.rater, scores=payload.scores
        ),
    )


@router.post(
    "/pathways/{pathway_id}/reviews/{review_id}/close",
    response=ReviewOut,
    summary="Clore le bilan avec le plan concerté",
)
@api_requires(Capability.CEJ, categories=Category.values, acting=True)
def close_review(request: HttpRequest, pathway_id: int, review_id: int, payload: ReviewCloseIn):
    _pathway, review = selectors.pathway_record_for(
        request.auth, pathway_id, Review.objects.all(), review_id
    )
    organisation = api_acting_organisation(request, payload.organisation_id)
    review = reviews.close_review(
        request.auth, organisation, review, held_on=payload.held_on, next_steps=payload.next_steps
    )
    return {
        "id": review.pk,
        "milestone_months": review.milestone_months,
        "due_on": review.due_on,
        "held_on": review.held_on,
        "next_steps": review.next_steps,
        "ratings": list(review.ratings.all()),
    }
