"""The pages of a youth's unmet needs: the list with the form to record one, a need with
its referrals tried, and its closing (met or abandoned), confirmed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from coparcours.core.access import (
    Action,
    acting_organisation_towards,
    check,
    guard,
    may_access,
    writable_categories,
)
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.needs import selectors, services
from coparcours.needs.forms import CloseForm, NeedForm, ReopenForm
from coparcours.needs.models import DIMENSION_CATEGORIES, NeedDimension, NeedStatus, UnmetNeed
from coparcours.youths.selectors import youth_for

CATEGORIES = selectors.CATEGORIES


@requires(Capability.NEEDS, categories=CATEGORIES)
def youth_needs(request: HttpRequest, youth_id: int) -> HttpResponse:
    """The youth's needs the reader may read, and the form to record one in a dimension
    whose category the reader may write."""
    youth = youth_for(request.user, youth_id)
    acting = acting_organisation_towards(request, youth)
    writable = writable_categories(request.user, youth)
    form = NeedForm(request.POST or None, referrals=selectors.linkable_referrals(youth, acting.pk))
    form.fields["dimension"].choices = [("", "Sélectionner…")] + [
        (value, label)
        for value, label in NeedDimension.choices
        if DIMENSION_CATEGORIES[value] in writable
    ]
    if request.method == "POST" and form.is_valid():
        try:
            services.record_need(request.user, youth, acting, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Le besoin est enregistré.")
            return redirect("needs:youth", youth.pk)
    return render(
        request,
        "needs/youth_needs.html",
        {
            "youth": youth,
            "needs": selectors.needs_for_youth(request.user, youth),
            "form": form,
            "may_record": len(form.fields["dimension"].choices) > 1,
        },
    )


def _need(request: HttpRequest, pk: int) -> UnmetNeed:
    """A need of a youth the reader's organisations accompany, else 404."""
    need = get_object_or_404(UnmetNeed.objects.select_related("author_organisation"), pk=pk)
    need.youth = youth_for(request.user, need.youth_id)
    return need


@requires(Capability.NEEDS, categories=CATEGORIES)
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A need, its referrals tried and their answers; while it is open, the form that
    corrects it and links the referrals."""
    need = _need(request, pk)
    author = need.author_organisation_id
    check(
        request.user,
        need.youth,
        need.category,
        Action.READ,
        author_organisation_id=author,
        obj=need,
    )
    writes = may_access(
        request.user, need.youth, need.category, Action.WRITE, author_organisation_id=author
    )
    form = None
    if writes and need.status == NeedStatus.OPEN:
        form = NeedForm(
            request.POST or None,
            referrals=selectors.linkable_referrals(need.youth, author),
            with_dimension=False,
            initial={
                "since": need.since,
                "description": need.description,
                "referrals": list(need.referrals.values_list("pk", flat=True)),
            },
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.update_need(request.user, need, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Le besoin est mis à jour.")
            return redirect("needs:youth", need.youth.pk)
    return render(
        request,
        "needs/need.html",
        {
            "need": need,
            "youth": need.youth,
            "form": form,
            "tried": selectors.tried(request.user, need),
            "reopens": writes and need.status != NeedStatus.OPEN,
        },
    )


@requires(Capability.NEEDS, categories=CATEGORIES)
def need_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an open need met or abandoned: asked first, since a closed need no longer
    changes and leaves the count of needs without an answer."""
    need = _need(request, pk)
    author = need.author_organisation_id
    guard(
        request.user,
        need.youth,
        need.category,
        Action.WRITE,
        author_organisation_id=author,
        obj=need,
    )
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_need(request.user, need, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Le besoin est clos.")
            return redirect("needs:youth", need.youth.pk)
    return confirmation_page(
        request,
        Confirmation(
            title=f"Clore le besoin « {need.get_dimension_display()} » de {need.youth}",
            consequences=[
                "Le besoin quitte les besoins sans réponse du jeune et du registre.",
                "Il ne se modifie plus ; le délai jusqu'à la réponse entre dans les "
                "chiffres du comité de pilotage.",
            ],
            confirm="Clore le besoin",
            cancel_url=reverse("needs:need", args=[need.pk]),
            parent="Le besoin",
            facts=[
                ("Constaté depuis le", f"{need.since:%d/%m/%Y}"),
                ("Besoin", need.description),
            ],
            form=form,
        ),
    )


@requires(Capability.NEEDS, categories=CATEGORIES)
def need_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a need met or abandoned, with the reason, after saying what it entails."""
    need = _need(request, pk)
    guard(
        request.user,
        need.youth,
        need.category,
        Action.WRITE,
        author_organisation_id=need.author_organisation_id,
        obj=need,
    )
    back = reverse("needs:need", args=[need.pk])
    if need.status == NeedStatus.OPEN:
        messages.info(request, "Ce besoin est déjà sans réponse.")
        return redirect(back)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_need(request.user, need, form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Le besoin est de nouveau sans réponse.")
            return redirect(back)
    return confirmation_page(
        request,
        Confirmation(
            title=f"Rouvrir le besoin « {need.get_dimension_display()} » de {need.youth}",
            consequences=[
                f"Le besoin redevient sans réponse depuis le {need.since:%d/%m/%Y}, le jour "
                "où il a été constaté : il revient dans les besoins du jeune et du registre, "
                "et son délai jusqu'à une réponse court depuis ce jour.",
                f"La réponse enregistrée (« {need.outcome} », le "
                f"{need.closed_on:%d/%m/%Y}) reste dans l'historique du besoin, avec le motif.",
            ],
            confirm="Rouvrir le besoin",
            cancel_url=back,
            parent="Le besoin",
            facts=[
                ("Constaté depuis le", f"{need.since:%d/%m/%Y}"),
                (need.get_status_display(), f"le {need.closed_on:%d/%m/%Y}"),
                ("Besoin", need.description),
            ],
            form=form,
        ),
    )
