"""The milestone reviews: each partner and the youth rate, the concerted plan closes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coparcours.cej import rules, selectors
from coparcours.cej.forms import RatingForm, ReviewCloseForm
from coparcours.cej.models import Review
from coparcours.cej.models.plan import DIMENSION_CATEGORIES, Dimension
from coparcours.cej.models.reviews import Rater
from coparcours.cej.services import reviews
from coparcours.cej.views.common import acts, back_to_accompaniment
from coparcours.core.access import Action, Category, acting_organisation, check_categories
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors


def _writable_dimensions(request: HttpRequest, pathway, acting) -> list[str]:
    """The dimensions the acting organisation may rate: those whose category it writes
    through a grant of its own."""
    grants = check_categories(
        request.user, pathway.youth, sorted(set(DIMENSION_CATEGORIES.values())), Action.WRITE
    )
    return [
        d
        for d in Dimension.values
        if grants[DIMENSION_CATEGORIES[d]]
        and grants[DIMENSION_CATEGORIES[d]].organisation_id == getattr(acting, "pk", None)
    ]


def _own_rater(pathway, acting) -> str:
    """Who the acting organisation rates as: the porteur, or else the mission locale."""
    return (
        Rater.PORTEUR
        if acting and acting.pk == pathway.author_organisation_id
        else (Rater.MISSION_LOCALE)
    )


def _rate(request: HttpRequest, acting, pathway, review, rating_form) -> HttpResponse | None:
    """Record the scores posted with the rating form: the review again once saved, None
    when there is nothing to save or the form shows its errors."""
    if not (request.method == "POST" and rating_form.is_bound and rating_form.is_valid()):
        return None
    try:
        reviews.rate_review(
            request.user,
            acting,
            review,
            rater=rating_form.cleaned_data["rater"],
            scores=rating_form.scores(),
        )
    except ValidationError as error:
        apply_service_errors(rating_form, error)
        return None
    messages.success(request, "Notes enregistrées.")
    return redirect("cej:review", pk=pathway.pk, review_id=review.pk)


def _close(request: HttpRequest, acting, pathway, review, close_form) -> HttpResponse | None:
    """Close the review with the concerted plan posted: back to the co-accompaniment once
    saved, None when there is nothing to save or the form shows its errors."""
    if not (request.method == "POST" and close_form.is_bound and close_form.is_valid()):
        return None
    try:
        reviews.close_review(request.user, acting, review, **close_form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(close_form, error)
        return None
    messages.success(request, "Bilan clos avec son plan concerté.")
    return back_to_accompaniment(pathway)


@requires(Capability.CEJ, categories=Category.values)
def review_detail(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    """A milestone review: each partner and the youth rate each dimension, then the
    concerted next-step plan closes it."""
    pathway, review = selectors.pathway_record_for(
        request.user, pk, Review.objects.all(), review_id
    )
    acting = acting_organisation(request)
    dimensions = _writable_dimensions(request, pathway, acting)
    own = _own_rater(pathway, acting)
    rating_form = RatingForm(
        request.POST if "rater" in request.POST else None,
        dimensions=dimensions,
        raters=[Rater.YOUTH, own],
    )
    close_form = ReviewCloseForm(
        request.POST if "next_steps" in request.POST else None,
        initial={"held_on": timezone.localdate()},
    )
    saved = _rate(request, acting, pathway, review, rating_form)
    if saved is None:
        saved = _close(request, acting, pathway, review, close_form)
    if saved is not None:
        return saved
    page = selectors.accompaniment_page(request.user, pathway, rules.week_start(review.due_on))
    rated = next((r for r in page.reviews if r.review.pk == review.pk), None)
    return render(
        request,
        "cej/review.html",
        {
            "pathway": pathway,
            "review": review,
            "ratings": rated.ratings if rated else [],
            "rating_form": rating_form,
            "close_form": close_form,
            "descriptors": rules.RATING_DESCRIPTORS,
            "may_act": acts(request, pathway),
        },
    )
