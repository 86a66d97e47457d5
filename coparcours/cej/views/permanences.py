"""The mission locale's permanences at the porteur: opened with their slots, a slot booked
for a youth by their referent, a booking cancelled after its consequence is shown
(docs/domain-rules.md, "CEJ-JR: collective sessions and permanences")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.cej import programme
from coparcours.cej.forms import BookingForm, PermanenceForm
from coparcours.cej.models import PermanenceSlot, SlotBooking
from coparcours.cej.services import sessions
from coparcours.core.access import (
    Action,
    Category,
    acting_organisation,
    acting_organisation_id,
    may_access,
)
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.organisations.models import Membership, OrganisationKind

EE = Category.EDUCATION_EMPLOYMENT


@requires(Capability.CEJ_PROGRAMME)
def permanence_create(request: HttpRequest) -> HttpResponse:
    organisation_id = acting_organisation_id(request)
    partnerships = programme.partnerships_of(organisation_id)
    counsellors = User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(
            organisation__kind=OrganisationKind.MISSION_LOCALE,
            organisation__consortium_memberships__consortium__in=partnerships,
        )
        .values("user_id")
    ).order_by("last_name", "first_name")
    form = PermanenceForm(request.POST or None, partnerships=partnerships, counsellors=counsellors)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            permanence = sessions.open_permanence(
                request.user, acting_organisation(request), data.pop("partnership"), **data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Permanence ouverte : ses créneaux sont à réserver.")
            return redirect("cej:permanence", pk=permanence.pk)
    return render(
        request,
        "cej/form_page.html",
        {"form": form, "title": "Nouvelle permanence", "cancel": "cej:programme"},
    )


@requires(Capability.CEJ_PROGRAMME, categories=[Category.IDENTITY, EE])
def permanence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A permanence's slots, free or booked (named when the reader may see whom for), and
    the booking of a free slot for a youth (POST)."""
    organisation_id = acting_organisation_id(request)
    permanence = get_object_or_404(programme.permanences_of(organisation_id), pk=pk)
    pathways = programme.registerable_pathways(
        request.user, organisation_id, permanence.partnership_id
    )
    form = BookingForm(request.POST or None, pathways=pathways)
    if request.method == "POST" and form.is_valid():
        slot = get_object_or_404(permanence.slots, pk=form.cleaned_data["slot"])
        pathway = form.cleaned_data["pathway"]
        try:
            sessions.book_slot(request.user, acting_organisation(request), slot, pathway)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, f"Créneau de {timezone.localtime(slot.starts_at):%H:%M} réservé."
            )
            return redirect("cej:permanence", pk=permanence.pk)
    named = programme.named_bookings(request.user, organisation_id, [permanence])
    taken = programme.booked_slot_ids(permanence)
    now = timezone.now()
    cancellable = {slot_id for slot_id, booking in named.items() if _may_cancel(request, booking)}
    slots = [
        (slot, named.get(slot.pk), slot.pk in taken, slot.starts_at > now, slot.pk in cancellable)
        for slot in permanence.slots.all()
    ]
    return render(
        request,
        "cej/permanence_detail.html",
        {"permanence": permanence, "slots": slots, "form": form, "pathways": list(pathways)},
    )


def _may_cancel(request: HttpRequest, booking: SlotBooking) -> bool:
    """Whether the reader may cancel the booking (pure question, for the link and the
    confirmation page; the cancellation itself is decided and audited by ``check``)."""
    return may_access(
        request.user,
        booking.pathway.youth,
        booking.category,
        Action.WRITE,
        author_organisation_id=booking.author_organisation_id,
        within_organisation_id=acting_organisation_id(request),
    )


@requires(Capability.CEJ_PROGRAMME, categories=[Category.IDENTITY, EE])
def booking_cancel(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    """Free a slot booked: the GET shows the consequence, the POST does it; both are
    refused to whoever may not see the booking named."""
    organisation_id = acting_organisation_id(request)
    permanence = get_object_or_404(programme.permanences_of(organisation_id), pk=pk)
    slot = get_object_or_404(PermanenceSlot, pk=slot_id, permanence=permanence)
    booking: SlotBooking | None = programme.named_bookings(
        request.user, organisation_id, [permanence]
    ).get(slot.pk)
    if booking is None:
        return redirect("cej:permanence", pk=permanence.pk)
    if not _may_cancel(request, booking):
        raise PermissionDenied("Votre organisation ne peut pas modifier cette réservation.")
    back = reverse("cej:permanence", args=[permanence.pk])
    if request.method == "POST":
        try:
            sessions.cancel_booking(request.user, acting_organisation(request), booking)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Réservation annulée : le créneau est de nouveau libre.")
        return redirect(back)
    starts = timezone.localtime(slot.starts_at)
    return confirmation_page(
        request,
        Confirmation(
            title="Annuler la réservation ?",
            consequences=[
                f"Le créneau de {starts:%H:%M} redevient libre : une autre personne peut le "
                "réserver pour un autre jeune.",
                f"{booking.pathway.youth} n'est plus attendu·e à la permanence : prévenez-le ou "
                "prévenez-la.",
            ],
            confirm="Annuler la réservation",
            cancel_url=back,
            parent=str(permanence),
            facts=[
                ("Jeune", str(booking.pathway.youth)),
                ("Créneau", f"{starts:%d/%m/%Y} à {starts:%H:%M}"),
                ("Conseiller·ère", permanence.counsellor.get_full_name()),
            ],
        ),
    )
