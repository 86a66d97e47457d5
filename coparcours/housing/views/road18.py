"""The road to 18 of a hosted minor: its timeline (schooling, the residence-permit file, the
preparation interview, the decision at 18), the forms that record each part, and the
coordination's list of the coming majorities with their readiness (docs/domain-rules.md,
"The road to 18")."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from coparcours.core.access import Action, Category, guard, may_access, visible_youth_data
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.housing.forms import (
    FilingForm,
    InterviewForm,
    PermitPiecesForm,
    PermitStartForm,
    SchoolingForm,
)
from coparcours.housing.models.road18 import PermitPreparation
from coparcours.housing.models.stays import Stay
from coparcours.housing.selectors import road18 as road_selectors
from coparcours.housing.services import road18 as road_services
from coparcours.housing.views.common import coordinated_consortium, form_page, submit
from coparcours.housing.views.stays import stay_for

#: How far ahead the coordination's list looks, in months (the ``mois`` parameter).
MONTHS_AHEAD = {3: "3 mois", 6: "6 mois", 12: "12 mois"}


@requires(
    Capability.HOUSING_ROAD_TO_18,
    categories=[
        Category.IDENTITY,
        Category.HOUSING,
        Category.EDUCATION_EMPLOYMENT,
        Category.ADMIN_DOCUMENTS,
    ],
)
def road(request: HttpRequest, pk: int) -> HttpResponse:
    """The timeline of the youth's road to 18, each part as far as the reader may read it."""
    stay = stay_for(request, pk)
    road = road_selectors.road_of(request.user, stay)
    return render(
        request,
        "housing/road18.html",
        {
            "stay": stay,
            "youth": stay.youth,
            "road": road,
            "may_write": _writable(request, stay),
        },
    )


def _writable(request: HttpRequest, stay: Stay) -> dict[str, bool]:
    """Which parts the reader may record (pure questions, for the buttons): the hosting
    member's staff, while the stay is under way."""
    if stay.end_date is not None and stay.end_date <= timezone.localdate():
        return {}
    return {
        category: may_access(
            request.user,
            stay.youth,
            category,
            Action.WRITE,
            author_organisation_id=stay.author_organisation_id,
            within_organisation_id=stay.author_organisation_id,
        )
        for category in road_selectors.CATEGORIES
    }


@requires(
    Capability.HOUSING_ROAD_TO_18, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT]
)
def schooling_create(request: HttpRequest, pk: int) -> HttpResponse:
    stay = stay_for(request, pk, Action.WRITE, Category.EDUCATION_EMPLOYMENT, hosting_only=True)
    today = timezone.localdate()
    form = SchoolingForm(
        request.POST or None, initial={"start_date": today, "attendance_on": today}
    )
    if submit(
        request,
        form,
        lambda data: road_services.record_schooling(request.user, stay, **data),
        "Scolarité enregistrée.",
    ):
        return redirect("housing:road18", pk=stay.pk)
    return form_page(request, form, f"Scolarité — {stay.youth}", "housing:stays", stay=stay)


@requires(Capability.HOUSING_ROAD_TO_18, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
def permit_start(request: HttpRequest, pk: int) -> HttpResponse:
    stay = stay_for(request, pk, Action.WRITE, Category.ADMIN_DOCUMENTS, hosting_only=True)
    form = PermitStartForm(request.POST or None)  # the placement order is justice data
    if submit(
        request,
        form,
        lambda data: road_services.start_permit_preparation(request.user, stay, **data),
        "Préparation du titre de séjour ouverte.",
    ):
        return redirect("housing:road18", pk=stay.pk)
    return form_page(
        request, form, f"Préparer le titre de séjour — {stay.youth}", "housing:stays", stay=stay
    )


def _preparation_for(request: HttpRequest, pk: int) -> PermitPreparation:
    """A permit file of a youth the user's organisations accompany, which the user may
    change as its author (the hosting member): the gate of the page, the act audits."""
    preparations = visible_youth_data(
        request.user, PermitPreparation.objects.select_related("stay__youth", "youth")
    )
    preparation = get_object_or_404(preparations, pk=pk)
    guard(
        request.user,
        preparation.youth,
        Category.ADMIN_DOCUMENTS,
        Action.WRITE,
        author_organisation_id=preparation.author_organisation_id,
        obj=preparation,
        within_organisation_id=preparation.author_organisation_id,
    )
    return preparation


@requires(Capability.HOUSING_ROAD_TO_18, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
def permit_pieces(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist sent from the timeline page (a POST; a GET leads back to it)."""
    preparation = _preparation_for(request, pk)
    kinds = road_services.piece_kinds(preparation.route)
    form = PermitPiecesForm(request.POST or None, kinds=kinds)
    if (
        submit(
            request,
            form,
            lambda data: road_services.gather_pieces(
                request.user, preparation, [int(pk) for pk in data["pieces"]]
            ),
            "Pièces du dossier enregistrées.",
        )
        or request.method != "POST"
    ):
        return redirect("housing:road18", pk=preparation.stay_id)
    return form_page(
        request,
        form,
        f"Pièces du dossier — {preparation.youth}",
        "housing:stays",
        stay=preparation.stay,
    )


@requires(Capability.HOUSING_ROAD_TO_18, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
def permit_filing(request: HttpRequest, pk: int) -> HttpResponse:
    """The application filed at the préfecture, recorded by the hosting member."""
    preparation = _preparation_for(request, pk)
    form = FilingForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    if submit(
        request,
        form,
        lambda data: road_services.record_filing(request.user, preparation, **data),
        "Dépôt de la demande de titre de séjour enregistré.",
    ):
        return redirect("housing:road18", pk=preparation.stay_id)
    return form_page(
        request,
        form,
        f"Dépôt de la demande de titre de séjour — {preparation.youth}",
        "housing:stays",
        stay=preparation.stay,
    )


@requires(Capability.HOUSING_ROAD_TO_18, categories=[Category.IDENTITY, Category.HOUSING])
def interview_create(request: HttpRequest, pk: int) -> HttpResponse:
    stay = stay_for(request, pk, Action.WRITE, hosting_only=True)
    form = InterviewForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if submit(
        request,
        form,
        lambda data: road_services.record_interview(request.user, stay, **data),
        "Entretien de préparation enregistré.",
    ):
        return redirect("housing:road18", pk=stay.pk)
    return form_page(
        request,
        form,
        f"Entretien de préparation à la majorité — {stay.youth}",
        "housing:stays",
        stay=stay,
    )


@requires(
    Capability.HOUSING_COORDINATION,
    categories=[Category.IDENTITY, Category.HOUSING, Category.ADMIN_DOCUMENTS],
)
def majorities(request: HttpRequest) -> HttpResponse:
    """The GME's hosted minors turning 18 in the coming months, with their readiness."""
    consortium = coordinated_consortium(request)
    try:
        months = int(request.GET.get("mois", 6))
    except ValueError:
        months = 6
    if months not in MONTHS_AHEAD:
        months = 6
    rows = road_selectors.coming_majorities(request.user, consortium, months)
    return render(
        request,
        "housing/majorities.html",
        {"rows": rows, "months": months, "choices": MONTHS_AHEAD, "consortium": consortium},
    )
