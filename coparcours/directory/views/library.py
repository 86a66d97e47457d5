"""Pages of the shared library: a funder's publishers, a guide's reach, a partnership's
pinned and hidden guides (docs/domain-rules.md, "The shared library")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.directory import guides, library, partners
from coparcours.directory.forms.library import DesignationForm, ReachFields
from coparcours.directory.models import LibraryPublisher, PlacementChoice


@requires(Capability.LIBRARY_DESIGNATE)
def publishers(request: HttpRequest) -> HttpResponse:
    """The funder's territory, its designated publishers, and a form to designate one."""
    territories = []
    for funder in library.designating_funders(request.user):
        territory = library.funder_territory(funder)
        form = DesignationForm(
            request.POST if request.POST.get("funder") == str(funder.pk) else None,
            organisations=library.designable_organisations(territory),
            prefix=f"f{funder.pk}",
        )
        if form.is_bound and form.is_valid():
            try:
                designation = library.designate(
                    request.user, funder.pk, form.cleaned_data["organisation"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{designation.organisation} publie désormais pour « {territory.label} ».",
                )
                return redirect("directory:library_publishers")
        territories.append(
            {
                "funder": funder,
                "territory": territory,
                "designations": library.designations_in(territory),
                "form": form,
            }
        )
    return render(request, "directory/guides/publishers.html", {"territories": territories})


@requires(Capability.LIBRARY_DESIGNATE)
def publisher_end(request: HttpRequest, pk: int) -> HttpResponse:
    designation = get_object_or_404(
        LibraryPublisher.objects.select_related("organisation"), pk=pk, ended_on__isnull=True
    )
    if request.method == "POST":
        library.end_designation(request.user, designation)
        messages.success(request, f"{designation.organisation} n'est plus éditrice.")
        return redirect("directory:library_publishers")
    library.designating_funder(request.user, designation)
    territory = library.territory_of(designation)
    return confirmation_page(
        request,
        Confirmation(
            title=f"Mettre fin à la désignation de {designation.organisation}",
            facts=[
                ("Territoire", territory.label),
                ("Éditrice depuis le", f"{designation.started_on:%d/%m/%Y}"),
            ],
            consequences=[
                "Cette organisation ne pourra plus publier de document au-delà de ses "
                "partenariats.",
                "Les documents qu'elle a déjà diffusés restent dans les bibliothèques des "
                "partenariats, qui peuvent les masquer.",
            ],
            confirm="Mettre fin à la désignation",
            cancel_url=reverse("directory:library_publishers"),
            parent="Éditeurs de la bibliothèque",
        ),
    )


@requires(Capability.PARTNERS_EDIT)
def guide_reach(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor of the guide's partnership, whose organisation is a designated publisher,
    widens or narrows its reach."""
    guide = guides.guide_for(request.user, pk)
    designations = library.publisher_designations(request.user)
    if not guides.may_edit(request.user, guide.consortium_id) or not designations:
        partners.refuse(request.user, "Changer la diffusion", guide)
    form = ReachFields(
        request.POST or None,
        designations=designations,
        initial={
            "reach": guide.reach,
            "territory": f"{guide.territory_level}:{guide.territory_code}",
            "shared_with": list(guide.shared_with.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            library.change_reach(request.user, guide, **form.reach_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Diffusion du document enregistrée.")
            return redirect("directory:guide", guide.pk)
    return render(
        request,
        "directory/guides/reach.html",
        {"guide": guide, "form": form, "title": f"Diffusion de « {guide.title} »"},
    )


@requires(Capability.PARTNERS_EDIT)
@require_POST
def guide_place(request: HttpRequest, pk: int) -> HttpResponse:
    """Pin, hide or put back a guide in one partnership's library."""
    guide = guides.guide_for(request.user, pk)
    choice = request.POST.get("choice", "")
    try:
        consortium_id = int(request.POST.get("consortium", ""))
        library.place(request.user, guide, consortium_id, choice)
    except (ValueError, ValidationError) as problem:
        messages.error(request, getattr(problem, "message", "Choix invalide."))
    else:
        messages.success(
            request,
            {
                PlacementChoice.PINNED: "Document épinglé en tête de la bibliothèque.",
                PlacementChoice.HIDDEN: "Document masqué de la bibliothèque du partenariat.",
            }.get(choice, "Document remis à sa place dans la bibliothèque."),
        )
    return redirect("directory:guide", guide.pk)
