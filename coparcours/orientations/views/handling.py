"""The porteur's (CEJ-JR) or the coordination's (GME) orientations: the queue, one
orientation (its reading audited), its take-up, the youth contacted and the outcome, each
told to the partner and confirmed first (docs/conventions.md, "Confirmations")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from coparcours.cej.services.partnerships import missions_locales_of
from coparcours.core import audit
from coparcours.core.access import Category, acting_organisation
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.core.models import AuditEvent
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.organisations.models import ConsortiumKind
from coparcours.orientations import selectors, services
from coparcours.orientations.forms import OutcomeForm, TakeUpForm
from coparcours.orientations.models import WAITING, Orientation, OrientationStatus
from coparcours.youths.views.duplicates import duplicate_gate

READS = [Category.IDENTITY, Category.CONTACT]
PER_PAGE = 50


def _orientation(request: HttpRequest, pk: int) -> Orientation:
    """An orientation of a partnership the user handles (404 otherwise, as unknown)."""
    return get_object_or_404(
        selectors.orientations_for(request.user).select_related("pathway"), pk=pk
    )


@requires(Capability.ORIENTATIONS, categories=READS)
def orientation_list(request: HttpRequest) -> HttpResponse:
    """The orientations received, those waiting first, fifty a page."""
    done = Case(
        When(status__in=WAITING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    rows = selectors.orientations_for(request.user).annotate(done=done)
    page = Paginator(rows.order_by("done", "-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    audit.record(
        request.user,
        AuditEvent.READ,
        organisation=acting_organisation(request),
        reason="Liste des orientations reçues des partenaires",
    )
    return render(request, "orientations/list.html", {"page": page})


@requires(Capability.ORIENTATIONS, categories=READS)
def orientation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = _orientation(request, pk)
    services.record_read(request.user, acting_organisation(request), orientation)
    kind = orientation.consortium.kind
    return render(
        request,
        "orientations/detail.html",
        {
            "orientation": orientation,
            "may_take_up": kind == ConsortiumKind.CEJ_JR
            and orientation.status == OrientationStatus.RECEIVED,
            "may_contact": orientation.status in services.CONTACT_FROM[kind],
            "may_close": any(
                orientation.status in sources for sources in services.OUTCOME_FROM.values()
            ),
        },
    )


def _take_up_form(request: HttpRequest, orientation: Orientation) -> TakeUpForm:
    missions = missions_locales_of(orientation.consortium)
    initial = {
        "last_name": orientation.youth_last_name,
        "first_names": orientation.youth_first_names,
        "birth_date": orientation.youth_birth_date,
        "mission_locale": missions[0] if len(missions) == 1 else None,
        "registration": "never",
    }
    return TakeUpForm(
        request.POST or None,
        initial=initial,
        missions_locales=orientation.consortium.organisations.filter(
            pk__in=[mission.pk for mission in missions]
        ),
    )


@requires(
    Capability.ORIENTATIONS,
    categories=[*READS, Category.EDUCATION_EMPLOYMENT],
)
def orientation_take_up(request: HttpRequest, pk: int) -> HttpResponse:
    """The porteur takes up the orientation: the youth is spotted, and the next committee
    has them on its agenda. The record's duplicate check comes first, as on outreach."""
    orientation = _orientation(request, pk)
    if not (
        orientation.consortium.kind == ConsortiumKind.CEJ_JR
        and orientation.status == OrientationStatus.RECEIVED
    ):
        messages.info(request, "Cette orientation n'est pas, ou plus, à accepter.")
        return redirect("orientations:detail", pk=orientation.pk)
    services.record_read(request.user, acting_organisation(request), orientation)
    form = _take_up_form(request, orientation)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        gate = duplicate_gate(request, form)
        duplicates = gate.found
        if gate.passed:
            try:
                pathway = services.take_up_for_cej(
                    request.user,
                    acting_organisation(request),
                    orientation,
                    youth_fields={
                        "last_name": data["last_name"],
                        "first_names": data["first_names"],
                        "birth_date": data["birth_date"],
                    },
                    mission_locale=data["mission_locale"],
                    registration=data["registration"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Orientation acceptée : {pathway.youth} est repéré·e et sera à l'ordre du "
                    "jour du prochain comité d'intégration.",
                )
                return redirect("orientations:detail", pk=orientation.pk)
    return render(
        request,
        "orientations/take_up.html",
        {
            "orientation": orientation,
            "form": form,
            "duplicates": duplicates,
        },
    )


def _facts(orientation: Orientation) -> list[tuple[str, str]]:
    return [
        ("Référence", orientation.reference),
        ("Orientée par", f"{orientation.partner_structure} ({orientation.partner_name})"),
        ("Courriel du partenaire", orientation.partner_email),
        ("État", orientation.get_status_display()),
    ]


@requires(Capability.ORIENTATIONS, categories=READS)
def orientation_contacted(request: HttpRequest, pk: int) -> HttpResponse:
    """The youth has been contacted; the partner is told by e-mail."""
    orientation = _orientation(request, pk)
    back = reverse("orientations:detail", args=[orientation.pk])
    if request.method == "POST":
        try:
            services.record_contacted(request.user, orientation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Contact noté ; le partenaire en est informé.")
        return redirect(back)
    return confirmation_page(
        request,
        Confirmation(
            title=f"Noter que le jeune a été contacté ({orientation.reference})",
            consequences=[
                "Le partenaire reçoit un courriel : le jeune a été contacté (sa référence et "
                "le partenariat seulement, aucun détail sur le jeune).",
                "Cela ne peut pas être annulé.",
            ],
            confirm="Noter le contact et informer le partenaire",
            cancel_url=back,
            parent=orientation.reference,
            facts=_facts(orientation),
        ),
    )


@requires(Capability.ORIENTATIONS, categories=READS)
def orientation_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcome (pathway opened or not, youth unreachable); the partner is told."""
    orientation = _orientation(request, pk)
    back = reverse("orientations:detail", args=[orientation.pk])
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome(request.user, orientation, form.cleaned_data["outcome"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Issue enregistrée ; le partenaire en est informé.")
            return redirect(back)
    return confirmation_page(
        request,
        Confirmation(
            title=f"Clore l'orientation {orientation.reference}",
            consequences=[
                "Le partenaire reçoit un courriel avec l'issue choisie (sa référence et le "
                "partenariat seulement, aucun détail sur le jeune).",
                "L'orientation est close : elle ne peut plus changer, et elle est effacée "
                "90 jours plus tard.",
            ],
            confirm="Clore et informer le partenaire",
            cancel_url=back,
            parent=orientation.reference,
            facts=_facts(orientation),
            form=form,
        ),
    )
