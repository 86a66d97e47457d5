"""The Monday follow-up: the counsellor's inbox, one follow-up and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from coparcours.cej import followup, selectors
from coparcours.cej.forms import FollowUpForm
from coparcours.cej.models import WeeklyFollowUp
from coparcours.core.access import Category, acting_organisation_id
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors


@requires(Capability.CEJ_FOLLOW_UP, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """The counsellor's inbox of Monday follow-ups; referents produce one by hand."""
    form = FollowUpForm(request.POST or None)
    porteur_partnerships = selectors.partnerships_for(
        request.user, acting_organisation_id(request), as_porteur=True
    )
    if request.method == "POST":
        if not porteur_partnerships:
            raise PermissionDenied("Les référents du porteur produisent le suivi à la main.")
        if form.is_valid():
            try:
                report = followup.produce(
                    form.cleaned_data["week"],
                    by=request.user,
                    counsellor_ids=selectors.counsellors_of(request.user, porteur_partnerships),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{len(report.created)} suivi(s) envoyé(s) pour la semaine du "
                    f"{report.week:%d/%m/%Y} ; {report.skipped} déjà envoyé(s).",
                )
                return redirect("cej:follow_ups")
    return render(
        request,
        "cej/follow_up_list.html",
        {
            "follow_ups": selectors.follow_ups_for(request.user),
            "form": form if porteur_partnerships else None,
        },
    )


def _follow_up_for(request: HttpRequest, pk: int, reason: str) -> WeeklyFollowUp:
    """One of the user's follow-ups, its reading audited per youth shown (``reason``)."""
    follow_up = get_object_or_404(selectors.follow_ups_for(request.user), pk=pk)
    followup.audit_reading(request.user, [follow_up], reason)
    return follow_up


@requires(Capability.CEJ_FOLLOW_UP, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up_for(request, pk, followup.READ_ON_PAGE)
    if follow_up.read_at is None:
        WeeklyFollowUp.objects.filter(pk=pk).update(read_at=timezone.now())
    readable = selectors.readable_pathway_ids(
        request.user, [row["pathway_id"] for row in follow_up.rows if "pathway_id" in row]
    )
    return render(
        request,
        "cej/follow_up_detail.html",
        {"follow_up": follow_up, "readable_pathways": readable},
    )


@requires(Capability.CEJ_FOLLOW_UP, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def follow_up_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up_for(request, pk, followup.READ_AS_PDF)
    response = HttpResponse(followup.pdf(follow_up), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="suivi-cej-{follow_up.week_start:%Y-%m-%d}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
