"""The list of CEJ-JR pathways, a pathway's page and its co-accompaniment page."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coparcours.cej import rules, selectors
from coparcours.cej.rules import Stage
from coparcours.cej.views.common import acts
from coparcours.cej.youth_section import may_give_link
from coparcours.core.access import Category, acting_organisation
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.space.links import youth_access

#: Pathways per page of the list (as the caseload).
PAGE_SIZE = 25


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def pathway_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("etape", "")
    text = request.GET.get("q", "").strip()
    rows = selectors.pathway_list(request.user, stage=stage, text=text)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cej/pathway_list.html",
        {"page": page, "stage": stage, "q": text, "stages": Stage.choices},
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def pathway_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    page = selectors.pathway_page(request.user, pathway)
    return render(
        request,
        "cej/pathway_detail.html",
        {
            "pathway": pathway,
            "page": page,
            "stage_changes": pathway.stage_changes.select_related("by", "decision__meeting"),
            "decisions": pathway.decisions.select_related("meeting"),
            "may_act": acts(request, pathway),
            "Stage": Stage,
        },
    )


def _week_param(request: HttpRequest) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        day = timezone.localdate()
    return rules.week_start(day)


@requires(Capability.CEJ, categories=Category.values)
def accompaniment(request: HttpRequest, pk: int) -> HttpResponse:
    """The co-accompaniment of a youth: plan, activities and weekly hours, reviews,
    interviews and syntheses, the youth's own page."""
    pathway = selectors.pathway_for(request.user, pk)
    week = _week_param(request)
    page = selectors.accompaniment_page(request.user, pathway, week)
    return render(
        request,
        "cej/accompaniment.html",
        {
            "pathway": pathway,
            "page": page,
            "week": week,
            "previous_week": week - datetime.timedelta(days=7),
            "next_week": week + datetime.timedelta(days=7),
            "Stage": Stage,
            "descriptors": rules.RATING_DESCRIPTORS,
            "may_act": acts(request, pathway),
            "youth_access": youth_access(pathway.youth) if pathway.stage != Stage.EXIT else None,
            "may_give_link": may_give_link(request.user, acting_organisation(request), pathway),
        },
    )
